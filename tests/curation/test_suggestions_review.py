"""Each decision on a suggestion in the admin (programs.curation.suggestions): accepting a new record (a
draft made through the admin's form) or a correction (applied by saving the record's form), declining
with a reason, marking a duplicate; who may decide; and what cannot be decided."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from programs import models
from programs.models import Status, Suggestion, SuggestionState
from tests import factories as f
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db


def review_url(suggestion) -> str:
    """The English review page (the tests read the English messages)."""
    return "/en" + reverse("admin:programs_suggestion_change", args=[suggestion.pk])


def decide(client, suggestion, action: str, status: int = 302, **fields):
    response = client.post(review_url(suggestion), {"action": action, **fields})
    assert response.status_code == status, response.content.decode()[:2000]
    suggestion.refresh_from_db()
    return response


def apply_form(client, url: str, **changes):
    """Open the record's form from the suggestion and save it as the curator left it (with `changes`)."""
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {**form_data(page), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return page


# Accepting a correction: the record's form, filled in


def test_accepting_a_correction_opens_the_records_form_with_the_value(
    curator_client, catalogue, django_capture_on_commit_callbacks
):
    lab = catalogue["lab"]
    suggestion = f.SuggestionFactory(record=lab, value="2016", email="li@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(curator_client, suggestion, "accept")
    assert suggestion.state == SuggestionState.ACCEPTED and suggestion.reviewed_by.username == "curator"
    assert suggestion.email == "" and suggestion.applied_at is None
    assert response["Location"] == "/en" + admin_url(models.Program, "change", lab.pk) + f"?suggestion={suggestion.pk}"
    lab.refresh_from_db()
    assert lab.start_year == 2017  # nothing changes until the curator saves the form

    page = apply_form(curator_client, response["Location"])
    assert page.context["adminform"].form.initial["start_year"] == 2016
    assert (
        f'Applying suggestion <a href="/en/admin/programs/suggestion/{suggestion.pk}/change/">' in page.content.decode()
    )
    lab.refresh_from_db()
    suggestion.refresh_from_db()
    assert lab.start_year == 2016 and lab.status == Status.PUBLISHED
    assert suggestion.applied_at is not None
    latest = lab.history.first()
    assert latest.history_change_reason == f"Suggestion #{suggestion.pk}"
    assert latest.history_user.username == "curator"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.org"]


def test_the_curator_may_edit_the_proposed_value_before_saving(curator_client, catalogue):
    lab = catalogue["lab"]
    suggestion = f.SuggestionFactory(record=lab, field="name_en", value="Tencent Tsinghua Lab")
    response = decide(curator_client, suggestion, "accept")
    apply_form(curator_client, response["Location"], name_en="Tencent–Tsinghua Joint Laboratory")
    lab.refresh_from_db()
    assert lab.name_en == "Tencent–Tsinghua Joint Laboratory"
    history = lab.history.first()
    assert history.history_change_reason == f"Suggestion #{suggestion.pk}"
    assert LogEntry.objects.filter(object_id=str(lab.pk), change_message__contains="English name").exists()


def test_an_alias_is_added_to_the_others(curator_client, catalogue):
    tencent = catalogue["tencent"]
    suggestion = f.SuggestionFactory(record=tencent, record_type="organization", field="aliases", value="鹅厂")
    response = decide(curator_client, suggestion, "accept")
    apply_form(curator_client, response["Location"])
    tencent.refresh_from_db()
    assert tencent.aliases == ["Tencent Holdings", "鹅厂"]


def test_a_participant_is_a_new_row_with_its_certain_match(curator_client, catalogue):
    lab, tencent = catalogue["lab"], catalogue["tencent"]
    award = catalogue["award"]
    suggestion = f.SuggestionFactory(record=award, field="participant", value="清华大学", role="host")
    response = decide(curator_client, suggestion, "accept")
    page = apply_form(curator_client, response["Location"])
    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.model is models.Participation)
    assert formset.forms[-1].initial == {"organization": catalogue["tsinghua"].pk, "role": "host"}
    assert set(award.participations.values_list("organization__slug", "role")) == {
        (tencent.slug, "sponsor"),
        ("tsinghua", "host"),
    }
    assert lab.participations.count() == 2  # another programme, untouched


def test_a_forged_suggestion_number_applies_nothing(curator_client, catalogue):
    lab, award = catalogue["lab"], catalogue["award"]
    received = f.SuggestionFactory(record=lab, value="2001")  # not accepted
    other_record = f.SuggestionFactory(record=award, value="2002", state=SuggestionState.ACCEPTED)
    for suggestion in (received, other_record, "abc"):
        number = getattr(suggestion, "pk", suggestion)
        url = admin_url(models.Program, "change", lab.pk) + f"?suggestion={number}"
        page = curator_client.get(url)
        assert page.context["adminform"].form.initial["start_year"] == 2017
        assert page.context["applied_suggestion"] is None


def test_only_who_may_change_suggestions_applies_one(client, django_user_model, catalogue):
    """A user who may change programmes but not suggestions saves the form as an ordinary edit."""
    lab = catalogue["lab"]
    suggestion = f.SuggestionFactory(record=lab, value="2001", state=SuggestionState.ACCEPTED)
    user = django_user_model.objects.create_user("programme-editor", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_program", "change_program"]))
    client.force_login(user)
    url = admin_url(models.Program, "change", lab.pk) + f"?suggestion={suggestion.pk}"
    apply_form(client, url)
    suggestion.refresh_from_db()
    assert suggestion.applied_at is None
    assert lab.history.first().history_change_reason is None


def test_accepting_a_correction_of_a_deleted_record_is_refused_and_the_curator_told(staff_client, catalogue):
    child = catalogue["child"]
    suggestion = f.SuggestionFactory(record=child, record_label="青年学者计划")
    child.delete()
    page = staff_client.get(review_url(suggestion)).content.decode()
    assert "The record this suggestion names (青年学者计划) was deleted on" in page
    response = decide(staff_client, suggestion, "accept", status=200)
    assert "was deleted since" in response.content.decode()
    assert suggestion.state == SuggestionState.RECEIVED
    decide(staff_client, suggestion, "decline", reason="该计划已从登记中删除。")
    assert suggestion.state == SuggestionState.DECLINED


# Accepting a new record: a draft, through the admin's add form


def test_accepting_a_new_programme_makes_a_draft_naming_the_suggestion(curator_client):
    suggestion = f.SuggestionFactory(is_new=True, name="字节跳动奖学金")
    response = decide(curator_client, suggestion, "accept")
    draft = models.Program.objects.get(name="字节跳动奖学金")
    assert draft.status == Status.DRAFT and draft.kind == "other" and draft.slug == "zi-jie-tiao-dong-jiang-xue-jin"
    assert response["Location"] == "/en" + admin_url(models.Program, "change", draft.pk)
    assert suggestion.record_id == draft.pk and suggestion.applied_at is not None
    history = draft.history.get()
    assert (history.history_type, history.history_change_reason) == ("+", f"Suggestion #{suggestion.pk}")
    assert history.history_user.username == "curator"
    assert LogEntry.objects.filter(object_id=str(draft.pk), action_flag=1).exists()


def test_a_new_records_slug_is_free(editor_client):
    f.OrganizationFactory(slug="zhipu-ai")
    f.OrganizationFactory(slug="zhipu-ai-2")
    suggestion = f.SuggestionFactory(is_new=True, record_type="organization", name="Zhipu AI")
    decide(editor_client, suggestion, "accept")
    draft = models.Organization.objects.get(name="Zhipu AI")
    assert draft.slug == "zhipu-ai-3" and draft.status == Status.DRAFT  # an editor's draft too


def test_a_new_person_has_no_kind(curator_client):
    suggestion = f.SuggestionFactory(is_new=True, record_type="person", name="张三")
    decide(curator_client, suggestion, "accept")
    assert models.Person.objects.get(name="张三").slug == "zhang-san"


def test_a_reviewer_who_may_not_add_the_record_cannot_accept(client, django_user_model):
    user = django_user_model.objects.create_user("reader", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_suggestion", "change_suggestion"]))
    client.force_login(user)
    suggestion = f.SuggestionFactory(is_new=True)
    decide(client, suggestion, "accept", status=403)
    assert suggestion.state == SuggestionState.RECEIVED and not models.Program.objects.filter(name=suggestion.name)


# Declining, duplicates


def test_declining_needs_a_reason_shown_to_the_proposer(curator_client, client):
    suggestion = f.SuggestionFactory(email="li@example.org")
    page = decide(curator_client, suggestion, "decline", status=200, reason="  ").content.decode()
    assert "This field is required." in page
    assert suggestion.state == SuggestionState.RECEIVED and suggestion.email == "li@example.org"
    decide(curator_client, suggestion, "decline", reason="来源没有提到这一年份。")
    assert suggestion.state == SuggestionState.DECLINED and suggestion.email == ""
    status = client.get(reverse("programs:suggestion-status", args=[suggestion.status_token()]))
    assert "来源没有提到这一年份。" in status.content.decode()


def test_a_reason_with_a_control_character_is_refused(curator_client):
    suggestion = f.SuggestionFactory()
    decide(curator_client, suggestion, "decline", status=200, reason="bad\x00reason")
    assert suggestion.state == SuggestionState.RECEIVED


def test_a_duplicate_of_another_suggestion(curator_client):
    original, repeat = f.SuggestionFactory(), f.SuggestionFactory()
    decide(curator_client, repeat, "duplicate", of_suggestion=f"#{original.pk}")
    assert repeat.state == SuggestionState.DUPLICATE and repeat.duplicate_of == original


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Name the suggestion or the record"),
        ({"of_suggestion": "999999"}, "There is no suggestion #999999"),
        ({"of_suggestion": "SELF"}, "cannot repeat itself"),
        ({"of_record": "tencent"}, "Only a proposed new record can repeat a record"),
        ({"of_record": "not a slug"}, "Enter a valid “slug”"),
    ],
)
def test_a_duplicate_must_name_what_it_repeats(staff_client, catalogue, fields, message):
    suggestion = f.SuggestionFactory(record=catalogue["lab"])
    if fields.get("of_suggestion") == "SELF":
        fields = {"of_suggestion": str(suggestion.pk)}
    response = staff_client.post(review_url(suggestion), {"action": "duplicate", **fields})
    assert response.status_code == 200 and message in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.RECEIVED


def test_a_new_record_may_repeat_a_record_of_the_registry(curator_client, catalogue):
    suggestion = f.SuggestionFactory(is_new=True, record_type="organization", name="Tencent")
    page = curator_client.get(review_url(suggestion)).content.decode()
    assert 'name="of_record" value="tencent"' in page  # offered among the nearest records
    decide(curator_client, suggestion, "duplicate", of_record="tencent")
    assert suggestion.state == SuggestionState.DUPLICATE and suggestion.record_id == catalogue["tencent"].pk
    assert not models.Organization.objects.filter(name="Tencent").exists()


# What cannot be decided


@pytest.mark.parametrize("state", [SuggestionState.ACCEPTED, SuggestionState.DECLINED, SuggestionState.DUPLICATE])
@pytest.mark.parametrize("action", ["accept", "decline", "duplicate"])
def test_a_closed_suggestion_cannot_be_decided_again(staff_client, state, action):
    suggestion = f.SuggestionFactory(state=state, reason="已处理" if state == SuggestionState.DECLINED else "")
    other = f.SuggestionFactory()
    response = decide(staff_client, suggestion, action, status=200, reason="再拒绝", of_suggestion=str(other.pk))
    assert "cannot be decided again" in response.content.decode()
    assert suggestion.state == state


def test_an_unknown_action_is_a_bad_request(staff_client):
    suggestion = f.SuggestionFactory()
    decide(staff_client, suggestion, "publish", status=400)
    assert suggestion.state == SuggestionState.RECEIVED


def test_who_may_only_view_reads_but_cannot_decide(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_suggestion"))
    client.force_login(user)
    suggestion = f.SuggestionFactory()
    page = client.get(review_url(suggestion)).content.decode()
    assert "You may read suggestions, not decide them." in page and 'name="action"' not in page
    for action in ("accept", "decline", "duplicate"):
        decide(client, suggestion, action, status=403, reason="x")
    assert suggestion.state == SuggestionState.RECEIVED


def test_the_anonymous_and_staff_without_the_permission_are_kept_out(client, django_user_model):
    suggestion = f.SuggestionFactory()
    assert client.get(review_url(suggestion)).status_code == 302
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    assert client.get(review_url(suggestion)).status_code == 403
    assert client.post(review_url(suggestion), {"action": "decline", "reason": "x"}).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.RECEIVED


def test_spam_is_declined_in_bulk_without_email(curator_client):
    spam = [f.SuggestionFactory(email=f"victim{n}@example.org") for n in range(3)]
    kept = f.SuggestionFactory(email="real@example.org")
    done = f.SuggestionFactory(state=SuggestionState.ACCEPTED)
    response = curator_client.post(
        reverse("admin:programs_suggestion_changelist"),
        {"action": "decline_as_spam", "_selected_action": [s.pk for s in [*spam, done]]},
    )
    assert response.status_code == 302
    states = dict(Suggestion.objects.values_list("pk", "state"))
    assert [states[s.pk] for s in spam] == [SuggestionState.DECLINED] * 3
    assert states[kept.pk] == SuggestionState.RECEIVED and states[done.pk] == SuggestionState.ACCEPTED
    assert not Suggestion.objects.filter(pk__in=[s.pk for s in spam]).exclude(email="").exists()
    assert mail.outbox == []
