"""Rate limits counted in the default cache with atomic increments, over a sliding window.

DRF's throttles (programs.serving.throttling) keep each client's request times as one cache value,
read and written back: requests arriving together on several app servers all read the same list,
and all pass. That is fine for the read-only API's generous rates, not for a form that writes: a
bot sending twenty suggestions at once would get twenty through a limit of five. Here each hit is
an atomic `incr` of the current slot's counter (Redis INCR when REDIS_URL is set, so every app
server shares it), checked after counting, so concurrent hits can never all pass.

The window is cut into `SLOTS` slots (a minute each for an hour) and a hit counts for the slot it
fell in and the `SLOTS` slots after it: a little longer than the period, never shorter, so that the
(count + 1)-th hit within any period is refused. While the cache cannot be reached nothing is
counted and every hit passes, as for the API's throttles.
"""

import contextlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from programs.serving.caching import digest
from programs.serving.security import client_ip

SLOTS = 60
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

REFUSED = {
    "address": _(
        "You have sent as many suggestions as the tracker takes from one address in %(period)s (%(count)s). "
        "Please send this one in %(minutes)s minutes; nothing was kept this time."
    ),
    "everyone": _(
        "The tracker is receiving more suggestions than its curators can read just now. Please send yours in "
        "%(minutes)s minutes; nothing was kept this time."
    ),
}
PERIOD_NAMES = {1: _("a second"), 60: _("a minute"), 3600: _("an hour"), 86400: _("a day")}


@dataclass(frozen=True)
class Rate:
    """`count` hits per `seconds`, read from DRF's notation: "5/hour", "200/h", "10/minute"."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        count, _slash, period = text.partition("/")
        seconds = PERIODS.get(period[:1])
        if not count.isdigit() or seconds is None:
            raise ImproperlyConfigured(f"A rate is written N/second, N/minute, N/hour or N/day, not {text!r}.")
        return cls(int(count), seconds)


class SlidingLimit:
    """At most the rate named by the setting `setting` of hits per key, counted under `name`."""

    def __init__(self, name: str, setting: str):
        self.name = name
        self.setting = setting

    @property
    def rate(self) -> Rate:
        # Read on each hit, so that a changed setting (a test's override included) applies at once.
        return Rate.parse(getattr(settings, self.setting))

    def hit(self, key: str, now: float) -> int | None:
        """Count a hit for `key` at the time `now`: None when it is within the limit, else the seconds
        to wait (the refused hit is not counted)."""
        rate = self.rate
        width = rate.seconds / SLOTS
        current = int(now // width)
        slots = range(current - SLOTS, current)
        mine = self.slot_key(key, current)
        cache.add(mine, 0, timeout=math.ceil(rate.seconds + 2 * width))
        try:
            count = cache.incr(mine)
        except ValueError:  # the cache is unreachable (or dropped the key): nothing is counted
            return None
        earlier = cache.get_many([self.slot_key(key, slot) for slot in slots])
        if count + sum(earlier.values()) <= rate.count:
            return None
        self.undo(key, now)
        counted = [slot for slot in slots if earlier.get(self.slot_key(key, slot))]
        # The wait until the oldest counted slot leaves the window.
        return max(1, math.ceil((min(counted, default=current) + SLOTS + 1) * width - now))

    def undo(self, key: str, now: float) -> None:
        """Take back a hit counted at `now`."""
        with contextlib.suppress(ValueError):  # the cache is unreachable, or dropped the key
            cache.decr(self.slot_key(key, int(now // (self.rate.seconds / SLOTS))))

    def slot_key(self, key: str, slot: int) -> str:
        return f"limit:{self.name}:{digest((key,))}:{slot}"


class SuggestionLimits:
    """Who may send suggestions how often: each client address (`SUGGESTION_RATE`), and everyone
    together (`SUGGESTION_GLOBAL_RATE`), so that a bot spread over many addresses is held too."""

    per_address = SlidingLimit("suggestions-address", "SUGGESTION_RATE")
    everyone = SlidingLimit("suggestions-all", "SUGGESTION_GLOBAL_RATE")

    @classmethod
    def hit(cls, request) -> tuple[str, int] | None:
        """None when the request's suggestion may be kept, else which limit refused it ("address" or
        "everyone") and the seconds to wait. A refused suggestion counts against neither limit."""
        now, address = time.time(), client_ip(request)
        wait = cls.per_address.hit(address, now)
        if wait is not None:
            return "address", wait
        wait = cls.everyone.hit("", now)
        if wait is not None:
            cls.per_address.undo(address, now)
            return "everyone", wait
        return None

    @classmethod
    def refusal(cls, limit: str, wait: int) -> str:
        """What a refused proposer is told: which limit, and how many minutes to wait."""
        rate = cls.per_address.rate
        return str(REFUSED[limit]) % {
            "period": PERIOD_NAMES[rate.seconds],
            "count": rate.count,
            "minutes": max(1, math.ceil(wait / 60)),
        }
