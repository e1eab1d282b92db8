"""Middleware for addresses under /api/ only; the pages keep their own behaviour.

- Language: the API is outside the language prefixes, so Django's LocaleMiddleware answers it in
  the default language (Chinese). Here the `Accept-Language` header may pick English instead, for
  error messages and the schema's descriptions (records always carry both languages).
- Caching: an ETag on every successful GET (a hash of the body, by Django's
  ConditionalGetMiddleware, so it changes exactly when the answer does), 304 for a matching
  If-None-Match, and `Cache-Control: public, max-age=API_CACHE_SECONDS`. The API shows published
  records only, so nothing cached here is a draft; errors are not marked public.
"""

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from programs.serving.languages import accepted_language

API_PREFIX = "/api/"


class ApiLanguageMiddleware:
    """Activates the Accept-Language's language for the API (after LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        translation.activate(accepted_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        return response


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """ConditionalGetMiddleware and a public Cache-Control, for the API's successful GETs."""

    def process_response(self, request, response):
        if not request.path.startswith(API_PREFIX):
            return response
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        return super().process_response(request, response)
