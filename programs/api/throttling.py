"""Rate limits of the API, per client address (anonymous) or per user, counted in the default cache.

The rates (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`, from DJANGO_API_ANON_RATE and
DJANGO_API_USER_RATE) are read on each request rather than once at import, so that a changed
setting (a test's override included) takes effect at once.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from programs.serving.security import client_ip


class RatesFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The same reading of X-Forwarded-For as the sign-in throttle (DJANGO_TRUSTED_PROXY_COUNT).
        return client_ip(request)


class AnonThrottle(RatesFromSettings, AnonRateThrottle):
    """Anonymous clients: `anon` requests per period and address."""


class UserThrottle(RatesFromSettings, UserRateThrottle):
    """Signed-in clients (none yet: the API has no sign-in): `user` requests per period and user.

    Anonymous requests are left to AnonThrottle, so that they are counted once.
    """

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
