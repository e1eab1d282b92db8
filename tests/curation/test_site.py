"""The admin site's curation tools: served under /admin/, shown and opened only by those they admit."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from programs.curation.site import CurationSite

pytestmark = pytest.mark.django_db

TOOLS = {
    "data_check": "/en/admin/check/",
    "fixture_import": "/en/admin/import/",
    "match_names": "/en/admin/match-names/",
}


def header_links(client) -> set[str]:
    page = client.get("/en/admin/").content.decode()
    header = page.split('<nav class="curation-tools"', 1)[1].split("</nav>", 1)[0] if "curation-tools" in page else ""
    return {url for url in TOOLS.values() if f'href="{url}"' in header}


def test_the_default_site_is_the_curation_site_with_every_tool():
    assert isinstance(admin.site, CurationSite)
    assert {tool.name for tool in admin.site.tools} == set(TOOLS)
    with translation.override("en"):
        for name, url in TOOLS.items():
            assert reverse(f"admin:{name}") == url


def test_an_editor_sees_and_opens_every_tool(editor_client):
    assert header_links(editor_client) == set(TOOLS.values())
    for url in TOOLS.values():
        assert editor_client.get(url).status_code == 200


def test_a_curator_is_not_offered_the_import_and_may_not_open_it(curator_client):
    assert header_links(curator_client) == {TOOLS["data_check"], TOOLS["match_names"]}
    assert curator_client.get(TOOLS["fixture_import"]).status_code == 403


def test_staff_without_a_role_see_no_tool_and_open_none(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(user)
    assert header_links(client) == set()
    for url in TOOLS.values():
        assert client.get(url).status_code == 403


def test_the_anonymous_are_sent_to_the_sign_in(client):
    for url in TOOLS.values():
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
