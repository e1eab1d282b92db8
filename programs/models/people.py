from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models.base import (
    CitableModel,
    Named,
    PublishableModel,
    TimestampedModel,
    check_edition_belongs_to_program,
    label_in,
    localized,
    year_constraints,
    year_field,
)
from programs.models.history import History
from programs.models.querysets import AffiliationQuerySet, InvolvementQuerySet, PersonQuerySet
from programs.models.search_keys import KEYS, search_key_fields


class InvolvementRole(models.TextChoices):
    AWARDEE = "awardee", _("Awardee")
    SCHOLAR = "scholar", _("Scholar")
    FELLOW = "fellow", _("Fellow")
    INTERN = "intern", _("Intern")
    POSTDOC = "postdoc", _("Postdoc")
    LEAD = "lead", _("Lead")
    MENTOR = "mentor", _("Mentor")
    MEMBER = "member", _("Member")


class Person(Named, PublishableModel, CitableModel):
    """A researcher, engineer or manager named by a source."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    headline = models.CharField(
        _("headline"), max_length=200, blank=True, help_text=_("Current position, e.g. 南京大学教授.")
    )
    headline_en = models.CharField(_("English headline"), max_length=200, blank=True)
    homepage = models.URLField(_("homepage"), blank=True)
    bio = models.TextField(_("biography"), blank=True)
    bio_en = models.TextField(_("English biography"), blank=True)
    search_names, search_words, search_text = search_key_fields()

    objects = PersonQuerySet.as_manager()
    history = History(excluded_fields=list(KEYS))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="programs_person_name_idx"),
            # Exact names, case-insensitively, for reconciliation (programs.reconcile).
            models.Index(Lower("name"), name="programs_person_lower_name_idx"),
            models.Index(Lower("name_en"), name="programs_person_lower_en_idx"),
            models.Index(fields=["updated_at", "id"], name="programs_person_modified_idx"),
        ]
        permissions = [("publish_person", _("Can publish and unpublish people"))]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return reverse("programs:person-detail", kwargs={"slug": self.slug})

    @property
    def display_headline(self) -> str:
        return localized(self, "headline")

    @property
    def display_bio(self) -> str:
        return localized(self, "bio")

    def career(self) -> list["Affiliation"]:
        """The prefetched published career steps in order, each with `previous`: the step before it.

        Steps without a start year come first (the sources rarely date early positions), then by year.
        """
        steps = sorted(self.affiliations.all(), key=lambda a: (a.start_year is not None, a.start_year or 0, a.pk))
        previous = None
        for step in steps:
            step.previous = previous
            previous = step
        return steps


class Affiliation(Named, TimestampedModel, CitableModel):
    """A step in a person's career: a position at an organization, with the years the source gives."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        "programs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. 教授, 首席科学家."))
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    start_year = year_field(_("start year"))
    end_year = year_field(_("end year"))
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("The source says the person holds this position now.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = AffiliationQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["person", "start_year", "pk"]
        constraints = [
            *year_constraints("start_year", "end_year"),
            models.UniqueConstraint(
                fields=["person", "organization", "title"],
                name="%(app_label)s_%(class)s_unique_position",
                violation_error_message=_("This person already has this position at this organization."),
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(end_year__isnull=True),
                name="%(app_label)s_%(class)s_current_has_no_end",
                violation_error_message=_("A current position cannot have an end year."),
            ),
        ]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def name_parts(self, english: bool) -> list[str]:
        return [
            self.person.name_in(english=english),
            self.organization.name_in(english=english),
            localized(self, "title", english),
        ]

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def years_display(self) -> str:
        if self.start_year is None and self.end_year is None:
            return ""
        return f"{self.start_year or '?'}\N{EN DASH}{self.end_year or ''}"

    @property
    def is_move(self) -> bool:
        """This step follows one at another organization (set by `Person.career()`)."""
        previous = getattr(self, "previous", None)
        return previous is not None and previous.organization_id != self.organization_id


class Involvement(Named, TimestampedModel, CitableModel):
    """A person's part in a programme, optionally in one edition: awardee, scholar, lead…"""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="involvements")
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="involvements",
    )
    edition = models.ForeignKey(
        "programs.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    role = models.CharField(_("role"), max_length=20, choices=InvolvementRole, db_index=True)
    year = year_field(_("year"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = InvolvementQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["program", "year", "person"]
        constraints = [
            *year_constraints("year"),
            models.UniqueConstraint(
                fields=["person", "program", "role", "edition"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message=_("This person already has this role in this edition."),
            ),
            # NULLs are distinct in a unique index, so involvements outside any edition need their own.
            models.UniqueConstraint(
                fields=["person", "program", "role"],
                condition=Q(edition__isnull=True),
                name="%(app_label)s_%(class)s_unique_role_undated",
                violation_error_message=_("This person already has this role in the programme."),
            ),
        ]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def name_parts(self, english: bool) -> list[str]:
        return [
            self.person.name_in(english=english),
            label_in(InvolvementRole, self.role, english),
            self.program.name_in(english=english),
        ]

    def clean(self):
        super().clean()
        check_edition_belongs_to_program(self)
