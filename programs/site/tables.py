"""The tables of records that lists, the overview and related programmes show.

A table's columns are declared once, here: their labels head the table and label each cell on a
phone, where a row reads as a card. A model's row is `includes/_<model name>_row.html`, given the
record (loaded with `for_list()`) under the model's name and `labels`, each column's label by key.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


COLUMNS = {
    "program": (
        Column("name", _("Name")),
        Column("kind", _("Kind")),
        Column("participants", _("Participants")),
        Column("years", _("Years")),
        Column("lifecycle", _("Lifecycle")),
    ),
    "organization": (
        Column("name", _("Name")),
        Column("kind", _("Kind")),
        Column("country", _("Country")),
        Column("programs", _("Programmes"), numeric=True),
    ),
    "person": (
        Column("name", _("Name")),
        Column("position", _("Position")),
        Column("organizations", _("Organizations")),
    ),
    "project": (Column("title", _("Title")), Column("program", _("Programme")), Column("year", _("Year"))),
    "source": (Column("title", _("Title")), Column("publisher", _("Publisher")), Column("date", _("Published"))),
}


def columns_of(model) -> tuple[Column, ...]:
    return COLUMNS[model._meta.model_name]


def render_rows(model, records, hints: list[str] | None = None) -> list[str]:
    """The table rows of `records` of `model`, in their order; `hints` say what each matched of a search."""
    name = model._meta.model_name
    labels = {column.key: column.label for column in columns_of(model)}
    template = f"includes/_{name}_row.html"
    hints = hints or [""] * len(records)
    return [
        render_to_string(template, {name: record, "labels": labels, "hint": hint})
        for record, hint in zip(records, hints, strict=True)
    ]
