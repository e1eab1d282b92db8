"""What every record of the tracker shares: timestamps, publication, bilingual display, checks."""

import functools
import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from programs.models.search_keys import key_fields_changed
from programs.models.validators import validate_slug_not_reserved

# Collaboration vehicles in the sources start in the 1990s; anything outside this range is a typo.
MIN_YEAR = 1900
MAX_YEAR = 2100


def year_field(verbose_name, **kwargs):
    """An optional year, validated in forms and (see `year_constraints`) in the database."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        **kwargs,
    )


def _years_message() -> str:
    return gettext("Years must lie between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


# Translated when shown, not when the models are imported (`%` on a lazy string would fix the language).
years_message = lazy(_years_message, str)


def year_constraints(*fields, start="start_year", end="end_year"):
    """Database checks: each year plausible, and a range never ending before it starts."""
    constraints = [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (MIN_YEAR, MAX_YEAR)}),
            name=f"%(app_label)s_%(class)s_{field}_plausible",
            violation_error_message=years_message(),
        )
        for field in fields
    ]
    if start in fields and end in fields:
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{start}__isnull": True})
                | Q(**{f"{end}__isnull": True})
                | Q(**{f"{start}__lte": models.F(end)}),
                name="%(app_label)s_%(class)s_year_range",
                violation_error_message=_("The end year cannot come before the start year."),
            )
        )
    return constraints


def is_english() -> bool:
    """Whether the page (or answer) being made is in English: the site's one test of its language."""
    return (get_language() or "").startswith("en")


def localized(obj, field: str, english: bool | None = None) -> str:
    """The English value of `field` when `english` (by default: on English pages) and there is one,
    else the Chinese one."""
    if english is None:
        english = is_english()
    if english:
        return getattr(obj, f"{field}_en", "") or getattr(obj, field)
    return getattr(obj, field)


def label_in(choices, value, english: bool) -> str:
    """The label of a choice in English or in Chinese, whatever the language of the moment."""
    with translation.override("en" if english else settings.LANGUAGE_CODE):
        return str(choice_label(choices, value))


class Named:
    """How a record is named: one definition for its own page, the pages and API answers that cite
    it, and the admin. A link between records is named after them (see `name_parts`)."""

    name_field = "name"

    def name_parts(self, english: bool) -> list[str]:
        """What the name is made of, in order; a link lists the records it joins and its role."""
        return [localized(self, self.name_field, english)]

    def name_in(self, *, english: bool) -> str:
        """The record's name in English (falling back to Chinese part by part) or in Chinese."""
        return " · ".join(part for part in self.name_parts(english) if part)

    @property
    def display_name(self) -> str:
        """The name in the language of the page."""
        return self.name_in(english=is_english())


def choice_label(choices, value):
    """The label of `value` in a Choices class, or `value` itself when it is not one of them.

    What `get_FOO_display()` returns, without the cost: that builds a dict of the field's choices
    on every call, hashing each lazily translated label (a translation lookup apiece), which on
    a list of 25 rows is milliseconds.
    """
    try:
        return choices(value).label
    except ValueError:
        return value


def check_edition_belongs_to_program(record):
    """Model validation shared by records that name both a programme and one of its editions.

    Compares the related records themselves, so it also holds for records not saved yet.
    """
    edition, program = getattr(record, "edition", None), getattr(record, "program", None)
    if edition is not None and program is not None and edition.program != program:
        raise ValidationError({"edition": _("The edition belongs to another programme.")})


class Qualifier(models.TextChoices):
    """How a count or an amount is known: blank when the source gives it exactly."""

    AT_LEAST = "at_least", _("at least")
    ABOUT = "about", _("about")

    @property
    def symbol(self) -> str:
        return "\N{GREATER-THAN OR EQUAL TO}" if self == Qualifier.AT_LEAST else "\N{ALMOST EQUAL TO}"


def qualifier_field(verbose_name):
    """The qualifier of one count or amount (blank: exact), checked by `qualifier_constraint`."""
    return models.CharField(
        verbose_name,
        max_length=10,
        choices=Qualifier,
        blank=True,
        help_text=_("“At least” or “about” when the source gives no exact figure (e.g. 超过400 is at least 400)."),
    )


def qualifier_constraint(value: str, qualifier: str):
    """A qualifier only qualifies a figure that is there."""
    return models.CheckConstraint(
        condition=Q(**{f"{value}__isnull": False}) | Q(**{qualifier: ""}),
        name=f"%(app_label)s_%(class)s_{qualifier}_has_figure",
        violation_error_message=_("A qualifier needs the figure it qualifies."),
    )


def qualified(value, qualifier: str, text: str | None = None) -> str:
    """A figure with its qualifier's symbol, e.g. "≥ 400"; `text` is the figure as written, if not str(value)."""
    if value is None:
        return ""
    text = str(value) if text is None else text
    return f"{Qualifier(qualifier).symbol} {text}" if qualifier else text


def descriptive_name_field(verbose_name=None):
    """Whether the record's name describes it rather than giving a title the sources use."""
    return models.BooleanField(
        verbose_name or _("descriptive name"),
        default=False,
        help_text=_(
            "The sources describe this record without naming it: its name is a description written "
            "for the tracker, not an official title."
        ),
    )


def years_not_in_sources_field():
    """A curator's statement that the sources date the record nowhere, so its years stay blank."""
    return models.BooleanField(
        _("no year in the sources"),
        default=False,
        help_text=_("No source says when it started or ended: its years are left blank on purpose."),
    )


def no_years_constraint(*fields):
    """A record whose sources give no year has none."""
    return models.CheckConstraint(
        condition=Q(years_not_in_sources=False) | Q(*((f"{field}__isnull", True) for field in fields)),
        name="%(app_label)s_%(class)s_no_years_when_not_in_sources",
        violation_error_message=_("A record whose sources give no year cannot have one."),
    )


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# NUL and the other C0 control characters: PostgreSQL refuses NUL in text, and none of them can be
# typed in a form or shown on a page. Prose (multi-line text) keeps its tabs and line breaks.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f]")
CONTROL_CHARACTER_IN_PROSE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_CHARACTER_MESSAGE = _("The text contains the control character U+%(code)04X, which is not allowed here.")


@functools.cache
def text_fields(model) -> tuple:
    """(field, pattern of the characters it refuses) for each text field of `model`."""
    from programs.models.fields import LinesField

    return tuple(
        (field, CONTROL_CHARACTER_IN_PROSE if is_prose else CONTROL_CHARACTER)
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.generated
        for is_prose in [isinstance(field, models.TextField) and not isinstance(field, LinesField)]
    )


def control_character_errors(record, exclude=()) -> dict[str, ValidationError]:
    """The text fields of `record` that hold a control character they may not, with the error for each."""
    errors = {}
    for field, refused in text_fields(type(record)):
        if field.name in exclude:
            continue
        value = field.value_from_object(record)
        for text in value if isinstance(value, list) else [value]:
            found = refused.search(text) if isinstance(text, str) else None
            if found:
                errors[field.name] = ValidationError(
                    CONTROL_CHARACTER_MESSAGE, code="control_character", params={"code": ord(found.group())}
                )
                break
    return errors


class CheckedTextModel(models.Model):
    """A record whose text fields hold no control characters, checked with the other field validation
    (the admin's forms, the fixture import and the upload all run it)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, error in control_character_errors(self, exclude | set(errors)).items():
            errors[name] = [error]
        if errors:
            raise ValidationError(errors)


class TimestampedModel(CheckedTextModel):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class CitableModel(models.Model):
    """A record that sources support: each citation links it to an article with a quote."""

    citations = GenericRelation("programs.Citation", verbose_name=_("citations"))

    class Meta:
        abstract = True


class PublishableModel(TimestampedModel):
    """A record with its own public page: a permalink slug, and hidden from the public until published."""

    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("The permanent address of the record: lower-case latin letters, digits and hyphens."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.stamp_publication(timezone.now()) and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        if kwargs.get("update_fields") is not None:  # the search keys of the fields saved
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *key_fields_changed(type(self), kwargs["update_fields"]),
            }
        super().save(*args, **kwargs)

    def stamp_publication(self, now) -> bool:
        """Record the first publication time; True when it was set now (bulk writes call this too)."""
        if self.is_published and self.published_at is None:
            self.published_at = now
            return True
        return False

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def public_parent(self):
        """The parent record (programmes and organizations have one), unless it is still a draft."""
        parent = getattr(self, "parent", None)
        return parent if parent is not None and parent.is_published else None
