"""Rate limits of the API, per client address (anonymous) or per user (DJANGO_API_ANON_RATE,
DJANGO_API_USER_RATE), read from the settings on each request (programs.serving.throttling)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from programs.serving.throttling import RatesFromSettings


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
