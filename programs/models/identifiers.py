from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models.base import TimestampedModel
from programs.models.history import History
from programs.models.schemes import (
    ORGANIZATION_SCHEMES,
    PERSON_SCHEMES,
    PROGRAM_SCHEMES,
    SCHEMES,
    SCHEMES_OF,
    IdentifierScheme,
)

OWNERS = ("organization", "person", "program")

DUPLICATE = _("%(identifier)s already identifies %(holder)s; it cannot also identify %(record)s.")
NOT_FOR_RECORDS = _("%(scheme)s is not a scheme for %(records)s.")
WRONG_OWNER = _("%(scheme)s is not a scheme for %(records)s, which take: %(schemes)s.")
RECORDS = {"organization": _("organizations"), "person": _("people"), "program": _("programmes")}


def _one_owner():
    """Exactly one of the record columns is set."""
    return Q(
        *(
            Q(**{f"{owner}__isnull": owner != kept for owner in OWNERS})  # only `kept` set
            for kept in OWNERS
        ),
        _connector=Q.OR,
    )


class Identifier(TimestampedModel):
    """A record's identifier in an external registry: its ROR ID, Wikidata item, ORCID iD…

    One row per identifier, whatever the record: the database refuses a second record with the
    same scheme and value, a row naming no record or several, and a scheme the kind of record
    does not take (an ORCID iD on an organization). Values are stored in their scheme's
    canonical form (programs.models.schemes), which `clean()` produces from any accepted input.
    """

    scheme = models.CharField(_("scheme"), max_length=20, choices=IdentifierScheme)
    value = models.CharField(_("value"), max_length=100)
    organization = models.ForeignKey(
        "programs.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
    )
    person = models.ForeignKey(
        "programs.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
    )

    history = History()

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="%(app_label)s_%(class)s_one_record",
                violation_error_message=_("This identifier already identifies another record."),
            ),
            models.CheckConstraint(
                condition=_one_owner(),
                name="%(app_label)s_%(class)s_one_owner",
                violation_error_message=_("An identifier identifies exactly one organization, person or programme."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{owner}__isnull": True}) | Q(scheme__in=schemes),
                    name=f"%(app_label)s_%(class)s_{owner}_scheme",
                    violation_error_message=_("This scheme does not identify this kind of record."),
                )
                for owner, schemes in (
                    ("organization", ORGANIZATION_SCHEMES),
                    ("person", PERSON_SCHEMES),
                    ("program", PROGRAM_SCHEMES),
                )
            ),
        ]

    def __str__(self):
        return f"{self.scheme}:{self.value}"

    def get_absolute_url(self):
        record = self.record
        return record.get_absolute_url() if record is not None else ""

    @property
    def record(self):
        """The organization, person or programme identified."""
        return next((getattr(self, owner) for owner in OWNERS if getattr(self, f"{owner}_id") is not None), None)

    @property
    def owner_kind(self) -> str:
        return next((owner for owner in OWNERS if getattr(self, f"{owner}_id") is not None), "")

    @property
    def scheme_label(self) -> str:
        return SCHEMES[self.scheme].label if self.scheme in SCHEMES else self.scheme

    @property
    def url(self) -> str:
        """The scheme's resolver page of this identifier ("" for a scheme without one)."""
        return SCHEMES[self.scheme].url(self.value) if self.scheme in SCHEMES else ""

    def clean(self):
        """The value in its canonical form, valid by its scheme's rule, on a kind of record that takes it."""
        super().clean()
        if self.scheme not in SCHEMES:
            return  # the choice field says so
        try:
            self.value = SCHEMES[self.scheme].normalise(self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None
        owner = self.owner_kind or self._owner_in_forms()
        if owner and self.scheme not in SCHEMES_OF[owner]:
            raise ValidationError(
                {
                    "scheme": WRONG_OWNER
                    % {
                        "scheme": self.scheme_label,
                        "records": RECORDS[owner],
                        "schemes": ", ".join(str(SCHEMES[code].label) for code in SCHEMES_OF[owner]),
                    }
                }
            )

    def _owner_in_forms(self) -> str:
        # An inline row of a record not saved yet has the record but not its id.
        return next((owner for owner in OWNERS if getattr(self, owner, None) is not None), "")

    def validate_constraints(self, exclude=None):
        """As the database would, but a duplicate names the record that holds the identifier already."""
        holder = (
            Identifier.objects.filter(scheme=self.scheme, value=self.value)
            .exclude(pk=self.pk)
            .select_related(*OWNERS)
            .first()
        )
        if holder is not None:
            raise ValidationError(
                {"value": DUPLICATE % {"identifier": str(self), "holder": describe(holder), "record": describe(self)}}
            )
        super().validate_constraints(exclude)


def _owner_label(owner: str) -> str:
    return {"organization": _("organization"), "person": _("person"), "program": _("programme")}[owner]


def describe(identifier) -> str:
    """The record an identifier names, for messages: organization “清华大学” (tsinghua-university)."""
    owner = identifier.owner_kind or identifier._owner_in_forms()
    record = getattr(identifier, owner, None) if owner else None
    if record is None:
        return str(_("a record not saved yet"))
    return f"{_owner_label(owner)} “{record}” ({record.slug or '-'})"
