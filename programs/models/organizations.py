from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from programs.models.base import (
    CitableModel,
    Named,
    PublishableModel,
    choice_label,
    descriptive_name_field,
    localized,
)
from programs.models.fields import LinesField
from programs.models.history import History
from programs.models.querysets import OrganizationQuerySet
from programs.models.search_keys import KEYS, search_key_fields


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    COMPANY = "company", _("Company")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    GOVERNMENT = "government", _("Government body")
    NONPROFIT = "nonprofit", _("Non-profit")
    OTHER = "other", _("Other")

    @property
    def is_academic(self) -> bool:
        return self in {OrganizationKind.UNIVERSITY, OrganizationKind.RESEARCH_INSTITUTE}

    @property
    def is_industry(self) -> bool:
        return self == OrganizationKind.COMPANY

    @property
    def sector(self) -> "Sector":
        return Sector.ACADEMIA if self.is_academic else (Sector.INDUSTRY if self.is_industry else Sector.OTHER)


class Sector(models.TextChoices):
    """Where a career step is taken, by the kind of the organization: career moves cross sectors."""

    ACADEMIA = "academia", _("Academia")
    INDUSTRY = "industry", _("Industry")
    OTHER = "other", _("Other sectors")

    @property
    def kinds(self) -> list[OrganizationKind]:
        return [kind for kind in OrganizationKind if kind.sector == self]


class Organization(Named, PublishableModel, CitableModel):
    """A university, company, institute or public body, or one of their units."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    name_is_descriptive = descriptive_name_field()
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    aliases = LinesField(_("aliases"), help_text=_("Other names and abbreviations, one per line."))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind, db_index=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("The organization this one belongs to, e.g. a school within a university."),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    search_names, search_words, search_text = search_key_fields()

    objects = OrganizationQuerySet.as_manager()
    history = History(excluded_fields=list(KEYS))

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="programs_org_name_idx"),
            # Exact names, case-insensitively, for reconciliation (programs.reconcile).
            models.Index(Lower("name"), name="programs_org_lower_name_idx"),
            models.Index(Lower("name_en"), name="programs_org_lower_name_en_idx"),
            models.Index(Lower("short_name"), name="programs_org_lower_short_idx"),
            models.Index(fields=["updated_at", "id"], name="programs_org_modified_idx"),
        ]
        permissions = [("publish_organization", _("Can publish and unpublish organizations"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return reverse("programs:organization-detail", kwargs={"slug": self.slug})

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def kind_label(self) -> str:
        return choice_label(OrganizationKind, self.kind)

    @property
    def sector(self) -> Sector:
        return OrganizationKind(self.kind).sector

    def programs_by_role(self) -> list[tuple]:
        """(role label, programmes) for each role this organization plays, from `for_detail()`'s participations."""
        from programs.models.programs import ParticipationRole

        groups: dict[str, list] = {}
        for participation in self.listed_participations:
            groups.setdefault(participation.role, []).append(participation.program)
        return [(role.label, groups[role]) for role in ParticipationRole if role in groups]

    def people_with_moves(self) -> list[dict]:
        """Everyone with a published position here, with where they came from and where they went.

        Reads the affiliations and each person's career that `for_detail()` prefetches.
        """
        people = []
        for affiliation in self.listed_affiliations:
            career = affiliation.person.career()
            index = next(i for i, step in enumerate(career) if step.pk == affiliation.pk)
            before = career[index - 1] if index > 0 else None
            after = career[index + 1] if index + 1 < len(career) else None
            people.append(
                {
                    "person": affiliation.person,
                    "position": affiliation,
                    "came_from": before if before and before.organization_id != self.pk else None,
                    "moved_to": after if after and after.organization_id != self.pk else None,
                }
            )
        return people
