"""Drafts never leak through the API: not in a list, not nested in a published record, not in the schema."""

import pytest

from programs import models
from tests.helpers import SECRET, SECRET_EN

pytestmark = pytest.mark.django_db

# Each list and the model it lists.
LISTS = {
    "programs": models.Program,
    "organizations": models.Organization,
    "people": models.Person,
    "projects": models.Project,
    "editions": models.Edition,
    "research-areas": models.ResearchArea,
    "sources": models.Source,
}


def leaks(response) -> bool:
    text = response.content.decode()
    return SECRET in text or SECRET_EN in text


def test_no_answer_of_the_api_contains_a_draft(client, drafts):
    seen = 0
    for name in LISTS:
        response = client.get(f"/api/{name}/", {"page_size": 100})
        assert response.status_code == 200
        assert not leaks(response), name
        for row in response.json()["results"]:
            detail = client.get(row["api_url"])
            assert detail.status_code == 200
            assert not leaks(detail), row["api_url"]
            seen += 1
    assert seen == sum(model.objects.published().count() for model in LISTS.values())  # every published record
    for url in ["/api/", "/api/schema/", "/api/schema/?lang=en", "/api/docs/"]:
        assert not leaks(client.get(url)), url


def test_a_draft_has_no_detail(client, drafts):
    for name in LISTS:
        response = client.get(f"/api/{name}/{drafts[name].slug}/")
        assert response.status_code == 404, name
        assert not leaks(response)
    assert client.get(f"/api/projects/{drafts['hidden_project'].slug}/").status_code == 404
    assert client.get(f"/api/programs/{drafts['hidden_child'].slug}/").status_code == 200  # shown, without its parent


def test_a_draft_cannot_be_used_as_a_filter(client, drafts):
    for url in [
        f"/api/programs/?sponsor={drafts['organizations'].slug}",
        f"/api/programs/?research_area={drafts['research-areas'].slug}",
        f"/api/people/?program={drafts['programs'].slug}",
        f"/api/editions/?program={drafts['programs'].slug}",
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert SECRET not in response.content.decode()
