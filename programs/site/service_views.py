"""Project-level views."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """A constant answer that touches no database: for load balancers, and the benchmarks' floor."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def robots_txt(request):
    """Everything public may be crawled but the admin and the suggestion pages (forms, and status
    pages private to their proposers); the sitemap lists the records."""
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /en/admin/", "Disallow: /suggestions/"]
    lines += ["Disallow: /en/suggestions/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
