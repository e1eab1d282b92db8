"""The shared Redis cache (programs/serving/cache.py): its address read and checked, its password kept out of
messages, logs and error pages, and a Redis that is gone, refuses us or is slow costing uncached
pages, never an error or a slow page. Most tests need no Redis: a closed port and a server that
never answers stand in for it. When the suite runs with REDIS_URL (CI's PostgreSQL pass), the
last tests use that Redis too.
"""

import logging
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.views.debug import SafeExceptionReporterFilter

from programs.serving import cache as shared
from programs.serving.cache import SoftRedisCache, redis_cache
from tests.helpers import ROOT

PASSWORD = "s3cret-Pa55word"  # what must never be shown


def entry(url: str, timeout: float = 0.2) -> dict:
    return redis_cache(url, variable="REDIS_URL", socket_timeout=timeout)


def test_the_password_travels_in_the_options_not_in_the_location():
    config = entry(f"redis://cache-user:{PASSWORD}@10.0.0.7:6380/2")
    assert config["BACKEND"] == "programs.serving.cache.SoftRedisCache"
    assert config["LOCATION"] == "redis://10.0.0.7:6380/2"
    assert config["OPTIONS"]["username"] == "cache-user"
    assert config["OPTIONS"]["password"] == PASSWORD
    assert config["OPTIONS"]["socket_timeout"] == config["OPTIONS"]["socket_connect_timeout"] == 0.2
    # Percent-encoded characters of a password are decoded; TLS and sockets are addresses too.
    assert entry("rediss://:p%40ss@cache.example.org")["OPTIONS"]["password"] == "p@ss"
    assert entry("unix:///run/redis.sock?db=3")["LOCATION"] == "unix:///run/redis.sock?db=3"
    assert entry("redis://[::1]:6379/0")["LOCATION"] == "redis://[::1]:6379/0"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"http://:{PASSWORD}@cache:6379/0", "must start with redis://, rediss:// or unix://"),
        (f"cache.example.org:{PASSWORD}", "must start with redis://, rediss:// or unix://"),
        (f"redis://:{PASSWORD}@/0", "must name a host"),
        (f"redis://:{PASSWORD}@cache:port/0", "its port must be a number"),
        (f"redis://:{PASSWORD}@cache:99999/0", "its port must be a number"),
        (f"redis://:{PASSWORD}@cache:6379/zero", "must end with a database number"),
        (f"redis://:{PASSWORD}@cache:6379/0?colour=blue", "has an option redis-py does not take"),
        (f"redis://:{PASSWORD}@cache:6379/0?socket_timeout=soon", "has an option redis-py does not take"),
        (f"unix://:{PASSWORD}@", "must name the socket's path"),
    ],
)
def test_a_malformed_address_is_refused_clearly_without_its_password(url, problem):
    with pytest.raises(ImproperlyConfigured) as refused:
        entry(url)
    message = str(refused.value)
    assert message.startswith("REDIS_URL")
    assert problem in message
    assert PASSWORD not in message


def run(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_REPLICA_URL": "", "REDIS_URL": "", "CACHE_URL": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_site_does_not_start_with_a_malformed_address():
    result = run("check", CACHE_URL=f"memcached://:{PASSWORD}@cache:11211")
    assert result.returncode != 0
    assert "CACHE_URL (memcached://:***@cache:11211) must start with redis://" in result.stderr
    assert PASSWORD not in result.stderr + result.stdout
    result = run("check", DJANGO_CACHE_SOCKET_TIMEOUT="-1", REDIS_URL="redis://cache")
    assert "DJANGO_CACHE_SOCKET_TIMEOUT must be a number of seconds" in result.stderr


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_check_deploy_says_when_the_cache_cannot_be_reached():
    port = closed_port()
    result = run("check", "--deploy", REDIS_URL=f"redis://:{PASSWORD}@127.0.0.1:{port}/0")
    assert result.returncode != 0
    assert f"tracker.E001) The cache at redis://127.0.0.1:{port}/0 cannot be used" in result.stderr
    assert "Connection refused" in result.stderr
    assert PASSWORD not in result.stderr + result.stdout


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers: a Redis too slow to wait for."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for sock in accepted:
        sock.close()
    listener.close()


@pytest.fixture
def unpaused():
    shared._paused_until.clear()
    yield
    shared._paused_until.clear()


def soft_cache(url: str, timeout: float = 0.2) -> SoftRedisCache:
    config = entry(url, timeout)
    return SoftRedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]})


def test_a_cache_that_is_gone_is_an_empty_cache(unpaused, caplog):
    gone = soft_cache(f"redis://:{PASSWORD}@127.0.0.1:{closed_port()}/0")
    with caplog.at_level(logging.WARNING, logger="programs.serving.cache"):
        assert gone.get("page", "default") == "default"
        gone.set("page", "value")
        assert gone.add("lock", 1) is False
        assert gone.get_many(["a", "b"]) == {}
        assert gone.has_key("page") is False
        assert gone.delete("page") is False
        assert gone.set_many({"a": 1}) == []
        gone.delete_many(["a"])
        with pytest.raises(ValueError, match="not found"):
            gone.incr("count")
    # One line for the outage, naming the server but not its password, without a traceback.
    [record] = caplog.records
    assert "unavailable" in record.getMessage()
    assert "127.0.0.1" in record.getMessage()
    assert PASSWORD not in caplog.text
    assert record.exc_info is None


def test_a_slow_cache_costs_one_socket_timeout_then_nothing_for_a_while(unpaused, silent_server, caplog):
    slow = soft_cache(f"redis://:{PASSWORD}@127.0.0.1:{silent_server}/0", timeout=0.2)
    started = time.monotonic()
    assert slow.get("page") is None
    first = time.monotonic() - started
    assert 0.15 < first < 1.0, first
    started = time.monotonic()
    for _ in range(100):
        assert slow.get("page") is None
        slow.set("page", "value")
    assert time.monotonic() - started < 0.1  # left alone for RETRY_SECONDS
    assert "TimeoutError" in caplog.text
    assert PASSWORD not in caplog.text


def test_a_cache_tried_again_after_its_pause(unpaused, monkeypatch):
    gone = soft_cache(f"redis://127.0.0.1:{closed_port()}/0")
    assert gone.get("x") is None
    location = gone._cache.location
    assert shared._paused_until[location] > time.monotonic()
    monkeypatch.setitem(shared._paused_until, location, time.monotonic() - 1)
    calls = []
    monkeypatch.setattr(shared.RedisCacheClient, "get", lambda self, key, default: calls.append(key) or "fresh")
    assert gone.get("x") == "fresh"
    assert calls and location not in shared._paused_until


@pytest.fixture
def unreachable_cache(settings, unpaused):
    settings.CACHES = {"default": entry(f"redis://:{PASSWORD}@127.0.0.1:{closed_port()}/0")}
    yield
    caches["default"].close()


@pytest.mark.usefixtures("unreachable_cache")
def test_pages_the_api_and_its_throttle_work_without_the_cache(client, catalogue, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/minute"},
    }
    for _ in range(2):
        for url in ("/", "/programs/", "/en/programs/tencent-tsinghua-lab/", "/insights/", "/programs/feed/"):
            assert client.get(url).status_code == 200, url
        download = client.get("/programs/?format=csv")
        assert download.status_code == 200
        b"".join(download.streaming_content)  # read to its end, as a server does: its transaction ends with it
    # Nothing is counted while the cache is gone: the API answers rather than fails.
    assert [client.get("/api/programs/").status_code for _ in range(4)] == [200] * 4


@pytest.mark.usefixtures("unreachable_cache")
def test_the_cache_password_is_not_on_error_pages(client, settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = "tests.serving.error_urls"
    client.raise_request_exception = False
    response = client.get("/fail/")
    assert response.status_code == 500
    assert b"CACHES" in response.content  # Django's technical page lists the settings
    assert PASSWORD.encode() not in response.content
    safe = SafeExceptionReporterFilter().get_safe_settings()["CACHES"]["default"]
    assert safe["OPTIONS"]["password"] != PASSWORD


redis_only = pytest.mark.skipif(
    not isinstance(caches["default"], SoftRedisCache),
    reason="the suite runs on the local-memory cache (REDIS_URL unset)",
)


@redis_only
def test_every_process_shares_the_cache(db):
    # Another process builds its own backend from the same settings: what one keeps, the other reads.
    config = settings.CACHES["default"]
    elsewhere = SoftRedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]})
    cache.set("shared-entry", {"value": 1})
    assert elsewhere.get("shared-entry") == {"value": 1}
    assert elsewhere.add("shared-lock", 1) and not cache.add("shared-lock", 1)


@redis_only
def test_the_api_limit_is_one_count_for_every_process(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"},
    }
    assert [client.get("/api/programs/").status_code for _ in range(3)] == [200] * 3
    caches["default"].close()  # as if the next request reached another process with its own client
    del caches["default"]
    assert client.get("/api/programs/").status_code == 429
