"""Caches keyed on the data version: every write bumps it, so nothing cached is ever stale."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import models
from programs.serving.caching import data_version
from tests import factories as f

pytestmark = pytest.mark.django_db


def curated_tables() -> set[str]:
    """Every table of the app but simple-history's and the suggestions' (the public's proposals are
    not curated data, and must not move the version: tests/site/test_suggestions_no_leaks.py): the
    models' and their many-to-many tables."""
    tables = set()
    for model in apps.get_app_config("programs").get_models():
        if model.__name__.startswith("Historical") or not model._meta.managed or model is models.Suggestion:
            continue
        tables.add(model._meta.db_table)
        tables.update(field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many)
    return tables


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE '%%_data_version'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%data_version%'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_curated_table_bumps_the_data_version():
    assert curated_tables() == triggered_tables()


WRITES = {
    "create": lambda: f.ProgramFactory(),
    "update via the ORM": lambda: models.Program.objects.filter(pk=f.ProgramFactory().pk).update(name="改名"),
    "delete": lambda: f.CitationFactory().delete(),
    "link": lambda: f.ParticipationFactory(),
    "many-to-many": lambda: f.ProgramFactory().research_areas.add(f.ResearchAreaFactory()),
    "raw SQL": lambda: f.SourceFactory() and connection.cursor().execute("UPDATE programs_source SET title = title"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_writes_bump_the_version(write):
    before = data_version()
    write()
    assert data_version() > before


def test_pages_are_served_from_the_cache_until_a_write(client):
    program = f.ProgramFactory(name="第一个实验室")
    draft = f.ProgramFactory(name="未发布的实验室", status=models.Status.DRAFT)
    url = reverse("programs:program-list")

    first = client.get(url)
    assert "第一个实验室" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 1  # the data version
    assert second.content == first.content

    draft.status = models.Status.PUBLISHED
    draft.save()
    assert "未发布的实验室" in client.get(url).content.decode()

    models.Program.objects.filter(pk=program.pk).update(status=models.Status.DRAFT)
    assert "第一个实验室" not in client.get(url).content.decode()


def test_each_language_and_query_is_cached_apart(client):
    f.ProgramFactory(name="量子联合实验室", name_en="Quantum Joint Lab")
    url = reverse("programs:program-list")
    assert "量子联合实验室" in client.get(url).content.decode()
    assert "Quantum Joint Lab" in client.get("/en" + url).content.decode()
    assert "量子联合实验室" not in client.get(url + "?q=nothing-matches").content.decode()


def test_visitors_with_a_session_admin_and_exports_are_not_cached(client, admin_client):
    f.ProgramFactory()
    url = reverse("programs:program-list")
    client.get(url)
    assert not client.get(url).templates  # an anonymous visitor's second view is the cached page
    admin_client.get(url)
    assert admin_client.get(url).templates  # rendered again

    b"".join(client.get(url + "?format=csv").streaming_content)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + "?format=csv")
        assert response.streaming
        b"".join(response.streaming_content)
    assert len(queries) > 1


def test_health_check_is_constant_and_reads_no_data(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert len(queries) == 0


def test_pages_for_different_hosts_are_cached_apart(client, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    f.ProgramFactory()
    first = client.get("/sitemap-programs.xml", HTTP_HOST="one.example").content.decode()
    second = client.get("/sitemap-programs.xml", HTTP_HOST="two.example").content.decode()
    assert "http://one.example/" in first
    assert "http://two.example/" in second and "one.example" not in second


def test_api_answers_are_cached_until_a_write(client):
    program = f.ProgramFactory(name="第一个实验室")
    url = reverse("api:program-list")
    assert client.get(url).json()["count"] == 1
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()["count"] == 1
    assert len(queries) == 1  # the data version
    f.ProgramFactory()
    assert client.get(url).json()["count"] == 2
    models.Program.objects.filter(pk=program.pk).update(status=models.Status.DRAFT)
    assert client.get(url).json()["count"] == 1
    assert client.get(url, {"kind": "spaceship"}).status_code == 400


def test_invalid_filters_never_share_a_count_or_rows_with_valid_ones(admin_client):
    f.ProgramFactory(name="青年科学家奖")
    url = reverse("programs:program-list")
    for bad in ({"sort": "bogus"}, {"start_year_min": "abc"}, {"kind": "nothing"}):
        assert "青年科学家奖" not in admin_client.get(url, bad).content.decode()
    page = admin_client.get(url).content.decode()
    assert "青年科学家奖" in page and "共 1 条结果" in page


def test_a_drafts_rendered_body_is_never_sent_to_visitors(client, admin_client):
    draft = f.ProgramFactory(name="未发布的实验室", status=models.Status.DRAFT)
    preview = admin_client.get(draft.get_absolute_url())
    assert "未发布的实验室" in preview.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
