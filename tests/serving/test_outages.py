"""While the database fails a request (programs/serving/outages.py, routing.py, stale.py): a GET whose
database could not be reached is run once more on a fresh connection; a statement cancelled by its
timeout, and a curator's save, are not, and say so; every public answer, the API's included,
leaves a copy that is served, marked stale, for STALE_SECONDS after it was last given.

tests/serving/test_page_cache.py covers the pages' copies; tests/serving/test_drills.py the same
with real servers stopped under a cluster."""

import logging
import types

import pytest
from django.db import OperationalError

from programs import models
from programs.api import views as api_views
from programs.api.errors import exception_handler
from programs.reads.lists import ListRows
from programs.site import views
from tests.helpers import admin_url, form_data, timed_out

PAGE = "/programs/tencent-tsinghua-lab/"


def failing_first(monkeypatch, view_class, error: Exception) -> list:
    """Make `view_class.get` raise `error` on its first call, then answer as it does; the calls."""
    calls, original = [], view_class.get

    def get(self, request, *args, **kwargs):
        calls.append(request.path)
        if len(calls) == 1:
            raise error
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(view_class, "get", get)
    return calls


def test_a_get_whose_connection_died_is_answered_from_a_fresh_one(client, catalogue, monkeypatch, caplog):
    calls = failing_first(monkeypatch, views.ProgramDetailView, OperationalError("the connection is closed"))
    with caplog.at_level(logging.WARNING):
        response = client.get(PAGE)
    assert response.status_code == 200
    assert "Warning" not in response
    assert "腾讯-清华大学联合实验室" in response.content.decode()
    assert calls == [PAGE, PAGE]
    assert any(f"Reading {PAGE} again" in record.getMessage() for record in caplog.records)


def test_a_statement_past_its_timeout_is_a_503_at_once_in_one_log_line(client, catalogue, monkeypatch, caplog):
    calls = failing_first(monkeypatch, views.ProgramDetailView, timed_out())
    with caplog.at_level(logging.WARNING):
        response = client.get(PAGE + "?x=1", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "本页从数据库读取的时间过长" in response.content.decode()
    assert calls == [PAGE]  # not run again: it would only take as long once more
    logged = [record for record in caplog.records if record.name == "programs.serving.outages"]
    assert [record.getMessage() for record in logged] == [
        f"Statement timeout for GET {PAGE}?x=1 from 192.0.2.7: canceling statement due to statement timeout"
    ]
    assert logged[0].exc_info is None


def test_an_outage_is_logged_in_one_line_without_a_traceback(client, catalogue, database_down, caplog):
    database_down()
    with caplog.at_level(logging.WARNING):
        assert client.get("/programs/?kind=award").status_code == 503
    logged = [record for record in caplog.records if record.name == "programs.serving.outages"]
    # One line for each run of the request: the first, and the one on a fresh connection.
    assert [record.getMessage() for record in logged] == [
        "Database unavailable for GET /programs/?kind=award from 127.0.0.1: connection refused"
    ] * 2
    assert all(record.exc_info is None for record in caplog.records)


def test_a_curators_save_during_an_outage_fails_clearly_and_writes_nothing(staff_client, catalogue, monkeypatch):
    lab = catalogue["lab"]
    url = admin_url(models.Program, "change", lab.pk)
    data = form_data(staff_client.get(url))
    saves = []

    def down(*args, **kwargs):
        saves.append(1)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(models.Program, "save", down)
    response = staff_client.post(url, {**data, "name_en": "Renamed during the outage"})
    assert response.status_code == 503
    assert "没有保存任何内容" in response.content.decode()  # Nothing was saved
    assert len(saves) == 1  # a POST is never sent twice
    monkeypatch.undo()
    lab.refresh_from_db()
    assert lab.name_en == "Tencent-Tsinghua Joint Lab"
    assert not models.Program.history.filter(id=lab.pk, name_en="Renamed during the outage").exists()


def test_an_api_answer_given_before_is_served_stale_in_its_language(client, catalogue, database_down):
    english = client.get("/api/programs/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    database_down()
    stale = client.get("/api/programs/", HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 200
    assert stale.content == english.content
    assert stale["Warning"] == '111 - "Revalidation Failed"'
    assert stale["Cache-Control"] == "max-age=10"
    assert stale["Content-Type"] == english["Content-Type"]
    chinese = client.get("/api/programs/")  # this language was never asked for
    assert chinese.status_code == 503
    assert chinese["Retry-After"] == "30"
    assert chinese.json() == {"detail": "暂时无法连接数据库，请稍后再试。"}


def test_an_api_answer_from_the_cache_keeps_its_stale_copy(client, catalogue, database_down, monkeypatch):
    first = client.get("/api/programs/tencent-tsinghua-lab/")
    computed = []
    original = api_views.ProgramViewSet.retrieve
    monkeypatch.setattr(api_views.ProgramViewSet, "retrieve", lambda *a, **k: computed.append(1) or original(*a, **k))
    assert client.get("/api/programs/tencent-tsinghua-lab/").content == first.content  # from the data cache
    database_down()
    stale = client.get("/api/programs/tencent-tsinghua-lab/")
    assert (stale.status_code, stale.content) == (200, first.content)


class Clock:
    """time.time() for the local-memory cache, moved by hand."""

    def __init__(self):
        self.now = 1_000_000.0

    def module(self):
        return types.SimpleNamespace(time=lambda: self.now)


@pytest.fixture
def clock(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clock"}}
    clock = Clock()
    for module in ("base", "locmem"):  # where entries get their expiry, and where it is checked
        monkeypatch.setattr(f"django.core.cache.backends.{module}.time", clock.module())
    return clock


def test_a_copy_lives_stale_seconds_after_it_was_last_given(client, catalogue, database_down, clock, settings):
    settings.STALE_SECONDS = 100
    page = client.get("/programs/").content
    clock.now += 90
    assert client.get("/programs/").content == page  # from the page cache: the copy lives 100 s from now
    clock.now += 90
    database_down()
    assert (client.get("/programs/").status_code, client.get("/programs/").content) == (200, page)
    clock.now += 101
    assert client.get("/programs/").status_code == 503


def test_no_copies_are_kept_when_stale_seconds_is_0(client, catalogue, database_down, settings):
    settings.STALE_SECONDS = 0
    client.get("/programs/")
    client.get("/api/programs/")
    database_down()
    assert client.get("/programs/").status_code == 503
    assert client.get("/api/programs/").status_code == 503


def test_downloads_and_answers_setting_cookies_leave_no_copy(client, catalogue, database_down):
    download = client.get("/programs/?format=csv")
    assert download.status_code == 200
    b"".join(download.streaming_content)  # read to its end, as a server does: its transaction ends with it
    database_down()
    assert client.get("/programs/?format=csv").status_code == 503


def test_the_api_says_a_statement_took_too_long(rf):
    response = exception_handler(timed_out(), {"request": rf.get("/api/programs/")})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.data == {"detail": "数据库处理此请求的时间过长，请稍后再试。"}
    assert response.database_unavailable


def test_a_download_whose_rows_cannot_be_read_is_a_503_not_a_download_cut_short(client, catalogue, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")
        yield  # (a generator, as the rows are)

    monkeypatch.setattr(ListRows, "ordered_ids", down)
    response = client.get("/programs/?format=csv")
    assert response.status_code == 503
    assert not response.streaming
    assert response["Retry-After"] == "30"
