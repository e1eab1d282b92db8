"""Caches keyed on the data version: every write bumps it, so nothing cached is ever stale."""

import re
from unittest import mock

import pytest
from django.apps import apps
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import models
from programs.caching import CachedCountPaginator, data_version
from programs.filters import ProgramFilterSet
from tests import factories as f

pytestmark = pytest.mark.django_db


def curated_tables() -> set[str]:
    """Every table of the app but simple-history's: the models' and their many-to-many tables."""
    tables = set()
    for model in apps.get_app_config("programs").get_models():
        if model.__name__.startswith("Historical"):
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


def test_count_and_facets_are_computed_once_per_version(rf):
    f.ProgramFactory.create_batch(3)
    filterset = ProgramFilterSet({"kind": ["joint_lab"]}, queryset=models.Program.objects.published())
    first = filterset.facets()
    with CaptureQueriesContext(connection) as queries:
        again = ProgramFilterSet({"kind": ["joint_lab"]}, queryset=models.Program.objects.published()).facets()
    assert again == first
    assert len(queries) == 1  # the data version

    paginator = CachedCountPaginator(models.Program.objects.published().order_by("pk"), 2)
    assert paginator.count == 3
    with CaptureQueriesContext(connection) as queries:
        assert CachedCountPaginator(models.Program.objects.published().order_by("pk"), 2).count == 3
    assert len(queries) == 1
    f.ProgramFactory()
    assert CachedCountPaginator(models.Program.objects.published().order_by("pk"), 2).count == 4


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


def facet_labels(response) -> list[str]:
    """The facet values of a list page, as "label count"."""
    html = response.content.decode()
    aside = html[html.index('<aside class="filters"') : html.index("</aside>")]
    return re.findall(r'<label for="facet-[^"]+">([^<]+) <span class="count">(\d+)</span>', aside)


def test_facet_checkboxes_are_rendered_once_per_filters_and_never_stale(admin_client):
    # A signed-in curator bypasses the page cache: only the rendered facets are reused.
    f.ProgramFactory(kind=models.ProgramKind.AWARD)
    url = reverse("programs:program-list")
    first = facet_labels(admin_client.get(url))
    assert ("奖项", "1") in first
    with mock.patch("programs.views.render_to_string", wraps=render_to_string) as render:
        reordered = admin_client.get(url, {"sort": "newest", "page": "1"})
    assert facet_labels(reordered) == first
    render.assert_not_called()

    assert ("Award", "1") in facet_labels(admin_client.get("/en" + url))
    f.ProgramFactory(kind=models.ProgramKind.AWARD)
    assert ("奖项", "2") in facet_labels(admin_client.get(url))
    checked = admin_client.get(url, {"kind": "award"}).content.decode()
    assert 'value="award" checked' in checked


def test_programme_rows_are_rendered_once_per_version(admin_client):
    award = f.ProgramFactory(name="青年科学家奖", name_en="Young Scientist Award", kind=models.ProgramKind.AWARD)
    f.ParticipationFactory(program=award, role=models.ParticipationRole.SPONSOR, organization__name="甲公司")
    url = reverse("programs:program-list")
    assert "甲公司" in admin_client.get(url).content.decode()
    with (
        mock.patch("programs.rows.render_to_string", wraps=render_to_string) as render,
        CaptureQueriesContext(connection) as queries,
    ):
        page = admin_client.get(url, {"sort": "newest"}).content.decode()
    render.assert_not_called()
    assert "青年科学家奖" in page and "甲公司" in page
    assert not any("programs_participation" in query["sql"] for query in queries)  # rows not loaded again

    models.Organization.objects.filter(name="甲公司").update(name="乙公司")
    page = admin_client.get(url, {"sort": "newest"}).content.decode()
    assert "乙公司" in page and "甲公司" not in page
    assert "Young Scientist Award" not in page  # the Chinese row; the English one is cached apart
    assert "Young Scientist Award" in admin_client.get("/en" + url).content.decode()


def test_record_pages_render_their_body_once_per_version(admin_client):
    sponsor = f.OrganizationFactory(name="甲公司")
    award = f.ProgramFactory(name="青年科学家奖")
    f.ParticipationFactory(organization=sponsor, program=award, role=models.ParticipationRole.SPONSOR)
    f.AffiliationFactory(organization=sponsor, person__name="张三")
    for record, shown in ((sponsor, ("青年科学家奖", "张三")), (award, ("甲公司",))):
        url = record.get_absolute_url()
        page = admin_client.get(url).content.decode()
        assert all(text in page for text in shown)
        with CaptureQueriesContext(connection) as queries:
            again = admin_client.get(url).content.decode()
        assert again == page
        assert not any(table in query["sql"] for query in queries for table in ("participation", "affiliation"))

    f.ParticipationFactory(organization=sponsor, program__name="联合实验室", role=models.ParticipationRole.SPONSOR)
    page = admin_client.get(sponsor.get_absolute_url()).content.decode()
    assert "联合实验室" in page and "共 2 个项目。" in page


def test_insights_charts_are_drawn_once_per_version(admin_client):
    f.ParticipationFactory(organization__name="甲公司", role=models.ParticipationRole.SPONSOR)
    url = reverse("programs:insights")
    page = admin_client.get(url).content.decode()
    assert "甲公司" in page
    with mock.patch("programs.views.render_to_string", wraps=render_to_string) as render:
        assert admin_client.get(url).content.decode() == page
    render.assert_not_called()

    f.ParticipationFactory(organization__name="乙公司", role=models.ParticipationRole.SPONSOR)
    assert "乙公司" in admin_client.get(url).content.decode()


def test_invalid_filters_never_share_a_count_or_rows_with_valid_ones(admin_client):
    f.ProgramFactory(name="青年科学家奖")
    url = reverse("programs:program-list")
    for bad in ({"sort": "bogus"}, {"start_year_min": "abc"}, {"kind": "nothing"}):
        assert "青年科学家奖" not in admin_client.get(url, bad).content.decode()
    page = admin_client.get(url).content.decode()
    assert "青年科学家奖" in page and "共 1 条结果" in page


def employed(name, organization):
    return f.AffiliationFactory(person__name=name, organization__name=organization)


@pytest.mark.parametrize(
    ("url_name", "make", "shown", "other_order"),
    [
        ("programs:organization-list", lambda: f.OrganizationFactory(name="甲大学"), "甲大学", "newest"),
        ("programs:person-list", lambda: employed("张三", "乙公司"), "乙公司", "newest"),
        ("programs:project-list", lambda: f.ProjectFactory(title="丙项目"), "丙项目", "newest"),
        ("programs:source-list", lambda: f.SourceFactory(title="丁文章"), "丁文章", "name"),
    ],
)
def test_every_list_renders_a_row_once_per_version(admin_client, url_name, make, shown, other_order):
    make()
    url = reverse(url_name)
    assert shown in admin_client.get(url).content.decode()
    with mock.patch("programs.rows.render_to_string", wraps=render_to_string) as render:
        assert shown in admin_client.get(url, {"sort": other_order}).content.decode()
    render.assert_not_called()


def test_a_drafts_rendered_body_is_never_sent_to_visitors(client, admin_client):
    draft = f.ProgramFactory(name="未发布的实验室", status=models.Status.DRAFT)
    preview = admin_client.get(draft.get_absolute_url())
    assert "未发布的实验室" in preview.content.decode()  # its body is now cached
    assert client.get(draft.get_absolute_url()).status_code == 404
