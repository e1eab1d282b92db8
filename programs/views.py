"""Public pages. Every view starts from `published()`; staff may preview a draft's page.

Lists are thin: the list's FilterSet (programs/filters.py) filters, sorts and counts facets, the
queryset's `for_list()` loads what a row shows, and `?format=csv|json` streams the same rows.
"""

from django.core.cache import cache
from django.core.paginator import InvalidPage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from programs import charts, exports, insights
from programs.caching import TIMEOUT, CachedCountPaginator, cache_key, cached, per_version
from programs.filters import (
    OrganizationFilterSet,
    PersonFilterSet,
    ProgramFilterSet,
    ProjectFilterSet,
    SourceFilterSet,
    filter_errors,
)
from programs.models import Organization, Person, Program, Project, ResearchArea, Source
from programs.organization_figures import organization_figures
from programs.partnerships import partnership_url
from programs.querysets import DETAIL_LIMIT
from programs.rows import rendered_rows, rows_of

UNKNOWN_FORMAT = _("Downloads come as format=csv or format=json; “%(format)s” is not one of them.")
PAGE_OUT_OF_RANGE = _("There is no page “%(page)s”; showing page %(shown)s of %(count)s.")


class FilteredListView(ListView):
    """A list of published records, filtered by its FilterSet, paginated, and downloadable.

    Subclasses set `model`, `filterset_class`, `template_name`, `export` (an exports.Export) and
    `export_name`.
    """

    filterset_class = None
    paginator_class = CachedCountPaginator
    export = None
    export_name = ""
    paginate_by = 25
    title = ""
    description = ""
    # Filters the form shows as inputs of their own; facets show theirs, the rest travel hidden.
    form_fields = ("q", "sort")

    def get(self, request, *args, **kwargs):
        self.notices = []
        self.filterset = self.filterset_class(request.GET, queryset=self.model.objects.published(), request=request)
        self.notices += self.filterset.notices
        fmt = request.GET.get("format", "")
        if fmt in exports.FORMATS and self.export:
            if not self.filterset.is_valid():
                return HttpResponse(
                    "\n".join(filter_errors(self.filterset)), status=400, content_type="text/plain; charset=utf-8"
                )
            return exports.export_response(self.filtered(), self.export, request, fmt=fmt, filename=self.export_name)
        if fmt:
            self.notices.append(UNKNOWN_FORMAT % {"format": fmt[:20]})
        return super().get(request, *args, **kwargs)

    def filtered(self):
        """The published records the filters select, in the order asked for."""
        if not self.filterset.is_valid():
            return self.model.objects.none()
        return self.filterset.qs

    def get_queryset(self):
        # A page shows rendered rows (programs.rows), which load their records when not cached.
        return self.filtered()

    def get_paginator(self, queryset, per_page, **kwargs):
        # The filters as given name the rows to count (whatever their order and page).
        return super().get_paginator(queryset, per_page, key=self.filterset.rows_key(), **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but a page number that is not a page shows a valid page with a notice, never a 404."""
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get("page", "")
        try:
            page = paginator.page(raw or 1)
        except InvalidPage:
            page = paginator.get_page(raw)
            self.notices.append(
                PAGE_OUT_OF_RANGE % {"page": raw[:20], "shown": page.number, "count": paginator.num_pages}
            )
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context.update(
            filterset=self.filterset,
            form=self.filterset.form,
            facets_html=self.facets_html(),
            active_filters=self.filterset.active_filters(),
            errors=filter_errors(self.filterset),
            notices=self.notices,
            query=query.urlencode(),
            title=self.title,
            description=self.description,
            can_export=bool(self.export),
            sort_choices=self.sort_choices(),
            hidden_params=self.hidden_params(),
            rows=rendered_rows(self.model, self.page_ids(context["page_obj"])),
        )
        return context

    def page_ids(self, page) -> list[int]:
        """The ids of the page's records, once per filters, order, page and data version."""
        return cached(
            "page-ids",
            (self.filterset.rows_key(), self.filterset.sort_value, get_language(), page.number, self.paginate_by),
            lambda: list(page.object_list.values_list("pk", flat=True)),
        )

    def facets_html(self) -> str:
        """The facet checkboxes, rendered once per filters, language and data version.

        Shared by every page and order of the same filters; rendering them costs more than the
        (also cached) counts they show.
        """
        return cached(
            "facets-html",
            (get_language(), self.filterset.facet_key()),
            lambda: render_to_string("includes/_facets.html", {"facets": self.filterset.facets()}),
        )

    def sort_choices(self) -> list[tuple]:
        choices = self.filterset.filters["sort"].extra["choices"]
        return [(value, label, value == self.filterset.sort_value) for value, label in choices]

    def hidden_params(self) -> list[tuple]:
        """Filters in force that the form has no input for (e.g. `?organization=` from a link), kept on submit."""
        shown = {*self.form_fields, *self.filterset.facet_names}
        return [
            (name, value)
            for name in self.filterset.filters
            if name not in shown
            for value in self.request.GET.getlist(name)
        ]


class PublishedDetailView(DetailView):
    """A published record's page; staff also see drafts, sent uncached so no cache keeps them.

    The page's body (`body_template_name`) shows only data, so it is rendered once per record,
    language and data version. When it is cached the view loads the record alone (for the title,
    description and breadcrumbs); otherwise it loads it with `for_detail()` and renders the body.
    A draft's body is only ever sent on the draft's own page, which only staff can open.
    """

    body_template_name = ""

    def get(self, request, *args, **kwargs):
        # Keyed on the address's slug, so that the record is loaded knowing what it must come with.
        self.body_key = cache_key("record-body", self.model._meta.label, kwargs["slug"], get_language())
        self.body = cache.get(self.body_key)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        records = self.model.objects.all()
        if not self.request.user.is_staff:
            records = records.published()
        return records if self.body is not None else records.for_detail()

    def get_context_data(self, **kwargs):
        if self.body is None:
            context = {"object": self.object, **self.body_context(self.object)}
            self.body = render_to_string(self.body_template_name, context)
            cache.set(self.body_key, self.body, TIMEOUT)
        return super().get_context_data(body_html=self.body, **kwargs)

    def body_context(self, record) -> dict:
        """What the body shows besides the record and what `for_detail()` loads with it."""
        return {}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response


# Overview and insights


class OverviewView(TemplateView):
    template_name = "programs/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(body_html=overview_html(), **kwargs)


@per_version
def overview_html() -> str:
    """The overview's content, rendered once per data version: it shows only data."""
    per_kind = insights.programs_per_kind()
    figures = {
        "program_count": sum(row[1] for row in per_kind),
        "organization_count": Organization.objects.published().count(),
        "person_count": Person.objects.published().count(),
        "project_count": Project.objects.published().count(),
        "source_count": Source.objects.published().count(),
        "kinds": per_kind,
        "newest": rows_of(list(Program.objects.published().newest().for_list()[:6])),
        "organizations": Organization.objects.busiest(12),
        "research_areas": ResearchArea.objects.busiest(12),
        "kind_chart": charts.hbar_chart(per_kind),
    }
    return render_to_string("programs/overview_body.html", figures)


class InsightsView(TemplateView):
    template_name = "programs/insights.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(charts_html=insights_charts_html(), **kwargs)


@per_version
def insights_charts_html() -> str:
    """The insights page's charts, drawn once per data version: the figures are cached already,
    and drawing their SVG costs more than reading them."""
    organizations, links = insights.collaboration_network()
    moves = insights.career_moves()
    network = charts.circle_network(
        [
            (org.pk, org.display_name, org.get_absolute_url(), f"sector-{org.sector}", org.program_count)
            for org in organizations
        ],
        [(link.source.pk, link.target.pk, link.shared, partnership_url(link.source, link.target)) for link in links],
    )
    return render_to_string(
        "includes/_insights_charts.html",
        {
            "kind_chart": charts.hbar_chart(insights.programs_per_kind()),
            "year_chart": charts.column_chart(insights.programs_by_start_year()),
            "sponsor_chart": charts.hbar_chart(insights.top_sponsors(), label_width=180),
            "move_chart": charts.hbar_chart(
                [
                    (move.label, move.count, "", f"move-{move.origin}-{move.destination}")
                    for move in moves
                    if move.count or "other" not in (move.origin, move.destination)
                ],
                label_width=220,
            ),
            "network": network,
            "links": links,
        },
    )


# Programmes


class ProgramListView(FilteredListView):
    model = Program
    filterset_class = ProgramFilterSet
    template_name = "programs/program_list.html"
    export = exports.PROGRAMS
    export_name = "programmes"
    form_fields = ("q", "sort", "start_year_min", "start_year_max")
    title = _("Programmes")
    description = _(
        "Joint labs, research funds, awards, scholarships and other academia-industry programmes, "
        "filtered by kind, organization, country, research area and year."
    )


class ProgramDetailView(PublishedDetailView):
    model = Program
    template_name = "programs/program_detail.html"
    body_template_name = "programs/program_detail_body.html"

    def body_context(self, record) -> dict:
        return {"related": rows_of(Program.objects.related_programs(record))}


# Organizations


class OrganizationListView(FilteredListView):
    model = Organization
    filterset_class = OrganizationFilterSet
    template_name = "programs/organization_list.html"
    export = exports.ORGANIZATIONS
    export_name = "organizations"
    title = _("Organizations")
    description = _("Universities, companies, institutes and public bodies taking part in the programmes.")


class OrganizationDetailView(PublishedDetailView):
    model = Organization
    template_name = "programs/organization_detail.html"
    body_template_name = "programs/organization_detail_body.html"

    def body_context(self, record) -> dict:
        partners = list(Organization.objects.partners_of(record)[:24])
        return {"partners": partners, "figures": organization_figures(record, partners)}


# People


class PersonListView(FilteredListView):
    model = Person
    filterset_class = PersonFilterSet
    template_name = "programs/person_list.html"
    export = exports.PEOPLE
    export_name = "people"
    title = _("People")
    description = _("Researchers, engineers and managers named by the sources, with their careers and programmes.")


class PersonDetailView(PublishedDetailView):
    model = Person
    template_name = "programs/person_detail.html"
    body_template_name = "programs/person_detail_body.html"


# Projects


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    template_name = "programs/project_list.html"
    export = exports.PROJECTS
    export_name = "projects"
    form_fields = ("q", "sort", "year_min", "year_max")
    title = _("Projects")
    description = _("Research projects funded or run through the programmes.")


class ProjectDetailView(PublishedDetailView):
    model = Project
    template_name = "programs/project_detail.html"
    body_template_name = "programs/project_detail_body.html"


# Sources


class SourceListView(FilteredListView):
    model = Source
    filterset_class = SourceFilterSet
    template_name = "programs/source_list.html"
    export = exports.SOURCES
    export_name = "sources"
    form_fields = ("q", "sort", "year")
    title = _("Sources")
    description = _("The articles every fact in the tracker comes from.")


class SourceDetailView(PublishedDetailView):
    model = Source
    template_name = "programs/source_detail.html"
    body_template_name = "programs/source_detail_body.html"

    def body_context(self, record) -> dict:
        citations = record.listed_citations
        cited = [citation for citation in citations if citation.record is not None]
        return {
            "cited": [(describe(c.record), c) for c in cited],
            "truncated": len(citations) >= DETAIL_LIMIT,
            "limit": DETAIL_LIMIT,
        }


def describe(record) -> dict:
    """What a source page shows for a record citing it: its type, a readable name and a link."""
    name = record._meta.model_name
    if name == "participation":
        text = f"{record.organization.display_name} · {record.get_role_display()} · {record.program.display_name}"
    elif name == "affiliation":
        text = f"{record.person.display_name} · {record.organization.display_name}"
        if record.display_title:
            text += f" · {record.display_title}"
    elif name == "involvement":
        text = f"{record.person.display_name} · {record.get_role_display()} · {record.program.display_name}"
    elif name == "edition":
        text = f"{record.program.display_name} · {record.display_label}"
    elif name == "projectmember":
        text = f"{record.person.display_name} · {record.get_role_display()} · {record.project.display_name}"
    else:
        text = record.display_name
    return {"type": record._meta.verbose_name, "text": text, "url": record.get_absolute_url()}
