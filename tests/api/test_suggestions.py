"""POST /api/suggestions/: the form's rules as JSON (programs.api.suggestions), its answers and refusals."""

import pytest
from django.urls import reverse

from programs.models import Suggestion, SuggestionState
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/suggestions/"
EVIDENCE = {"evidence_url": "https://example.org/news/2016", "quote": "实验室成立于2016年。"}


def post(client, body, status, **headers):
    response = client.post(URL, body, content_type="application/json", **headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_a_correction_answers_201_with_its_status_address(client, catalogue):
    body = {"record": "program:tencent-tsinghua-lab", "field": "start_year", "value": "2016", **EVIDENCE}
    answer = post(client, {**body, "email": "li@example.org"}, 201)
    suggestion = Suggestion.objects.get()
    expected = "http://testserver" + reverse("programs:suggestion-status", args=[suggestion.status_token()])
    assert answer == {"status_url": expected, "state": SuggestionState.RECEIVED}
    assert (suggestion.record_id, suggestion.value, suggestion.email) == (catalogue["lab"].pk, "2016", "li@example.org")
    assert client.get(expected).status_code == 200


def test_a_new_record_in_the_language_asked_for(client, catalogue):
    answer = post(
        client, {"type": "person", "name": "Zhang San", **EVIDENCE}, 201, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"
    )
    assert answer["status_url"].startswith("http://testserver/en/suggestions/")
    suggestion = Suggestion.objects.get()
    assert suggestion.is_new and suggestion.record_type == "person" and suggestion.language == "en"


def test_the_location_header_names_the_status_page(client, catalogue):
    response = client.post(URL, {"record": "organization:tencent", "message": "官网已换。"}, "application/json")
    assert response.status_code == 201
    assert response["Location"] == response.json()["status_url"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "type"),
        ({"name": "新计划", **EVIDENCE}, "type"),
        ({"record": "program:no-such-programme", "message": "x"}, "record"),
        ({"record": "program:tencent", "message": "x"}, "record"),  # an organization's slug
        ({"record": "source:new-models", "message": "x"}, "record"),
        ({"record": "program:tencent-tsinghua-lab", "type": "person", "message": "x"}, "type"),
        ({"record": "program:tencent-tsinghua-lab"}, "field"),
        ({"record": "program:tencent-tsinghua-lab", "field": "start_year", "value": "2016"}, "evidence_url"),
        ({"record": "program:tencent-tsinghua-lab", "field": "homepage", "value": "x", **EVIDENCE}, "field"),
        ({"record": "program:tencent-tsinghua-lab", "field": "kind", "value": "spaceship", **EVIDENCE}, "value"),
        ({"record": "program:tencent-tsinghua-lab", "field": "website", "value": "javascript:alert(1)"}, "value"),
        ({"record": "organization:tencent", "message": "x", "evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"record": "organization:tencent", "message": "x", "evidence_url": "data:text/html,hi"}, "evidence_url"),
        ({"record": "organization:tencent", "message": "x", "evidence_url": "ftp://example.org/a"}, "evidence_url"),
        ({"record": "organization:tencent", "message": "x\u0000y"}, "message"),
        ({"record": "organization:tencent", "message": "x\u0007y"}, "message"),
        ({"record": "organization:tencent", "message": "x", "email": "nobody"}, "email"),
        ({"record": "organization:tencent", "message": "长" * 5001}, "message"),
        ({"type": "organization", "name": "名" * 201, **EVIDENCE}, "name"),
        ({"type": "spaceship", "name": "x", **EVIDENCE}, "type"),
        ({"type": "program", "name": "新\u0001计划", **EVIDENCE}, "name"),
        ({"record": "program:tencent-tsinghua-lab", "message": 42}, "message"),
        ({"record": "program:tencent-tsinghua-lab", "message": ["a"]}, "message"),
        ({"record": "program:tencent-tsinghua-lab", "field": "start_year", "value": 2016, **EVIDENCE}, "value"),
        ({"record": 7, "message": "x"}, "record"),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(client, catalogue, body, field):
    errors = post(client, body, 400, HTTP_ACCEPT_LANGUAGE="en")
    assert field in errors, errors
    assert all(isinstance(message, str) for messages in errors.values() for message in messages)
    assert not Suggestion.objects.exists()


def test_a_megabyte_body_is_refused_unread(client, catalogue):
    body = {"record": "organization:tencent", "message": "x" * (1024 * 1024)}
    assert "1048576 bytes at most" in post(client, body, 413, HTTP_ACCEPT_LANGUAGE="en")["detail"]
    assert not Suggestion.objects.exists()


def test_a_body_that_is_not_json_is_refused(client, catalogue):
    response = client.post(URL, "record=organization:tencent", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(URL, '["a list"]', content_type="application/json")
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_only_post_is_allowed(client):
    assert client.get(URL).status_code == 405
    assert client.put(URL, {}, content_type="application/json").status_code == 405


def test_markup_is_kept_as_text(client, catalogue):
    post(client, {"record": "organization:tencent", "message": "<script>alert(1)</script>"}, 201)
    assert Suggestion.objects.get().message == "<script>alert(1)</script>"


def test_the_sixth_from_one_address_within_the_hour_is_a_429_with_a_clear_message(client, catalogue):
    body = {"record": "organization:tencent", "message": "官网已换。"}
    for _number in range(5):
        post(client, body, 201, REMOTE_ADDR="203.0.113.8")
    response = client.post(URL, body, "application/json", REMOTE_ADDR="203.0.113.8", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "from one address in an hour (5)" in response.json()["detail"]
    assert Suggestion.objects.count() == 5
    post(client, body, 201, REMOTE_ADDR="198.51.100.10")


def test_the_form_and_the_api_share_one_limit(client, catalogue, settings):
    settings.SUGGESTION_RATE = "2/hour"
    settings.SUGGESTION_MIN_FILL_SECONDS = 0
    post(client, {"record": "organization:tencent", "message": "一"}, 201)
    form = f"/en/suggestions/new/?record=organization:{catalogue['tencent'].slug}"
    from programs.site.suggestion_forms import form_stamp

    assert client.post(form, {"issued": form_stamp(), "message": "二"}).status_code == 302
    assert client.post(URL, {"record": "organization:tencent", "message": "三"}, "application/json").status_code == 429


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/suggestions/"]["post"]
    assert set(operation["responses"]) == {"201", "400", "413", "415", "429"}
    body = schema["components"]["schemas"]["SuggestionRequest"]["properties"]
    assert {"record", "type", "name", "field", "value", "message", "evidence_url", "quote", "email"} <= set(body)
    assert body["message"]["maxLength"] == 5000
    assert body["record"]["pattern"].startswith("^(program|organization|person):")
    assert "get" not in schema["paths"]["/api/suggestions/"]


def test_an_existing_suggestion_is_never_listed(client):
    f.SuggestionFactory()
    assert client.get("/api/").status_code == 200
    assert "suggestions" not in client.get("/api/").json()
