"""Every page runs a fixed number of queries, whatever the amount of data: same bound for 5 and 50 rows."""

import pytest
from django.urls import reverse

from programs import models
from tests import factories as f

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


def build(n: int) -> dict:
    """A programme, an organization, a person, a project and a source, each with n related rows of every kind."""
    area = f.ResearchAreaFactory()
    sponsor = f.CompanyFactory()
    program = f.ProgramFactory(parent=f.ProgramFactory())
    program.research_areas.add(area)
    person = f.PersonFactory()
    project = f.ProjectFactory(program=program)
    source = f.SourceFactory()
    for i in range(n):
        other = f.ProgramFactory(kind=models.ProgramKind.AWARD)
        other.research_areas.add(area)
        f.ParticipationFactory(program=other, organization=sponsor)
        university = f.OrganizationFactory(parent=sponsor if i % 2 else None)
        f.ParticipationFactory(program=program, organization=university, role=models.ParticipationRole.PARTNER)
        f.ParticipationFactory(program=other, organization=university, role=models.ParticipationRole.PARTNER)
        edition = f.EditionFactory(program=program, year=1950 + i)
        colleague = f.PersonFactory()
        f.AffiliationFactory(person=colleague, organization=university, start_year=2000)
        f.AffiliationFactory(person=colleague, organization=sponsor, start_year=2010)
        f.AffiliationFactory(person=person, organization=university, start_year=1950 + i)
        f.InvolvementFactory(person=colleague, program=program, edition=edition)
        f.InvolvementFactory(person=person, program=other)
        f.ProjectFactory(program=program, edition=edition)
        f.ProjectMemberFactory(project=project, person=colleague, organization=university)
        f.ProjectMemberFactory(project=f.ProjectFactory(program=other), person=person)
        f.ProgramFactory(parent=program)
        f.CitationFactory(record=program)
        f.CitationFactory(record=person)
        f.CitationFactory(record=university, source=source)
        f.CitationFactory(record=other, source=source)
        f.CitationFactory(record=colleague, source=source)
        f.CitationFactory(record=edition, source=source)
        f.CitationFactory(record=models.Participation.objects.filter(program=other).first(), source=source)
        f.CitationFactory(record=models.Affiliation.objects.filter(person=colleague).first(), source=source)
        f.CitationFactory(record=models.Involvement.objects.filter(person=colleague).first(), source=source)
        f.CitationFactory(record=models.ProjectMember.objects.filter(person=colleague).first(), source=source)
        f.CitationFactory(record=area if i == 0 else f.ResearchAreaFactory(), source=source)
        f.CitationFactory(record=f.ProjectFactory(program=other), source=source)
        f.SourceFactory()
    return {"program": program, "organization": sponsor, "person": person, "project": project, "source": source}


# The queries each page runs, the same for 5 and 50 rows: e.g. a list is the count, the page's
# ids, its records with their prefetches (for rows not rendered before: the programmes' are 2)
# and a query per facet (the programmes have 7); a record's page whose body is not yet rendered
# is the record with its relations, e.g. a source, its citations and one query per kind of cited
# record, or an organization with its counts, units, programmes, people, their careers,
# citations and partners; the overview's busiest organizations and areas are a GROUP BY and a
# load by id each (cheaper than a correlated count per row on 100k programmes).
PAGES = {
    "overview": (lambda w: reverse("programs:overview"), 12),
    "insights": (lambda w: reverse("programs:insights"), 7),
    "program list": (lambda w: reverse("programs:program-list"), 12),
    "program list, filtered": (
        lambda w: (
            reverse("programs:program-list")
            + f"?kind=award&sponsor={w['organization'].slug}&q=lab&start_year_min=2000&sort=newest&page=2"
        ),
        13,
    ),
    "organization list": (lambda w: reverse("programs:organization-list"), 5),
    "organization list by programmes": (lambda w: reverse("programs:organization-list") + "?sort=programs", 5),
    "person list": (lambda w: reverse("programs:person-list") + "?sector=academia", 7),
    "project list": (lambda w: reverse("programs:project-list"), 4),
    "source list": (lambda w: reverse("programs:source-list"), 4),
    "program detail": (lambda w: w["program"].get_absolute_url(), 13),
    "organization detail": (lambda w: w["organization"].get_absolute_url(), 7),
    "person detail": (lambda w: w["person"].get_absolute_url(), 5),
    "project detail": (lambda w: w["project"].get_absolute_url(), 3),
    "source detail": (lambda w: w["source"].get_absolute_url(), 12),
    # A feed: its entries, after the filters' slugs.
    "program feed": (lambda w: reverse("programs:program-feed") + f"?sponsor={w['organization'].slug}", 2),
    "organization feed": (lambda w: reverse("programs:organization-feed") + "?modified_since=2000-01-01", 1),
    "program list, modified since": (lambda w: reverse("programs:program-list") + "?modified_since=2000-01-01", 12),
    "open data": (lambda w: reverse("programs:data"), 0),
}


@pytest.mark.parametrize("n", SIZES)
def test_query_count_of_every_page_is_bounded(client, django_assert_max_num_queries, n):
    """One world per size (building it is the slow part), every page measured on its own."""
    world = build(n)
    for page, (url, bound) in PAGES.items():
        # Plus one: the data version, which the page cache reads first (programs.caching).
        with django_assert_max_num_queries(bound + 1, info=f"{page}, {n} related rows"):
            response = client.get(url(world))
        assert response.status_code == 200, page


@pytest.mark.parametrize("n", SIZES)
def test_export_query_count_is_bounded(client, django_assert_max_num_queries, n):
    build(n)
    # The data version, then one chunk: the rows, their participants and their research areas.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("programs:program-list") + "?format=csv")
        content = b"".join(response.streaming_content)
    assert content.count(b"\n") > n
