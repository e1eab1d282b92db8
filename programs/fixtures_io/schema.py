"""What a fixture file may contain: its sections, their fields, references and nested links.

One declaration per section drives reading, validation, writing and export alike, so the
format described in docs/fixtures.md has a single definition in code.
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
from programs.models.fields import LinesField
from programs.models.schemes import SCHEMES, SCHEMES_OF

CITATION_KEYS = ("quote", "quote_repaired", "locator", "citations")


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


PARTICIPANTS = Link(
    name="participants",
    model=models.Participation,
    owner="program",
    key=("organization", "role"),
    required=("organization", "role"),
    fields=("organization", "role", "note"),
    refs={"organization": "organization"},
)
AFFILIATIONS = Link(
    name="affiliations",
    model=models.Affiliation,
    owner="person",
    key=("organization", "title"),
    required=("organization",),
    fields=("organization", "title", "title_en", "start_year", "end_year", "is_current", "note"),
    refs={"organization": "organization"},
)
INVOLVEMENTS = Link(
    name="involvements",
    model=models.Involvement,
    owner="person",
    key=("program", "role", "edition"),
    required=("program", "role"),
    fields=("program", "edition", "role", "year", "note"),
    refs={"program": "program", "edition": "edition"},
)
MEMBERS = Link(
    name="members",
    model=models.ProjectMember,
    owner="project",
    key=("person",),
    required=("person",),
    fields=("person", "organization", "role"),
    refs={"person": "person", "organization": "organization"},
)


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


def identifiers_of(owner: str) -> Link:
    """The `identifiers` list of a person, organization or programme: no citations (registries, not
    articles, give identifiers)."""
    return Link(
        name="identifiers",
        model=models.Identifier,
        owner=owner,
        key=("scheme", "value"),
        required=("scheme", "value"),
        fields=("scheme", "value"),
        refs={},
        citable=False,
        clean_item=identifier_cleaner(owner),
    )


SOURCE = Section(
    name="source",
    record_type="source",
    model=models.Source,
    single=True,
    required=("slug", "title", "language"),
    fields=(
        "slug",
        "title",
        "title_en",
        "name_is_descriptive",
        "publisher",
        "publisher_en",
        "author",
        "published_on",
        "url",
        "language",
        "summary",
        "summary_en",
        "status",
    ),
)

# In write order: a section only refers to itself or to sections before it.
SECTIONS = (
    SOURCE,
    Section(
        name="research_areas",
        record_type="research_area",
        model=models.ResearchArea,
        required=("slug", "name"),
        fields=("slug", "name", "name_en", "description", "description_en", "status"),
    ),
    Section(
        name="organizations",
        record_type="organization",
        model=models.Organization,
        required=("slug", "name", "kind"),
        fields=(
            "slug",
            "name",
            "name_en",
            "name_is_descriptive",
            "short_name",
            "aliases",
            "kind",
            "parent",
            "country",
            "city",
            "website",
            "description",
            "description_en",
            "status",
        ),
        refs={"parent": "organization"},
        links=(identifiers_of("organization"),),
    ),
    Section(
        name="programs",
        record_type="program",
        model=models.Program,
        required=("slug", "name", "kind"),
        fields=(
            "slug",
            "name",
            "name_en",
            "name_en_is_official",
            "name_is_descriptive",
            "aliases",
            "kind",
            "parent",
            "summary",
            "summary_en",
            "start_year",
            "end_year",
            "years_not_in_sources",
            "lifecycle",
            "website",
            "amount",
            "amount_qualifier",
            "currency",
            "amount_basis",
            "research_areas",
            "participants_not_in_sources",
            "status",
        ),
        refs={"parent": "program"},
        multi_refs={"research_areas": "research_area"},
        links=(PARTICIPANTS, identifiers_of("program")),
    ),
    Section(
        name="editions",
        record_type="edition",
        model=models.Edition,
        required=("slug", "program", "label"),
        fields=(
            "slug",
            "program",
            "year",
            "label",
            "label_en",
            *models.QUALIFIED_COUNT_FIELDS,
            "amount",
            "amount_qualifier",
            "currency",
            "amount_basis",
            "notes",
            "notes_en",
        ),
        refs={"program": "program"},
    ),
    Section(
        name="people",
        record_type="person",
        model=models.Person,
        required=("slug", "name"),
        fields=("slug", "name", "name_en", "headline", "headline_en", "homepage", "bio", "bio_en", "status"),
        links=(AFFILIATIONS, INVOLVEMENTS, identifiers_of("person")),
    ),
    Section(
        name="projects",
        record_type="project",
        model=models.Project,
        required=("slug", "title", "program"),
        fields=(
            "slug",
            "title",
            "title_en",
            "name_is_descriptive",
            "program",
            "edition",
            "year",
            "years_not_in_sources",
            "summary",
            "summary_en",
            "outcomes",
            "outcomes_en",
            "status",
        ),
        refs={"program": "program", "edition": "edition"},
        links=(MEMBERS,),
    ),
)
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
