"""Model validation refuses what no path may store: control characters in text, codes outside their standard.

The admin's forms, the fixture import and its upload all run it (the import's own paths are in
tests/fixtures_io/test_fixtures_bad_input.py).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import models as djmodels
from django.urls import reverse
from django.utils import translation

from programs import models
from programs.models.base import text_fields
from programs.models.fields import LinesField
from programs.models.validators import CURRENCY_MESSAGE
from tests import factories as f
from tests.helpers import FACTORIES, form_data

pytestmark = pytest.mark.django_db


# Codes refuse far more than control characters already, with messages of their own.
CODES = {"slug", "currency"}
TEXT_FIELDS = [
    pytest.param(model, field, id=f"{model._meta.model_name}.{field.name}")
    for model in FACTORIES
    for field, _refused in text_fields(model)
    if not field.choices and field.name not in CODES
]


def is_prose(field) -> bool:
    return isinstance(field, djmodels.TextField) and not isinstance(field, LinesField)


def with_text(model, field, text):
    record = FACTORIES[model].build() if model is not models.Citation else f.CitationFactory()
    value = [f"别{text}名"] if isinstance(field, LinesField) else f"a{text}b"
    if isinstance(field, djmodels.URLField):
        value = f"https://example.org/{text}"
    setattr(record, field.attname, value)
    return record


def field_errors(record, name) -> list[str]:
    try:
        record.clean_fields(exclude={f.name for f in record._meta.fields if f.name != name})
    except ValidationError as error:
        return error.message_dict.get(name, [])
    return []


@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS)
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x1f"])
def test_every_text_field_refuses_control_characters(model, field, character):
    with translation.override("en"):
        errors = field_errors(with_text(model, field, character), field.name)
    assert errors, (model, field.name)
    if not isinstance(field, djmodels.URLField):  # a URL's own validator speaks first
        assert errors == [f"The text contains the control character U+{ord(character):04X}, which is not allowed here."]


@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS)
def test_prose_keeps_tabs_and_line_breaks_single_lines_do_not(model, field):
    if isinstance(field, djmodels.URLField):
        return
    errors = field_errors(with_text(model, field, "\tline\r\nnext"), field.name)
    assert bool(errors) is not is_prose(field), (model, field.name)
    assert not field_errors(with_text(model, field, " 中文 English "), field.name)


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("currency", "CNY", True),
        ("currency", "HKD", True),
        ("currency", "RMB", False),
        ("currency", "cny", False),
        ("currency", "XYZ", False),
        ("country", "CN", True),
        ("country", "XX", False),
        ("language", "en", True),
        ("language", "fr", False),
    ],
)
def test_codes_follow_their_standard(field, value, valid):
    if field == "currency":
        records = [f.ProgramFactory.build(amount=1, currency=value), f.EditionFactory.build(amount=1, currency=value)]
    elif field == "country":
        records = [f.OrganizationFactory.build(country=value)]
    else:
        records = [f.SourceFactory.build(language=value)]
    for record in records:
        assert (field_errors(record, field) == []) is valid, (record, value)


def test_the_admin_refuses_a_control_character_and_an_unknown_currency(staff_client):
    program = f.ProgramFactory(name="原名")
    with translation.override("en"):
        url = reverse("admin:programs_program_change", args=[program.pk])
    data = form_data(staff_client.get(url))
    data.update(name="新\x07名", amount="10", currency="RMB")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "U+0007" in errors["name"][0]
    assert errors["currency"] == [str(CURRENCY_MESSAGE)]
    program.refresh_from_db()
    assert (program.name, program.amount, program.currency) == ("原名", None, "")
