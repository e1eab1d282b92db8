"""The public REST API: every endpoint, its nested summaries, pagination, errors, caching and throttling."""

import json

import pytest
from django.core.cache import cache

from programs import models
from programs.api.pagination import MAX_PAGE_SIZE
from programs.reads.filters import MAX_QUERY_LENGTH
from tests import factories as f

pytestmark = pytest.mark.django_db

ENDPOINTS = ["programs", "organizations", "people", "projects", "editions", "research-areas", "sources"]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counts live in the default cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), url
    return response.json()


def slugs(body) -> list[str]:
    return [row["slug"] for row in body["results"]]


# Lists and details


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_list_answers_with_a_counted_page(client, catalogue, endpoint):
    body = get_json(client, f"/api/{endpoint}/")
    assert set(body) == {"count", "next", "previous", "results", "exact"} and body["exact"] is True
    assert body["count"] == len(body["results"]) > 0
    for row in body["results"]:
        assert row["api_url"].startswith("http://testserver/api/")
        assert get_json(client, row["api_url"])["slug"] == row["slug"]


def test_the_root_lists_the_endpoints(client):
    body = get_json(client, "/api/")
    assert set(body) == {endpoint.replace("-", "-") for endpoint in ENDPOINTS}


def test_program_detail_has_every_published_relation(client, catalogue):
    body = get_json(client, "/api/programs/tencent-tsinghua-lab/")
    assert body["name"] == "腾讯-清华大学联合实验室"
    assert body["name_en"] == "Tencent-Tsinghua Joint Lab"
    assert body["amount"] == "200000.00" and body["currency"] == "CNY" and body["amount_basis"] == "per_project"
    assert body["page_url"] == "http://testserver/programs/tencent-tsinghua-lab/"
    assert {(p["organization"]["slug"], p["role"]) for p in body["participants"]} == {
        ("tencent", "sponsor"),
        ("tsinghua", "host"),
    }
    assert body["participants"][0]["organization"].keys() == {"slug", "name", "name_en", "name_is_descriptive", "kind"}
    assert body["research_areas"] == [{"slug": "ai", "name": "人工智能", "name_en": "Artificial intelligence"}]
    assert body["parent"]["slug"] == "rhino-bird"
    assert [c["slug"] for c in body["children"]] == ["young-scholars"]
    [edition] = body["editions"]
    assert (edition["slug"], edition["year"], edition["label_en"], edition["recipient_count"]) == (
        "lab-2022",
        2022,
        "First round",
        10,
    )
    [person] = body["people"]
    assert (person["person"]["slug"], person["role"], person["edition"]["slug"]) == ("li-si", "lead", "lab-2022")
    [project] = body["projects"]
    assert (project["slug"], project["edition"]["slug"]) == ("llm-inference", "lab-2022")
    [citation] = body["citations"]
    assert citation["source"]["slug"] == "new-models"
    assert (citation["quote"], citation["quote_repaired"], citation["locator"]) == (
        "腾讯与清华大学宣布共建联合实验室。",
        False,
        "第一段",
    )


def test_organization_detail(client, catalogue):
    body = get_json(client, "/api/organizations/tsinghua/")
    assert body["program_count"] == 1
    assert [u["slug"] for u in body["units"]] == ["tsinghua-sz"]
    assert body["programs"] == [
        {
            "program": {
                "slug": "tencent-tsinghua-lab",
                "name": "腾讯-清华大学联合实验室",
                "name_en": "Tencent-Tsinghua Joint Lab",
                "name_is_descriptive": False,
                "kind": "joint_lab",
            },
            "role": "host",
        }
    ]
    [person] = body["people"]
    assert (person["person"]["slug"], person["title"], person["is_current"]) == ("li-si", "教授", True)
    unit = get_json(client, "/api/organizations/tsinghua-sz/")
    assert unit["parent"]["slug"] == "tsinghua"
    assert unit["country"] == "CN"


def test_person_detail(client, catalogue):
    body = get_json(client, "/api/people/li-si/")
    assert [(a["organization"]["slug"], a["start_year"]) for a in body["affiliations"]] == [
        ("tencent", 2012),
        ("tsinghua", 2019),
    ]
    [involvement] = body["involvements"]
    assert (involvement["program"]["slug"], involvement["role"], involvement["edition"]["slug"]) == (
        "tencent-tsinghua-lab",
        "lead",
        "lab-2022",
    )
    [project] = body["projects"]
    assert (project["project"]["slug"], project["program"]["slug"], project["organization"]["slug"]) == (
        "llm-inference",
        "tencent-tsinghua-lab",
        "tsinghua",
    )
    assert (body["citations"][0]["quote"], body["citations"][0]["quote_repaired"]) == ("李四教授牵头。", True)


def test_project_edition_area_and_source_details(client, catalogue):
    project = get_json(client, "/api/projects/llm-inference/")
    assert (project["program"]["slug"], project["edition"]["slug"]) == ("tencent-tsinghua-lab", "lab-2022")
    assert project["members"] == [
        {
            "person": {"slug": "li-si", "name": "李四", "name_en": "Li Si"},
            "role": "lead",
            "organization": {
                "slug": "tsinghua",
                "name": "清华大学",
                "name_en": "Tsinghua University",
                "name_is_descriptive": False,
                "kind": "university",
            },
        }
    ]
    edition = get_json(client, "/api/editions/lab-2022/")
    assert edition["program"]["slug"] == "tencent-tsinghua-lab"
    assert [p["person"]["slug"] for p in edition["people"]] == ["li-si"]
    assert [p["slug"] for p in edition["projects"]] == ["llm-inference"]
    assert edition["page_url"] == "http://testserver/programs/tencent-tsinghua-lab/#edition-lab-2022"
    area = get_json(client, "/api/research-areas/ai/")
    assert area["program_count"] == 1
    assert [p["slug"] for p in area["programs"]] == ["tencent-tsinghua-lab"]
    source = get_json(client, "/api/sources/new-models/")
    cited = {
        (c["record"]["type"], c["record"]["slug"], c["record"]["name_en"], c["quote_repaired"])
        for c in source["citations"]
    }
    assert cited == {
        ("program", "tencent-tsinghua-lab", "Tencent-Tsinghua Joint Lab", False),
        ("person", "li-si", "Li Si", True),
        ("edition", "lab-2022", "Tencent-Tsinghua Joint Lab · First round", False),
        ("participation", None, "Tencent · Sponsor · Tencent-Tsinghua Joint Lab", False),
    }
    # The source's page names each record as the API does, in each language.
    chinese = client.get("/sources/new-models/").content.decode()
    english = client.get("/en/sources/new-models/").content.decode()
    for citation in source["citations"]:
        assert f">{citation['record']['name']}</a>" in chinese
        assert f">{citation['record']['name_en']}</a>" in english
    assert "腾讯 · 出资方 · 腾讯-清华大学联合实验室" in chinese


def test_a_draft_parent_or_member_organization_is_hidden(client, catalogue):
    models.Program.objects.filter(slug="rhino-bird").update(status="draft")
    models.Organization.objects.filter(slug="tsinghua").update(status="draft")
    assert get_json(client, "/api/programs/tencent-tsinghua-lab/")["parent"] is None
    assert get_json(client, "/api/organizations/tsinghua-sz/")["parent"] is None
    assert get_json(client, "/api/projects/llm-inference/")["members"][0]["organization"] is None
    assert get_json(client, "/api/people/li-si/")["projects"][0]["organization"] is None


# Filters: the FilterSets of the pages, one test per filter of each list


FILTERS = [
    ("programs", "q=联合实验室", ["tencent-tsinghua-lab"]),
    ("programs", "q=joint lab", ["tencent-tsinghua-lab"]),
    ("programs", "kind=award", ["rhino-bird"]),
    ("programs", "kind=award&kind=joint_lab", ["rhino-bird", "tencent-tsinghua-lab", "young-scholars"]),
    ("programs", "lifecycle=ended", []),
    ("programs", "sponsor=tencent", ["rhino-bird", "tencent-tsinghua-lab"]),
    ("programs", "partner=tsinghua", ["tencent-tsinghua-lab"]),
    ("programs", "organization=tsinghua", ["tencent-tsinghua-lab"]),
    ("programs", "organization_kind=company", ["rhino-bird", "tencent-tsinghua-lab"]),
    ("programs", "country=CN", ["rhino-bird", "tencent-tsinghua-lab"]),
    ("programs", "research_area=ai", ["tencent-tsinghua-lab"]),
    ("programs", "start_year_min=2017&kind=joint_lab", ["tencent-tsinghua-lab", "young-scholars"]),
    ("programs", "start_year_max=2017", ["tencent-tsinghua-lab"]),
    ("organizations", "q=清华", ["tsinghua", "tsinghua-sz"]),
    ("organizations", "kind=company", ["tencent"]),
    ("organizations", "country=CN&kind=company", ["tencent"]),
    ("organizations", "program=tencent-tsinghua-lab", ["tencent", "tsinghua"]),
    ("people", "q=li si", ["li-si"]),
    ("people", "organization=tencent", ["li-si"]),
    ("people", "sector=industry", ["li-si"]),
    ("people", "program=tencent-tsinghua-lab", ["li-si"]),
    ("people", "role=mentor", []),
    ("projects", "q=推理", ["llm-inference"]),
    ("projects", "program=rhino-bird", []),
    ("projects", "year_min=2022&year_max=2022", ["llm-inference"]),
    ("editions", "program=tencent-tsinghua-lab", ["lab-2022"]),
    ("editions", "year_min=2023", []),
    ("editions", "year_max=2022", ["lab-2022"]),
    ("research-areas", "q=intelligence", ["ai"]),
    ("research-areas", "q=化学", []),
    ("sources", "q=新模式", ["new-models"]),
    ("sources", "language=en", []),
]


@pytest.mark.parametrize(("endpoint", "query", "expected"), FILTERS)
def test_each_filter(client, catalogue, endpoint, query, expected):
    body = get_json(client, f"/api/{endpoint}/?{query}")
    assert sorted(slugs(body)) == expected
    assert body["count"] == len(expected)


def test_sort_orders_follow_the_filterset(client, catalogue):
    f.ProgramFactory(slug="old", start_year=1990)
    by_year = slugs(get_json(client, "/api/programs/?sort=start_year"))
    assert by_year[0] == "old"
    assert slugs(get_json(client, "/api/programs/?sort=-start_year"))[-1] == "old"
    assert slugs(get_json(client, "/api/programs/?sort=newest"))[0] == "old"
    busiest = slugs(get_json(client, "/api/organizations/?sort=programs"))
    assert busiest[0] in {"tencent", "tsinghua"}
    f.EditionFactory(program=catalogue["award"], year=2030, slug="award-2030")
    assert slugs(get_json(client, "/api/editions/?sort=-year")) == ["award-2030", "lab-2022"]
    assert slugs(get_json(client, "/api/editions/?sort=year")) == ["lab-2022", "award-2030"]


# Pagination


def test_pages_link_to_each_other(client, db):
    for _ in range(7):
        f.ResearchAreaFactory()
    first = get_json(client, "/api/research-areas/?page_size=3")
    assert first["count"] == 7 and len(first["results"]) == 3 and first["previous"] is None
    second = get_json(client, first["next"])
    assert second["previous"] and len(second["results"]) == 3
    last = get_json(client, "/api/research-areas/?page_size=3&page=3")
    assert last["next"] is None and len(last["results"]) == 1


# Errors: JSON, 4xx, never 5xx

BAD_PARAMETERS = [
    ("programs", "kind=spaceship", "kind"),
    ("programs", "start_year_min=abc", "start_year_min"),
    ("programs", "start_year_max=99999", "start_year_max"),
    ("programs", "sponsor=no-such-org", "sponsor"),
    ("programs", "sponsor=%27%3B%20DROP%20TABLE%20programs_program%3B--", "sponsor"),
    ("programs", "research_area=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "research_area"),
    ("programs", "country=XX", "country"),
    ("programs", "sort=price", "sort"),
    ("programs", "q=" + "x" * (MAX_QUERY_LENGTH + 1), "q"),
    ("programs", "q=%00", "q"),
    ("programs", "page=0", "page"),
    ("programs", "page=-1", "page"),
    ("programs", "page=abc", "page"),
    ("programs", "page=99999999999999999999999999", "page"),
    ("programs", "page=2", "page"),
    ("programs", f"page_size={MAX_PAGE_SIZE + 1}", "page_size"),
    ("programs", "page_size=0", "page_size"),
    ("programs", "page_size=x", "page_size"),
    ("organizations", "kind=planet", "kind"),
    ("organizations", "program=%E2%80%94", "program"),
    ("people", "sector=space", "sector"),
    ("people", "role=king", "role"),
    ("projects", "year_min=1.5", "year_min"),
    ("editions", "program=no-such-programme", "program"),
    ("editions", "year_max=1800", "year_max"),
    ("research-areas", "sort=nonsense", "sort"),
    ("sources", "year=twenty", "year"),
    ("sources", "language=fr", "language"),
]


@pytest.mark.parametrize(("endpoint", "query", "parameter"), BAD_PARAMETERS)
def test_a_bad_parameter_is_a_400_naming_it(client, catalogue, endpoint, query, parameter):
    body = get_json(client, f"/api/{endpoint}/?{query}", status=400)
    assert list(body) == [parameter]
    assert all(isinstance(message, str) and message for message in body[parameter])


def test_a_search_of_the_longest_accepted_length_is_fine(client, catalogue):
    get_json(client, "/api/programs/?q=" + "联" * MAX_QUERY_LENGTH)


def test_unknown_detail_and_address_are_json_404s(client, catalogue):
    assert "detail" in get_json(client, "/api/programs/no-such-programme/", status=404)
    assert "detail" in get_json(client, "/api/programs/%E2%80%94/", status=404)
    assert "detail" in get_json(client, "/api/nothing-here/", status=404)


def test_details_ignore_list_parameters(client, catalogue):
    get_json(client, "/api/programs/tencent-tsinghua-lab/?kind=spaceship&page=abc")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/programs/", "/api/programs/tencent-tsinghua-lab/", "/api/schema/"])
def test_writes_are_not_allowed(client, catalogue, method, url):
    response = getattr(client, method)(url, data={"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert "detail" in response.content.decode()
    assert "GET" in response["Allow"]
    assert models.Program.objects.filter(name="x").count() == 0


def test_errors_follow_the_requested_language(client, catalogue):
    chinese = get_json(client, "/api/programs/?kind=spaceship", status=400)
    english = get_json(client, "/api/programs/?kind=spaceship", status=400, HTTP_ACCEPT_LANGUAGE="en")
    assert "spaceship" in english["kind"][0] and english["kind"][0].startswith("Select a valid choice")
    assert chinese != english


# Caching headers


def test_every_get_has_an_etag_and_may_be_cached(client, catalogue):
    for url in ["/api/programs/", "/api/programs/tencent-tsinghua-lab/", "/api/schema/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["ETag"]
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_if_none_match_gives_304_until_the_record_changes(client, catalogue):
    url = "/api/programs/tencent-tsinghua-lab/"
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    catalogue["lab"].name_en = "Renamed Lab"
    catalogue["lab"].save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_errors_are_not_cached_publicly(client, catalogue):
    response = client.get("/api/programs/?kind=spaceship")
    assert "public" not in response.get("Cache-Control", "")


# Throttling


def test_the_throttle_answers_429_past_the_rate(client, catalogue, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute"},
    }
    for _ in range(3):
        get_json(client, "/api/programs/")
    body = get_json(client, "/api/programs/", status=429)
    assert "detail" in body
    response = client.get("/api/sources/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_the_throttle_counts_each_address(client, catalogue, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": None}}
    get_json(client, "/api/programs/", REMOTE_ADDR="10.0.0.1")
    get_json(client, "/api/programs/", status=429, REMOTE_ADDR="10.0.0.1")
    get_json(client, "/api/programs/", REMOTE_ADDR="10.0.0.2")


# Schema and docs


def test_the_schema_documents_every_endpoint_filter_and_enum(client, catalogue):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    paths = schema["paths"]
    for endpoint in ENDPOINTS:
        assert f"/api/{endpoint}/" in paths
        assert f"/api/{endpoint}/{{slug}}/" in paths
        assert set(paths[f"/api/{endpoint}/"]) == {"get"}
    parameters = {p["name"]: p for p in paths["/api/programs/"]["get"]["parameters"]}
    assert set(parameters) == {
        "q",
        "kind",
        "lifecycle",
        "sponsor",
        "partner",
        "organization",
        "organization_kind",
        "country",
        "research_area",
        "start_year_min",
        "start_year_max",
        "modified_since",
        "sort",
        "page",
        "page_size",
        "cursor",
    }
    assert parameters["modified_since"]["schema"]["format"] == "date-time"
    assert set(parameters["kind"]["schema"]["items"]["enum"]) == set(models.ProgramKind.values)
    assert set(parameters["sort"]["schema"]["enum"]) == {"relevance", "name", "-start_year", "start_year", "newest"}
    assert "CN" in parameters["country"]["schema"]["items"]["enum"]
    assert parameters["start_year_min"]["schema"]["minimum"] == models.MIN_YEAR
    assert parameters["q"]["schema"]["maxLength"] == MAX_QUERY_LENGTH
    assert parameters["page_size"]["schema"]["maximum"] == MAX_PAGE_SIZE
    editions = {p["name"] for p in paths["/api/editions/"]["get"]["parameters"]}
    assert editions == {"program", "year_min", "year_max", "modified_since", "sort", "page", "page_size", "cursor"}
    assert set(paths["/api/programs/{slug}/"]["get"]["responses"]) == {"200", "404", "429"}
    assert set(paths["/api/programs/"]["get"]["responses"]) == {"200", "400", "429"}


def test_the_schema_speaks_english_on_request(client, db):
    english = client.get("/api/schema/?lang=en").content.decode()
    assert "Started in or after" in english
    assert "起始年份不早于" in client.get("/api/schema/").content.decode()


def test_the_docs_page_serves_swagger_ui_from_static_files(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/api/docs.js" in html
    assert 'data-schema-url="/api/schema/"' in html
    assert "<style" not in html and "<script>" not in html and " style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_database_outage_is_a_json_503(client, catalogue, monkeypatch):
    from django.db import OperationalError

    from programs.api.views import ProgramViewSet

    def unavailable(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(ProgramViewSet, "get_queryset", unavailable)
    response = client.get("/api/programs/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "detail" in response.json()
    assert "public" not in response.get("Cache-Control", "")


def test_answers_vary_with_the_requested_language(client, catalogue):
    assert "Accept-Language" in client.get("/api/programs/")["Vary"]


def test_the_docs_page_keeps_the_site_security_headers(client, db):
    response = client.get("/api/docs/")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_schema_is_valid_openapi_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "PaginatedProgramListList" in (tmp_path / "schema.yaml").read_text()
