"""Suggestions from the public: a correction of a published record, or a record the registry lacks,
each with its evidence, for a curator to accept, decline or mark as a duplicate.

A suggestion is not curated data. Nothing in it is public: the proposer follows it on a status page
whose address only they were given (`status_token()`, signed with the secret key, so a copy of the
database alone does not give the addresses). Its table is outside the read model and has no
data-version trigger (programs.reads.read_model.VERSIONED_TABLES), so that a flood of suggestions
never empties the page cache. The proposer's e-mail address is kept only until the suggestion is
closed, and the database refuses a closed suggestion that still holds one.

What a visitor may propose for each kind of record is declared once, in `SUGGESTIBLE_FIELDS`: the
form, the API and the admin that applies an accepted change all read it.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from programs.models.base import MAX_YEAR, MIN_YEAR, CheckedTextModel, choice_label, label_in
from programs.models.organizations import Organization, OrganizationKind
from programs.models.people import Person
from programs.models.programs import Lifecycle, ParticipationRole, Program, ProgramKind

# The status token is the suggestion's random id signed with SECRET_KEY (a salt names the use).
TOKEN_SALT = "programs.suggestion.status"  # noqa: S105 - a namespace, not a secret
TOKEN_SEPARATOR = "."  # noqa: S105 - not in the URL-safe base64 of the id and signature, and safe in a path

MESSAGE_MAX = 5000
QUOTE_MAX = 1000
REASON_MAX = 2000
URL_MAX = 1000

NOT_HTTP = _("Give a web address starting with http:// or https://.")
NEEDS_NAME = _("Give the name of the record the registry lacks.")
NEEDS_WHAT = _("Choose the field to correct, or say in the message what is wrong.")
NEEDS_VALUE = _("Give the value this field should have.")
VALUE_WITHOUT_FIELD = _("Choose the field this value is for.")
UNKNOWN_FIELD = _("“%(field)s” is not a field a suggestion may change for this kind of record.")
NEEDS_ROLE = _("Choose the role the organization plays in the programme.")
ROLE_WITHOUT_PARTICIPANT = _("A role goes with a participant only.")
NEEDS_EVIDENCE_URL = _("A new fact needs its evidence: the public address of a page that says it.")
NEEDS_QUOTE = _("A new fact needs its evidence: the sentence of that page that says it.")
BAD_YEAR = _("Give a year between %(min)s and %(max)s.")
BAD_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
BAD_COUNTRY = _("“%(value)s” is not a country name or ISO 3166 code.")
TOO_LONG = _("At most %(max)s characters.")


def http_url_validator():
    return URLValidator(schemes=["http", "https"], message=NOT_HTTP)


class SuggestedType(models.TextChoices):
    """The kinds of record the public may correct or propose."""

    PROGRAM = "program", _("programme")
    ORGANIZATION = "organization", _("organization")
    PERSON = "person", _("person")

    @property
    def model(self):
        return MODELS[self.value]

    @classmethod
    def of_model(cls, model) -> "SuggestedType | None":
        """The type of `model`'s records, or None when the public may not suggest about them."""
        return next((cls(value) for value, each in MODELS.items() if each is model), None)


MODELS = {"program": Program, "organization": Organization, "person": Person}


class SuggestionState(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    DUPLICATE = "duplicate", _("duplicate")


@dataclass(frozen=True)
class SuggestibleField:
    """A field of a record that a visitor may know and propose a value for.

    `kind` says how the proposed text is read: "text" (as given), "year", "url", "choice" (a code or
    a label of `choices`, in either language), "country" (a name or ISO code), "alias" (one more
    name) or "participant" (an organization's name, with a role).
    """

    name: str
    label: str
    kind: str = "text"
    choices: type | None = None
    max_length: int = 200

    def normalized(self, text: str) -> str:
        """The proposed text in the form the field stores (a choice's code, a country's code), or a
        ValidationError saying what is wrong with it."""
        text = " ".join(text.split()) if self.kind != "url" else text.strip()
        if len(text) > self.max_length:
            raise ValidationError(TOO_LONG, code="max_length", params={"max": self.max_length})
        reader = getattr(self, f"_read_{self.kind}", None)
        return reader(text) if reader else text

    def _read_year(self, text: str) -> str:
        if not (text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR):
            raise ValidationError(BAD_YEAR, code="year", params={"min": MIN_YEAR, "max": MAX_YEAR})
        return str(int(text))

    def _read_url(self, text: str) -> str:
        http_url_validator()(text)
        return text

    def _read_choice(self, text: str) -> str:
        wanted = text.casefold()
        for value, _label in self.choices.choices:
            if wanted in {value, label_in(self.choices, value, True).casefold(), label_in(self.choices, value, False)}:
                return value
        labels = ", ".join(str(choice_label(self.choices, value)) for value in self.choices.values)
        raise ValidationError(BAD_CHOICE, code="choice", params={"value": text[:50], "choices": labels})

    def _read_country(self, text: str) -> str:
        code = text.upper() if text.upper() in countries else countries.by_name(text)
        if not code:
            raise ValidationError(BAD_COUNTRY, code="country", params={"value": text[:50]})
        return code

    def label_of(self, value: str) -> str:
        """A stored value as a person reads it: a choice's label, a country's name."""
        if self.choices is not None and value in self.choices.values:
            return str(self.choices(value).label)
        if self.kind == "country":
            return str(countries.name(value)) or value
        return value

    def stored(self, record):
        """What the record holds in this field now (a participant: its organizations and roles)."""
        if self.kind == "participant":
            return [(p.organization, p.role) for p in record.participations.select_related("organization")]
        return getattr(record, self.name)


def _fields(*fields: SuggestibleField) -> dict[str, SuggestibleField]:
    return {field.name: field for field in fields}


NAMES = (
    SuggestibleField("name", _("name")),
    SuggestibleField("name_en", _("English name")),
    SuggestibleField("aliases", _("another name (an alias or abbreviation)"), kind="alias"),
)
SUGGESTIBLE_FIELDS = {
    SuggestedType.PROGRAM: _fields(
        *NAMES,
        SuggestibleField("kind", _("kind"), kind="choice", choices=ProgramKind),
        SuggestibleField("start_year", _("start year"), kind="year"),
        SuggestibleField("end_year", _("end year"), kind="year"),
        SuggestibleField("lifecycle", _("lifecycle"), kind="choice", choices=Lifecycle),
        SuggestibleField("website", _("website"), kind="url"),
        SuggestibleField("participant", _("a participating organization and its role"), kind="participant"),
    ),
    SuggestedType.ORGANIZATION: _fields(
        *NAMES,
        SuggestibleField("kind", _("kind"), kind="choice", choices=OrganizationKind),
        SuggestibleField("country", _("country"), kind="country"),
        SuggestibleField("city", _("city"), max_length=100),
        SuggestibleField("website", _("website"), kind="url"),
    ),
    SuggestedType.PERSON: _fields(
        SuggestibleField("name", _("name"), max_length=100),
        SuggestibleField("name_en", _("English name"), max_length=100),
        SuggestibleField("headline", _("current position")),
        SuggestibleField("homepage", _("homepage"), kind="url"),
    ),
}
FIELD_NAMES = sorted({name for fields in SUGGESTIBLE_FIELDS.values() for name in fields})


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


def _signer() -> signing.Signer:
    return signing.Signer(salt=TOKEN_SALT, sep=TOKEN_SEPARATOR)


class SuggestionQuerySet(models.QuerySet):
    def by_token(self, token: str):
        """The suggestion a status address names, or None when the token was made up or altered."""
        try:
            public_id = _signer().unsign(token)
        except signing.BadSignature:
            return None
        return self.filter(public_id=public_id).first()

    def about(self, suggested_type: str, record_id: int):
        """Suggestions that name this record (a correction of it, or a new record it became)."""
        return self.filter(record_type=suggested_type, record_id=record_id)

    def waiting_to_be_applied(self):
        """Accepted corrections whose change no curator has saved into the record yet."""
        return self.filter(state=SuggestionState.ACCEPTED, applied_at__isnull=True)

    def for_inbox(self):
        """What the inbox's rows show: the long texts are read on a suggestion's own page only."""
        return self.defer("message", "quote", "reason")


class Suggestion(CheckedTextModel):
    """A visitor's proposal: a change to a published record, or a record the registry lacks, with its evidence."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    record_type = models.CharField(_("record type"), max_length=20, choices=SuggestedType)
    is_new = models.BooleanField(_("new record"), default=False)
    # By id, not a foreign key: a record deleted since stays named here, and the curator is told.
    record_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    record_label = models.CharField(_("record's name when suggested"), max_length=300, blank=True, editable=False)
    name = models.CharField(_("name of the new record"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=30, blank=True)
    value = models.CharField(_("proposed value"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole, blank=True)
    message = models.TextField(_("message"), blank=True, validators=[MaxLengthValidator(MESSAGE_MAX)])
    evidence_url = models.URLField(
        _("evidence (web address)"), max_length=URL_MAX, blank=True, validators=[http_url_validator()]
    )
    quote = models.TextField(_("evidence (the sentence)"), blank=True, validators=[MaxLengthValidator(QUOTE_MAX)])
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    state = models.CharField(
        _("state"), max_length=20, choices=SuggestionState, default=SuggestionState.RECEIVED, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True, validators=[MaxLengthValidator(REASON_MAX)])
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied to the record"), null=True, blank=True)
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="programs_suggestion_newest_idx"),
            models.Index(fields=["state", "-created_at"], name="programs_suggestion_state_idx"),
            models.Index(fields=["record_type", "record_id"], name="programs_suggestion_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=SuggestionState.RECEIVED) | Q(email=""),
                name="%(app_label)s_%(class)s_closed_without_email",
                violation_error_message=_("A closed suggestion keeps no e-mail address."),
            ),
            models.CheckConstraint(
                condition=~Q(state=SuggestionState.DECLINED) | ~Q(reason=""),
                name="%(app_label)s_%(class)s_declined_with_reason",
                violation_error_message=_("A declined suggestion says why."),
            ),
            models.CheckConstraint(
                condition=Q(is_new=True) | Q(record_id__isnull=False),
                name="%(app_label)s_%(class)s_correction_names_record",
                violation_error_message=_("A correction names the record it corrects."),
            ),
        ]

    def __str__(self):
        return f"#{self.pk}"

    @property
    def suggested_type(self) -> SuggestedType:
        return SuggestedType(self.record_type)

    @property
    def model(self):
        return self.suggested_type.model

    @property
    def suggested_field(self) -> SuggestibleField | None:
        return SUGGESTIBLE_FIELDS[self.suggested_type].get(self.field)

    @property
    def value_label(self) -> str:
        field = self.suggested_field
        return field.label_of(self.value) if field is not None else self.value

    @property
    def proposes_fact(self) -> bool:
        """A new record or a value: what needs evidence (a message alone may point out a mistake)."""
        return self.is_new or bool(self.field)

    @property
    def is_closed(self) -> bool:
        return self.state != SuggestionState.RECEIVED

    @property
    def change_reason(self) -> str:
        """What the record's history says of a change that came from this suggestion."""
        return f"Suggestion #{self.pk}"

    def status_token(self) -> str:
        return _signer().sign(self.public_id)

    def record(self):
        """The record the suggestion names, whatever its status, or None (a new record not made yet,
        or a record deleted since)."""
        if self.record_id is None:
            return None
        return self.model.objects.filter(pk=self.record_id).first()

    def clean(self):
        super().clean()
        errors = {}
        if self.record_type in SuggestedType.values:
            check = self._check_new if self.is_new else self._check_correction
            errors.update(check())
        if self.proposes_fact:
            if not self.evidence_url:
                errors.setdefault("evidence_url", NEEDS_EVIDENCE_URL)
            if not self.quote.strip():
                errors.setdefault("quote", NEEDS_QUOTE)
        if errors:
            raise ValidationError(errors)

    def _check_new(self) -> dict:
        errors = {}
        self.name = " ".join(self.name.split())
        limit = self.model._meta.get_field("name").max_length
        if not self.name:
            errors["name"] = NEEDS_NAME
        elif len(self.name) > limit:
            errors["name"] = ValidationError(TOO_LONG, code="max_length", params={"max": limit})
        for name in ("field", "value", "role"):
            if getattr(self, name):
                errors[name] = NEEDS_NAME if name != "role" else ROLE_WITHOUT_PARTICIPANT
        return errors

    def _check_correction(self) -> dict:
        if not self.field:
            return self._check_message_only()
        field = self.suggested_field
        if field is None:
            return {"field": ValidationError(UNKNOWN_FIELD, params={"field": self.field[:30]})}
        errors = {}
        if field.kind == "participant" and not self.role:
            errors["role"] = NEEDS_ROLE
        elif field.kind != "participant" and self.role:
            errors["role"] = ROLE_WITHOUT_PARTICIPANT
        if not self.value.strip():
            errors["value"] = NEEDS_VALUE
        else:
            try:
                self.value = field.normalized(self.value)
            except ValidationError as error:
                errors["value"] = error
        return errors

    def _check_message_only(self) -> dict:
        """A correction without a field says in its message what is wrong, and proposes no value."""
        errors = {}
        if self.value:
            errors["field"] = VALUE_WITHOUT_FIELD
        elif not self.message.strip():
            errors["field"] = NEEDS_WHAT
        if self.role:
            errors["role"] = ROLE_WITHOUT_PARTICIPANT
        return errors


def referenced_record(reference: str):
    """The published record a reference names (`program:<slug>`, `organization:<slug>`,
    `person:<slug>`) with its type, or None."""
    record_type, _colon, slug = reference.partition(":")
    if record_type not in SuggestedType.values:
        return None
    suggested = SuggestedType(record_type)
    record = suggested.model.objects.published().filter(slug=slug).first()
    return (suggested, record) if record is not None else None
