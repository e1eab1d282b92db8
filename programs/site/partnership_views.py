"""The page of a partnership (/partners/<a>/<b>/) and its downloads; the figures come from
programs.reads.partnerships."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.views.generic import TemplateView

from programs.opendata import exports
from programs.reads.partnerships import canonical, pair, partnership_of, partnership_url, roles_in, shared_programs


def partnership_export(first, second) -> exports.Export:
    """The shared programmes, with both organizations and each one's roles (one query per chunk)."""

    def attach(rows):
        roles = roles_in([row["pk"] for row in rows], first, second)
        for row in rows:
            row["first_roles"] = roles.get((row["pk"], first.pk), [])
            row["second_roles"] = roles.get((row["pk"], second.pk), [])

    return exports.Export(
        fields=("slug", "name", "name_en", "kind", "start_year", "end_year"),
        columns=(
            exports.Column("first", lambda row: first.slug),
            exports.field("first_roles"),
            exports.Column("second", lambda row: second.slug),
            exports.field("second_roles"),
            *(exports.field(name) for name in ("slug", "name", "name_en", "kind", "start_year", "end_year")),
        ),
        detail_view="programs:program-detail",
        attach=attach,
    )


class PartnershipView(TemplateView):
    template_name = "programs/partnership.html"

    def get(self, request, first, second):
        slugs = canonical(first, second)
        if (first, second) != slugs:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(partnership_url(*slugs) + (f"?{query}" if query else ""))
        organizations = pair(first, second)
        if organizations is None:
            raise Http404
        fmt = request.GET.get("format", "")
        if fmt in exports.FORMATS:
            return exports.export_response(
                shared_programs(*organizations),
                partnership_export(*organizations),
                request,
                fmt=fmt,
                filename=f"partners-{first}-{second}",
            )
        if fmt:
            return HttpResponse(
                exports.UNKNOWN_FORMAT % {"format": fmt[:20]}, status=400, content_type="text/plain; charset=utf-8"
            )
        self.partnership = partnership_of(*organizations)
        if self.partnership.empty:
            raise Http404
        return super().get(request, first=first, second=second)

    def get_context_data(self, **kwargs):
        partnership = self.partnership
        return super().get_context_data(partnership=partnership, timeline=partnership.timeline(), **kwargs)
