"""No draft leaks: a crawler walks every public URL and finds no trace of any unpublished record."""

import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.helpers import SECRET, SECRET_EN, crawl, start_urls

pytestmark = pytest.mark.django_db


def test_no_public_url_shows_a_draft(client, catalogue, drafts):
    pages = crawl(client, start_urls(catalogue))
    assert len(pages) > 40  # the crawl reached the whole site, not one page
    assert catalogue["lab"].get_absolute_url() in pages
    assert "/en" + catalogue["person"].get_absolute_url() in pages
    leaks = {
        url: SECRET if SECRET in text else SECRET_EN
        for url, text in pages.items()
        if SECRET in text or SECRET_EN in text
    }
    assert leaks == {}


@pytest.mark.parametrize("name", ["program", "organization", "person", "project", "source"])
def test_searching_for_a_draft_finds_nothing(client, drafts, name):
    for words in (SECRET, SECRET_EN.lower()):
        response = client.get(reverse(f"programs:{name}-list"), {"q": words, "format": "json"})
        assert response.status_code == 200
        assert json.loads(b"".join(response.streaming_content)) == []


def test_staff_preview_of_a_draft_is_not_cached_for_the_public(client, admin_client, drafts):
    hidden = drafts["programs"]
    preview = admin_client.get(hidden.get_absolute_url())
    assert preview.status_code == 200 and SECRET in preview.content.decode()
    assert "no-cache" in preview["Cache-Control"]
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_sitemap_lists_published_pages_in_both_languages(client, catalogue, drafts):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-programs.xml" in index
    programs = client.get("/sitemap-programs.xml").content.decode()
    url = catalogue["lab"].get_absolute_url()
    assert f"{url}</loc>" in programs
    assert f'hreflang="en" href="http://testserver/en{url}"' in programs
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


# Model name: the key of its draft in the `drafts` fixture.
DRAFT_KINDS = {
    "program": "programs",
    "organization": "organizations",
    "person": "people",
    "project": "projects",
    "source": "sources",
}


@pytest.mark.parametrize("name", DRAFT_KINDS)
def test_only_who_may_change_a_record_previews_its_draft(client, django_user_model, curator, drafts, name):
    url = drafts[DRAFT_KINDS[name]].get_absolute_url()
    # Staff, and free to change another kind of record: not this one.
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="change_person" if name != "person" else "change_program")
    )
    allowed = django_user_model.objects.create_user("may-change")
    allowed.user_permissions.add(Permission.objects.get(codename=f"change_{name}"))

    assert client.get(url).status_code == 404
    for user, status in [(staff, 404), (allowed, 200), (curator, 200)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert "no-cache" in response["Cache-Control"]
        client.logout()


def test_no_public_url_release_or_export_shows_a_sources_text(client, catalogue, tmp_path):
    """A source's full text (the article workspace's) is for curators only."""
    from django.core.management import call_command

    secret = f"{SECRET}全文"
    source = catalogue["source"]
    source.text = f"{secret}：这篇文章的全文。"
    source.save()
    urls = [*start_urls(catalogue), f"/api/sources/{source.slug}/", "/api/changes/", f"/en/sources/{source.slug}/"]
    pages = crawl(client, urls)
    assert source.get_absolute_url() in pages
    assert [url for url, text in pages.items() if secret in text] == []
    call_command("export_release", str(tmp_path / "release"), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("export_fixtures", str(tmp_path / "fixtures"), stdout=io.StringIO())
    written = [path for path in tmp_path.rglob("*") if path.is_file() and secret in path.read_text(errors="ignore")]
    assert written == []
