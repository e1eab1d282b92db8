"""Request-level pieces the settings plug in: the client's address and the page for a paused sign-in
(both for django-axes), and a cap on request size."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

REQUEST_TOO_LARGE = _("The request is larger than the site accepts (%(limit)s bytes at most).")


def client_ip(request) -> str:
    """The address of the client, as the login throttle counts it.

    `REMOTE_ADDR`, unless `TRUSTED_PROXY_COUNT` proxies stand in front of the app: then the address
    the outermost of them saw, read from the right of X-Forwarded-For (entries further left are
    whatever the client chose to send).
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """The page django-axes sends (429) to a locked-out sign-in: why, and for how long."""
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in paused"),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "admin/login_locked.html", context, status=429)


class RequestSizeLimitMiddleware:
    """Refuse (413) a request whose declared body exceeds `REQUEST_MAX_BYTES`, before reading it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, which it streams
    to disk whatever their size; this caps the whole body, as a proxy's client_max_body_size would.
    WSGI reads no body without a Content-Length, so checking the declared length is enough.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            # Before LocaleMiddleware has run: pick the page's language the way it would.
            with translation.override(translation.get_language_from_request(request, check_path=True)):
                message = str(REQUEST_TOO_LARGE) % {"limit": settings.REQUEST_MAX_BYTES}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
