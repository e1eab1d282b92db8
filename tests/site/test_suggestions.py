"""The public's suggestion form and status page: links from the records and lists, a correction and a
new record sent and followed, and every kind of bad input and abuse refused with a clear answer and
nothing kept (programs.site.suggestion_views)."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from programs import models
from programs.models import Suggestion, SuggestionState
from programs.site.suggestion_forms import STAMP_SALT
from tests import factories as f

pytestmark = pytest.mark.django_db

NEW = reverse("programs:suggestion-new")
EVIDENCE = {"evidence_url": "https://example.org/news/2017", "quote": "该实验室成立于2016年。"}


@pytest.fixture(autouse=True)
def _no_fill_time(settings):
    """Tests send forms at once; the minimum fill time has tests of its own."""
    settings.SUGGESTION_MIN_FILL_SECONDS = 0


def correct_url(record, type_name="program") -> str:
    """The English form (the messages the tests read are the English ones)."""
    return f"/en{NEW}?record={type_name}:{record.slug}"


def stamp(seconds_ago: int = 60) -> str:
    return signing.Signer(salt=STAMP_SALT).sign(str(int(time.time()) - seconds_ago))


def send(client, url, **fields):
    """POST the form as a browser would send it after reading it."""
    page = client.get(url)
    assert page.status_code == 200, url
    issued = re.search(r'name="issued" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(url, {"issued": issued, **fields})


# Links


@pytest.mark.parametrize("name", ["lab", "tencent", "person"])
def test_record_pages_link_to_a_correction(client, catalogue, name):
    record = catalogue[name]
    type_name = models.SuggestedType.of_model(type(record)).value
    page = client.get(record.get_absolute_url()).content.decode()
    assert f'href="{NEW}?record={type_name}%3A{record.slug}"' in page


@pytest.mark.parametrize("name", ["project", "source"])
def test_records_the_public_cannot_correct_have_no_link(client, catalogue, name):
    assert NEW not in client.get(catalogue[name].get_absolute_url()).content.decode()


@pytest.mark.parametrize(("list_name", "type_name"), [("program", "program"), ("organization", "organization")])
def test_lists_link_to_a_new_record(client, catalogue, list_name, type_name):
    page = client.get(reverse(f"programs:{list_name}-list")).content.decode()
    assert f'href="{NEW}?type={type_name}"' in page
    assert NEW not in client.get(reverse("programs:project-list")).content.decode()


def test_a_drafts_preview_has_no_link(curator_client, drafts):
    page = curator_client.get(drafts["programs"].get_absolute_url()).content.decode()
    assert NEW not in page


# Sending


def test_a_correction_is_kept_and_followed_on_its_status_page(client, catalogue):
    lab = catalogue["lab"]
    response = send(client, correct_url(lab), field="start_year", value="2016", email="li@example.org", **EVIDENCE)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.record_type, suggestion.record_id, suggestion.field, suggestion.value) == (
        "program",
        lab.pk,
        "start_year",
        "2016",
    )
    assert suggestion.state == SuggestionState.RECEIVED and suggestion.language == "en"
    assert response["Location"] == "/en" + reverse("programs:suggestion-status", args=[suggestion.status_token()])

    status = client.get(response["Location"])
    page = status.content.decode()
    assert status.status_code == 200
    assert "2016" in page and EVIDENCE["quote"] in page and lab.get_absolute_url() in page
    assert "li@example.org" not in page
    assert "no-cache" in status["Cache-Control"] and status["X-Robots-Tag"] == "noindex, nofollow"


def test_a_new_record_in_english(client, catalogue):
    response = send(client, f"/en{NEW}?type=organization", name="Zhipu AI", message="A company.", **EVIDENCE)
    assert response.status_code == 302 and response["Location"].startswith("/en/suggestions/")
    suggestion = Suggestion.objects.get()
    assert suggestion.is_new and suggestion.record_type == "organization" and suggestion.name == "Zhipu AI"
    assert suggestion.language == "en"
    assert "A new organization" in client.get(response["Location"]).content.decode()


def test_a_participant_with_its_role(client, catalogue):
    response = send(
        client, correct_url(catalogue["lab"]), field="participant", value="北京大学", role="partner", **EVIDENCE
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().role == "partner"


def test_the_form_is_never_cached_nor_indexed(client, catalogue):
    for url in (correct_url(catalogue["lab"]), f"{NEW}?type=person"):
        response = client.get(url)
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /suggestions/" in robots and "Disallow: /en/suggestions/" in robots


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?type=source",
        "?record=program:no-such-programme",
        "?record=source:new-models",
        "?record=tencent-tsinghua-lab",
        "?record=organization:tencent-tsinghua-lab",
    ],
)
def test_a_form_about_nothing_the_public_may_correct_is_not_found(client, catalogue, query):
    assert client.get(NEW + query).status_code == 404


def test_a_draft_cannot_be_corrected_by_the_public(client, drafts):
    assert client.get(f"{NEW}?record=program:{drafts['programs'].slug}").status_code == 404


def test_a_record_deleted_while_the_form_was_open_is_not_found(client, catalogue):
    child = catalogue["child"]
    url = correct_url(child)
    page = client.get(url).content.decode()
    issued = re.search(r'name="issued" value="([^"]+)"', page).group(1)
    child.delete()
    response = client.post(url, {"issued": issued, "field": "start_year", "value": "2016", **EVIDENCE})
    assert response.status_code == 404
    assert not Suggestion.objects.exists()


# Bad input: a clear error, nothing kept


def refused(response, *messages):
    assert response.status_code == 400
    page = response.content.decode()
    for message in messages:
        assert message in page, message
    assert not Suggestion.objects.exists()
    return page


def test_an_empty_form_says_what_is_missing(client, catalogue):
    refused(send(client, correct_url(catalogue["lab"])), "Choose the field to correct")
    refused(send(client, f"/en{NEW}?type=program"), "Give the name of the record")


def test_a_new_fact_without_evidence_is_refused(client, catalogue):
    refused(
        send(client, correct_url(catalogue["lab"]), field="start_year", value="2016"),
        "the public address of a page",
        "the sentence of that page",
    )


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>"])
def test_only_web_addresses_are_evidence_or_websites(client, catalogue, url):
    refused(
        send(client, correct_url(catalogue["lab"]), field="start_year", value="2016", evidence_url=url, quote="x"),
        "Enter a valid URL.",
    )
    refused(send(client, correct_url(catalogue["lab"]), field="website", value=url, **EVIDENCE), "http://")


TEXT_FIELDS = ["name", "value", "message", "quote", "email", "evidence_url"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_control_character_in_any_field_is_refused(client, catalogue, field):
    data = {"field": "name_en", "value": "Joint Lab", **EVIDENCE, field: "bad\x01text"}
    url = f"/en{NEW}?type=program" if field == "name" else correct_url(catalogue["lab"])
    if field == "name":
        data = {"name": "bad\x01text", **EVIDENCE}
    page = refused(send(client, url, **data))
    assert 'class="field field-error"' in page


def test_markup_in_every_field_is_kept_as_text_and_shown_escaped(client, catalogue):
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = send(
        client,
        correct_url(catalogue["lab"]),
        field="name_en",
        value=markup[:200],
        message=markup,
        quote=markup,
        evidence_url="https://example.org/?q=<script>",
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_field_over_its_size_is_refused_and_a_megabyte_never_read(client, catalogue):
    url = correct_url(catalogue["lab"])
    refused(send(client, url, message="长" * 5001), "at most 5000 characters")
    refused(send(client, url, field="name_en", value="x" * 301, **EVIDENCE), "at most 300 characters")
    # A megabyte of one field: the request is refused before any form reads it (DATA_UPLOAD_MAX_MEMORY_SIZE).
    big = client.post(url, {"issued": stamp(), "message": "x" * (1024 * 1024)})
    assert big.status_code == 400
    assert not Suggestion.objects.exists()


# Bots


def test_the_honeypot_refuses_a_filled_trap_and_shows_it(client, catalogue):
    page = refused(
        send(client, correct_url(catalogue["lab"]), website="http://spam.example", message="Buy now"),
        "leave this empty",
    )
    assert 'class="field trap"' not in page  # the trap shows itself to a person whose browser filled it


def test_the_trap_is_out_of_sight(client, catalogue):
    page = client.get(correct_url(catalogue["lab"])).content.decode()
    assert re.search(r'<div class="field trap" aria-hidden="true">.*?name="website"', page, re.S)


def test_a_form_sent_sooner_than_a_person_can_is_refused(client, settings, catalogue):
    settings.SUGGESTION_MIN_FILL_SECONDS = 3
    url = correct_url(catalogue["lab"])
    refused(client.post(url, {"issued": stamp(seconds_ago=0), "message": "太快了"}), "too soon")
    response = client.post(url, {"issued": stamp(seconds_ago=5), "message": "慢慢填"})
    assert response.status_code == 302


@pytest.mark.parametrize("issued", ["", "12345", "1700000000:forged", "stamp"])
def test_a_missing_or_altered_stamp_is_refused(client, catalogue, issued):
    refused(client.post(correct_url(catalogue["lab"]), {"issued": issued, "message": "伪造"}))


def test_a_day_old_form_is_refused(client, catalogue):
    refused(client.post(correct_url(catalogue["lab"]), {"issued": stamp(86_401), "message": "旧"}), "a day old")


def test_the_form_needs_its_csrf_token(catalogue):
    browser = Client(enforce_csrf_checks=True)
    url = correct_url(catalogue["lab"])
    page = browser.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert browser.post(url, {"issued": stamp(), "message": "无令牌"}).status_code == 403
    assert not Suggestion.objects.exists()
    assert browser.post(url, {"issued": stamp(), "message": "有令牌", "csrfmiddlewaretoken": token}).status_code == 302


# Rate limits


def test_the_sixth_suggestion_from_one_address_within_the_hour_is_refused(client, catalogue):
    url = correct_url(catalogue["lab"])
    for number in range(5):
        response = client.post(url, {"issued": stamp(), "message": f"第{number}条"}, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302
    sixth = client.post(url, {"issued": stamp(), "message": "第六条"}, REMOTE_ADDR="203.0.113.7")
    assert sixth.status_code == 429
    assert int(sixth["Retry-After"]) > 0
    page = sixth.content.decode()
    assert "as many suggestions as the tracker takes from one address in an hour (5)" in page
    assert "nothing was kept" in page
    assert Suggestion.objects.count() == 5
    other = client.post(url, {"issued": stamp(), "message": "另一个地址"}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302


def test_invalid_forms_do_not_count_against_the_limit(client, catalogue):
    url = correct_url(catalogue["lab"])
    for _number in range(6):
        assert client.post(url, {"issued": stamp(), "message": ""}).status_code == 400
    assert client.post(url, {"issued": stamp(), "message": "有效"}).status_code == 302


def test_everyone_together_is_limited_too(client, settings, catalogue):
    settings.SUGGESTION_GLOBAL_RATE = "3/hour"
    url = correct_url(catalogue["lab"])
    for number in range(3):
        response = client.post(url, {"issued": stamp(), "message": "多"}, REMOTE_ADDR=f"192.0.2.{number}")
        assert response.status_code == 302
    response = client.post(url, {"issued": stamp(), "message": "多"}, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert "more suggestions than its curators can read" in response.content.decode()
    assert Suggestion.objects.count() == 3


# The status page


def status_page(client, suggestion):
    return client.get("/en" + reverse("programs:suggestion-status", args=[suggestion.status_token()]))


def test_an_unknown_or_altered_token_is_not_found(client):
    suggestion = f.SuggestionFactory()
    token = suggestion.status_token()
    for wrong in [token[:-2] + "xx", suggestion.public_id, "x" * 66, f"{token}x", "new"]:
        assert client.get(reverse("programs:suggestion-status", args=[wrong])).status_code == 404, wrong


def test_an_accepted_change_shows_as_public_once_applied(client, catalogue):
    lab = catalogue["lab"]
    suggestion = f.SuggestionFactory(record=lab, state=SuggestionState.ACCEPTED)
    page = status_page(client, suggestion).content.decode()
    assert "A curator is preparing the change" in page
    Suggestion.objects.filter(pk=suggestion.pk).update(applied_at=suggestion.created_at)
    page = status_page(client, suggestion).content.decode()
    assert "The change is public" in page and lab.get_absolute_url() in page


def test_a_declined_suggestion_shows_the_reason(client):
    suggestion = f.SuggestionFactory(state=SuggestionState.DECLINED, reason="来源未提及<b>年份</b>。")
    page = status_page(client, suggestion).content.decode()
    assert "来源未提及&lt;b&gt;年份&lt;/b&gt;。" in page


def test_a_duplicate_names_what_it_repeats_without_showing_it(client, catalogue):
    original = f.SuggestionFactory(message="原先的建议里的话")
    repeat = f.SuggestionFactory(state=SuggestionState.DUPLICATE, duplicate_of=original)
    page = status_page(client, repeat).content.decode()
    assert "It repeats an earlier suggestion" in page and "原先的建议里的话" not in page
    new = f.SuggestionFactory(is_new=True, state=SuggestionState.DUPLICATE, record_id=catalogue["tencent"].pk)
    new.record_type = "organization"
    new.save()
    page = status_page(client, new).content.decode()
    assert "The registry has this record already" in page and catalogue["tencent"].get_absolute_url() in page


def test_the_status_page_follows_changes_of_state_at_once(client):
    suggestion = f.SuggestionFactory()
    assert "A curator will check it" in status_page(client, suggestion).content.decode()
    Suggestion.objects.filter(pk=suggestion.pk).update(state=SuggestionState.DECLINED, reason="无据")
    assert "无据" in status_page(client, suggestion).content.decode()


def test_the_proposers_language_is_kept(client, catalogue):
    chinese = NEW + f"?record=program:{catalogue['lab'].slug}"
    assert send(client, chinese, message="网站打不开").status_code == 302
    assert Suggestion.objects.get().language == "zh-hans"
