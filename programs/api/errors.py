"""Errors of the API, all as JSON: `{"detail": "..."}`, or `{"<parameter>": ["...", ...]}` for
query-string values the API cannot use (400)."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _
from rest_framework.decorators import api_view, schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from programs.serving.middleware import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = _("The database cannot be reached just now; try again in a moment.")
BODY_TOO_LARGE = _("The request's body is larger than the API reads (%(limit)s bytes at most).")


def exception_handler(exc, context):
    """DRF's handler, plus a JSON 503 with Retry-After while the database is unreachable, and a JSON
    413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (which Django refuses to read)."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"detail": str(BODY_TOO_LARGE) % {"limit": limit}}, status=413)
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable for %s", context["request"].path, exc_info=exc)
        return Response(
            {"detail": str(DATABASE_UNAVAILABLE)}, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    return drf_exception_handler(exc, context)


@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
@schema(None)
def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint: a JSON 404 like the endpoints' own."""
    raise NotFound
