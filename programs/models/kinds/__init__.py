"""Each kind of record declared once: its public fields, their languages, what it nests, and which
outputs carry each (the fixture files, data releases and the changes feed, the API, the list
downloads). Those outputs read what they need from here; docs/architecture.md ("Record kinds")
says what stays explicit and why.

    declaration.py  what a declaration is made of: items, outputs, orders
    records.py      the seven kinds of public record (PROGRAM, ORGANIZATION, …)
    links.py        the rows nested under them: links, identifiers, citations
"""

from programs.models.kinds.declaration import BOOKKEEPING, EN, ZH, Api, Field, Kind, Links, Output, Ref, Refs
from programs.models.kinds.links import AFFILIATION, CITATION, IDENTIFIER, INVOLVEMENT, PARTICIPATION, PROJECT_MEMBER
from programs.models.kinds.records import (
    EDITION,
    KINDS,
    ORGANIZATION,
    PERSON,
    PROGRAM,
    PROJECT,
    RESEARCH_AREA,
    SOURCE,
)

BY_NAME = {kind.name: kind for kind in KINDS}
BY_MODEL = {
    kind.model: kind for kind in (*KINDS, PARTICIPATION, AFFILIATION, INVOLVEMENT, PROJECT_MEMBER, IDENTIFIER, CITATION)
}

__all__ = [
    "AFFILIATION",
    "BOOKKEEPING",
    "BY_MODEL",
    "BY_NAME",
    "CITATION",
    "EDITION",
    "EN",
    "IDENTIFIER",
    "INVOLVEMENT",
    "KINDS",
    "ORGANIZATION",
    "PARTICIPATION",
    "PERSON",
    "PROGRAM",
    "PROJECT",
    "PROJECT_MEMBER",
    "RESEARCH_AREA",
    "SOURCE",
    "ZH",
    "Api",
    "Field",
    "Kind",
    "Links",
    "Output",
    "Ref",
    "Refs",
]
