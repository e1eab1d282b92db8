"""Every public answer of the site, written to a folder: `diff -r` of two such folders says whether two
databases serve the same site (a restored backup and its original, say).

The answers are the ones a visitor gets, through the whole request stack with no cache: the
overview, insights and open-data pages, every list (its first page, its CSV and JSON download, its
feed) and every published record's page, in both languages; every partnership's page; the
sitemaps; the API's lists walked page by page, every record's detail, every partnership, and the
changes feed. One file per answer, at its address (`programs/index?format=csv`), and `INDEX` with
each address's status and content type. The changes feed's `next` cursor is signed with the
moment it was given, so its value is written as `cursor=…`.
"""

import json
import re
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

from django.test import Client, override_settings
from django.urls import reverse
from django.utils.translation import override

from programs.models import Edition, Organization, Participation, Person, Program, Project, ResearchArea, Source
from programs.reads.partnerships import partnership_url
from programs.site.sitemaps import SITEMAPS

LANGUAGES = ("zh-hans", "en")
LISTS = ("program", "organization", "person", "project", "source")
RECORDS = {"program": Program, "organization": Organization, "person": Person, "project": Project, "source": Source}
API_RECORDS = {
    "programs": Program,
    "organizations": Organization,
    "people": Person,
    "projects": Project,
    "editions": Edition,
    "research-areas": ResearchArea,
    "sources": Source,
}
API_PAGE_SIZE = 100
SIGNED_CURSOR = re.compile(rb"cursor=[^\"&\s]+")
# No cache of any kind: every answer computed from the database (and no API rate limit counts).
UNCACHED = {
    "APP_CACHES": False,
    "STALE_SECONDS": 0,
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
}


def unsigned(text: bytes) -> bytes:
    """`text` with each signed cursor's value replaced by `…` (it holds the moment it was signed)."""
    return SIGNED_CURSOR.sub("cursor=…".encode(), text)


def site_addresses() -> Iterator[str]:
    """The public pages' addresses, in both languages."""
    for language in LANGUAGES:
        with override(language):
            yield from (reverse(f"programs:{name}") for name in ("overview", "insights", "data"))
            for name in LISTS:
                listed = reverse(f"programs:{name}-list")
                yield from (listed, f"{listed}?format=csv", f"{listed}?format=json", reverse(f"programs:{name}-feed"))
                for slug in published_slugs(RECORDS[name]):
                    yield reverse(f"programs:{name}-detail", kwargs={"slug": slug})
            yield from (partnership_url(*pair) for pair in partnerships())
    yield from ("/sitemap.xml", *(f"/sitemap-{section}.xml" for section in SITEMAPS))


def partnerships() -> list[tuple[str, str]]:
    """Every pair of published organizations that share a published programme, as slugs."""
    sides: dict[int, set[str]] = {}
    links = Participation.objects.published()
    for program, slug in links.values_list("program_id", "organization__slug"):
        sides.setdefault(program, set()).add(slug)
    return sorted({pair for slugs in sides.values() for pair in combinations(sorted(slugs), 2)})


def api_details() -> Iterator[str]:
    for name, model in API_RECORDS.items():
        yield from (f"/api/{name}/{slug}/" for slug in published_slugs(model))
    yield from (f"/api/partnerships/{first}/{second}/" for first, second in partnerships())


def published_slugs(model) -> list[str]:
    return list(model.objects.published().order_by("slug").values_list("slug", flat=True))


class Snapshot:
    """Writes the answers to `folder` (which must be empty or absent), one file per address."""

    def __init__(self, folder: Path, host: str):
        self.folder = folder
        self.client = Client(HTTP_HOST=host)
        self.index: list[str] = []

    def write_all(self) -> int:
        """Every answer written; how many."""
        with override_settings(**UNCACHED):
            for address in site_addresses():
                self.get(address)
            for name in API_RECORDS:
                self.walk(f"/api/{name}/?page_size={API_PAGE_SIZE}")
            for address in api_details():
                self.get(address)
            for language in LANGUAGES:
                self.walk("/api/changes/?page_size=500", HTTP_ACCEPT_LANGUAGE=language)
        (self.folder / "INDEX").write_text("\n".join(self.index) + "\n", encoding="utf-8")
        return len(self.index)

    def walk(self, address: str, **headers) -> None:
        """An API list, page after page (its `next` links, while the changes feed `has_more`)."""
        while address:
            answer = json.loads(self.get(address, **headers) or b"{}")
            following = answer.get("next") if answer.get("has_more", True) else None
            address = None
            if following:
                parts = urlsplit(following)
                address = f"{parts.path}?{parts.query}"

    def get(self, address: str, **headers) -> bytes:
        response = self.client.get(address, secure=True, **headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        language = headers.get("HTTP_ACCEPT_LANGUAGE", "")
        shown = unsigned(address.encode()).decode()
        path = self.path_of(shown, language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(unsigned(body))
        self.index.append(f"{response.status_code} {response.get('Content-Type', '')} {shown} {language}".rstrip())
        return body

    def path_of(self, address: str, language: str) -> Path:
        path, _, query = address.partition("?")
        name = "index" + (f"?{query}" if query else "") + (f"@{language}" if language else "")
        return self.folder.joinpath(*[part for part in path.split("/") if part], name)
