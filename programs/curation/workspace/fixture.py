"""An article's proposals as a fixture file in the data/ format (docs/fixtures.md), for a curator who
would rather edit a file than click: every proposed organization, person and programme as a draft
citing the sentence it was found in, a programme with the organization it names as its sponsor,
and the article's source record. `import_fixtures` accepts the file as written.

Projects are left out: a project needs its programme, which only the curator can tell. Slugs are
the name's pinyin (or its Latin letters), made unique against the database and the file.
"""

from programs.curation.workspace.annotation import Annotation
from programs.curation.workspace.phrases import is_chinese
from programs.curation.workspace.reading import clean
from programs.fixtures_io.exporter import dump
from programs.models import Organization, Person, Program, Source, SourceLanguage, Status
from programs.models.slugs import FreeSlugs, free_slug
from programs.models.text import to_simplified

SECTIONS = {
    "organization": ("organizations", Organization),
    "person": ("people", Person),
    "program": ("programs", Program),
}
TITLE_CHARS = 300


def language_of(text: str) -> str:
    if not is_chinese(text):
        return SourceLanguage.EN
    sample = text[:2000]
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample), strict=False))
    return SourceLanguage.ZH_HANT if changed * 50 > len(sample) else SourceLanguage.ZH_HANS


def new_source(text: str, name: str) -> dict:
    """A draft source record for an article file: its first line as a descriptive title."""
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), name)
    return {
        "slug": free_slug(Source, name),
        "title": clean(first_line)[:TITLE_CHARS],
        "name_is_descriptive": True,
        "language": str(language_of(text)),
        "status": str(Status.DRAFT),
    }


def stored_source(source: Source) -> dict:
    """The fields that name a stored source, as they are (importing them changes nothing)."""
    return {"slug": source.slug, "title": source.title, "language": source.language, "status": source.status}


def proposals_fixture(annotation: Annotation, source: dict) -> str:
    """The YAML text of a fixture file with the proposals as drafts citing their sentences."""
    slugs = FreeSlugs()
    sections: dict[str, list] = {}
    for proposal in annotation.proposals:
        if proposal.type not in SECTIONS:
            continue
        section, model = SECTIONS[proposal.type]
        found = proposal.as_json(annotation.text)
        record = {"slug": slugs.new(proposal.name, model), "name": proposal.name}
        if proposal.kind:
            record["kind"] = str(proposal.kind)
        if proposal.sponsor:
            record["participants"] = [{"organization": proposal.sponsor.slug, "role": "sponsor"}]
        record.update(status=str(Status.DRAFT), quote=found["sentence"])
        if found["quote_repaired"]:
            record["quote_repaired"] = True
        sections.setdefault(section, []).append(record)
    header = "# Proposals of `manage.py annotate_source`: drafts to check, correct and complete (docs/fixtures.md).\n"
    return header + dump({"source": source, **sections})
