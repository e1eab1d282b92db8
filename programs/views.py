"""Public pages. Every view starts from `published()`; staff may preview a draft's page."""

from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from programs.models import Organization, Person, Program, Project, Source


class OverviewView(TemplateView):
    template_name = "programs/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            program_count=Program.objects.published().count(),
            organization_count=Organization.objects.published().count(),
            person_count=Person.objects.published().count(),
            **kwargs,
        )


class PublishedListView(ListView):
    paginate_by = 25
    template_name = "programs/record_list.html"

    def get_queryset(self):
        return self.model.objects.published()


class PublishedDetailView(DetailView):
    """A published record's page; staff also see drafts, sent uncached so no cache keeps them."""

    template_name = "programs/record_detail.html"

    def get_queryset(self):
        records = self.model.objects.all()
        if not self.request.user.is_staff:
            records = records.published()
        return records

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response


class ProgramListView(PublishedListView):
    model = Program


class ProgramDetailView(PublishedDetailView):
    model = Program


class OrganizationListView(PublishedListView):
    model = Organization


class OrganizationDetailView(PublishedDetailView):
    model = Organization


class PersonListView(PublishedListView):
    model = Person


class PersonDetailView(PublishedDetailView):
    model = Person


class ProjectListView(PublishedListView):
    model = Project


class ProjectDetailView(PublishedDetailView):
    model = Project


class SourceListView(PublishedListView):
    model = Source


class SourceDetailView(PublishedDetailView):
    model = Source
