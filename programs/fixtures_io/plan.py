"""From parsed files to a validated plan: every record as an instance marked create/update/unchanged.

Planning is a sequence of passes over one shared `Planning` state, each a function of its own
(testable alone, given the state the passes before it leave). Nothing here writes. All problems
are collected (file, record, field, message) so that a curator sees every one of them at once;
the plan is only used when there are none.
"""

from programs.fixtures_io.citations import cite_lists, cite_quotes, cite_records, load_citations, require_citations
from programs.fixtures_io.entries import Plan, Planning
from programs.fixtures_io.errors import Problems
from programs.fixtures_io.links import plan_links
from programs.fixtures_io.reader import Document
from programs.fixtures_io.records import (
    compare_m2m,
    index_records,
    load_existing,
    load_referenced,
    set_fields,
    set_references,
)
from programs.fixtures_io.validation import (
    mark_updates,
    validate_identifiers,
    validate_parent_chains,
    validate_records,
    validate_unique,
)

PASSES = (
    index_records,  # every record by type and slug, duplicates refused
    load_existing,  # stored records become updates
    set_fields,  # plain fields, coerced and checked against the schema
    load_referenced,  # stored records the files name without defining
    set_references,  # references and many-to-many lists resolved by slug
    compare_m2m,  # only changed many-to-many sets kept
    plan_links,  # link rows under their owners, matched by natural key
    load_citations,  # stored citations of the records concerned
    cite_quotes,  # a record's quote cites its file's source (first: it names the export file)
    cite_lists,  # a record's `citations` list
    cite_records,  # a file's `citations` section
    require_citations,  # every record of a sourced file cites something
    validate_records,  # model validation and check constraints
    validate_identifiers,  # one record per identifier, across files and database
    validate_unique,  # unique constraints across files and database
    validate_parent_chains,  # no record its own ancestor
    mark_updates,  # stored rows with changes are updates
)


def build_plan(documents: list[Document], problems: Problems) -> Plan:
    """The plan of an import of `documents`, adding every problem found to `problems`."""
    state = Planning(documents=documents, problems=problems)
    for run in PASSES:
        run(state)
    return state.plan
