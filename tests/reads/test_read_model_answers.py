"""The read model's answers: the same from the maintained tables and from the live views, a list's
size counted with its facets, each facet value counting the rows its link lists, and no draft listed.

Every test here only reads one world (`listed_world`, built once for the module): tests that write
are in test_read_model.py, on worlds of their own.
"""

import pytest
from django.db import connection
from django.http import QueryDict

from programs import models
from programs.opendata import exports
from programs.reads import filters
from programs.reads.facets import count_rows, kept_total
from programs.reads.lists import ListRows

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the maintained read model")


def test_drafts_never_reach_a_listing(listed_world):
    listed = set(models.ProgramListing.objects.values_list("id", flat=True))
    assert listed == {program.pk for program in listed_world["programs"] if program.is_published}
    tokens = {token for facets in models.ProgramListing.objects.values_list("facets", flat=True) for token in facets}
    draft_organization, draft_area = listed_world["organizations"][6], listed_world["areas"][4]
    assert not {f"organization:{draft_organization.pk}", f"research_area:{draft_area.pk}", "country:JP"} & tokens
    assert listed_world["people"][9].pk not in set(models.PersonListing.objects.values_list("id", flat=True))
    drafts_projects = {project.pk for project in listed_world["projects"] if not project.program.is_published}
    assert not drafts_projects & set(models.ProjectListing.objects.values_list("id", flat=True))


# The same answers from the maintained tables and from the live views

# Two filters each selecting some tokens' rows: the list's size is read from kept pairs.
PAIRED = [
    (filters.ProgramFilterSet, "lifecycle=active&country=CN"),
    (filters.ProgramFilterSet, "organization_kind=company&country=CN"),
    (filters.ProgramFilterSet, "country=CN&start_year_min=2010&start_year_max=2030"),
    (filters.ProgramFilterSet, "country=CN&sponsor={organization}"),
    (filters.ProgramFilterSet, "organization={organization}&start_year_max=2030"),
    (filters.PersonFilterSet, "sector=industry&role=lead"),
]

QUERIES = [
    (filters.ProgramFilterSet, ""),
    (filters.ProgramFilterSet, "kind=award"),
    (filters.ProgramFilterSet, "kind=award&kind=joint_lab&sort=-start_year"),
    (filters.ProgramFilterSet, "country=CN"),
    (filters.ProgramFilterSet, "country=CN&country=US&lifecycle=active"),
    (filters.ProgramFilterSet, "organization_kind=company&start_year_min=2010&sort=start_year"),
    (filters.ProgramFilterSet, "q=实验室&sort=newest"),
    (filters.ProgramFilterSet, "q=joint+lab"),
    (filters.ProgramFilterSet, "q=奖"),
    (filters.ProgramFilterSet, "start_year_max=2015"),
    # A broad filter left alone for a facet: the facet is read from kept pairs
    (filters.ProgramFilterSet, "kind=award&country=CN"),
    (filters.ProgramFilterSet, "kind=award&kind=joint_lab&lifecycle=active"),
    (filters.ProgramFilterSet, "start_year_min=2010&start_year_max=2020&organization_kind=company"),
    (filters.ProgramFilterSet, "research_area={area}&sponsor={organization}"),
    (filters.ProgramFilterSet, "q=实验室&country=CN"),
    (filters.ProgramFilterSet, "sponsor={organization}&sort=newest"),
    (filters.ProgramFilterSet, "organization={organization}&research_area={area}"),
    *PAIRED,
    (filters.PersonFilterSet, "organization={organization}"),
    (filters.OrganizationFilterSet, ""),
    (filters.OrganizationFilterSet, "kind=company&sort=programs"),
    (filters.OrganizationFilterSet, "country=CN&sort=newest"),
    (filters.PersonFilterSet, ""),
    (filters.PersonFilterSet, "sector=industry"),
    (filters.PersonFilterSet, "role=awardee"),
    (filters.PersonFilterSet, "role=awardee&role=lead"),
    (filters.ProjectFilterSet, "sort=-year"),
    (filters.ProjectFilterSet, "year_min=2019"),
    (filters.SourceFilterSet, "language=zh-Hans"),
    (filters.SourceFilterSet, "sort=name"),
]


LIVE = {
    models.ProgramListing: models.LiveProgramListing,
    models.OrganizationListing: models.LiveOrganizationListing,
    models.PersonListing: models.LivePersonListing,
    models.ProjectListing: models.LiveProjectListing,
    models.SourceListing: models.LiveSourceListing,
}


def filled(query: str, world) -> str:
    """The query with the world's first organization and second area for its placeholders."""
    return query.format(organization=world["organizations"][0].slug, area=world["areas"][1].slug)


def answers(filterset_class, query: str, world, live=False) -> dict:
    """What a list shows for a query: its ids in order, its total and its facets."""
    query = filled(query, world)
    listing = filterset_class._meta.model
    filterset = filterset_class(QueryDict(query), queryset=(LIVE[listing] if live else listing).objects.all())
    assert filterset.is_valid(), filterset.errors
    return {
        "ids": list(filterset.qs.values_list("id", flat=True)),
        "count": count_rows(filterset),
        "facets": filterset.facets(),
    }


@postgresql_only
@pytest.mark.parametrize(("filterset_class", "query"), QUERIES)
def test_tables_and_live_views_give_the_same_lists_totals_and_facets(listed_world, filterset_class, query):
    kept = answers(filterset_class, query, listed_world)
    computed = answers(filterset_class, query, listed_world, live=True)
    assert kept == computed
    assert kept["count"] == len(kept["ids"])


@pytest.mark.parametrize(("filterset_class", "query"), QUERIES)
def test_the_size_counted_with_the_facets_is_the_lists(listed_world, filterset_class, query, django_assert_num_queries):
    query = filled(query, listed_world)
    filterset = filterset_class(QueryDict(query))
    facets = filterset.facets()
    counted_with_facets = getattr(filterset, "row_count", None) is not None
    with django_assert_num_queries(0 if counted_with_facets else 1):
        size = count_rows(filterset)
    assert size == filterset.qs.count() == count_rows(filterset_class(QueryDict(query)))
    assert facets == filterset_class(QueryDict(query)).facets()


@pytest.mark.parametrize(("filterset_class", "query"), QUERIES)
def test_each_facet_value_counts_the_rows_its_link_would_list(listed_world, filterset_class, query):
    """A facet value's count is the size of the list its link leads to: every other filter in
    force, and this facet set to the value alone (counted by the list itself, not by the facets)."""
    data = QueryDict(filled(query, listed_world))
    filterset = filterset_class(data)

    def linked_count(name, value):
        linked = data.copy()
        linked.setlist(name, [value])
        return filterset_class(linked).qs.count()

    for facet in filterset.facets():
        shown = {value.value: value.count for value in facet.values}
        choices = filterset.filters[facet.name].extra.get("choices")
        if isinstance(choices, list | tuple):  # a short list of choices: every value with rows is shown
            assert shown == {value: n for value, _label in choices if (n := linked_count(facet.name, value))}
        else:
            assert all(n == linked_count(facet.name, value) for value, n in shown.items()), facet.name


@postgresql_only
@pytest.mark.parametrize(("filterset_class", "query"), PAIRED)
def test_a_list_of_two_broad_filters_is_sized_from_the_kept_pairs_exactly(listed_world, filterset_class, query):
    filterset = filterset_class(QueryDict(filled(query, listed_world)))
    assert kept_total(filterset, filterset.in_force()) == filterset.qs.count() > 0


@postgresql_only
def test_filters_whose_pairs_are_not_kept_are_counted(listed_world):
    for query in [
        "sponsor={organization}&partner={organization}",
        "country=CN&country=US&lifecycle=active",
        "q=奖&kind=award",
    ]:
        filterset = filters.ProgramFilterSet(QueryDict(filled(query, listed_world)))
        assert kept_total(filterset, filterset.in_force()) is None, query


def test_a_search_is_counted_with_its_facets(listed_world):
    filterset = filters.ProgramFilterSet(QueryDict("q=joint+lab&lifecycle=active"))
    filterset.facets()
    assert 0 < filterset.row_count == filterset.qs.count() < models.ProgramListing.objects.count()


@postgresql_only
@pytest.mark.parametrize(
    ("filterset_class", "export", "model"),
    [
        (filters.ProgramFilterSet, exports.PROGRAMS, models.Program),
        (filters.OrganizationFilterSet, exports.ORGANIZATIONS, models.Organization),
        (filters.PersonFilterSet, exports.PEOPLE, models.Person),
    ],
)
def test_tables_and_live_views_give_the_same_exports(rf, listed_world, filterset_class, export, model):
    def download(listing):
        rows = ListRows.of(filterset_class(QueryDict("sort=newest"), queryset=listing.objects.all()), model.objects)
        response = exports.export_response(rows, export, rf.get("/"), fmt="csv", filename="x")
        return b"".join(response.streaming_content)

    listing = filterset_class._meta.model
    kept = download(listing)
    assert kept == download(LIVE[listing])
    assert kept.count(b"\n") > 2


def test_figures_agree_with_the_lists(listed_world):
    kinds = {facet.name: facet for facet in filters.ProgramFilterSet(QueryDict("")).facets()}["kind"]
    for value in kinds.values:
        assert count_rows(filters.ProgramFilterSet(QueryDict(f"kind={value.value}"))) == value.count
