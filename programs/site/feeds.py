"""Atom feeds of the public lists, at `<list>/feed/`: the records a list's filters select, most
recently changed first, in the page's language, each linking to its permalink.

A feed takes its list's own FilterSet and query string (`/programs/feed/?kind=award`), so it
follows exactly what the list shows; a value the filters cannot read is a 400 naming it, as for
the list's downloads. Drafts never appear: the list's listing holds published records only, and
its entries are loaded with `published()`.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from programs.reads.filters import filter_errors
from programs.reads.lists import ListRows
from programs.site import views

FEED_LENGTH = 50

# The text each kind of record gives as an entry's summary.
SUMMARIES = {
    "program": "display_summary",
    "organization": "display_description",
    "person": "display_headline",
    "project": "display_summary",
    "source": "publisher",
}


class ListFeed(Feed):
    """The feed of one list (`list_view`, a FilteredListView); the object is the list's FilterSet."""

    feed_type = Atom1Feed
    list_view = None

    def __call__(self, request, *args, **kwargs):
        filterset = self.get_object(request)
        if not filterset.is_valid():
            return HttpResponse(
                "\n".join(filter_errors(filterset)), status=400, content_type="text/plain; charset=utf-8"
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        # Kept on the request: one feed instance serves every request.
        if not hasattr(request, "list_filterset"):
            request.list_filterset = self.list_view.filterset_class(request.GET, request=request)
        return request.list_filterset

    def title(self, filterset):
        filters = "; ".join(f"{active.label}: {active.value}" for active in filterset.active_filters())
        title = f"{self.list_view.title} · {gettext('Partnership Program Tracker')}"
        return f"{title} ({filters})" if filters else title

    def subtitle(self, filterset):
        return str(self.list_view.description)

    def link(self, filterset):
        query = filterset.data.copy()
        query.pop("page", None)
        query.pop("format", None)
        url = reverse(f"programs:{self.list_view.model._meta.model_name}-list")
        return f"{url}?{query.urlencode()}" if query else url

    def feed_url(self, filterset):
        return filterset.request.get_full_path()

    def items(self, filterset):
        newest = filterset.qs.order_by("-updated_at", "-id")
        return ListRows(newest, self.list_view.model.objects.published())[:FEED_LENGTH]

    def item_title(self, record):
        return record.display_name

    def item_description(self, record):
        return getattr(record, SUMMARIES[record._meta.model_name]) or record.display_name

    def item_link(self, record):
        return record.get_absolute_url()

    def item_pubdate(self, record):
        return getattr(record, "published_at", None) or record.created_at

    def item_updateddate(self, record):
        return record.updated_at


def feed_for(list_view) -> ListFeed:
    feed = type(f"{list_view.model.__name__}Feed", (ListFeed,), {"list_view": list_view})
    return feed()


PROGRAMS = feed_for(views.ProgramListView)
ORGANIZATIONS = feed_for(views.OrganizationListView)
PEOPLE = feed_for(views.PersonListView)
PROJECTS = feed_for(views.ProjectListView)
SOURCES = feed_for(views.SourceListView)
