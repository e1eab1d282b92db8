"""The rules of a suggestion (programs.models.suggestions), which the form and the API share: what each
kind of suggestion needs, how proposed values are read, the status token, and the database's own checks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from programs import models
from programs.models import SuggestedType, Suggestion, SuggestionState
from programs.models.suggestions import SUGGESTIBLE_FIELDS, referenced_record
from tests import factories as f

pytestmark = pytest.mark.django_db

EVIDENCE = {"evidence_url": "https://example.org/news", "quote": "该计划始于2017年。"}


def correction(record, **fields) -> Suggestion:
    return Suggestion(record_type=SuggestedType.of_model(type(record)), record_id=record.pk, **{**EVIDENCE, **fields})


def errors_of(suggestion: Suggestion) -> dict:
    with pytest.raises(ValidationError) as refused:
        suggestion.full_clean()
    return refused.value.message_dict


def test_a_correction_with_a_value_and_its_evidence_is_valid():
    suggestion = correction(f.ProgramFactory(), field="start_year", value=" 2017 ")
    suggestion.full_clean()
    assert suggestion.value == "2017"


def test_a_new_fact_needs_both_parts_of_its_evidence():
    program = f.ProgramFactory()
    errors = errors_of(correction(program, field="start_year", value="2017", evidence_url="", quote=" "))
    assert set(errors) == {"evidence_url", "quote"}
    errors = errors_of(Suggestion(record_type="program", is_new=True, name="新计划"))
    assert set(errors) == {"evidence_url", "quote"}


def test_a_message_alone_may_point_out_a_mistake_without_evidence():
    correction(f.ProgramFactory(), message="网站链接已失效。", evidence_url="", quote="").full_clean()


def test_an_empty_correction_says_what_is_missing():
    with translation.override("en"):
        errors = errors_of(correction(f.ProgramFactory(), evidence_url="", quote=""))
    assert errors == {"field": ["Choose the field to correct, or say in the message what is wrong."]}


@pytest.mark.parametrize(
    ("fields", "field_with_error"),
    [
        ({"field": "start_year", "value": ""}, "value"),
        ({"field": "", "value": "2017"}, "field"),
        ({"field": "budget", "value": "1"}, "field"),  # not a field the public may change
        ({"field": "start_year", "value": "2017", "role": "host"}, "role"),
        ({"field": "participant", "value": "清华大学"}, "role"),
        ({"field": "start_year", "value": "1899"}, "value"),
        ({"field": "start_year", "value": "二〇一七"}, "value"),
        ({"field": "website", "value": "javascript:alert(1)"}, "value"),
        ({"field": "website", "value": "data:text/html,<script>alert(1)</script>"}, "value"),
        ({"field": "kind", "value": "spaceship"}, "value"),
        ({"field": "name", "value": "名" * 201}, "value"),
        ({"field": "name", "value": "名\x00字"}, "value"),
        ({"message": "错\x07误"}, "message"),
        ({"field": "start_year", "value": "2017", "evidence_url": "ftp://example.org/a"}, "evidence_url"),
        ({"field": "start_year", "value": "2017", "evidence_url": "javascript:alert(1)//"}, "evidence_url"),
        ({"field": "start_year", "value": "2017", "quote": "引" * 1001}, "quote"),
        ({"message": "长" * 5001}, "message"),
        ({"message": "坏", "email": "not an address"}, "email"),
    ],
)
def test_bad_corrections_are_refused_on_the_right_field(fields, field_with_error):
    assert field_with_error in errors_of(correction(f.ProgramFactory(), **fields))


def test_fields_belong_to_their_type():
    person = f.PersonFactory()
    assert "field" in errors_of(correction(person, field="start_year", value="2017"))
    correction(person, field="homepage", value="https://example.org/~li").full_clean()


def test_a_new_record_needs_a_name_that_fits_its_type_and_no_field():
    assert "name" in errors_of(Suggestion(record_type="program", is_new=True, name="  ", **EVIDENCE))
    assert "name" in errors_of(Suggestion(record_type="person", is_new=True, name="名" * 101, **EVIDENCE))
    assert "field" in errors_of(
        Suggestion(record_type="program", is_new=True, name="新计划", field="kind", value="award", **EVIDENCE)
    )
    new = Suggestion(record_type="program", is_new=True, name="  新  计划 ", **EVIDENCE)
    new.full_clean()
    assert new.name == "新 计划"


def test_markup_is_kept_as_text():
    suggestion = correction(f.ProgramFactory(), field="name_en", value="<b>Lab</b>", message="<script>x</script>")
    suggestion.full_clean()
    assert suggestion.value == "<b>Lab</b>"


@pytest.mark.parametrize(
    ("record_type", "field", "given", "stored"),
    [
        ("program", "kind", "Award", "award"),
        ("program", "kind", "奖项", "award"),
        ("program", "kind", "joint_lab", "joint_lab"),
        ("program", "lifecycle", "ended", "ended"),
        ("organization", "country", "cn", "CN"),
        ("organization", "country", "Singapore", "SG"),
        ("organization", "website", "https://www.example.org/", "https://www.example.org/"),
        ("program", "name_en", "  Joint   Lab  ", "Joint Lab"),
    ],
)
def test_proposed_values_are_read_into_the_stored_form(record_type, field, given, stored):
    factory = {"program": f.ProgramFactory, "organization": f.OrganizationFactory}[record_type]
    suggestion = correction(factory(), field=field, value=given)
    suggestion.full_clean()
    assert suggestion.value == stored


def test_every_suggestible_field_is_a_field_of_its_record():
    for suggested, fields in SUGGESTIBLE_FIELDS.items():
        names = {field.name for field in suggested.model._meta.get_fields()}
        assert {name for name in fields if name != "participant"} <= names, suggested


def test_status_tokens_name_one_suggestion_and_refuse_alterations():
    first, second = f.SuggestionFactory(), f.SuggestionFactory()
    token = first.status_token()
    assert Suggestion.objects.by_token(token) == first
    assert Suggestion.objects.by_token(second.status_token()) == second
    public_id, _dot, signature = token.partition(".")
    altered_signature = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for tampered in [
        f"{public_id}.{altered_signature}",
        f"{second.public_id}.{signature}",  # another suggestion's id under this one's signature
        public_id,  # the id alone, as a copy of the database would give it
        "",
        "new",
    ]:
        assert Suggestion.objects.by_token(tampered) is None, tampered


def test_the_database_refuses_a_closed_suggestion_that_keeps_an_email_address():
    suggestion = f.SuggestionFactory(email="someone@example.org")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Suggestion.objects.filter(pk=suggestion.pk).update(state=SuggestionState.ACCEPTED)
    Suggestion.objects.filter(pk=suggestion.pk).update(state=SuggestionState.ACCEPTED, email="")


def test_the_database_refuses_a_decline_without_a_reason_and_a_correction_without_a_record():
    suggestion = f.SuggestionFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Suggestion.objects.filter(pk=suggestion.pk).update(state=SuggestionState.DECLINED)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Suggestion.objects.filter(pk=suggestion.pk).update(record_id=None)


def test_a_reference_names_a_published_record_only():
    program = f.ProgramFactory(slug="air")
    draft = f.OrganizationFactory(slug="hidden", status=models.Status.DRAFT)
    assert referenced_record("program:air") == (SuggestedType.PROGRAM, program)
    for reference in ["organization:hidden", f"organization:{draft.slug}", "program:", "source:air", "air", ""]:
        assert referenced_record(reference) is None, reference


def test_the_record_of_a_suggestion_is_none_once_deleted():
    program = f.ProgramFactory()
    suggestion = f.SuggestionFactory(record=program)
    assert suggestion.record() == program
    program.delete()
    assert suggestion.record() is None
