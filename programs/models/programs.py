from django.core.validators import MinValueValidator
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
    choice_label,
    descriptive_name_field,
    label_in,
    localized,
    no_years_constraint,
    qualified,
    qualifier_constraint,
    qualifier_field,
    year_constraints,
    year_field,
    years_not_in_sources_field,
)
from programs.models.fields import LinesField
from programs.models.history import History
from programs.models.querysets import (
    PARTNER_ROLES,
    SPONSOR_ROLES,
    EditionQuerySet,
    ParticipationQuerySet,
    ProgramQuerySet,
    ResearchAreaQuerySet,
)
from programs.models.search_keys import KEYS, search_key_fields
from programs.models.validators import validate_currency


class ProgramKind(models.TextChoices):
    JOINT_LAB = "joint_lab", _("Joint lab")
    RESEARCH_FUND = "research_fund", _("Research fund")
    AWARD = "award", _("Award")
    SCHOLARSHIP = "scholarship", _("Scholarship")
    POSTDOC_STATION = "postdoc_station", _("Postdoc station")
    INTERNSHIP = "internship", _("Internship")
    TALENT_PROGRAM = "talent_program", _("Talent programme")
    TRAINING_BASE = "training_base", _("Training base")
    ALLIANCE = "alliance", _("Alliance")
    COMPETITION = "competition", _("Competition")
    OPEN_PLATFORM = "open_platform", _("Open platform")
    OTHER = "other", _("Other")


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    ANNOUNCED = "announced", _("Announced")
    UNKNOWN = "unknown", _("Unknown")


class AmountBasis(models.TextChoices):
    PER_PERSON = "per_person", _("per person")
    PER_PROJECT = "per_project", _("per project")
    PER_YEAR = "per_year", _("per year")
    TOTAL = "total", _("in total")


class ParticipationRole(models.TextChoices):
    SPONSOR = "sponsor", _("Sponsor")
    HOST = "host", _("Host")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    CO_FOUNDER = "co_founder", _("Co-founder")
    # Takes part without running it: a competition's entrants, an institution whose scholars join, a user.
    PARTICIPANT = "participant", _("Participant")


class Money(models.Model):
    """An optional sum of money: amount, ISO 4217 currency, and what the amount is counted per."""

    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[validate_currency],
        help_text=_("ISO 4217 code, e.g. CNY, HKD, USD."),
    )
    amount_basis = models.CharField(_("amount basis"), max_length=20, choices=AmountBasis, blank=True)
    amount_qualifier = qualifier_field(_("amount qualifier"))

    class Meta:
        abstract = True

    @staticmethod
    def constraints():
        return [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""),
                name="%(app_label)s_%(class)s_amount_has_currency",
                violation_error_message=_("An amount needs its currency."),
            ),
            qualifier_constraint("amount", "amount_qualifier"),
        ]


class ResearchArea(Named, PublishableModel, CitableModel):
    """A research field that programmes fund or study, e.g. 人工智能 (artificial intelligence)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    search_names, search_words, search_text = search_key_fields()

    objects = ResearchAreaQuerySet.as_manager()
    history = History(excluded_fields=list(KEYS))

    class Meta:
        verbose_name = _("research area")
        verbose_name_plural = _("research areas")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="programs_area_name_idx"),
            models.Index(fields=["updated_at", "id"], name="programs_area_modified_idx"),
        ]
        permissions = [("publish_researcharea", _("Can publish and unpublish research areas"))]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return reverse("programs:program-list") + f"?research_area={self.slug}"


class Program(Named, PublishableModel, CitableModel, Money):
    """A collaboration vehicle between academia and industry: a joint lab, fund, award, scholarship…"""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # Curators write English names in British spelling ("Programme"); an organiser's own English
    # name is kept as the organiser spells it ("Alibaba Research Intern Program").
    name_en_is_official = models.BooleanField(
        _("official English name"),
        default=False,
        help_text=_(
            "The English name is the organiser's own, kept verbatim (its spelling too), not a translation "
            "written for the tracker."
        ),
    )
    name_is_descriptive = descriptive_name_field()
    aliases = LinesField(_("aliases"), help_text=_("Other names the sources give, one per line."))
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
    start_year = year_field(_("start year"), db_index=True)
    end_year = year_field(_("end year"))
    years_not_in_sources = years_not_in_sources_field()
    lifecycle = models.CharField(
        _("lifecycle"), max_length=20, choices=Lifecycle, default=Lifecycle.UNKNOWN, db_index=True
    )
    website = models.URLField(_("website"), blank=True)
    research_areas = models.ManyToManyField(
        ResearchArea, verbose_name=_("research areas"), blank=True, related_name="programs"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The programme this one is part of, e.g. a scholarship under an award."),
    )
    organizations = models.ManyToManyField(
        "programs.Organization", through="programs.Participation", related_name="programs"
    )
    participants_not_in_sources = models.BooleanField(
        _("no organization in the sources"),
        default=False,
        help_text=_("No source names an organization taking part: the programme has no participants on purpose."),
    )
    search_names, search_words, search_text = search_key_fields()

    objects = ProgramQuerySet.as_manager()
    history = History(excluded_fields=list(KEYS), m2m_fields=[research_areas])

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="programs_program_name_idx"),
            models.Index(fields=["-created_at"], name="programs_program_newest_idx"),
            # Exact names, case-insensitively, for reconciliation (programs.reconcile).
            models.Index(Lower("name"), name="programs_prog_lower_name_idx"),
            models.Index(Lower("name_en"), name="programs_prog_lower_en_idx"),
            models.Index(fields=["updated_at", "id"], name="programs_program_modified_idx"),
            # The few programmes stating an amount: an organization page sums its own from these
            # (programs.reads.organization_figures) instead of reading every programme it takes part in.
            models.Index(fields=["id"], condition=Q(amount__isnull=False), name="programs_program_amount_idx"),
        ]
        permissions = [("publish_program", _("Can publish and unpublish programmes"))]
        constraints = [
            *year_constraints("start_year", "end_year"),
            no_years_constraint("start_year", "end_year"),
            *Money.constraints(),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message=_("A programme cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return reverse("programs:program-detail", kwargs={"slug": self.slug})

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")

    @property
    def kind_label(self) -> str:
        return choice_label(ProgramKind, self.kind)

    @property
    def lifecycle_label(self) -> str:
        return choice_label(Lifecycle, self.lifecycle)

    # These read the published participations that `with_links()` (in `for_list()` / `for_detail()`) loads.

    def participants_by_role(self) -> list[tuple]:
        """(role label, organizations) for each role present, sponsors first."""
        groups: dict[str, list] = {}
        for participation in self.linked_participations:
            groups.setdefault(participation.role, []).append(participation.organization)
        return [(role.label, groups[role]) for role in ParticipationRole if role in groups]

    PRINCIPAL_PARTICIPANTS = 3  # participants a list's row names

    @property
    def principal_participants(self) -> list[tuple]:
        """(role label, organizations) of the first participants a row names, sponsors first."""
        groups, room = [], self.PRINCIPAL_PARTICIPANTS
        for label, organizations in self.participants_by_role():
            if room > 0:
                groups.append((label, organizations[:room]))
                room -= len(organizations[:room])
        return groups

    @property
    def other_participant_count(self) -> int:
        """How many participants a row leaves unnamed."""
        return max(0, len(self.linked_participations) - self.PRINCIPAL_PARTICIPANTS)

    @property
    def sponsors(self) -> list:
        return [p.organization for p in self.linked_participations if p.role in SPONSOR_ROLES]

    @property
    def partners(self) -> list:
        return [p.organization for p in self.linked_participations if p.role in PARTNER_ROLES]

    @property
    def years_display(self) -> str:
        """The years the programme ran, e.g. "2018-2022" or "2018-" (with an en dash), or "" when unknown."""
        if self.start_year is None:
            return str(self.end_year or "")
        return f"{self.start_year}\N{EN DASH}{self.end_year or ''}"

    @property
    def money_display(self) -> str:
        return money_display(self)


def amount_display(value) -> str:
    """An amount with thousands separators, its cents only when it has any: "200,000", "1,500.50"."""
    return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}"


def money_display(record) -> str:
    """ "200,000 CNY per person" ("≈ 200,000 CNY per person" when about), or "" when the record gives no amount."""
    if record.amount is None:
        return ""
    amount = amount_display(record.amount)
    basis = AmountBasis(record.amount_basis).label if record.amount_basis else ""
    amount = qualified(record.amount, record.amount_qualifier, amount)
    return " ".join(part for part in (amount, record.currency, str(basis)) if part)


class Participation(Named, TimestampedModel, CitableModel):
    """An organization's part in a programme: sponsor, host, partner, funder or co-founder."""

    program = models.ForeignKey(
        Program, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        "programs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ParticipationQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["program", "role", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization", "role"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message=_("This organization already has this role in the programme."),
            ),
        ]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return self.program.get_absolute_url()

    def name_parts(self, english: bool) -> list[str]:
        return [
            self.organization.name_in(english=english),
            label_in(ParticipationRole, self.role, english),
            self.program.name_in(english=english),
        ]


# An edition's counts, each with its `<count>_qualifier`; and both, in the order forms and files show them.
COUNT_FIELDS = ("recipient_count", "project_count", "application_count")
QUALIFIED_COUNT_FIELDS = tuple(name for count in COUNT_FIELDS for name in (count, f"{count}_qualifier"))


class Edition(Named, TimestampedModel, CitableModel, Money):
    """One round of a programme (e.g. the second InTech award, 2025) with its own counts and money."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    program = models.ForeignKey(Program, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="editions")
    year = year_field(_("year"))
    label = models.CharField(
        _("label"), max_length=100, help_text=_("How the programme names the round, e.g. 第二届 or 2022.")
    )
    label_en = models.CharField(_("English label"), max_length=100, blank=True)
    recipient_count = models.PositiveIntegerField(
        _("recipients"), null=True, blank=True, help_text=_("Awardees, scholars, fellows or interns selected.")
    )
    recipient_count_qualifier = qualifier_field(_("recipients qualifier"))
    project_count = models.PositiveIntegerField(_("projects"), null=True, blank=True)
    project_count_qualifier = qualifier_field(_("projects qualifier"))
    application_count = models.PositiveIntegerField(
        _("applications"), null=True, blank=True, help_text=_("Applications, nominations or registered teams.")
    )
    application_count_qualifier = qualifier_field(_("applications qualifier"))
    notes = models.TextField(_("notes"), blank=True)
    notes_en = models.TextField(_("English notes"), blank=True)

    objects = EditionQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["program", "year", "label"]
        indexes = [models.Index(fields=["updated_at", "id"], name="programs_edition_modified_idx")]
        constraints = [
            *year_constraints("year"),
            *Money.constraints(),
            *(qualifier_constraint(count, f"{count}_qualifier") for count in COUNT_FIELDS),
            models.UniqueConstraint(
                fields=["program", "year", "label"],
                name="%(app_label)s_%(class)s_unique_round",
                violation_error_message=_("This programme already has an edition with this year and label."),
            ),
            # NULLs are distinct in a unique index, so editions without a year need their own.
            models.UniqueConstraint(
                fields=["program", "label"],
                condition=Q(year__isnull=True),
                name="%(app_label)s_%(class)s_unique_undated_round",
                violation_error_message=_("This programme already has an undated edition with this label."),
            ),
        ]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return self.program.get_absolute_url() + f"#edition-{self.slug}"

    def name_parts(self, english: bool) -> list[str]:
        return [self.program.name_in(english=english), localized(self, "label", english)]

    @property
    def display_label(self) -> str:
        return localized(self, "label")

    @property
    def display_notes(self) -> str:
        return localized(self, "notes")

    @property
    def recipients_display(self) -> str:
        return qualified(self.recipient_count, self.recipient_count_qualifier)

    @property
    def projects_display(self) -> str:
        return qualified(self.project_count, self.project_count_qualifier)

    @property
    def applications_display(self) -> str:
        return qualified(self.application_count, self.application_count_qualifier)

    @property
    def money_display(self) -> str:
        return money_display(self)
