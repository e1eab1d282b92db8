"""Project-level views."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """A constant answer that touches no database: for load balancers, and the benchmarks' floor."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
