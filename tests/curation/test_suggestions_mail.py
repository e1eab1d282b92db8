"""E-mail about suggestions (programs.curation.suggestions.mail): the outcome to the proposer, once, in
their language, then their address erased; and the reviewers' digest (`manage.py suggestions_digest`)."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.models import Suggestion, SuggestionState
from tests import factories as f

pytestmark = pytest.mark.django_db


def review_url(suggestion) -> str:
    return reverse("admin:programs_suggestion_change", args=[suggestion.pk])


@pytest.mark.parametrize(
    ("action", "fields", "says"),
    [
        ("accept", {}, "A curator accepted it."),
        ("decline", {"reason": "No source gives <b>this</b> year."}, "No source gives <b>this</b> year."),
        ("duplicate", {"of_suggestion": "ORIGINAL"}, "repeats what the registry has"),
    ],
)
def test_the_proposer_is_told_the_outcome_once_in_their_language(
    curator_client, catalogue, django_capture_on_commit_callbacks, action, fields, says
):
    original = f.SuggestionFactory()
    suggestion = f.SuggestionFactory(record=catalogue["lab"], email="li@example.org", language="en")
    fields = {name: str(original.pk) if value == "ORIGINAL" else value for name, value in fields.items()}
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(review_url(suggestion), {"action": action, **fields})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li@example.org"]
    assert message.subject.startswith("Your suggestion to the Partnership Program Tracker")
    assert says in message.body
    status = "http://testserver/en" + reverse("programs:suggestion-status", args=[suggestion.status_token()])
    assert status in message.body
    suggestion.refresh_from_db()
    assert suggestion.email == ""


def test_the_outcome_is_written_in_chinese_to_a_chinese_proposer(curator_client, django_capture_on_commit_callbacks):
    suggestion = f.SuggestionFactory(email="wang@example.org", language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(review_url(suggestion), {"action": "decline", "reason": "没有来源。"})
    body = mail.outbox[0].body
    assert "没有来源。" in body and "http://testserver/suggestions/" in body
    assert "Thank you" not in body


def test_no_mail_without_an_address_nor_on_receipt(client, curator_client, catalogue, settings):
    settings.SUGGESTION_MIN_FILL_SECONDS = 0
    from programs.site.suggestion_forms import form_stamp

    url = f"/suggestions/new/?record=program:{catalogue['lab'].slug}"
    client.post(url, {"issued": form_stamp(), "message": "网址错了", "email": "li@example.org"})
    assert mail.outbox == []  # nothing on receipt: a bot could name anyone's address
    suggestion = f.SuggestionFactory()
    curator_client.post(review_url(suggestion), {"action": "decline", "reason": "无据"})
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_undo_the_decision(
    curator_client, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    suggestion = f.SuggestionFactory(email="li@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(review_url(suggestion), {"action": "decline", "reason": "无据"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.DECLINED and suggestion.email == ""
    assert f"The outcome of suggestion #{suggestion.pk} could not be sent." in caplog.text


# The reviewers' digest


def digest(*args) -> str:
    out = StringIO()
    call_command("suggestions_digest", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reviewers(curator, editor, django_user_model):
    curator.email, editor.email = "curator@example.org", "editor@example.org"
    curator.save(), editor.save()
    django_user_model.objects.create_user("staff", email="staff@example.org", is_staff=True)  # may not review
    django_user_model.objects.create_user("gone", email="gone@example.org", is_active=False).user_permissions.add(
        Permission.objects.get(codename="change_suggestion")
    )
    return [curator, editor]


def test_the_digest_lists_new_suggestions_once_to_every_reviewer(reviewers, catalogue):
    correction = f.SuggestionFactory(record=catalogue["lab"], value="2016")
    new = f.SuggestionFactory(is_new=True, name="新计划<script>")
    out = digest("--site-url", "https://tracker.example.org", "--language", "en")
    assert "2 suggestion(s): the digest went to 2 reviewer(s)." in out
    assert sorted(message.to[0] for message in mail.outbox) == ["curator@example.org", "editor@example.org"]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "2 new suggestions to review"
    assert f"#{correction.pk} · programme · 腾讯-清华大学联合实验室 · start year: 2016" in body
    assert f"#{new.pk} · programme · new: 新计划<script>" in body
    assert f"https://tracker.example.org/en/admin/programs/suggestion/{new.pk}/change/" in body
    assert not Suggestion.objects.filter(digested_at__isnull=True).exists()

    mail.outbox.clear()
    assert digest().strip() == "Nothing to do."
    assert mail.outbox == []


def test_a_dry_run_sends_and_marks_nothing(reviewers):
    f.SuggestionFactory()
    assert "the digest would go to 2 reviewer(s)" in digest("--dry-run")
    assert mail.outbox == [] and Suggestion.objects.filter(digested_at__isnull=True).count() == 1


def test_a_long_digest_counts_what_it_does_not_list(reviewers, settings):
    from programs.curation.suggestions import mail as suggestion_mail

    Suggestion.objects.bulk_create(Suggestion(record_type="program", is_new=True, name=f"新{n}") for n in range(105))
    digest("--language", "en")
    body = mail.outbox[0].body
    assert body.count("/admin/programs/suggestion/") == suggestion_mail.DIGEST_LISTED + 1  # and the inbox
    assert "…and 5 more." in body


def test_without_reviewers_nothing_is_sent_nor_marked(catalogue):
    f.SuggestionFactory()
    with pytest.raises(CommandError, match="no reviewer has an e-mail address"):
        digest()
    assert Suggestion.objects.filter(digested_at__isnull=True).count() == 1


def test_a_site_url_must_be_a_web_address(reviewers):
    with pytest.raises(CommandError, match="must start with http"):
        digest("--site-url", "tracker.example.org")
