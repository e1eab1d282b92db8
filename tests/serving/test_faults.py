"""Faults: an import killed halfway changes nothing; a database restart is survived by the app.

These run real processes (manage.py, gunicorn, a PostgreSQL server of their own) rather than
the test database, since a crash or a restart is what they are about.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from bench.faults import synthetic_fixture, table_counts, writing
from tests.helpers import ROOT

POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PG_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))

pytestmark = pytest.mark.slow  # servers and processes of their own


def manage(*args, env, **kwargs):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


@pytest.fixture
def scratch_database(tmp_path):
    """A migrated database of its own (same engine as the suite), as a DATABASE_URL."""
    if POSTGRES:
        import psycopg

        base = settings.DATABASES["default"]
        name = f"faults_{uuid.uuid4().hex[:10]}"
        params = {
            "host": base["HOST"],
            "port": base["PORT"] or 5432,
            "user": base["USER"],
            "password": base["PASSWORD"],
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{base['USER']}:{base['PASSWORD'] or ''}@{base['HOST']}:{params['port']}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    migrate = manage("migrate", "--noinput", env={"DATABASE_URL": url})
    assert migrate.wait(timeout=300) == 0, migrate.stderr.read().decode()
    yield url
    if POSTGRES:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_import_killed_while_writing_leaves_the_database_as_it_was(tmp_path, scratch_database):
    (tmp_path / "small").mkdir()
    small = synthetic_fixture(tmp_path / "small", 30)
    assert manage("import_fixtures", str(small), env={"DATABASE_URL": scratch_database}).wait(timeout=120) == 0
    before = table_counts(scratch_database)
    assert before["programs_program"] == 30

    big = synthetic_fixture(tmp_path, 20_000)
    importing = manage("import_fixtures", str(big), env={"DATABASE_URL": scratch_database})
    deadline = time.monotonic() + 240
    while not writing(scratch_database):
        assert importing.poll() is None, "the import finished before it could be interrupted"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.02)
    importing.send_signal(signal.SIGKILL)
    importing.wait(timeout=30)

    assert table_counts(scratch_database) == before


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict]:
    """The status and headers of a GET (status 0: no answer)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL of the test
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
    except OSError:
        return 0, {}


def get(url: str) -> int:
    return fetch(url)[0]


@pytest.fixture
def server_folder():
    """A folder the database server's own OS user can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.skipif(not PG_BINARIES, reason="needs PostgreSQL's server binaries")
def test_app_survives_a_database_restart(server_folder):
    """While the database is down, a page seen before is served from the cache (marked stale) and
    any other fails with 503; the same app process serves again after."""
    script = ROOT / "scripts" / "postgres-local"
    data = server_folder / "pg"
    url = subprocess.run([script, "start", data], capture_output=True, text=True, check=True).stdout.strip()
    server = None
    try:
        subprocess.run(["psql", url.rsplit("/", 1)[0] + "/postgres", "-qc", "CREATE DATABASE tracker"], check=True)
        env = {
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "fault-test-" + "k" * 50,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
        env["DJANGO_STATIC_ROOT"] = str(server_folder / "static")
        assert manage("migrate", "--noinput", env=env).wait(timeout=300) == 0
        assert manage("collectstatic", "--noinput", env=env).wait(timeout=300) == 0
        port = free_port()
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        server = subprocess.Popen(
            # One worker: the page cache is each process's own, and the stale page must be in the one asked.
            [gunicorn, "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        page = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while get(page) != 200:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        assert all(get(page) == 200 for _ in range(10))

        subprocess.run([script, "stop", data], check=True, capture_output=True)
        down = [fetch(page) for _ in range(5)]
        assert [status for status, _headers in down] == [200] * 5, down
        assert all(headers["Warning"] == '111 - "Revalidation Failed"' for _status, headers in down)
        assert all(headers["Cache-Control"] == "max-age=10" for _status, headers in down)
        status, headers = fetch(f"http://127.0.0.1:{port}/insights/")  # never cached
        assert (status, headers.get("Retry-After")) == (503, "30")

        subprocess.run([script, "start", data, url.rsplit(":", 1)[1].split("/")[0]], check=True, capture_output=True)
        statuses = [get(page) for _ in range(20)]
        # The worker may spend one request finding its old connection dead; then all succeed, fresh.
        assert statuses[-10:] == [200] * 10, statuses
        assert "Warning" not in fetch(page)[1]
        assert server.poll() is None, "the app had to be restarted"
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        subprocess.run([script, "stop", data], capture_output=True, check=False)


def test_unreachable_database_gives_503_with_retry_after(client, monkeypatch, db):
    from django.db import OperationalError

    from programs.site import views

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.OverviewView, "get_context_data", unreachable)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>" in response.content.decode()
