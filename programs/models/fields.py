"""Model fields of the domain app."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


def split_lines(value) -> list[str]:
    """Normalise text or a list to a list of distinct, stripped, non-empty items, in order."""
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else [str(item) for item in value]
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


class LinesFormField(forms.CharField):
    """A textarea with one item per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return split_lines(super().to_python(value))


class LinesField(models.TextField):
    """A short list of strings (e.g. aliases), stored as text with one item per line.

    Plain text rather than JSON so that `LIKE` and trigram indexes search it on every database
    (JSON would store non-ASCII names as \\u escapes on SQLite).
    """

    description = _("List of lines")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return split_lines(value)

    def to_python(self, value):
        return split_lines(value)

    def get_prep_value(self, value):
        return "\n".join(split_lines(value))

    def value_to_string(self, obj):
        return "\n".join(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LinesFormField, **kwargs})

    def deconstruct(self):
        # Migrations name the field by the path it was first written under (programs/fields.py).
        name, _path, args, kwargs = super().deconstruct()
        return name, "programs.fields.LinesField", args, kwargs
