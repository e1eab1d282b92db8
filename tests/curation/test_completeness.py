"""The completeness score: which of the fields a curator should fill are filled, in the admin lists."""

import pytest
from django.utils import translation

from programs import models
from programs.curation.completeness import CRITERIA, missing, with_completeness
from tests import factories as f

pytestmark = pytest.mark.django_db


def scored(record):
    return with_completeness(type(record).objects.filter(pk=record.pk)).get()


def complete_program(**fields):
    program = f.ProgramFactory(summary="简介", summary_en="Summary", **fields)
    program.research_areas.add(f.ResearchAreaFactory())
    f.ParticipationFactory(program=program)
    f.CitationFactory(record=program)
    return program


def test_a_programme_with_every_field_filled_is_complete():
    program = scored(complete_program())
    assert (program.completeness, missing(program)) == (100, [])


def test_the_score_counts_what_is_missing():
    program = scored(f.ProgramFactory(name_en="", start_year=None, lifecycle=models.Lifecycle.UNKNOWN))
    with translation.override("en"):
        assert list(map(str, missing(program))) == [
            "English name",
            "summary",
            "English summary",
            "years",
            "lifecycle",
            "research areas",
            "participants",
            "citation",
        ]
    assert program.completeness == 0


def test_a_gap_the_sources_leave_still_counts_as_unfilled():
    program = scored(complete_program(start_year=None, years_not_in_sources=True))
    assert program.completeness == 87  # 7 of 8, rounded down
    with translation.override("en"):
        assert list(map(str, missing(program))) == ["years"]


@pytest.mark.parametrize(
    ("record", "score"),
    [
        (lambda: f.OrganizationFactory(city="上海", description="简介", description_en="About"), 83),
        (lambda: f.PersonFactory(bio="生平", bio_en="Life", headline_en="Professor"), 71),
        (lambda: f.ProjectFactory(year=2020, summary="简介", summary_en="About", outcomes="成果"), 62),
        (lambda: f.ResearchAreaFactory(description="定义"), 50),
        (lambda: f.EditionFactory(label_en="2020", recipient_count=3, notes="说明", notes_en="Notes"), 83),
        (lambda: f.SourceFactory(url="https://example.org/", summary="摘要"), 83),
    ],
    ids=["organization", "person", "project", "research area", "edition", "source"],
)
def test_every_curated_kind_has_a_score(record, score):
    assert scored(record()).completeness == score


def test_every_model_with_a_public_page_is_scored():
    scored_models = set(CRITERIA)
    assert {models.Program, models.Organization, models.Person, models.Project, models.Source} <= scored_models


def test_the_admin_list_shows_the_score_with_what_is_missing(staff_client):
    complete_program(name="完整的实验室")
    f.ProgramFactory(name="空的实验室", name_en="", summary="", start_year=None)
    page = staff_client.get("/en/admin/programs/program/").content.decode()
    assert '<span class="completeness" title="complete">100 %</span>' in page
    assert (
        'title="missing: English name, summary, English summary, years, research areas, participants, citation"' in page
    )


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [("complete", ["完整的实验室"]), ("little", ["空的实验室"]), ("most", []), ("half", ["一半的实验室"])],
)
def test_the_admin_list_filters_by_score(staff_client, bucket, expected):
    complete_program(name="完整的实验室")
    f.ProgramFactory(name="空的实验室", name_en="", summary="", start_year=None)
    half = f.ProgramFactory(name="一半的实验室", summary="简介")
    f.CitationFactory(record=half)
    response = staff_client.get(f"/en/admin/programs/program/?completeness={bucket}")
    assert [program.name for program in response.context["cl"].result_list] == expected


def test_an_unknown_bucket_filters_nothing(staff_client):
    complete_program()
    response = staff_client.get("/en/admin/programs/program/?completeness=perfect")
    assert response.status_code == 200


def test_the_admin_list_does_not_query_per_record(staff_client, django_assert_max_num_queries):
    complete_program()
    with django_assert_max_num_queries(12) as few:
        staff_client.get("/en/admin/programs/program/")
    for _ in range(10):
        complete_program()
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get("/en/admin/programs/program/")
