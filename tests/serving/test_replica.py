"""A real streaming replica (scripts/cluster: a primary, its replica and PgBouncer in front of both),
read by app servers as deployed: anonymous visitors read the replica; a signed-in curator, and a
browser that has just written, read the primary; a replica that lags beyond the bound or is
stopped is left for the primary without an error; and a page's data version and its data come
from the same database.

The replica is made to lag by pausing its replay (`pg_wal_replay_pause()`) while the primary is
written to directly. Runs in the PostgreSQL pass (it needs PostgreSQL's server binaries).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from bench.browser import Browser
from tests.helpers import ROOT

CLUSTER = ROOT / "scripts" / "cluster"
POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PG_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
PASSWORD = "replica-test-password"

# scripts/cluster installs PgBouncer where it is missing (as root); the server binaries come with PostgreSQL.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (POSTGRES and PG_BINARIES), reason="needs PostgreSQL's server binaries; runs in the PostgreSQL pass"
    ),
]


def sql(url: str, statement: str, params=()):
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as connection:
        rows = connection.execute(statement, params)
        return rows.fetchall() if rows.description else None


def manage(env: dict, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


class Cluster:
    def __init__(self, folder: Path, urls: dict):
        self.folder = folder
        self.primary = urls["DATABASE_URL"]
        self.replica = urls["DATABASE_REPLICA_URL"]
        self.pooled = urls["POOLED_DATABASE_URL"]
        self.pooled_replica = urls["POOLED_REPLICA_URL"]
        self.renames = 0

    def part(self, action: str, name: str):
        subprocess.run([CLUSTER, action, self.folder, name], check=True, capture_output=True)

    def version(self, url: str) -> int:
        return sql(url, "SELECT version FROM programs_data_version")[0][0]

    def rename(self, slug: str) -> str:
        """Give the programme a new English name on the primary; the name."""
        self.renames += 1
        name = f"Renamed programme {self.renames}"
        sql(self.primary, "UPDATE programs_program SET name_en = %s WHERE slug = %s", [name, slug])
        return name

    @contextmanager
    def replay_paused(self):
        sql(self.replica, "SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            sql(self.replica, "SELECT pg_wal_replay_resume()")
        self.caught_up()

    def caught_up(self, seconds: float = 20):
        deadline = time.monotonic() + seconds
        while self.version(self.replica) != self.version(self.primary):
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def cluster():
    folder = Path(tempfile.mkdtemp(prefix="tracker-replica-"))
    try:
        started = subprocess.run(
            [CLUSTER, "start", folder, "primary", "replica", "pgbouncer"], capture_output=True, text=True, check=True
        )
        cluster = Cluster(folder, dict(line.split("=", 1) for line in started.stdout.splitlines()))
        env = {"DATABASE_URL": cluster.primary, "DATABASE_REPLICA_URL": "", "REDIS_URL": "", "CACHE_URL": ""}
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "import_fixtures", "data/")
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser",
            "--noinput",
            "--username",
            "curator",
            "--email",
            "curator@example.org",
        )
        cluster.caught_up()
        yield cluster
    finally:
        subprocess.run([CLUSTER, "stop", folder], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def app_server(cluster: Cluster, max_lag: float):
    """An app server reading the primary and the replica through PgBouncer, as deployed."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.pooled,
        "DATABASE_REPLICA_URL": cluster.pooled_replica,
        "REDIS_URL": "",
        "CACHE_URL": "",
        "DJANGO_DEBUG": "1",  # plain HTTP cookies, static files without collectstatic
        "DJANGO_REPLICA_MAX_LAG_SECONDS": str(max_lag),
        "DJANGO_REPLICA_CHECK_SECONDS": "0.2",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while Browser(base).status("/healthz") != 200:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def tolerant(cluster):
    """An app server that uses the replica however far it lags (for as long as a test lasts)."""
    with app_server(cluster, max_lag=3600) as base:
        yield base


@pytest.fixture(scope="module")
def strict(cluster):
    """An app server that leaves the replica once it lags by more than a second."""
    with app_server(cluster, max_lag=1) as base:
        yield base


@pytest.fixture(scope="module")
def slug(cluster):
    return sql(cluster.primary, "SELECT slug FROM programs_program WHERE status = 'published' ORDER BY slug")[0][0]


def test_visitors_read_the_replica_and_a_signed_in_curator_the_primary(cluster, tolerant, slug):
    visitor, curator = Browser(tolerant), Browser(tolerant)
    curator.sign_in("curator", PASSWORD)
    page = f"/en/programs/{slug}/"
    before = re.search(r"<h1[^>]*>(.*?)</h1>", visitor.page(page), re.S).group(1)
    with cluster.replay_paused():
        renamed = cluster.rename(slug)
        assert renamed not in visitor.page(page)
        assert before in visitor.page(page)
        assert renamed in curator.page(page)
        assert curator.status("/en/admin/programs/program/") == 200  # the admin: the primary
    assert renamed in visitor.page(page)


def test_a_browser_that_has_written_reads_the_primary_while_the_replica_may_lag(cluster, tolerant, slug):
    browser = Browser(tolerant)
    browser.sign_in("curator", PASSWORD)  # a write: the session
    # As long as the replica may lag, plus a check's interval: 3600 + 0.2, rounded up.
    assert browser.max_age["recent_write"] == "3601"
    page = f"/en/programs/{slug}/"
    with cluster.replay_paused():
        renamed = cluster.rename(slug)
        browser.sign_out()
        assert settings.SESSION_COOKIE_NAME not in browser.cookies
        assert renamed in browser.page(page)  # anonymous now, but it has just written
        del browser.cookies["recent_write"]  # as when the cookie has expired
        assert renamed not in browser.page(page)


def test_a_replica_lagging_beyond_the_bound_is_left_for_the_primary(cluster, strict, slug):
    visitor = Browser(strict)
    page = f"/en/programs/{slug}/"
    visitor.page(page)
    with cluster.replay_paused():
        renamed = cluster.rename(slug)
        deadline = time.monotonic() + 10
        while renamed not in visitor.page(page):
            assert time.monotonic() < deadline, "the lagging replica was still read"
            time.sleep(0.2)
    assert renamed in visitor.page(page)


def test_a_pages_version_and_data_come_from_the_same_database(cluster, tolerant, slug):
    visitor = Browser(tolerant)
    page = f"/en/programs/{slug}/"
    with cluster.replay_paused():
        renamed = cluster.rename(slug)
        # Cached now, from the replica. Had its version been read on the primary, this old page
        # would be cached under the new version, and shown again below.
        assert renamed not in visitor.page(page)
    assert renamed in visitor.page(page)


def test_a_stopped_replica_is_no_error(cluster, tolerant, slug):
    renamed = cluster.rename(slug)
    cluster.caught_up()
    pages = [f"/en/programs/{slug}/", "/programs/", "/en/organizations/", "/api/programs/", "/programs/?format=csv"]
    visitor = Browser(tolerant)
    for page in pages:
        visitor.page(page)
    cluster.part("stop-part", "replica")
    try:
        for _ in range(3):
            assert [visitor.status(page) for page in pages] == [200] * len(pages)
        assert renamed in visitor.page(pages[0])
    finally:
        cluster.part("start-part", "replica")
    cluster.caught_up()
    assert [visitor.status(page) for page in pages] == [200] * len(pages)
