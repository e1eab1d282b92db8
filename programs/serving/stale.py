"""Stale copies: the last answer given at each public address, for while the database is down.

Every answer an anonymous visitor got with a GET (a page, or an API answer in its language) is
kept in the cache for STALE_SECONDS after it was last given: written when it was computed, its
lifetime renewed (`touch`) when it was served from a cache. While the database cannot answer,
a visitor asking for such an address gets that copy, marked stale (`Warning: 111`, a short
`Cache-Control`), on every app server that shares the cache; an address no one was given in
that time gets the 503. Only what the public may see is kept: no session, no admin, no cookie
set, nothing streamed, nothing the response marks private.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse

from programs.serving.caching import digest
from programs.serving.languages import accepted_language

STALE_MAX_AGE_SECONDS = 10  # how long a client may keep a copy served while the database is down
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Content-Disposition")
PRIVATE_PREFIXES = ("/admin/", "/en/admin/", "/reconcile/", "/i18n/")
API_PREFIX = "/api/"


def address(request) -> str | None:
    """Where a copy of the request's answer is kept, or None when it has none: not a public GET
    or HEAD, or a foreign host (which Django refuses)."""
    if (
        not settings.STALE_SECONDS
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or request.path.startswith(PRIVATE_PREFIXES)
    ):
        return None
    try:
        uri = request.build_absolute_uri()
    except DisallowedHost:
        return None
    # The API's language is the client's Accept-Language; a page's is in its address.
    language = accepted_language(request) if request.path.startswith(API_PREFIX) else ""
    return f"stale:{digest((uri, language))}"


def keepable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-cache" not in cache_control
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def kept(response) -> tuple:
    """What a copy keeps of a response: (status, content, headers)."""
    headers = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
    return (response.status_code, response.content, headers)


def rebuilt(copy: tuple) -> HttpResponse:
    status, content, headers = copy
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def keep(key: str | None, request, response) -> None:
    """Keep (or keep longer) the copy of a response given to a public GET.

    `response.from_cache` says that the response was served from a cache (a page, an API
    answer's data): its copy was written when it was computed, and only lives longer now.
    """
    if key is None or request.method != "GET" or not keepable(response):
        return
    if getattr(response, "from_cache", False) and cache.touch(key, settings.STALE_SECONDS):
        return
    cache.set(key, kept(response), settings.STALE_SECONDS)


def served(key: str | None) -> HttpResponse | None:
    """The copy kept at `key`, as a stale response, or None."""
    copy = None if key is None else cache.get(key)
    if copy is None:
        return None
    response = rebuilt(copy)
    response["Warning"] = '111 - "Revalidation Failed"'
    response["Cache-Control"] = f"max-age={STALE_MAX_AGE_SECONDS}"
    return response
