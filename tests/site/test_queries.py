"""Every page runs a fixed number of queries, whatever the amount of data: same bound for 5 and 50 rows."""

import pytest
from django.urls import reverse

from programs.reads.partnerships import partnership_url
from tests.helpers import BOUNDED_TRANSACTION, WORLD_SIZES

pytestmark = pytest.mark.django_db

SIZES = WORLD_SIZES


# The queries each page runs, the same for 5 and 50 rows: e.g. a list is the count, the page's
# ids, its records with their prefetches (for rows not rendered before: the programmes' are 2)
# and a query per facet (the programmes have 7); a record's page whose body is not yet rendered
# is the record with its relations, e.g. a source, its citations and one query per kind of cited
# record, or an organization with its counts, units, programmes, people, their careers,
# citations, partners, identifiers and figures (two aggregates); the overview's busiest
# organizations and areas are a GROUP BY and a load by id each (cheaper than a correlated count per
# row on 100k programmes).
PAGES = {
    "overview": (lambda w: reverse("programs:overview"), 8),
    "insights": (lambda w: reverse("programs:insights"), 5),
    "program list": (lambda w: reverse("programs:program-list"), 9),
    "program list, filtered": (
        lambda w: (
            reverse("programs:program-list")
            + f"?kind=award&sponsor={w['organization'].slug}&q=lab&start_year_min=2000&sort=newest&page=2"
        ),
        10,
    ),
    "organization list": (lambda w: reverse("programs:organization-list"), 4),
    "organization list by programmes": (lambda w: reverse("programs:organization-list") + "?sort=programs", 4),
    "person list": (lambda w: reverse("programs:person-list") + "?sector=academia", 7),
    "project list": (lambda w: reverse("programs:project-list"), 5),
    "source list": (lambda w: reverse("programs:source-list"), 4),
    "program detail": (lambda w: w["program"].get_absolute_url(), 14),
    "organization detail": (lambda w: w["organization"].get_absolute_url(), 16),
    "person detail": (lambda w: w["person"].get_absolute_url(), 6),
    "project detail": (lambda w: w["project"].get_absolute_url(), 3),
    "source detail": (lambda w: w["source"].get_absolute_url(), 12),
    # The pair, the shared programmes' count and page, their roles, editions and projects, the
    # people of each side, those of both with their positions and projects there.
    "partnership": (lambda w: partnership_url(w["organization"], w["partner"]), 12),
    # A feed: its entries' ids from the listing and the entries, after the filters' slugs.
    "program feed": (lambda w: reverse("programs:program-feed") + f"?sponsor={w['organization'].slug}", 3),
    "organization feed": (lambda w: reverse("programs:organization-feed") + "?modified_since=2000-01-01", 2),
    "program list, modified since": (lambda w: reverse("programs:program-list") + "?modified_since=2000-01-01", 9),
    "open data": (lambda w: reverse("programs:data"), 0),
}


@pytest.mark.parametrize("n", SIZES)
def test_query_count_of_every_page_is_bounded(client, django_assert_max_num_queries, catalogue_of_size, n):
    """One world per size (building it is the slow part), every page measured on its own."""
    world = catalogue_of_size(n)
    for page, (url, bound) in PAGES.items():
        # Plus one: the data version, which the page cache reads first (programs.serving.caching);
        # and the bound of its statements on PostgreSQL.
        with django_assert_max_num_queries(bound + 1 + BOUNDED_TRANSACTION, info=f"{page}, {n} related rows"):
            response = client.get(url(world))
        assert response.status_code == 200, page


@pytest.mark.parametrize("n", SIZES)
def test_export_query_count_is_bounded(client, django_assert_max_num_queries, catalogue_of_size, n):
    catalogue_of_size(n)
    # The data version, the ids from the listing, then one chunk: the rows, their participants and
    # their research areas.
    with django_assert_max_num_queries(5 + BOUNDED_TRANSACTION):
        response = client.get(reverse("programs:program-list") + "?format=csv")
        content = b"".join(response.streaming_content)
    assert content.count(b"\n") > n
