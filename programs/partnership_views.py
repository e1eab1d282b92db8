"""The page of a partnership (/partners/<a>/<b>/) and its downloads; the figures come from
programs.partnerships."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from programs import exports
from programs.models import Participation
from programs.partnerships import canonical, pair, partnership_of, partnership_url, shared_programs

UNKNOWN_FORMAT = _("Downloads come as format=csv or format=json; “%(format)s” is not one of them.")


def partnership_export(first, second) -> exports.Export:
    """The shared programmes, with both organizations and each one's roles (one query per chunk)."""

    def attach(rows):
        by_program = {row["pk"]: row for row in rows}
        for row in rows:
            row["first_roles"], row["second_roles"] = [], []
        for program_id, organization_id, role in (
            Participation.objects.filter(program__in=list(by_program), organization__in=[first, second])
            .order_by("role")
            .values_list("program_id", "organization_id", "role")
        ):
            by_program[program_id]["first_roles" if organization_id == first.pk else "second_roles"].append(role)

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
                UNKNOWN_FORMAT % {"format": fmt[:20]}, status=400, content_type="text/plain; charset=utf-8"
            )
        self.partnership = partnership_of(*organizations)
        if self.partnership.empty:
            raise Http404
        return super().get(request, first=first, second=second)

    def get_context_data(self, **kwargs):
        partnership = self.partnership
        return super().get_context_data(partnership=partnership, timeline=partnership.timeline(), **kwargs)
