"""Rate limits per client address, counted in the default cache (shared by every app server when it
is Redis): the API's, the reconciliation service's.

The rates (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`) are read on each request rather than once at
import, so that a changed setting (a test's override included) takes effect at once.
"""

from rest_framework.settings import api_settings

from programs.serving.security import client_ip


class RatesFromSettings:
    """A DRF throttle's rate read from the settings on each request, counted per client address."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The same reading of X-Forwarded-For as the sign-in throttle (DJANGO_TRUSTED_PROXY_COUNT).
        return client_ip(request)
