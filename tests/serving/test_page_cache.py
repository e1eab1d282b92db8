"""The page cache under load and faults: a burst of misses computes an entry once, and while the
database cannot be reached a page the cache holds is served, marked stale, instead of a 503."""

import threading
import time

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory

from programs.serving import caching
from programs.serving.middleware import PageCacheMiddleware
from programs.site import views
from tests import factories as f

BURST = 8


def in_threads(target, count: int = BURST) -> list:
    """`target()` in `count` threads started together; their results."""
    results, start = [None] * count, threading.Barrier(count)

    def run(index):
        start.wait()
        try:
            results[index] = target()
        finally:
            connection.close()  # each thread's own database connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def slow(value, calls: list, seconds: float = 0.3):
    def compute():
        calls.append(1)
        time.sleep(seconds)
        return value

    return compute


def test_a_burst_of_misses_computes_an_entry_once():
    calls = []
    results = in_threads(lambda: caching.get_or_compute("burst", slow({"rows": [1, 2]}, calls)))
    assert len(calls) == 1
    assert [value for value, _hit in results] == [{"rows": [1, 2]}] * BURST
    assert sorted(hit for _value, hit in results) == [False] + [True] * (BURST - 1)


def test_a_value_kept_between_the_first_look_and_the_lock_is_not_computed_again(monkeypatch):
    # Another request finishes (keeps the value, lets go of the lock) just before this one locks.
    add = caching.cache.add

    def finish_first(key, *args, **kwargs):
        caching.cache.set("late", "kept by the other", 60)
        return add(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "add", finish_first)
    calls = []
    assert caching.get_or_compute("late", slow("again", calls)) == ("kept by the other", True)
    assert calls == []
    assert caching.cache.get("lock:late") is None


def test_what_is_not_kept_is_computed_by_each_after_the_first():
    calls = []
    started = time.monotonic()
    results = in_threads(
        lambda: caching.get_or_compute("uncacheable", slow("error page", calls, 0.1), keep=lambda v: caching.MISSING)
    )
    assert results == [("error page", False)] * BURST
    assert len(calls) == BURST
    assert time.monotonic() - started < caching.LOCK_SECONDS  # nobody waited for a value that never came


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_first_visitors_after_a_write_renders_the_page_once():
    f.ProgramFactory()  # a write: a new data version, nothing cached for it
    calls = []
    middleware = PageCacheMiddleware(lambda request: HttpResponse(slow("<p>page</p>", calls)()))
    responses = in_threads(lambda: middleware(RequestFactory().get("/programs/")))
    assert len(calls) == 1
    assert [(r.status_code, r.content) for r in responses] == [(200, b"<p>page</p>")] * BURST


def test_a_page_seen_before_is_served_stale_while_the_database_is_down(client, catalogue, database_down):
    fresh = client.get("/programs/")
    assert fresh.status_code == 200
    assert "Warning" not in fresh
    database_down()
    stale = client.get("/programs/")
    assert stale.status_code == 200
    assert stale.content == fresh.content
    assert stale["Warning"] == '111 - "Revalidation Failed"'
    assert stale["Cache-Control"] == "max-age=10"
    assert stale["Content-Type"] == fresh["Content-Type"]


def test_a_page_never_cached_gets_the_503(client, catalogue, database_down):
    client.get("/programs/")
    database_down()
    for url in ("/programs/?kind=award", "/en/programs/", "/programs/tencent-tsinghua-lab/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        assert "Warning" not in response


def test_the_stale_page_is_the_last_version_cached(client, catalogue, database_down):
    client.get("/programs/")
    f.ProgramFactory(name="新项目", name_en="A new programme")
    newer = client.get("/programs/")
    assert "新项目" in newer.content.decode()
    database_down()
    assert client.get("/programs/").content == newer.content


def test_a_page_whose_view_fails_on_the_database_is_served_stale(client, catalogue, monkeypatch):
    fresh = client.get("/programs/tencent-tsinghua-lab/")

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The version is read (from a cache of it, say), but the page's own queries fail.
    monkeypatch.setattr(views.ProgramDetailView, "get", down)
    f.ProgramFactory()  # a new version: the page is not cached under it
    stale = client.get("/programs/tencent-tsinghua-lab/")
    assert stale.status_code == 200
    assert stale.content == fresh.content
    assert stale["Warning"] == '111 - "Revalidation Failed"'


def test_a_signed_in_curator_gets_the_503_not_a_cached_page(client, catalogue, database_down, django_user_model):
    client.get("/programs/")
    client.force_login(django_user_model.objects.create_superuser("curator", password="x"))
    database_down()
    assert client.get("/programs/").status_code == 503
