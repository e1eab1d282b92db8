"""Middleware of the site: a page cache keyed on the data version, and a 503 while the database is down."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render

from programs.caching import TIMEOUT as PAGE_TIMEOUT
from programs.caching import cache_key, data_version, request_version

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


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
        return response


class PageCacheMiddleware:
    """Whole public pages for anonymous visitors, cached under the data version.

    A page is computed once per data version, language and URL; any write to the curated data
    changes the version (see programs.caching), so a cached page can never be stale or show a
    draft. Visitors with a session (curators, who may preview drafts) always get fresh pages, as
    do the admin and the API (which has its own conditional requests and throttling).
    """

    SKIPPED_PREFIXES = ("/admin/", "/en/admin/", "/api/", "/reconcile/", "/i18n/")
    UNVERSIONED = ("/healthz",)  # answers that read no data at all
    KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Content-Disposition")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path in self.UNVERSIONED:
            return self.get_response(request)
        try:
            version = data_version()
        except (OperationalError, InterfaceError):
            return self.get_response(request)  # the view answers 503
        # Read once: every cache used while answering this request keys on the same version.
        token = request_version.set(version)
        try:
            if not self.cacheable_request(request):
                return self.get_response(request)
            try:  # with the host: sitemaps write absolute addresses
                key = cache_key("page", request.build_absolute_uri())
            except DisallowedHost:
                return self.get_response(request)  # refused by Django, as it refuses any foreign host
            hit = cache.get(key)
            if hit is not None:
                status, content, headers = hit
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                return response
            response = self.get_response(request)
            if self.cacheable_response(response):
                headers = [(name, response[name]) for name in self.KEPT_HEADERS if response.has_header(name)]
                cache.set(key, (response.status_code, response.content, headers), PAGE_TIMEOUT)
            return response
        finally:
            request_version.reset(token)

    def cacheable_request(self, request) -> bool:
        return (
            settings.APP_CACHES
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.SKIPPED_PREFIXES)
        )

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
