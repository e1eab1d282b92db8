"""Which database a request reads (programs/serving/routing.py), decided without a replica: the rules, the
router, the replica's lag, and the settings that name a replica. tests/serving/test_replica.py runs them
against a real streaming replica."""

import math
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test import RequestFactory

from programs.serving import routing
from programs.serving.data_version import Version
from tests.helpers import ROOT


@pytest.fixture
def get():
    factory = RequestFactory()

    def request(path="/programs/", method="get", cookies=None):
        made = getattr(factory, method)(path)
        made.COOKIES.update(cookies or {})
        return made

    return request


def test_an_anonymous_public_read_goes_to_the_replica(get):
    for path in ("/", "/programs/", "/en/programs/x/", "/api/programs/", "/programs/?format=csv"):
        assert routing.reads_replica(get(path)), path
    assert routing.reads_replica(get(method="head"))


@pytest.mark.parametrize(
    ("path", "method", "cookies"),
    [
        ("/programs/", "post", None),  # a write
        ("/reconcile/", "post", None),
        ("/programs/", "delete", None),
        ("/admin/", "get", None),  # the admin, in either language
        ("/en/admin/programs/program/", "get", None),
        ("/programs/", "get", {settings.SESSION_COOKIE_NAME: "abc"}),  # a signed-in curator
        ("/programs/", "get", {routing.RECENT_WRITE_COOKIE: "1"}),  # a browser that has just written
    ],
)
def test_writes_the_admin_sessions_and_recent_writers_stay_on_the_primary(get, path, method, cookies):
    assert not routing.reads_replica(get(path, method, cookies))


def test_outside_a_request_everything_reads_and_writes_the_primary():
    router = routing.ReplicaRouter()
    assert router.db_for_read(None) is None  # Django's default: the primary
    assert router.db_for_write(None) == DEFAULT_DB_ALIAS
    assert routing.read_database() == DEFAULT_DB_ALIAS


def test_a_routed_request_reads_its_database_and_remembers_a_write():
    router = routing.ReplicaRouter()
    route = routing.Route(routing.REPLICA)
    token = routing._route.set(route)
    try:
        assert router.db_for_read(None) == routing.REPLICA
        assert routing.read_database() == routing.REPLICA
        assert not route.wrote
        assert router.db_for_write(None) == DEFAULT_DB_ALIAS
        assert route.wrote
    finally:
        routing._route.reset(token)


def test_only_the_primary_is_migrated():
    router = routing.ReplicaRouter()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "programs")
    assert not router.allow_migrate(routing.REPLICA, "programs")
    assert router.allow_relation(object(), object())


@pytest.fixture
def health(settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5
    settings.REPLICA_CHECK_SECONDS = 1
    return routing.ReplicaHealth()


def v(count: int) -> Version:
    """A data version of one history, where moments follow the count."""
    return Version(count, 1_700_000_000_000_000 + count)


def test_a_replica_with_everything_the_primary_has_does_not_lag(health):
    assert health.lag(100.0, primary=v(7), replica=v(7)) == 0
    assert health.lag(101.0, primary=v(8), replica=v(9)) == 0  # it moved on since the primary was read


def test_the_lag_is_how_long_ago_the_primary_had_no_more_than_the_replica(health):
    health.lag(100.0, primary=v(7), replica=v(7))
    health.lag(101.0, primary=v(8), replica=v(7))
    health.lag(102.0, primary=v(9), replica=v(8))
    assert health.lag(103.0, primary=v(9), replica=v(8)) == 2.0  # it has what the primary had at 101
    assert health.lag(104.0, primary=v(10), replica=v(9)) == 1.0  # at 103


def test_a_replica_behind_everything_remembered_lags_without_bound(health):
    assert health.lag(100.0, primary=v(8), replica=v(7)) == math.inf
    health.lag(101.0, primary=v(8), replica=v(8))
    assert health.lag(120.0, primary=v(9), replica=v(8)) == math.inf  # what it had caught up with is forgotten


def test_a_replica_left_on_the_history_a_restore_undid_lags(health):
    """The primary restored from a dump taken at 5 and written to once counts 6 writes, fewer than
    the replica still holding the undone ones; its last write is later than any of them."""
    health.lag(100.0, primary=v(9), replica=v(9))
    restored = Version(6, v(10).changed_at)
    assert health.lag(101.0, primary=restored, replica=v(9)) == 1.0  # it has what the primary had at 100
    assert health.lag(120.0, primary=restored, replica=v(9)) == math.inf
    assert health.lag(121.0, primary=restored, replica=restored) == 0


def startup(env: dict) -> subprocess.CompletedProcess:
    """`manage.py check` in a process of its own with `env`."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_REPLICA_URL": "", "REDIS_URL": "", "CACHE_URL": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": "sqlite:///x.sqlite3", "DATABASE_REPLICA_URL": "postgres://u:pw@host/tracker"},
            "DATABASE_REPLICA_URL needs DATABASE_URL to name a PostgreSQL primary",
        ),
        (
            {"DATABASE_URL": "postgres://u:pw@host/tracker", "DATABASE_REPLICA_URL": "mysql://u:hunter2@host/tracker"},
            "DATABASE_REPLICA_URL must name a PostgreSQL server and database",
        ),
        (
            {"DATABASE_URL": "postgres://u:pw@host/tracker", "DATABASE_REPLICA_URL": "nonsense://u:hunter2@x/y"},
            "DATABASE_REPLICA_URL is not a database address",
        ),
        (
            {"DATABASE_URL": "postgres://u:pw@host/tracker", "DATABASE_REPLICA_URL": "postgres://u:hunter2@host:99x/t"},
            "DATABASE_REPLICA_URL is not a database address",
        ),
        (
            {"DATABASE_URL": "postgres://u:pw@host/tracker", "DATABASE_REPLICA_URL": "postgres://u:hunter2@host"},
            "DATABASE_REPLICA_URL must name a PostgreSQL server and database",
        ),
        ({"DJANGO_REPLICA_MAX_LAG_SECONDS": "soon"}, "DJANGO_REPLICA_MAX_LAG_SECONDS must be a number of seconds"),
        ({"DJANGO_REPLICA_CHECK_SECONDS": "0"}, "DJANGO_REPLICA_CHECK_SECONDS must be a number of seconds"),
    ],
)
def test_a_malformed_replica_setting_stops_the_site_from_starting(env, message):
    result = startup(env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
