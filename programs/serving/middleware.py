"""Middleware of the site: a page cache keyed on the data version, and a 503 while the database is down
(or, for an address answered before, its stale copy: programs.serving.stale)."""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost

from programs.serving import outages, stale
from programs.serving.caching import MISSING, cache_key, data_version, get_or_compute, request_version

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answers 503 Service Unavailable (with Retry-After) when a view cannot reach the database, or
    when one of its statements ran past its timeout (programs.serving.outages).

    Persistent connections are health-checked before each request (CONN_HEALTH_CHECKS), so once
    the database is back the same processes serve again without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, outages.DATABASE_FAILURES):
            return None
        return outages.unavailable_page(request, exception)


class PageCacheMiddleware:
    """Whole public pages for anonymous visitors, cached under the data version.

    A page is computed once per data version, language and URL; any write to the curated data
    changes the version (see programs.serving.caching), so a cached page can never be stale or show a
    draft. Visitors with a session (curators, who may preview drafts) always get fresh pages, as
    do the admin and the API (which has its own conditional requests and throttling).

    Stale-if-error: every public answer, pages and the API's alike, leaves a copy
    (programs.serving.stale); while the database cannot answer, an anonymous visitor gets that
    copy, marked stale, if the cache still holds it; otherwise the 503 with Retry-After.
    """

    SKIPPED_PREFIXES = ("/admin/", "/en/admin/", "/api/", "/reconcile/", "/i18n/")
    UNVERSIONED = ("/healthz",)  # answers that read no data at all

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path in self.UNVERSIONED:
            return self.get_response(request)
        copy = stale.address(request)
        try:
            version = data_version()
        except outages.DATABASE_FAILURES as error:
            outages.note(request, error)
            return stale.served(copy) or self.get_response(request)  # else the view answers 503
        # Read once: every cache used while answering this request keys on the same version.
        token = request_version.set(version)
        try:
            address = self.address(request)
            response = self.get_response(request) if address is None else self.page(request, address)
        finally:
            request_version.reset(token)
        if getattr(response, "database_unavailable", False):
            return stale.served(copy) or response
        stale.keep(copy, request, response)
        return response

    def address(self, request) -> str | None:
        """The page's cache address (with the host: sitemaps write absolute addresses), or None
        when it is not cached: a session, a skipped prefix, a foreign host (which Django refuses)."""
        if (
            not settings.APP_CACHES
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path.startswith(self.SKIPPED_PREFIXES)
        ):
            return None
        try:
            return request.build_absolute_uri()
        except DisallowedHost:
            return None

    def page(self, request, address: str):
        kept, hit = get_or_compute(cache_key("page", address), lambda: self.get_response(request), keep=self.kept)
        if not hit:
            return kept
        response = stale.rebuilt(kept)
        response.from_cache = True
        return response

    @staticmethod
    def kept(response):
        """What the cache keeps of a response: (status, content, headers), or MISSING."""
        return stale.kept(response) if stale.keepable(response) else MISSING
