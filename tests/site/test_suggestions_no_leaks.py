"""Nothing a suggester writes reaches a public page, feed, export, release, sitemap or API answer until a
curator has accepted it and it is published; and suggestions, however many, never move the data
version, so that they never empty the page cache."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs import models
from programs.models import SuggestionState
from programs.serving.caching import data_version
from programs.site.suggestion_forms import form_stamp
from tests import factories as f
from tests.helpers import crawl, form_data, start_urls

pytestmark = pytest.mark.django_db

WORD = "建议密文"  # in everything a suggester writes; no public answer may hold it
WORD_EN = "SuggestedSecret"


def words(n: int) -> str:
    return f"{WORD}{n} {WORD_EN}{n}"


@pytest.fixture
def suggestions(catalogue, curator_client, settings):
    """Suggestions in every state, with the words in every field a suggester fills: received ones
    through the form and the API, an accepted new record (a draft now), an accepted correction not
    applied yet, a declined one and a duplicate."""
    settings.SUGGESTION_MIN_FILL_SECONDS = 0
    lab, tencent = catalogue["lab"], catalogue["tencent"]
    common = {"evidence_url": f"https://example.org/{WORD_EN}", "quote": words(0), "message": words(1)}
    url = reverse("programs:suggestion-new") + f"?record=program:{lab.slug}"
    form = {"issued": form_stamp(), "field": "name_en", "value": words(2), "email": f"{WORD_EN}@example.org", **common}
    assert curator_client.post(url, form).status_code == 302
    api = {"record": f"organization:{tencent.slug}", "field": "aliases", "value": words(3), **common}
    assert curator_client.post("/api/suggestions/", api, "application/json").status_code == 201
    new = f.SuggestionFactory(is_new=True, record_type="program", name=words(4), **common)
    accepted = f.SuggestionFactory(record=lab, field="website", value=f"https://{WORD_EN}.example.org/", **common)
    declined = f.SuggestionFactory(record=catalogue["person"], field="name_en", value=words(5), **common)
    duplicate = f.SuggestionFactory(is_new=True, record_type="organization", name=words(6), **common)
    review = "admin:programs_suggestion_change"
    for suggestion, decision in [
        (new, {"action": "accept"}),
        (accepted, {"action": "accept"}),
        (declined, {"action": "decline", "reason": words(7)}),
        (duplicate, {"action": "duplicate", "of_record": tencent.slug}),
    ]:
        assert curator_client.post(reverse(review, args=[suggestion.pk]), decision).status_code == 302
    assert models.Program.objects.filter(name=words(4), status=models.Status.DRAFT).exists()
    return {"accepted": accepted, "new": new}


def leaks(texts: dict[str, str]) -> dict[str, str]:
    return {
        where: WORD if WORD in text else WORD_EN for where, text in texts.items() if WORD in text or WORD_EN in text
    }


def test_no_public_page_feed_export_or_api_answer_shows_a_suggestion(client, suggestions, catalogue):
    urls = [*start_urls(catalogue), "/api/changes/", "/programs/feed/", "/en/organizations/feed/"]
    pages = crawl(client, urls)
    assert len(pages) > 40 and "/api/changes/" in pages
    assert catalogue["lab"].get_absolute_url() in pages
    assert leaks(pages) == {}
    export = client.get(f"/programs/?q={WORD}&format=json")
    assert json.loads(b"".join(export.streaming_content)) == []
    assert client.get(f"/api/programs/?q={WORD_EN}").json()["count"] == 0


def read_tree(folder: Path) -> dict[str, str]:
    return {
        str(path): path.read_text(encoding="utf-8", errors="replace") for path in folder.rglob("*") if path.is_file()
    }


def test_no_release_holds_a_suggestion_and_a_backup_only_the_accepted_draft(suggestions, tmp_path):
    call_command("export_release", str(tmp_path / "release"), stdout=None, stderr=None)
    release = read_tree(tmp_path / "release")
    assert len(release) > 5
    assert leaks(release) == {}
    # The fixture files are a backup of the curated data, drafts included: the accepted new record
    # is curated now (a draft), and nothing else a suggester wrote is there.
    call_command("export_fixtures", str(tmp_path / "fixtures"), stdout=None)
    backup = "\n".join(read_tree(tmp_path / "fixtures").values())
    assert backup.count(WORD) == backup.count(words(4)) == 1
    assert "status: draft" in backup[backup.index(words(4)) :]


def test_an_accepted_change_shows_once_applied_and_a_draft_once_published(
    client, curator_client, editor_client, suggestions
):
    accepted, new = suggestions["accepted"], suggestions["new"]
    new.refresh_from_db()
    lab = models.Program.objects.get(pk=accepted.record_id)
    url = reverse("admin:programs_program_change", args=[lab.pk]) + f"?suggestion={accepted.pk}"
    page = curator_client.get(url)
    assert curator_client.post(url, form_data(page)).status_code == 302
    assert f"https://{WORD_EN}.example.org/" in client.get(lab.get_absolute_url()).content.decode()

    draft = models.Program.objects.get(pk=new.record_id)
    assert client.get(draft.get_absolute_url()).status_code == 404
    models.Program.objects.filter(pk=draft.pk).update(status=models.Status.PUBLISHED)
    assert words(4) in client.get(draft.get_absolute_url()).content.decode()


def test_suggestions_never_move_the_data_version(client, curator_client, catalogue, settings):
    settings.SUGGESTION_MIN_FILL_SECONDS = 0
    before = data_version()
    url = reverse("programs:suggestion-new") + f"?record=program:{catalogue['lab'].slug}"
    for n in range(3):
        client.post(url, {"issued": form_stamp(), "message": f"第{n}条"}, REMOTE_ADDR=f"192.0.2.{n}")
    client.post(
        "/api/suggestions/",
        {"type": "person", "name": "张三", "evidence_url": "https://example.org/z", "quote": "张三。"},
        "application/json",
    )
    received = models.Suggestion.objects.filter(is_new=False).first()
    review = reverse("admin:programs_suggestion_change", args=[received.pk])
    curator_client.post(review, {"action": "decline", "reason": "无据"})
    assert models.Suggestion.objects.count() == 4
    assert data_version() == before


def test_a_flood_of_suggestions_leaves_cached_pages_cached(client, django_assert_num_queries, catalogue):
    page = catalogue["lab"].get_absolute_url()
    client.get(page)
    models.Suggestion.objects.bulk_create(
        models.Suggestion(record_type="program", record_id=catalogue["lab"].pk, message=f"{n}") for n in range(1000)
    )
    with django_assert_num_queries(1):  # the data version, unchanged: the page comes from the cache
        assert client.get(page).status_code == 200


def test_the_status_page_is_never_cached(client):
    suggestion = f.SuggestionFactory()
    url = "/en" + reverse("programs:suggestion-status", args=[suggestion.status_token()])
    assert "A curator will check it" in client.get(url).content.decode()
    models.Suggestion.objects.filter(pk=suggestion.pk).update(state=SuggestionState.DUPLICATE)
    assert "A curator will check it" not in client.get(url).content.decode()
