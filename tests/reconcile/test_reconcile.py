"""The reconciliation service (/reconcile/): every answer checked against the specification's JSON Schemas.

The schemas of the Reconciliation Service API 0.2 are kept in tests/reconcile/reconciliation_schemas/ (no
network): each test validates what it sends and what it gets back.
"""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from programs import models
from programs.reconcile.protocol import MAX_BATCH
from tests import factories as f
from tests.factories import identifiers as ids
from tests.helpers import BOUNDED_TRANSACTION

pytestmark = pytest.mark.django_db

SCHEMAS = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in (Path(__file__).parent / "reconciliation_schemas").glob("*.json")
}
REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)) for schema in SCHEMAS.values()
)


def valid(name: str, document) -> None:
    """Fail with every error when `document` does not satisfy the specification's schema `name`."""
    errors = [error.message for error in Draft7Validator(SCHEMAS[name], registry=REGISTRY).iter_errors(document)]
    assert not errors, (name, errors, document)


def reconcile(client, batch: dict, method="post", **headers):
    valid("reconciliation-query-batch", batch)
    send = client.post if method == "post" else client.get
    response = send("/reconcile/", {"queries": json.dumps(batch)}, headers=headers)
    assert response.status_code == 200, response.content
    body = response.json()
    valid("reconciliation-result-batch", body)
    assert set(body) == set(batch)
    return body


def refused(response, *words):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert all(word in detail for word in words), detail
    return detail


@pytest.fixture
def world():
    tsinghua = f.OrganizationFactory(
        slug="tsinghua", name="清华大学", name_en="Tsinghua University", short_name="清华", aliases=["THU"], city="北京"
    )
    f.IdentifierFactory(organization=tsinghua, value=ids.ror(1))
    f.OrganizationFactory(slug="pku", name="北京大学", name_en="Peking University", aliases=["PKU", "北大"])
    # Namesakes: two published "Joint Institute"s, in different countries.
    f.OrganizationFactory(slug="joint-cn", name="联合研究院", name_en="Joint Institute", country="CN")
    f.OrganizationFactory(slug="joint-us", name="联合研究院", name_en="Joint Institute", country="US")
    tencent = f.CompanyFactory(slug="tencent", name="腾讯", name_en="Tencent", parent=None)
    f.OrganizationFactory(slug="tencent-ai-lab", name="腾讯AI实验室", name_en="Tencent AI Lab", parent=tencent)
    f.OrganizationFactory(slug="hidden", name="清华大学", status=models.Status.DRAFT)  # a draft namesake
    f.ProgramFactory(slug="rhino-bird", name="犀牛鸟基金", name_en="Rhino-Bird Fund", aliases=["犀牛鸟"])
    person = f.PersonFactory(slug="li-si", name="李四", name_en="Li Si", headline="教授")
    f.IdentifierFactory(organization=None, person=person, scheme="orcid", value=ids.orcid(1))
    return {"tsinghua": tsinghua, "tencent": tencent, "person": person}


def test_manifest_satisfies_the_schema_and_names_every_service(client):
    for response in (client.get("/reconcile/"), client.post("/reconcile/")):
        assert response.status_code == 200
        manifest = response.json()
        valid("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert [t["id"] for t in manifest["defaultTypes"]] == ["organization", "program", "person"]
    assert manifest["preview"]["url"] == "http://testserver/reconcile/preview/?id={{id}}"
    assert manifest["batchSize"] == MAX_BATCH
    for kind in ("entity", "property", "type"):
        path = manifest["suggest"][kind]["service_path"]
        assert client.get(path, {"prefix": "a"}).status_code == 200


def test_every_endpoint_answers_any_origin(client, world):
    for path in ("/reconcile/", "/reconcile/suggest/entity/?prefix=清华", "/reconcile/properties/?type=person"):
        response = client.get(path, headers={"origin": "https://openrefine.example"})
        assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/reconcile/", headers={"origin": "https://openrefine.example", "access-control-request-method": "POST"}
    )
    assert preflight["Access-Control-Allow-Origin"] == "*" and "POST" in preflight["Access-Control-Allow-Methods"]
    # Nowhere else.
    assert "Access-Control-Allow-Origin" not in client.get("/api/programs/", headers={"origin": "https://x.example"})


def test_posted_forms_need_no_csrf_token_there_only(world):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/reconcile/", {"queries": json.dumps({"q0": {"query": "清华大学"}})})
    assert response.status_code == 200
    assert strict.post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 403


def test_queries_by_get_and_post_give_the_same_results(client, world):
    batch = {"q0": {"query": "Tsinghua University", "type": "organization"}}
    assert reconcile(client, batch, "get") == reconcile(client, batch, "post")


def result(client, query: dict, **headers) -> list[dict]:
    return reconcile(client, {"q0": query}, **headers)["q0"]["result"]


def ids_of(candidates) -> list[str]:
    return [candidate["id"] for candidate in candidates]


@pytest.mark.parametrize(
    "query",
    [
        {"query": "清华大学"},
        {"query": "  tsinghua   UNIVERSITY "},  # case and spacing aside
        {"query": "清华", "type": "organization"},  # short name
        {"query": "THU", "type": ["organization", "person"]},  # acronym (alias)
        {"query": f"https://ror.org/{ids.ror(1)}"},  # an identifier as the query
        {"query": f"ror:{ids.ror(1)}"},
        {"query": "organization/tsinghua"},  # the entity's id
        {"properties": [{"pid": "identifier", "v": f"ror:{ids.ror(1)}"}]},
        {"query": "清华大学", "properties": [{"pid": "country", "v": "cn"}, {"pid": "city", "v": "北京"}]},
        {"query": "清华大学", "properties": [{"pid": "kind", "v": ["university", "company"]}]},
    ],
)
def test_a_unique_exact_name_alias_or_identifier_is_a_match(client, world, query):
    candidates = result(client, query)
    assert candidates[0]["id"] == "organization/tsinghua"
    assert candidates[0]["match"] is True and candidates[0]["score"] == 100
    assert [c for c in candidates if c["match"]] == candidates[:1]
    assert "organization/hidden" not in ids_of(candidates)  # drafts are never candidates


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"query": "联合研究院"}, ["organization/joint-cn", "organization/joint-us"]),  # namesakes: no match
        ({"query": "清华大学", "properties": [{"pid": "country", "v": "US"}]}, []),
        ({"query": "清华", "properties": [{"pid": "identifier", "v": f"ror:{ids.ror(2)}"}]}, []),
        ({"query": "清华大学", "type": "program"}, []),
        ({"query": "Tsinghua Univ"}, ["organization/tsinghua"]),  # close, not exact
        ({"query": "腾讯"}, ["organization/tencent", "organization/tencent-ai-lab"]),
    ],
)
def test_no_match_without_one_exact_candidate(client, world, query, expected):
    candidates = result(client, query)
    assert sorted(ids_of(candidates)) == expected
    if query["query"] == "腾讯":
        assert candidates[0]["match"] and not candidates[1]["match"]  # the exact one, and a longer name
        assert candidates[0]["score"] > candidates[1]["score"]
    else:
        assert not any(candidate["match"] for candidate in candidates)
        assert all(candidate["score"] < 100 for candidate in candidates) or query["query"] == "联合研究院"


def test_properties_tell_namesakes_apart(client, world):
    candidates = result(client, {"query": "Joint Institute", "properties": [{"pid": "country", "v": "US"}]})
    assert ids_of(candidates) == ["organization/joint-us"] and candidates[0]["match"]


def test_limit_types_and_languages(client, world):
    assert len(result(client, {"query": "大学", "limit": 1})) == 1
    assert ids_of(result(client, {"query": "犀牛鸟", "type": "program"})) == ["program/rhino-bird"]
    person = result(client, {"query": f"orcid:{ids.orcid(1)}"})
    assert ids_of(person) == ["person/li-si"] and person[0]["match"]
    chinese = result(client, {"query": "Tencent"})[0]
    english = result(client, {"query": "Tencent"}, accept_language="en")[0]
    assert (chinese["name"], english["name"]) == ("腾讯", "Tencent")
    assert english["type"] == [{"id": "organization", "name": "Organization"}]


def test_each_query_of_a_batch_is_answered_on_its_own(client, world):
    batch = {f"q{i}": {"query": name} for i, name in enumerate(["清华大学", "北大", "nothing like it", "犀牛鸟基金"])}
    body = reconcile(client, batch)
    assert [ids_of(body[key]["result"])[:1] for key in batch] == [
        ["organization/tsinghua"],
        ["organization/pku"],
        [],
        ["program/rhino-bird"],
    ]


def test_a_batch_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    """Per type: every name's lookups in one statement (PostgreSQL; on SQLite two per name), then
    the records found; whatever the amount of data."""
    for n in range(30):
        f.OrganizationFactory(name=f"清华大学{n}分校", name_en=f"Tsinghua University Branch {n}")
    batch = {f"q{i}": {"query": "清华大学", "type": "organization"} for i in range(10)}
    per_batch = connection.features.supports_slicing_ordering_in_compound
    with django_assert_max_num_queries((2 if per_batch else 2 * 10 + 1) + BOUNDED_TRANSACTION):
        body = reconcile(client, batch)
    assert all(len(body[key]["result"]) == 5 for key in batch)


BAD_BATCHES = {
    "not JSON": ("{nope", "JSON"),
    "not an object": ("[1, 2]", "JSON object"),
    "empty": ("{}", "no query"),
    "query not an object": (json.dumps({"q": "清华"}), "q"),
    "neither query nor properties": (json.dumps({"q": {"limit": 3}}), "give a query"),
    "unknown type": (json.dumps({"q": {"query": "x", "type": "spaceship"}}), "spaceship", "organization"),
    "limit 0": (json.dumps({"q": {"query": "x", "limit": 0}}), "limit"),
    "limit 10,000": (json.dumps({"q": {"query": "x", "limit": 10000}}), "limit"),
    "limit as text": (json.dumps({"q": {"query": "x", "limit": "5"}}), "limit"),
    "limit 2.5": (json.dumps({"q": {"query": "x", "limit": 2.5}}), "limit"),
    "too many queries": (json.dumps({f"q{i}": {"query": "x"} for i in range(MAX_BATCH + 1)}), "101"),
    "unknown property": (json.dumps({"q": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}), "colour"),
    "property of another type": (
        json.dumps({"q": {"query": "x", "type": "person", "properties": [{"pid": "country", "v": "CN"}]}}),
        "country",
    ),
    "unknown country": (json.dumps({"q": {"query": "x", "properties": [{"pid": "country", "v": "XX"}]}}), "XX"),
    "unknown kind": (json.dumps({"q": {"query": "x", "properties": [{"pid": "kind", "v": "castle"}]}}), "castle"),
    "malformed identifier": (
        json.dumps({"q": {"properties": [{"pid": "identifier", "v": f"ror:{ids.wrong_check(ids.ror(1))}"}]}}),
        "MOD 97-10",
    ),
    "properties not a list": (json.dumps({"q": {"query": "x", "properties": {"pid": "kind"}}}), "pid"),
    "unknown field": (json.dumps({"q": {"query": "x", "sort": "name"}}), "sort"),
    "bad type_strict": (json.dumps({"q": {"query": "x", "type_strict": "sometimes"}}), "type_strict"),
}


@pytest.mark.parametrize("case", BAD_BATCHES.values(), ids=BAD_BATCHES.keys())
def test_malformed_batches_are_refused_with_a_json_message(client, world, case):
    text, *words = case
    before = models.Organization.objects.count(), models.Identifier.objects.count()
    for send in (client.post, client.get):
        refused(send("/reconcile/", {"queries": text}, headers={"accept-language": "en"}), *words)
    assert (models.Organization.objects.count(), models.Identifier.objects.count()) == before


# Data extension


def extend(client, query: dict, status=200):
    valid("data-extension-query", query)
    response = client.post("/reconcile/", {"extend": json.dumps(query)})
    assert response.status_code == status, response.content
    if status == 200:
        valid("data-extension-response", response.json())
    return response


def test_data_extension_gives_each_property_of_each_entity(client, world):
    f.IdentifierFactory(organization=world["tsinghua"], scheme="wikidata", value=ids.wikidata(5))
    draft_parent = f.OrganizationFactory(status=models.Status.DRAFT)
    f.OrganizationFactory(slug="unit", parent=draft_parent)
    properties = ["country", "kind", "website", "parent", "identifiers", "ror", "wikidata", "orcid"]
    query = {
        "ids": [
            "organization/tsinghua",
            "organization/tencent-ai-lab",
            "organization/unit",
            "person/li-si",
            "program/x",
        ],
        "properties": [{"id": pid} for pid in properties],
    }
    body = extend(client, query).json()
    assert [m["id"] for m in body["meta"]] == properties
    rows = body["rows"]
    assert rows["organization/tsinghua"]["identifiers"] == [
        {"str": f"ror:{ids.ror(1)}"},
        {"str": f"wikidata:{ids.wikidata(5)}"},
    ]
    assert rows["organization/tsinghua"]["ror"] == [{"str": ids.ror(1)}]
    assert rows["organization/tsinghua"]["country"] == [{"str": "CN"}]
    assert rows["organization/tencent-ai-lab"]["parent"] == [{"id": "organization/tencent", "name": "腾讯"}]
    assert rows["organization/unit"]["parent"] == []  # a draft parent stays hidden
    assert rows["person/li-si"]["orcid"] == [{"str": ids.orcid(1)}] and rows["person/li-si"]["country"] == []
    assert all(values == [] for values in rows["program/x"].values())  # unknown: nothing


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("[", "JSON"),
        (json.dumps({"ids": ["organization/tsinghua"]}), "properties"),
        (json.dumps({"ids": ["organization/tsinghua"], "properties": [{"id": "colour"}]}), "colour"),
        (json.dumps({"ids": ["tsinghua"], "properties": [{"id": "kind"}]}), "tsinghua"),
        (
            json.dumps({"ids": [f"organization/o{i}" for i in range(MAX_BATCH + 1)], "properties": [{"id": "kind"}]}),
            "101",
        ),
    ],
)
def test_malformed_data_extension_queries_are_refused(client, world, text, word):
    refused(client.post("/reconcile/", {"extend": text}), word)


def test_property_proposals(client):
    response = client.get("/reconcile/properties/", {"type": "person", "limit": "2"})
    body = response.json()
    valid("data-extension-property-proposal", body)
    assert body == {"type": "person", "limit": 2, "properties": body["properties"]} and len(body["properties"]) == 2
    full = client.get("/reconcile/properties/", {"type": "organization"}).json()
    assert {"country", "kind", "website", "parent", "identifiers", "ror"} <= {p["id"] for p in full["properties"]}
    refused(client.get("/reconcile/properties/", {"type": "castle"}), "castle")
    refused(client.get("/reconcile/properties/", {"type": "person", "limit": "0"}), "limit")


# Suggest, preview, view


def test_suggest_services(client, world):
    body = client.get("/reconcile/suggest/entity/", {"prefix": "腾讯"}).json()
    valid("suggest-entities-response", body)
    assert ids_of(body["result"]) == ["organization/tencent", "organization/tencent-ai-lab"]
    assert ids_of(client.get("/reconcile/suggest/entity/", {"prefix": "腾讯", "cursor": "1"}).json()["result"]) == [
        "organization/tencent-ai-lab"
    ]
    by_id = client.get("/reconcile/suggest/entity/", {"prefix": "person/li-si"}).json()
    assert ids_of(by_id["result"]) == ["person/li-si"]
    properties = client.get("/reconcile/suggest/property/", {"prefix": "coun"}).json()
    valid("suggest-properties-response", properties)
    assert [p["id"] for p in properties["result"]] == ["country"]
    types = client.get("/reconcile/suggest/type/", {"prefix": "pro"}).json()
    valid("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["program"]
    refused(client.get("/reconcile/suggest/entity/", {"prefix": ""}), "prefix")
    refused(client.get("/reconcile/suggest/entity/", {"prefix": "x", "cursor": "-1"}), "cursor")
    refused(client.get("/reconcile/suggest/entity/", {"prefix": "x", "type": "castle"}), "castle")


def test_preview_may_be_framed_by_any_site(client, world):
    response = client.get("/reconcile/preview/", {"id": "organization/tsinghua"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    page = response.content.decode()
    assert "清华大学" in page and f"https://ror.org/{ids.ror(1)}" in page and "<script" not in page
    for missing in ("organization/hidden", "organization/nobody", "castle/x", ""):
        assert client.get("/reconcile/preview/", {"id": missing}).status_code == 404
    # Every other page keeps refusing frames.
    assert client.get("/")["X-Frame-Options"] == "DENY"


def test_view_sends_to_the_page(client, world):
    assert client.get("/reconcile/view/organization/tsinghua")["Location"] == "/organizations/tsinghua/"
    assert client.get("/reconcile/view/organization/hidden").status_code == 404


def test_requests_are_throttled(client, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "reconcile": "2/minute"},
    }
    assert client.get("/reconcile/").status_code == 200
    assert client.post("/reconcile/", {"queries": json.dumps({"q": {"query": "清华"}})}).status_code == 200
    response = client.get("/reconcile/")
    assert response.status_code == 429 and "Retry-After" in response
    assert "detail" in response.json()
