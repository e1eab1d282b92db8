"""Drafts never leak through the API: not in a list, not nested in a published record, not in the schema."""

import pytest
from django.core.cache import cache

from programs import models
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "机密草稿Xq7"  # in every draft's name, and in every quote that cites a draft
DRAFT = models.Status.DRAFT
LISTS = ["programs", "organizations", "people", "projects", "editions", "research-areas", "sources"]


@pytest.fixture
def catalogue(db):
    """Published records, each linked to drafts of every kind, and the drafts themselves."""
    cache.clear()
    org = f.OrganizationFactory(slug="published-org")
    program = f.ProgramFactory(slug="published-program", parent=f.ProgramFactory(name=f"{SECRET}父", status=DRAFT))
    person = f.PersonFactory(slug="published-person")
    source = f.SourceFactory(slug="published-source")
    area = f.ResearchAreaFactory(slug="published-area")
    program.research_areas.add(area)
    f.ParticipationFactory(program=program, organization=org)
    f.AffiliationFactory(person=person, organization=org)
    f.InvolvementFactory(person=person, program=program)
    project = f.ProjectFactory(slug="published-project", program=program)
    f.ProjectMemberFactory(project=project, person=person)
    edition = f.EditionFactory(program=program, slug="published-edition")

    drafts = {
        "programs": f.ProgramFactory(name=f"{SECRET}项目", name_en=SECRET, status=DRAFT, parent=program),
        "organizations": f.OrganizationFactory(name=f"{SECRET}机构", status=DRAFT, parent=org),
        "people": f.PersonFactory(name=f"{SECRET}人", status=DRAFT),
        "projects": f.ProjectFactory(title=f"{SECRET}课题", status=DRAFT, program=program),
        "research-areas": f.ResearchAreaFactory(name=f"{SECRET}领域", status=DRAFT),
        "sources": f.SourceFactory(title=f"{SECRET}文章", status=DRAFT),
    }
    # Links from published records to drafts.
    program.research_areas.add(drafts["research-areas"])
    f.ParticipationFactory(program=program, organization=drafts["organizations"], role="partner")
    f.ParticipationFactory(program=drafts["programs"], organization=org)
    f.AffiliationFactory(person=person, organization=drafts["organizations"], title=SECRET)
    f.AffiliationFactory(person=drafts["people"], organization=org)
    f.InvolvementFactory(person=drafts["people"], program=program, edition=edition)
    f.InvolvementFactory(person=person, program=drafts["programs"])
    f.ProjectMemberFactory(project=project, person=drafts["people"], organization=org)
    f.ProjectMemberFactory(project=drafts["projects"], person=person)
    f.ProjectMemberFactory(
        project=f.ProjectFactory(slug="another-project", program=program),
        person=person,
        organization=drafts["organizations"],
    )
    f.OrganizationFactory(slug="unit-of-a-draft", parent=drafts["organizations"])
    # A published project and an edition of a draft programme are hidden with it.
    hidden_project = f.ProjectFactory(title=f"{SECRET}子课题", program=drafts["programs"])
    hidden_edition = f.EditionFactory(program=drafts["programs"], label=SECRET, slug="edition-of-a-draft")
    # Citations: a draft source citing published records, published sources citing drafts.
    f.CitationFactory(record=program, source=drafts["sources"], quote=f"{SECRET}引文")
    for record in drafts.values():
        if not isinstance(record, models.Source):
            f.CitationFactory(record=record, source=source, quote=f"{SECRET}引文")
    f.CitationFactory(record=models.Participation.objects.get(program=drafts["programs"]), source=source, quote=SECRET)
    f.CitationFactory(record=hidden_edition, source=source, quote=SECRET)
    return {"drafts": {**drafts, "editions": hidden_edition}, "hidden_project": hidden_project}


def test_no_answer_of_the_api_contains_a_draft(client, catalogue):
    seen = 0
    for name in LISTS:
        response = client.get(f"/api/{name}/", {"page_size": 100})
        assert response.status_code == 200
        assert SECRET not in response.content.decode(), name
        for row in response.json()["results"]:
            detail = client.get(row["api_url"])
            assert detail.status_code == 200
            assert SECRET not in detail.content.decode(), row["api_url"]
            seen += 1
    assert seen == 9  # every published record of the catalogue
    for url in ["/api/", "/api/schema/", "/api/schema/?lang=en", "/api/docs/"]:
        assert SECRET not in client.get(url).content.decode(), url


def test_a_draft_has_no_detail(client, catalogue):
    for name, draft in catalogue["drafts"].items():
        response = client.get(f"/api/{name}/{draft.slug}/")
        assert response.status_code == 404, name
        assert SECRET not in response.content.decode()
    assert client.get(f"/api/projects/{catalogue['hidden_project'].slug}/").status_code == 404


def test_a_draft_cannot_be_used_as_a_filter(client, catalogue):
    drafts = catalogue["drafts"]
    for url in [
        f"/api/programs/?sponsor={drafts['organizations'].slug}",
        f"/api/programs/?research_area={drafts['research-areas'].slug}",
        f"/api/people/?program={drafts['programs'].slug}",
        f"/api/editions/?program={drafts['programs'].slug}",
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert SECRET not in response.content.decode()
