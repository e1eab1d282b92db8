"""What a fixture file may contain: its sections, their fields, references and nested links.

One declaration per section drives reading, validation, writing and export alike, so the
format described in docs/fixtures.md has a single definition in code; each section is built from
its kind's declaration (programs/models/kinds/): the fields a file carries, in their order, and what
the model says of them (which are required, a link row's natural key).
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models as djmodels
from django.utils.translation import gettext_lazy as _

from programs import models
from programs.models import kinds
from programs.models.fields import LinesField
from programs.models.schemes import SCHEMES, SCHEMES_OF

# A citation's values (its quote, its locator): what a record or link gives beside its own fields to
# cite its file's source, and what an item of a `citations` list gives beside the source.
CITATION_VALUES = tuple(
    item.name for item in kinds.CITATION.carried(kinds.Output.FIXTURE) if not isinstance(item, kinds.Ref)
)
CITATION_KEYS = (*CITATION_VALUES, "citations")


@dataclass(frozen=True, eq=False)
class Link:
    """A list of link rows nested under the record that owns them (e.g. a programme's participants)."""

    name: str
    model: type[djmodels.Model]
    owner: str  # the link's foreign key to the owning record
    key: tuple[str, ...]  # natural key within one owner; the model's unique constraint
    required: tuple[str, ...]
    fields: tuple[str, ...]  # every field, in export order
    refs: dict[str, str]  # field -> record type it names by slug
    citable: bool = True  # whether the link carries quotes and citations
    # The file's mapping in the form the model stores, or ValidationError by field (before matching rows).
    clean_item: Callable[[dict], dict] | None = None

    @functools.cached_property
    def plain(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name not in self.refs)

    @functools.cached_property
    def allowed(self) -> frozenset[str]:
        return frozenset({*self.fields, *(CITATION_KEYS if self.citable else ())})


@dataclass(frozen=True, eq=False)
class Section:
    """A top-level list of records addressed by slug (or, for `source`, the file's one record)."""

    name: str
    record_type: str  # how citations and messages name it: program/alibaba-air
    model: type[djmodels.Model]
    required: tuple[str, ...]
    fields: tuple[str, ...]  # every field (references included), in export order, slug first
    refs: dict[str, str] = field(default_factory=dict)
    multi_refs: dict[str, str] = field(default_factory=dict)
    links: tuple[Link, ...] = ()
    single: bool = False  # `source:` is one mapping, not a list

    @functools.cached_property
    def plain(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name not in self.refs and name not in self.multi_refs)

    @functools.cached_property
    def allowed(self) -> frozenset[str]:
        return frozenset({*self.fields, *(link.name for link in self.links), *CITATION_KEYS})


def identifier_cleaner(owner: str):
    """A record's identifiers as stored: each value in its scheme's canonical form, so that an
    address or a differently written value matches the stored row; a scheme the record does not
    take, or a value its scheme's rule refuses, is a problem of the file."""

    def clean(item: dict) -> dict:
        scheme, value = item.get("scheme"), item.get("value")
        if not isinstance(scheme, str) or not isinstance(value, str):
            return item  # the type checks report it
        if scheme not in SCHEMES_OF[owner]:
            raise ValidationError(
                {
                    "scheme": _("%(scheme)r is not a scheme of %(record)s records; expected one of: %(schemes)s")
                    % {"scheme": scheme, "record": owner, "schemes": ", ".join(SCHEMES_OF[owner])}
                }
            )
        try:
            return {**item, "value": SCHEMES[scheme].normalise(value)}
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None

    return clean


# How a link kind's rows are read from a file, where the model's own cleaning is not enough.
CLEANERS = {kinds.IDENTIFIER: identifier_cleaner}


def required(model, names) -> tuple[str, ...]:
    """The fields a new record must give: those the model needs that have no default."""
    fields = (model._meta.get_field(name) for name in names)
    return tuple(f.name for f in fields if not f.blank and not f.has_default())


def link(kind: kinds.Kind, item: kinds.Links) -> Link:
    """The list `item` of a record of `kind`: rows matched by their natural key within the record."""
    rows, owner = item.kind, kind.model._meta.model_name
    carried = [i for i in rows.carried(kinds.Output.FIXTURE) if i.name != owner]
    fields = tuple(i.name for i in carried)
    return Link(
        name=item.name,
        model=rows.model,
        owner=owner,
        key=tuple(name for name in rows.key if name != owner),
        required=required(rows.model, fields),
        fields=fields,
        refs={i.name: i.target for i in carried if isinstance(i, kinds.Ref)},
        citable=rows.citable,
        clean_item=CLEANERS[rows](owner) if rows in CLEANERS else None,
    )


def section(kind: kinds.Kind, *, single: bool = False) -> Section:
    """The section of a file that holds records of `kind`: `single` for the file's one source."""
    carried = kind.carried(kinds.Output.FIXTURE)
    fields = tuple(item.name for item in carried if not isinstance(item, kinds.Links))
    return Section(
        name=kind.name if single else kind.plural,
        record_type=kind.name,
        model=kind.model,
        required=required(kind.model, fields),
        fields=fields,
        refs={item.name: item.target for item in carried if isinstance(item, kinds.Ref)},
        multi_refs={item.name: item.target for item in carried if isinstance(item, kinds.Refs)},
        links=tuple(link(kind, item) for item in carried if isinstance(item, kinds.Links)),
        single=single,
    )


SOURCE = section(kinds.SOURCE, single=True)
# The other sections in write order: a section only refers to itself or to sections before it.
WRITE_ORDER = (kinds.RESEARCH_AREA, kinds.ORGANIZATION, kinds.PROGRAM, kinds.EDITION, kinds.PERSON, kinds.PROJECT)
SECTIONS = (SOURCE, *(section(kind) for kind in WRITE_ORDER))
SECTIONS_BY_NAME = {section.name: section for section in SECTIONS}
SECTIONS_BY_TYPE = {section.record_type: section for section in SECTIONS}
CITABLE_TYPES = tuple(section.record_type for section in SECTIONS if not section.single)
TOP_LEVEL_KEYS = (*SECTIONS_BY_NAME, "citations")
LINKS = tuple(link for section in SECTIONS for link in section.links)

# The value a field takes when a file leaves it out of a new record (and export leaves it out).
FIXTURE_DEFAULTS = {"status": models.Status.PUBLISHED}


class FieldTypeError(ValueError):
    """A value of the wrong type; its message is for the curator."""


def default_for(model, name):
    if name in FIXTURE_DEFAULTS:
        return FIXTURE_DEFAULTS[name]
    model_field = model._meta.get_field(name)
    return model_field.get_default()


def empty_value(model_field):
    """What `null` (or leaving a field out) means for this field."""
    if isinstance(model_field, LinesField):
        return []
    if model_field.null:
        return None
    return ""


def coerce(model_field, value):
    """Turn a YAML value into the field's Python value, or raise FieldTypeError saying what was expected."""
    if value is None:
        return empty_value(model_field)
    read = next((read for field_class, read in READERS if isinstance(model_field, field_class)), read_text)
    return read(model_field, value)


def read_lines(model_field, value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FieldTypeError(_("expected a list of texts"))
    return model_field.to_python(value)


def read_boolean(model_field, value):
    if not isinstance(value, bool):
        raise FieldTypeError(_("expected true or false"))
    return value


def read_integer(model_field, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldTypeError(_("expected a whole number"))
    return value


def read_decimal(model_field, value):
    """A number, or a number written as text (amounts with decimals are, to keep them exact)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldTypeError(_("expected a number"))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise FieldTypeError(_("expected a number")) from None
    if not number.is_finite():
        raise FieldTypeError(_("expected a finite number"))
    return number


def read_date(model_field, value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FieldTypeError(_("expected a date (YYYY-MM-DD)")) from None


def read_text(model_field, value):
    if not isinstance(value, str):
        raise FieldTypeError(_("expected text (put quotes around numbers, dates and yes/no)"))
    if model_field.choices and value and value not in choice_values(model_field):
        raise FieldTypeError(choice_message(model_field, value))
    return value


# How each kind of field reads a file value, most specific first (a LinesField is a TextField).
READERS = (
    (LinesField, read_lines),
    (djmodels.BooleanField, read_boolean),
    (djmodels.IntegerField, read_integer),
    (djmodels.DecimalField, read_decimal),
    (djmodels.DateField, read_date),
)


@functools.cache
def choice_values(model_field) -> tuple[str, ...]:
    # Django recomputes flatchoices on every access; a field's choices are fixed.
    return tuple(str(key) for key, _label in model_field.flatchoices)


def choice_message(model_field, value) -> str:
    choices = choice_values(model_field)
    if len(choices) > 20:  # countries: too many to list
        return _("%(value)r is not a valid code for %(field)s") % {"value": value, "field": model_field.verbose_name}
    return _("%(value)r is not one of: %(choices)s") % {"value": value, "choices": ", ".join(choices)}


def to_yaml(value):
    """A field value as written to a file: plain YAML scalars, whole amounts as integers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    if isinstance(value, djmodels.Choices):
        return value.value
    if hasattr(value, "code"):  # django-countries' Country
        return value.code
    return value
