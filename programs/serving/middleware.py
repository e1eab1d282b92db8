"""Middleware of the site: a page cache keyed on the data version, and a 503 while the database is down
(or, for a page the cache still holds, that page)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render

from programs.serving.caching import (
    MISSING,
    cache_key,
    data_version,
    digest,
    get_or_compute,
    request_version,
    versioned_key,
)
from programs.serving.caching import TIMEOUT as PAGE_TIMEOUT

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
STALE_MAX_AGE_SECONDS = 10  # how long a client may keep a page served while the database is down


class DatabaseUnavailableMiddleware:
    """Answers 503 Service Unavailable (with Retry-After) when a view cannot reach the database.

    Persistent connections are health-checked before each request (CONN_HEALTH_CHECKS), so once
    the database is back the same processes serve again without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s", request.path, exc_info=exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.database_unavailable = True  # PageCacheMiddleware may answer with the last good page
        return response


class PageCacheMiddleware:
    """Whole public pages for anonymous visitors, cached under the data version.

    A page is computed once per data version, language and URL; any write to the curated data
    changes the version (see programs.serving.caching), so a cached page can never be stale or show a
    draft. Visitors with a session (curators, who may preview drafts) always get fresh pages, as
    do the admin and the API (which has its own conditional requests and throttling).

    Stale-if-error: each address also remembers the version of its last cached page. While the
    database cannot be reached, an anonymous visitor gets that page, marked stale (`Warning`, a
    short `Cache-Control`), if the cache still holds it; otherwise the 503 with Retry-After.
    """

    SKIPPED_PREFIXES = ("/admin/", "/en/admin/", "/api/", "/reconcile/", "/i18n/")
    UNVERSIONED = ("/healthz",)  # answers that read no data at all
    KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Content-Disposition")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path in self.UNVERSIONED:
            return self.get_response(request)
        address = self.address(request)
        try:
            version = data_version()
        except (OperationalError, InterfaceError):
            return self.last_good(address) or self.get_response(request)  # else the view answers 503
        # Read once: every cache used while answering this request keys on the same version.
        token = request_version.set(version)
        try:
            response = self.get_response(request) if address is None else self.page(request, address, version)
        finally:
            request_version.reset(token)
        if getattr(response, "database_unavailable", False):
            return self.last_good(address) or response
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

    def page(self, request, address: str, version: int):
        kept, hit = get_or_compute(cache_key("page", address), lambda: self.get_response(request), keep=self.kept)
        if hit:
            return self.rebuilt(kept)
        if self.cacheable_response(kept):
            cache.set(self.last_key(address), version, PAGE_TIMEOUT)
        return kept

    def last_good(self, address: str | None):
        """The last page cached at `address`, as a stale response, or None."""
        if address is None:
            return None
        version = cache.get(self.last_key(address))
        kept = None if version is None else cache.get(versioned_key("page", version, address))
        if kept is None:
            return None
        response = self.rebuilt(kept)
        response["Warning"] = '111 - "Revalidation Failed"'
        response["Cache-Control"] = f"max-age={STALE_MAX_AGE_SECONDS}"
        return response

    @staticmethod
    def last_key(address: str) -> str:
        return f"page-last:{digest((address,))}"

    def kept(self, response):
        """What the cache keeps of a response: (status, content, headers), or MISSING."""
        if not self.cacheable_response(response):
            return MISSING
        headers = [(name, response[name]) for name in self.KEPT_HEADERS if response.has_header(name)]
        return (response.status_code, response.content, headers)

    @staticmethod
    def rebuilt(kept) -> HttpResponse:
        status, content, headers = kept
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def cacheable_response(response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-cache" not in cache_control
            and "private" not in cache_control
        )
