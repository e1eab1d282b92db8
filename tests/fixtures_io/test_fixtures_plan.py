"""The import planner's passes, each run alone on the state the passes before it leave."""

from pathlib import Path

import pytest
from django.utils import translation

from programs import models
from programs.fixtures_io.citations import cite_lists, cite_quotes, load_citations
from programs.fixtures_io.entries import CREATE, UNCHANGED, Planning
from programs.fixtures_io.errors import Problems
from programs.fixtures_io.links import plan_links
from programs.fixtures_io.plan import PASSES
from programs.fixtures_io.reader import read_document
from programs.fixtures_io.records import (
    index_records,
    load_existing,
    load_referenced,
    record_references,
    set_fields,
    set_references,
)
from programs.fixtures_io.schema import SECTIONS_BY_NAME
from programs.fixtures_io.validation import validate_parent_chains
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


SOURCE = "source: {slug: article, title: 文章, language: zh-Hans}\n"


def planning(*files: str) -> Planning:
    """A planning state for files given as texts, named a.yaml, b.yaml…"""
    problems = Problems()
    documents = [
        read_document(Path(name), name, problems, data=text.encode())
        for name, text in zip("abcdefgh", files, strict=False)
    ]
    return Planning(documents=[d for d in documents if d], problems=problems)


def reported(state: Planning) -> list[str]:
    return [str(problem) for problem in state.problems]


def run(state: Planning, *passes) -> Planning:
    for each in passes:
        each(state)
    return state


def test_the_passes_run_in_their_order_of_dependence():
    names = [each.__name__ for each in PASSES]
    assert names.index("load_existing") < names.index("set_fields") < names.index("validate_records")
    assert names.index("plan_links") < names.index("load_citations") < names.index("cite_quotes")
    assert names.index("cite_quotes") < names.index("cite_lists") < names.index("require_citations")
    assert names[-1] == "mark_updates"


def test_index_records_refuses_records_without_a_slug_of_their_own():
    state = planning(
        SOURCE + "organizations:\n  - {slug: tsinghua, name: 清华}\n  - just-text\n  - {name: 无名}\n",
        "organizations:\n  - {slug: tsinghua, name: 清华大学}\n",
    )
    index_records(state)
    assert [entry.label for _section, entry in state.records] == ["source/article", "organization/tsinghua"]
    assert state.file_sources["a"].label == "source/article"
    assert reported(state) == [
        "a: organizations[1]: -: a record must be a mapping of fields",
        "a: organizations[2]: slug: this field is required (text)",
        "b: organization/tsinghua: slug: this slug is already defined in a",
    ]


def test_load_existing_turns_stored_records_into_updates(django_assert_num_queries):
    f.OrganizationFactory(slug="tsinghua")
    state = run(
        planning("organizations:\n  - {slug: tsinghua}\n  - {slug: pku}\n  - {slug: 'bad slug'}\n"), index_records
    )
    with django_assert_num_queries(1):  # one per section, the unstorable slug not asked for
        load_existing(state)
    assert [(entry.label, entry.action) for _s, entry in state.records] == [
        ("organization/tsinghua", UNCHANGED),
        ("organization/pku", CREATE),
        ("organization/bad slug", CREATE),
    ]


def test_set_fields_coerces_and_reports_each_field():
    state = run(
        planning("programs:\n  - {slug: lab, name: 实验室, kind: joint_lab, start_year: '2017', budget: 5}\n"),
        index_records,
        load_existing,
        set_fields,
    )
    (_section, entry), *_ = state.records
    assert (entry.instance.name, entry.instance.status) == ("实验室", models.Status.PUBLISHED)
    assert [problem.field for problem in state.problems] == ["budget", "start_year"]


def test_record_references_finds_every_slug_a_record_names():
    record = {
        "slug": "lab",
        "parent": "umbrella",
        "research_areas": ["ai", {"not": "a slug"}],
        "participants": [{"organization": "tsinghua", "citations": [{"source": "other-article"}]}, "junk"],
        "citations": [{"source": "article"}],
    }
    assert sorted(record_references(SECTIONS_BY_NAME["programs"], record)) == [
        ("organization", "tsinghua"),
        ("program", "umbrella"),
        ("research_area", "ai"),
        ("source", "article"),
        ("source", "other-article"),
    ]


def test_load_referenced_reads_only_stored_records_the_files_do_not_define(django_assert_num_queries):
    stored = f.OrganizationFactory(slug="tsinghua")
    f.OrganizationFactory(slug="unrelated")
    state = run(
        planning(
            "programs:\n  - slug: lab\n    participants: [{organization: tsinghua}, {organization: pku}]\n"
            "organizations:\n  - {slug: pku}\n"
            "citations:\n  - {record: organization/unrelated-too}\n"
        ),
        index_records,
    )
    with django_assert_num_queries(1):  # organizations: tsinghua and unrelated-too (pku is in the files)
        load_referenced(state)
    assert state.referenced == {("organization", "tsinghua"): stored}


def test_set_references_resolves_slugs_and_reports_dangling_ones():
    parent = f.ProgramFactory(slug="umbrella")
    state = run(
        planning("programs:\n  - {slug: lab, parent: umbrella, research_areas: [nowhere]}\n"),
        index_records,
        load_existing,
        load_referenced,
        set_references,
    )
    (_section, entry), *_ = state.records
    assert entry.instance.parent == parent
    assert reported(state) == [
        "a: program/lab: research_areas: no research_area with slug 'nowhere' in the files or the database"
    ]
    assert state.plan.m2m == []


def test_plan_links_matches_stored_rows_by_natural_key():
    link = f.ParticipationFactory(program__slug="lab", organization__slug="tsinghua", role="sponsor", note="旧")
    state = run(
        planning(
            "programs:\n  - slug: lab\n    participants:\n"
            "      - {organization: tsinghua, role: sponsor, note: 新}\n"
            "      - {organization: tsinghua, role: host}\n"
            "      - {organization: tsinghua, role: sponsor}\n"
        ),
        index_records,
        load_existing,
        load_referenced,
        plan_links,
    )
    stored, new = state.plan.links[models.Participation]
    assert (stored.instance.pk, stored.action, stored.changed) == (link.pk, UNCHANGED, {"note"})
    assert (new.instance.pk, new.action, new.instance.role) == (None, CREATE, "host")
    assert reported(state) == ["a: program/lab: participants[2]: the same link as participants[0]"]


def test_a_quote_is_a_records_first_citation_whatever_the_order_in_the_file():
    f.SourceFactory(slug="other-article")
    state = run(
        planning(
            SOURCE + "organizations:\n"
            "  - {slug: pku, citations: [{source: other-article, quote: 其他。}], quote: 本文。}\n"
        ),
        index_records,
        load_existing,
        load_referenced,
        plan_links,
        load_citations,
    )
    cite_lists(state)  # run out of order: the quote then comes second
    cite_quotes(state)
    assert [entry.instance.quote for entry in state.plan.citations] == ["其他。", "本文。"]
    state.plan.citations.clear()
    state.cited.clear()
    run(state, cite_quotes, cite_lists)
    assert [entry.instance.quote for entry in state.plan.citations] == ["本文。", "其他。"]


def test_validate_parent_chains_finds_a_loop_through_stored_and_new_records():
    stored = f.ProgramFactory(slug="stored")
    state = run(
        planning("programs:\n  - {slug: new, parent: stored}\n  - {slug: stored, parent: new}\n"),
        index_records,
        load_existing,
        set_fields,
        load_referenced,
        set_references,
    )
    assert state.defined[("program", "stored")].instance.pk == stored.pk
    validate_parent_chains(state)
    assert sorted(line for line in reported(state) if ": parent: " in line) == [
        "a: program/new: parent: the chain of parents loops back to this record",
        "a: program/stored: parent: the chain of parents loops back to this record",
    ]
