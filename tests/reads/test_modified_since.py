"""`modified_since` on every list, export and API list, and the API's cursor walk in modification order."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from programs import models
from tests import factories as f
from tests.helpers import read_only

pytestmark = pytest.mark.django_db

FACTORIES = {
    "programs": f.ProgramFactory,
    "organizations": f.OrganizationFactory,
    "people": f.PersonFactory,
    "projects": f.ProjectFactory,
    "sources": f.SourceFactory,
    "editions": f.EditionFactory,
    "research-areas": f.ResearchAreaFactory,
}
PAGES = {
    "programs": "program",
    "organizations": "organization",
    "people": "person",
    "projects": "project",
    "sources": "source",
}
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def stamp(record, moment):
    type(record).objects.filter(pk=record.pk).update(updated_at=moment)


def dated_records() -> dict:
    """For each API list: a record changed on 2025-01-01 at 10:00 in Shanghai, and one a day before."""
    found = {}
    for name, factory in FACTORIES.items():
        old, new = factory(), factory()
        stamp(old, datetime.datetime(2024, 12, 31, 10, tzinfo=SHANGHAI))
        stamp(new, datetime.datetime(2025, 1, 1, 10, tzinfo=SHANGHAI))
        found[name] = (old, new)
    return found


dated = read_only(dated_records)  # the tests only read these (one walks records of its own beside them)


@pytest.mark.parametrize("name", FACTORIES)
@pytest.mark.parametrize(
    ("value", "both"),
    [
        ("2025-01-01", False),  # a date: its midnight in the site's time zone (Asia/Shanghai)
        ("2025-01-01T09:59", False),  # naive: the site's time zone
        ("2025-01-01T10:00:00+08:00", False),  # at or after
        ("2025-01-01T02:00:01Z", True),  # 10:00:01 in Shanghai
        ("2024-12-31T02:00:00+00:00", False),
        ("2024-12-31", False),
    ],
)
def test_api_lists_keep_records_modified_since(client, dated, name, value, both):
    old, new = dated[name]
    found = client.get(f"/api/{name}/", {"modified_since": value, "page_size": 100}).json()["results"]
    slugs = {row["slug"] for row in found} & {old.slug, new.slug}  # other factories' records are of today
    expected = {new.slug} if value >= "2025" else {old.slug, new.slug}
    assert slugs == (set() if both else expected)


@pytest.mark.parametrize("name", PAGES)
def test_pages_and_exports_keep_records_modified_since(client, dated, name):
    old, new = dated[name]
    url = reverse(f"programs:{PAGES[name]}-list")
    export = b"".join(client.get(url, {"modified_since": "2025-01-01", "format": "csv"}).streaming_content).decode()
    assert new.slug in export and old.slug not in export
    page = client.get(url, {"modified_since": "2025-01-01"}).content.decode()
    assert new.get_absolute_url() in page and old.get_absolute_url() not in page


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2025-13-01",
        "2025-02-30",
        "2025-01-01T24:30",
        "1",
        "2025-01-01T10:00+25:00",
        "9999-12-31T23:00-05:00",
    ],
)
def test_a_malformed_modified_since_is_a_400_naming_it(client, dated, value):
    response = client.get("/api/programs/", {"modified_since": value})
    assert response.status_code == 400
    assert list(response.json()) == ["modified_since"]
    export = client.get(reverse("programs:program-list"), {"modified_since": value, "format": "json"})
    assert export.status_code == 400
    page = client.get("/en" + reverse("programs:program-list"), {"modified_since": value}).content.decode()
    assert "Modified since: Give an ISO 8601 date or date-time" in page


def test_an_offset_the_database_cannot_store_is_read_as_utc(client, dated):
    # +23:56 is valid ISO 8601 but beyond PostgreSQL's offsets.
    response = client.get("/api/programs/", {"modified_since": "2025-01-01T09:56:00+23:56"})
    assert response.status_code == 200
    assert dated["programs"][1].slug in {row["slug"] for row in response.json()["results"]}


def cursor_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["cursor"][0]


def test_a_cursor_walk_gives_every_record_once_in_modification_order(client, db):
    programs = [f.ProgramFactory() for _ in range(7)]
    f.ProgramFactory(status=models.Status.DRAFT)
    moment = timezone.now()
    for program in programs[:4]:
        stamp(program, moment)  # ties are broken by id
    seen, url = [], "/api/programs/?cursor=*&page_size=3"
    while url:
        body = client.get(url).json()
        assert set(body) == {"next", "results"}
        seen += [(row["updated_at"], row["slug"]) for row in body["results"]]
        url = body["next"]
    expected = sorted(models.Program.objects.published().values_list("updated_at", "pk", "slug"))
    assert [slug for _, slug in seen] == [slug for _, _, slug in expected]


def test_a_cursor_walk_keeps_the_filters(client, dated):
    old, new = dated["programs"]
    body = client.get("/api/programs/", {"cursor": "*", "modified_since": "2025-01-01", "page_size": 1}).json()
    assert [row["slug"] for row in body["results"]] == [new.slug]
    slugs = []
    while body["next"]:
        assert "modified_since=2025-01-01" in body["next"]
        body = client.get(body["next"]).json()
        slugs += [row["slug"] for row in body["results"]]
    assert old.slug not in slugs and new.slug not in slugs
    assert len(slugs) == models.Program.objects.published().count() - 2


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"cursor": "*", "page": "2"}, "page"),
        ({"cursor": "*", "sort": "name"}, "sort"),
        ({"cursor": "forged"}, "cursor"),
        (
            {"cursor": signing.dumps(["2025-01-01T00:00:00+00:00", 1], salt="programs.api.cursor:programs.person")},
            "cursor",
        ),
    ],
)
def test_a_bad_cursor_walk_is_a_400_naming_the_parameter(client, dated, query, parameter):
    response = client.get("/api/programs/", query)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_a_tampered_list_cursor_is_a_400(client, dated):
    cursor = cursor_of(client.get("/api/programs/", {"cursor": "*", "page_size": 1}).json()["next"])
    value, _, signature = cursor.rpartition(":")
    assert client.get("/api/programs/", {"cursor": f"{value}:{signature}"}).status_code == 200
    for forged in (f"{value}:{signature[::-1]}", f"{value[1:]}:{signature}"):
        response = client.get("/api/programs/", {"cursor": forged})
        assert response.status_code == 400
        assert list(response.json()) == ["cursor"]
