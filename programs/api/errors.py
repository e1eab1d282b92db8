"""Errors of the API, all as JSON: `{"detail": "..."}`, or `{"<parameter>": ["...", ...]}` for
query-string values the API cannot use (400)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext_lazy as _
from rest_framework.decorators import api_view, schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from programs.serving import outages

DATABASE_UNAVAILABLE = _("The database cannot be reached just now; try again in a moment.")
DATABASE_TIMED_OUT = _("The database took too long to answer this request; try again in a moment.")
BODY_TOO_LARGE = _("The request's body is larger than the API reads (%(limit)s bytes at most).")


def exception_handler(exc, context):
    """DRF's handler, plus a JSON 503 with Retry-After while the database is unreachable (or a
    statement ran past its timeout), which an answer's stale copy may replace (programs.serving.stale),
    and a JSON 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (which Django refuses to read)."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"detail": str(BODY_TOO_LARGE) % {"limit": limit}}, status=413)
    if isinstance(exc, outages.DATABASE_FAILURES):
        return database_failure(exc, context["request"])
    return drf_exception_handler(exc, context)


def database_failure(exc, request) -> Response:
    outages.note(request, exc)
    detail = DATABASE_TIMED_OUT if outages.timed_out(exc) else DATABASE_UNAVAILABLE
    response = Response({"detail": str(detail)}, status=503, headers={"Retry-After": str(outages.RETRY_AFTER_SECONDS)})
    response.database_unavailable = True
    return response


@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
@schema(None)
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint: a JSON 404 like the endpoints' own."""
    raise NotFound
