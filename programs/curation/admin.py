"""The curation admin: where curators enter, correct, cite and publish records.

Every model is registered. Publishing is a permission of its own (`publish_<model>`): without it
a curator sees the status read-only and has no publish/unpublish actions, and whatever they save
(a change, a new record, a revert to an old version) keeps the status the record has. The roles
that hold these permissions are defined in `programs.curation.roles`.

Every change is kept in the record's history (django-simple-history): who, when and which fields
changed, shown on the record's history page, which can revert it. A deleted record keeps its
history too; each list links to the model's deleted records, whose history can restore them.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from programs.curation import completeness
from programs.curation.check_view import DATA_CHECK
from programs.curation.import_view import FIXTURE_IMPORT
from programs.curation.matching_view import NAMES_MATCH
from programs.curation.pages import model_page
from programs.curation.services import records_set_status
from programs.curation.suggestions.admin import SuggestionAdmin
from programs.curation.suggestions.drafts import SuggestedChangeMixin
from programs.curation.workspace.views import workspace_urls
from programs.models import (
    COUNT_FIELDS,
    Affiliation,
    Citation,
    Edition,
    Identifier,
    Involvement,
    Organization,
    Participation,
    Person,
    Program,
    Project,
    ProjectMember,
    ResearchArea,
    Source,
    Status,
    Suggestion,
    kinds,
)

for tool in (DATA_CHECK, FIXTURE_IMPORT, NAMES_MATCH):
    admin.site.register_tool(tool)


class CitationInline(GenericTabularInline):
    model = Citation
    fields = list(kinds.CITATION.names(kinds.Output.FIXTURE))  # what curators give a citation in files too
    autocomplete_fields = ["source"]
    extra = 0

    class Media:
        css = {"all": ["css/admin-inlines.css"]}  # see TabularInline


class TrackerAdmin(SimpleHistoryAdmin):
    """Every admin keeps history (with revert and a list of deleted records) and reads bare web addresses as https."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # simple-history's list with who, when and the changed fields, minus its inline style (CSP).
    object_history_list_template = "admin/programs/object_history_list.html"
    deleted_records_template = "admin/programs/deleted_records.html"
    deleted_records_per_page = 100

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_deleted"
        # Before the model admin's own URLs, whose catch-all would read "deleted" as an object id.
        return [path("deleted/", self.admin_site.admin_view(self.deleted_view), name=name), *super().get_urls()]

    def deleted_view(self, request):
        """The records of this model that were deleted, newest first, each linking to its history."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        history = getattr(self.model, self.opts.simple_history_manager_attribute)
        pk_name = self.opts.pk.attname
        deletions = (
            history.latest_of_each()
            .filter(history_type="-")
            .exclude(**{f"{pk_name}__in": self.model._default_manager.values(pk_name)})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        page = Paginator(deletions, self.deleted_records_per_page).get_page(request.GET.get("p"))
        title = _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural}
        return model_page(request, self, self.deleted_records_template, title, page_obj=page)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = getattr(self.model, self.opts.simple_history_manager_attribute)
        version = history.filter(**{self.opts.pk.attname: unquote(object_id), "history_id": version_id}).first()
        if version is not None and request.method == "POST" and not self.has_revert_permission(request, version):
            raise PermissionDenied
        # Remembered for get_form: a revert restores the version's many-to-many links too.
        request._reverting_to = version
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_revert_permission(self, request, version) -> bool:
        """Reverting is changing the record, and restoring a deleted one is adding it.

        simple-history shows the revert form to whoever may view the record and saves any POST
        to it; without this check a user who may only view could revert.
        """
        record = version.instance
        if not self.model._default_manager.filter(pk=record.pk).exists():
            return self.has_add_permission(request)
        return self.has_change_permission(request, record)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        version = getattr(request, "_reverting_to", None)
        if version is None or not version._history_m2m_fields:
            return form
        initial = {
            field.name: [
                getattr(row, f"{get_m2m_reverse_field_name(field)}_id") for row in getattr(version, field.name).all()
            ]
            for field in version._history_m2m_fields
            if field.name in form.base_fields
        }

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return RevertForm


class CompletenessFilter(admin.SimpleListFilter):
    """Records by the share of the fields a curator should fill that are filled."""

    title = _("completeness")
    parameter_name = "completeness"
    RANGES = {"complete": (100, 100), "most": (75, 99), "half": (50, 74), "little": (0, 49)}

    def lookups(self, request, model_admin):
        return [
            ("complete", _("complete")),
            ("most", _("75–99 %")),
            ("half", _("50–74 %")),
            ("little", _("under 50 %")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.RANGES:
            return queryset
        low, high = self.RANGES[self.value()]
        return queryset.filter(completeness__range=(low, high))


class CompletenessMixin:
    """The completeness score (programs.curation.completeness) as a list column, with a filter on it."""

    def get_queryset(self, request):
        return completeness.with_completeness(super().get_queryset(request))

    @admin.display(description=_("completeness"), ordering="completeness")
    def completeness_score(self, obj):
        missing = completeness.missing(obj)
        hint = _("missing: %(fields)s") % {"fields": ", ".join(map(str, missing))} if missing else _("complete")
        return format_html('<span class="completeness" title="{}">{} %</span>', hint, obj.completeness)


class CitedAdmin(TrackerAdmin):
    """A record that cites sources: its citations inline, counted in the list, history kept."""

    inlines = [CitationInline]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count

    def get_queryset(self, request):
        records = super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))
        # A GROUP BY query drops Meta.ordering: order explicitly, or autocomplete pages come unordered.
        return records.order_by(*(self.get_ordering(request) or self.opts.ordering))


class PublishingMixin:
    """A record with its own public page: status guarded by the publish permission, bulk actions."""

    readonly_fields = ["published_at", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    list_per_page = 50

    def has_publish_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.insert(0, "status")
        return fields

    def save_model(self, request, obj, form, change):
        """Keep the stored status unless the user may publish, and never rewind "first published".

        The read-only status field guards the change and add forms, but a revert saves a historical
        version whole: without this, reverting to a published version would publish the record.
        """
        stored = type(obj)._default_manager.filter(pk=obj.pk).values("status", "published_at").first()
        if not self.has_publish_permission(request):
            obj.status = stored["status"] if stored else Status.DRAFT
        if stored and stored["published_at"]:
            obj.published_at = stored["published_at"]
        super().save_model(request, obj, form, change)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="status status-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.action(permissions=["publish"], description=_("Publish the selected records"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(permissions=["publish"], description=_("Unpublish the selected records (back to draft)"))
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request, queryset, status):
        changed = records_set_status(records=queryset, status=status)
        self.message_user(
            request,
            ngettext("%(count)d record changed.", "%(count)d records changed.", changed) % {"count": changed},
        )


class PublishableAdmin(PublishingMixin, CompletenessMixin, CitedAdmin):
    pass


# Inlines, where curators work: links on a programme, career steps on a person, members on a project.


class TabularInline(admin.TabularInline):
    """A table of rows inside a record's page, its inputs narrowed to fit the page's width."""

    extra = 0
    show_change_link = True

    class Media:
        css = {"all": ["css/admin-inlines.css"]}


class ParticipationInline(TabularInline):
    model = Participation
    fields = ["organization", "role", "note"]
    autocomplete_fields = ["organization"]


class EditionInline(admin.StackedInline):
    """A programme's rounds, one block each: a round has too many figures (each with its qualifier)
    for a table row that fits the page."""

    model = Edition
    extra = 0
    show_change_link = True
    fields = [
        ("slug", "year", "label"),
        *((count, f"{count}_qualifier") for count in COUNT_FIELDS),
        ("amount", "amount_qualifier", "currency", "amount_basis"),
    ]


class InvolvementInline(TabularInline):
    model = Involvement
    fields = ["person", "role", "edition", "year", "note"]
    autocomplete_fields = ["person", "edition"]


class AffiliationInline(TabularInline):
    model = Affiliation
    fields = ["organization", "title", "title_en", "start_year", "end_year", "is_current", "note"]
    autocomplete_fields = ["organization"]


class IdentifierInline(TabularInline):
    """A record's identifiers in external registries; the value may be pasted in any accepted form."""

    model = Identifier
    fields = ["scheme", "value"]
    show_change_link = False


class ProjectMemberInline(TabularInline):
    model = ProjectMember
    fields = ["person", "organization", "role"]
    autocomplete_fields = ["person", "organization"]


# Records with a public page.


@admin.register(ResearchArea)
class ResearchAreaAdmin(PublishableAdmin):
    list_display = ["name", "name_en", "slug", "status_badge", "citation_count", "completeness_score", "updated_at"]
    list_filter = ["status", CompletenessFilter]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Organization)
class OrganizationAdmin(SuggestedChangeMixin, PublishableAdmin):
    list_display = [
        "name",
        "name_en",
        "kind",
        "country",
        "parent",
        "status_badge",
        "citation_count",
        "completeness_score",
        "updated_at",
    ]
    list_filter = ["status", "kind", "country", "name_is_descriptive", CompletenessFilter]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en", "short_name", "aliases", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [IdentifierInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_en",
                    "name_is_descriptive",
                    "slug",
                    "short_name",
                    "aliases",
                    "kind",
                    "parent",
                    "status",
                ]
            },
        ),
        (_("Where"), {"fields": ["country", "city", "website"]}),
        (_("Description"), {"fields": ["description", "description_en"]}),
        (_("Record"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]


@admin.register(Program)
class ProgramAdmin(SuggestedChangeMixin, PublishableAdmin):
    list_display = [
        "name",
        "name_en",
        "kind",
        "lifecycle",
        "start_year",
        "status_badge",
        "citation_count",
        "completeness_score",
        "updated_at",
    ]
    list_filter = [
        "status",
        "kind",
        "lifecycle",
        "participations__role",
        "research_areas",
        "name_is_descriptive",
        CompletenessFilter,
    ]
    search_fields = ["name", "name_en", "aliases", "summary", "slug"]
    autocomplete_fields = ["parent", "research_areas"]
    prepopulated_fields = {"slug": ["name_en"]}
    date_hierarchy = "created_at"
    inlines = [ParticipationInline, EditionInline, InvolvementInline, IdentifierInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_en",
                    "name_en_is_official",
                    "name_is_descriptive",
                    "slug",
                    "aliases",
                    "kind",
                    "lifecycle",
                    "parent",
                    "status",
                ]
            },
        ),
        (_("About"), {"fields": ["summary", "summary_en", "research_areas", "website", "participants_not_in_sources"]}),
        (
            _("Years and money"),
            {
                "fields": [
                    "start_year",
                    "end_year",
                    "years_not_in_sources",
                    "amount",
                    "amount_qualifier",
                    "currency",
                    "amount_basis",
                ]
            },
        ),
        (_("Record"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]


@admin.register(Person)
class PersonAdmin(SuggestedChangeMixin, PublishableAdmin):
    list_display = ["name", "name_en", "headline", "status_badge", "citation_count", "completeness_score", "updated_at"]
    list_filter = ["status", "involvements__role", "affiliations__organization__kind", CompletenessFilter]
    search_fields = ["name", "name_en", "headline", "headline_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [AffiliationInline, IdentifierInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["name", "name_en", "slug", "headline", "headline_en", "homepage", "status"]}),
        (_("Biography"), {"fields": ["bio", "bio_en"]}),
        (_("Record"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]


@admin.register(Project)
class ProjectAdmin(PublishableAdmin):
    list_display = ["title", "program", "year", "status_badge", "citation_count", "completeness_score", "updated_at"]
    list_filter = ["status", "year", "program__kind", "name_is_descriptive", CompletenessFilter]
    list_select_related = ["program"]
    search_fields = ["title", "title_en", "summary", "slug"]
    autocomplete_fields = ["program", "edition"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [ProjectMemberInline, CitationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_en",
                    "name_is_descriptive",
                    "slug",
                    "program",
                    "edition",
                    "year",
                    "years_not_in_sources",
                    "status",
                ]
            },
        ),
        (_("About"), {"fields": ["summary", "summary_en", "outcomes", "outcomes_en"]}),
        (_("Record"), {"fields": ["published_at", "created_at", "updated_at"]}),
    ]


@admin.register(Source)
class SourceAdmin(PublishingMixin, CompletenessMixin, TrackerAdmin):
    list_display = [
        "title",
        "publisher",
        "published_on",
        "language",
        "status_badge",
        "completeness_score",
        "updated_at",
    ]
    list_filter = ["status", "language", "name_is_descriptive", CompletenessFilter]
    search_fields = ["title", "title_en", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "published_on"
    # The text is given, read and cited in the source's article workspace (programs/curation/workspace/).
    exclude = ["text"]
    change_form_template = "admin/programs/source/change_form.html"

    def get_urls(self):
        return [*workspace_urls(self), *super().get_urls()]


# Link records: mostly edited inline, registered for search, filtering and history.


@admin.register(Edition)
class EditionAdmin(CompletenessMixin, CitedAdmin):
    list_display = [
        "__str__",
        "year",
        "recipients",
        "projects",
        "applications",
        "money",
        "citation_count",
        "completeness_score",
    ]
    list_filter = ["year", "program__kind", CompletenessFilter]
    list_select_related = ["program"]
    search_fields = ["slug", "label", "program__name", "program__name_en"]
    autocomplete_fields = ["program"]

    @admin.display(description=_("recipients"), ordering="recipient_count")
    def recipients(self, obj):
        return obj.recipients_display

    @admin.display(description=_("projects"), ordering="project_count")
    def projects(self, obj):
        return obj.projects_display

    @admin.display(description=_("applications"), ordering="application_count")
    def applications(self, obj):
        return obj.applications_display

    @admin.display(description=_("amount"), ordering="amount")
    def money(self, obj):
        return obj.money_display


@admin.register(Participation)
class ParticipationAdmin(CitedAdmin):
    list_display = ["program", "organization", "role", "citation_count"]
    list_filter = ["role", "organization__kind", "program__kind"]
    list_select_related = ["program", "organization"]
    search_fields = ["program__name", "program__name_en", "organization__name", "organization__name_en"]
    autocomplete_fields = ["program", "organization"]


@admin.register(Affiliation)
class AffiliationAdmin(CitedAdmin):
    list_display = ["person", "organization", "title", "start_year", "end_year", "is_current", "citation_count"]
    list_filter = ["is_current", "organization__kind"]
    list_select_related = ["person", "organization"]
    search_fields = ["person__name", "person__name_en", "organization__name", "organization__name_en", "title"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Involvement)
class InvolvementAdmin(CitedAdmin):
    list_display = ["person", "program", "role", "edition", "year", "citation_count"]
    list_filter = ["role", "program__kind"]
    list_select_related = ["person", "program", "edition__program"]
    search_fields = ["person__name", "person__name_en", "program__name", "program__name_en"]
    autocomplete_fields = ["person", "program", "edition"]


@admin.register(ProjectMember)
class ProjectMemberAdmin(CitedAdmin):
    list_display = ["project", "person", "organization", "role", "citation_count"]
    list_filter = ["role"]
    list_select_related = ["project", "person", "organization"]
    search_fields = ["project__title", "person__name", "person__name_en", "organization__name"]
    autocomplete_fields = ["project", "person", "organization"]


@admin.register(Identifier)
class IdentifierAdmin(TrackerAdmin):
    list_display = ["__str__", "scheme", "organization", "person", "program", "updated_at"]
    list_filter = ["scheme"]
    list_select_related = ["organization", "person", "program"]
    search_fields = ["value", "organization__name", "person__name", "program__name"]
    autocomplete_fields = ["organization", "person", "program"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Citation)
class CitationAdmin(TrackerAdmin):
    list_display = ["source", "content_type", "record_link", "short_quote", "quote_repaired", "locator"]
    list_filter = ["source", "content_type", "quote_repaired"]
    list_select_related = ["source", "content_type"]
    search_fields = ["quote", "locator"]
    autocomplete_fields = ["source"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("record"))
    def record_link(self, obj):
        return format_html("{} #{}", obj.content_type.name, obj.object_id)

    @admin.display(description=_("quote"))
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) <= 60 else obj.quote[:59] + "…"


# What the public proposes: the inbox (programs.curation.suggestions.admin).
admin.site.register(Suggestion, SuggestionAdmin)
