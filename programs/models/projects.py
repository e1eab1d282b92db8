from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models.base import (
    CitableModel,
    Named,
    PublishableModel,
    TimestampedModel,
    check_edition_belongs_to_program,
    descriptive_name_field,
    label_in,
    localized,
    no_years_constraint,
    year_constraints,
    year_field,
    years_not_in_sources_field,
)
from programs.models.history import History
from programs.models.querysets import ProjectMemberQuerySet, ProjectQuerySet
from programs.models.search_keys import KEYS, search_key_fields


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    INDUSTRY_LEAD = "industry_lead", _("Industry lead")


class Project(Named, PublishableModel, CitableModel):
    """A research project funded or run through a programme, with its members and outcomes."""

    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    name_is_descriptive = descriptive_name_field(_("descriptive title"))
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    edition = models.ForeignKey(
        "programs.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
    year = year_field(_("year"))
    years_not_in_sources = years_not_in_sources_field()
    outcomes = models.TextField(_("outcomes"), blank=True)
    outcomes_en = models.TextField(_("English outcomes"), blank=True)
    members = models.ManyToManyField("programs.Person", through="programs.ProjectMember", related_name="projects")
    search_names, search_words, search_text = search_key_fields()

    name_field = "title"

    objects = ProjectQuerySet.as_manager()
    history = History(excluded_fields=list(KEYS))

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["title"], name="programs_project_title_idx"),
            models.Index(fields=["updated_at", "id"], name="programs_project_modified_idx"),
        ]
        permissions = [("publish_project", _("Can publish and unpublish projects"))]
        constraints = [*year_constraints("year"), no_years_constraint("year")]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return reverse("programs:project-detail", kwargs={"slug": self.slug})

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")

    def clean(self):
        super().clean()
        check_edition_belongs_to_program(self)


class ProjectMember(Named, TimestampedModel, CitableModel):
    """A person on a project, with the organization they represented in it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        "programs.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="project_memberships",
    )
    organization = models.ForeignKey(
        "programs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole, default=MemberRole.MEMBER)

    objects = ProjectMemberQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        ordering = ["project", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person"],
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message=_("This person is already a member of the project."),
            ),
        ]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return self.project.get_absolute_url()

    def name_parts(self, english: bool) -> list[str]:
        return [
            self.person.name_in(english=english),
            label_in(MemberRole, self.role, english),
            self.project.name_in(english=english),
        ]

    @property
    def public_organization(self):
        """The organization the member represented, unless it is still a draft."""
        organization = self.organization
        return organization if organization and organization.is_published else None
