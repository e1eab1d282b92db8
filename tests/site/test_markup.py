"""Markup that a strict Content-Security-Policy (no 'unsafe-inline') and a phone can live with."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(catalogue):
    pages = ["/", "/insights/", "/programs/?kind=bogus", "/no-such-page/"]
    pages += [reverse(f"programs:{name}") for name in ("program-list", "organization-list", "person-list")]
    pages += [reverse("programs:project-list"), reverse("programs:source-list")]
    pages += [catalogue[name].get_absolute_url() for name in ("lab", "tencent", "person", "project", "source")]
    return pages + ["/en" + page for page in pages]


def test_no_inline_script_style_or_handler_and_nothing_external(client, urls):
    for url in urls:
        page = client.get(url).content.decode()
        # A JSON-LD data block is data, not code: no browser runs it.
        assert re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", page) is None, url
        assert re.search(r"\sstyle=", page) is None, url
        assert re.search(r"<style", page) is None, url
        assert re.search(r"\son[a-z]+=", page) is None, url
        assert re.search(r'(?:src|href)="(?:https?:)?//', page.split("<main", 1)[0]) is None, url


def test_every_page_has_a_title_description_landmarks_and_one_h1(client, urls):
    for url in urls:
        page = client.get(url).content.decode()
        assert re.search(r"<title>[^<]+</title>", page), url
        assert '<meta name="description" content="' in page, url
        assert "<main" in page and "<header" in page and "<nav" in page and "<footer" in page, url
        assert page.count("<h1") == 1, url


def test_not_found_page_is_translated(client):
    response = client.get("/en/programs/no-such-programme/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "找不到页面" in client.get("/programs/no-such-programme/").content.decode()
