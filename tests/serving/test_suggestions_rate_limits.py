"""Rate limits over a sliding window counted with atomic cache increments (programs.serving.rate_limits):
exact at the window's edges, refusals not counted, concurrent hits never all let through, one count
for every process when the cache is Redis, and no refusal while the cache is gone."""

import socket
import threading

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from programs.serving import cache as shared
from programs.serving.cache import SoftRedisCache, redis_cache
from programs.serving.rate_limits import Rate, SlidingLimit

HOUR = 3600
START = 1_800_000_000.0  # a moment in seconds since the epoch, on a slot's edge


@pytest.fixture
def limit(settings):
    settings.TEST_RATE = "5/hour"
    return SlidingLimit("test", "TEST_RATE")


@pytest.mark.parametrize(
    ("text", "rate"),
    [("5/hour", Rate(5, 3600)), ("200/h", Rate(200, 3600)), ("10/minute", Rate(10, 60)), ("1/day", Rate(1, 86400))],
)
def test_rates_are_read_as_drf_writes_them(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["5", "five/hour", "5/fortnight", "/hour", "-1/hour", ""])
def test_a_malformed_rate_is_refused(text):
    with pytest.raises(ImproperlyConfigured, match="N/second, N/minute, N/hour or N/day"):
        Rate.parse(text)


def test_the_sixth_hit_within_an_hour_is_refused_with_the_wait(limit):
    assert [limit.hit("a", START + n) for n in range(5)] == [None] * 5
    wait = limit.hit("a", START + 10)
    assert wait is not None and HOUR - 10 <= wait <= HOUR + 60
    assert limit.hit("b", START + 10) is None  # another key


def test_the_window_slides_rather_than_restarts_on_the_hour(limit):
    """Five hits late in one clock hour still hold the sixth early in the next (a fixed window would not)."""
    late = START + HOUR - 30
    for n in range(5):
        assert limit.hit("a", late + n) is None
    assert limit.hit("a", START + HOUR + 60) is not None
    assert limit.hit("a", late + HOUR + 61) is None  # an hour (and its last slot) after the first


def test_refused_hits_are_not_counted(limit):
    for n in range(5):
        limit.hit("a", START + n)
    for n in range(20):
        assert limit.hit("a", START + 100 + n) is not None
    # The five leave the window an hour (and a slot) after they came; the refusals never counted.
    assert limit.hit("a", START + HOUR + 61) is None


def test_concurrent_hits_never_all_pass(limit):
    """Twenty requests at once, as from several app servers: exactly the limit gets through."""
    results, barrier = [], threading.Barrier(20)

    def hit():
        barrier.wait()
        results.append(limit.hit("a", START))
        caches["default"].close()

    threads = [threading.Thread(target=hit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 5


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_while_the_cache_is_gone_nothing_is_refused(settings, limit):
    settings.CACHES = {
        "default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0", variable="REDIS_URL", socket_timeout=0.2)
    }
    try:
        assert [limit.hit("a", START + n) for n in range(8)] == [None] * 8
    finally:
        caches["default"].close()
        shared._paused_until.clear()


@pytest.mark.skipif(
    not isinstance(caches["default"], SoftRedisCache),
    reason="the suite runs on the local-memory cache (REDIS_URL unset)",
)
def test_every_process_counts_against_one_limit(limit):
    for n in range(5):
        assert limit.hit("a", START + n) is None
    caches["default"].close()  # as if the next request reached another process with its own client
    del caches["default"]
    assert limit.hit("a", START + 10) is not None
