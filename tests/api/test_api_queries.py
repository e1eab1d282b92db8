"""Every API endpoint runs a fixed number of queries, whatever the amount of data: same bound for 5 and 50 rows.

The world is tests/conftest.py's `catalogue_of_size(n)`: a programme, an organization, a person, a
project and a source, each with n related rows of every kind.
"""

import pytest
from django.core.cache import cache

from programs import models
from tests.helpers import BOUNDED_TRANSACTION, WORLD_SIZES

pytestmark = pytest.mark.django_db

SIZES = WORLD_SIZES


def detail(name: str, record) -> str:
    return f"/api/{name}/{record.slug}/"


# The queries each endpoint runs: a list of a listing is its total (a kept count on PostgreSQL when
# at most one facet filter is in force), its page's ids and those records with one query per
# prefetched relation (a filter by slug checks its slugs inside those); the editions' and areas'
# lists are the count and the page. A detail is the record (with what it select_related) and one
# per prefetched relation, an organization's also its first programmes and people found through
# the listings, a source detail one per kind of cited record. No throttle or session query: the
# throttle counts in the cache and the API reads no session.
ENDPOINTS = {
    "program list": (lambda w: "/api/programs/", 6),
    "program list, filtered": (
        lambda w: f"/api/programs/?kind=award&sponsor={w['organization'].slug}&q=lab&start_year_min=2000&sort=newest",
        6,
    ),
    "program detail": (lambda w: detail("programs", w["program"]), 9),
    "organization list": (lambda w: "/api/organizations/", 4),
    "organization list by programmes": (lambda w: "/api/organizations/?sort=programs&kind=company", 4),
    "organization detail": (lambda w: detail("organizations", w["organization"]), 11),
    "person list": (lambda w: "/api/people/?sector=academia", 5),
    "person detail": (lambda w: detail("people", w["person"]), 6),
    "project list": (lambda w: "/api/projects/", 3),
    "project detail": (lambda w: detail("projects", w["project"]), 3),
    "edition list": (lambda w: f"/api/editions/?program={w['program'].slug}", 3),
    "edition detail": (lambda w: detail("editions", w["program"].editions.first()), 4),
    "research area list": (lambda w: "/api/research-areas/", 3),
    "research area detail": (lambda w: detail("research-areas", w["program"].research_areas.first()), 3),
    "source list": (lambda w: "/api/sources/", 3),
    "source detail": (lambda w: detail("sources", w["source"]), 12),
    # A cursor walk: the page's ids from the listing, its records and their prefetches, no count.
    "program list, cursor walk": (lambda w: "/api/programs/?cursor=*&modified_since=2000-01-01", 6),
    # The changes feed: a batch of rows from each of the 13 history tables, then for each kind of
    # record in the page its rows, links and citations (as a release reads them) and their state.
    "changes": (lambda w: "/api/changes/", 53),
}


@pytest.mark.parametrize("n", SIZES)
def test_query_count_of_every_endpoint_is_bounded(client, django_assert_max_num_queries, catalogue_of_size, n):
    """One world per size (building it is the slow part), every endpoint measured on its own."""
    cache.clear()
    world = catalogue_of_size(n)
    # Every detail endpoint shows n related rows of each kind it nests.
    assert models.Edition.objects.filter(program=world["program"]).count() == n
    for name, (url, bound) in ENDPOINTS.items():
        address = url(world)
        # Plus one: the data version, which keys the cached counts (programs.serving.caching).
        with django_assert_max_num_queries(bound + 1 + BOUNDED_TRANSACTION, info=f"{name}, {n} related rows"):
            response = client.get(address, {"page_size": 100})
        assert response.status_code == 200, (name, response.content[:300])
        body = response.json()
        if "results" in body:
            assert body["results"], name
