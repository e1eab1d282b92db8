"""The fault drills of bench/drills.py, against a whole cluster of their own (scripts/cluster: a primary,
its replica, PgBouncer, Redis, two gunicorn app servers and HAProxy), one after another and without
load (`make loadtest-cluster` runs them under load):

- in each outage of database parts, every page and API answer seen before answers 200 on every
  app server and through the load balancer, and a page never seen answers 200 or 503 quickly;
- a curator's save while the primary is down fails, says so, and writes nothing;
- an app server killed with SIGKILL mid-request: the load balancer answers from the other;
- a full disk under a release and a fixture export leaves nothing half-written (as root);
- an import killed while it writes leaves the database as it was.

Slow (a cluster starts in a minute or two); runs in the PostgreSQL pass.
"""

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

from bench import drills
from bench.browser import Browser, FormFields

POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PG_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
PASSWORD = "drill-curator-password"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (POSTGRES and PG_BINARIES), reason="runs in the PostgreSQL pass, with PostgreSQL's servers"),
]


@pytest.fixture(scope="module")
def cluster():
    folder = Path(tempfile.mkdtemp(prefix="tracker-drills-"))
    folder.chmod(0o755)  # the servers' own user enters it
    try:
        started = subprocess.run([drills.CLUSTER, "start", folder], capture_output=True, text=True, check=True)
        urls = {name: value.strip('"') for name, value in re.findall(r"^(\w+)=(.*)$", started.stdout, re.M)}
        cluster = drills.Cluster(folder, urls)
        done = cluster.manage(
            "createsuperuser", "--noinput", "--username", "drill-curator", "--email", "curator@example.org",
            env_extra={"DJANGO_SUPERUSER_PASSWORD": PASSWORD}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert done.wait(timeout=120) == 0, done.stderr.read()
        yield cluster
    finally:
        subprocess.run([drills.CLUSTER, "stop", folder], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(cluster):
    """Pages and API answers of every kind, seen by visitors before each drill."""
    slug = query(cluster, "SELECT slug FROM programs_program WHERE status = 'published' ORDER BY slug LIMIT 1")
    return [
        "/",
        "/programs/",
        "/en/programs/?kind=joint_lab",
        f"/programs/{slug}/",
        f"/en/programs/{slug}/",
        "/organizations/",
        "/en/insights/",
        "/api/programs/",
        f"/api/programs/{slug}/",
        "/sitemap.xml",
    ]


def back_to_normal(cluster) -> None:
    """Wait until the primary and the replica answer through PgBouncer again (the parts are back)."""
    import psycopg

    deadline = time.monotonic() + 60
    for url in (cluster.urls["POOLED_DATABASE_URL"], cluster.urls["POOLED_REPLICA_URL"]):
        while True:
            try:
                with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=2) as connection:
                    connection.execute("SELECT 1")
                break
            except psycopg.Error:
                assert time.monotonic() < deadline, f"{url} did not come back"
                time.sleep(0.5)


@pytest.mark.parametrize("outage", drills.outages(), ids=lambda outage: outage.name)
def test_pages_seen_before_are_answered_through_an_outage(cluster, pages, outage):
    drills.visit(cluster, pages)
    outage.begin(cluster)
    try:
        drills.check_seen(cluster, pages, outage)
        drills.check_unseen(cluster, outage)
        time.sleep(2)  # past PgBouncer's pause after a failed login, past each process's replica check
        drills.check_seen(cluster, pages, outage)
    finally:
        outage.end(cluster)
    back_to_normal(cluster)
    assert outage.failures == [], outage.notes


def test_a_curators_save_while_the_primary_is_down_fails_clearly_and_writes_nothing(cluster):
    curator = Browser(cluster.urls["APP_URLS"].split()[0])
    curator.sign_in("drill-curator", PASSWORD)
    pk = query(cluster, "SELECT min(id) FROM programs_program")
    page = f"/en/admin/programs/program/{pk}/change/"
    form = FormFields("program_form")
    form.feed(curator.page(page))
    fields = dict(form.fields)
    cluster.part("stop-part", "primary")
    try:
        changed = [field for field in form.fields if field[0] != "name_en"] + [("name_en", "Renamed in the outage")]
        status, body = curator.request(page, changed)
    finally:
        cluster.part("start-part", "primary")
    assert status == 503
    assert "Nothing was saved" in body
    back_to_normal(cluster)
    form = FormFields("program_form")
    form.feed(curator.page(page))
    assert dict(form.fields)["name_en"] == fields["name_en"]


def query(cluster, sql: str):
    """The first value `sql` reads on the primary."""
    import psycopg

    with psycopg.connect(cluster.urls["DATABASE_URL"].replace("postgres://", "postgresql://")) as connection:
        return connection.execute(sql).fetchone()[0]


def test_an_app_server_killed_mid_request_is_answered_by_the_other(cluster, pages):
    report = drills.Report()
    try:
        drills.killed_mid_request(cluster, pages, report)
    finally:
        cluster.part("start-part", "app1")
    assert report.failures == [], report.notes


def test_a_full_disk_under_a_release_and_an_export_leaves_nothing_half_written(cluster):
    report = drills.Report()
    drills.disk_full(cluster, report)
    if "skipped" in " ".join(report.notes):
        pytest.skip("mounting a tmpfs needs root")
    assert report.failures == [], report.notes
    assert len(report.notes) == 2


def test_an_import_killed_while_it_writes_leaves_the_database_as_it_was(cluster):
    report = drills.Report()
    drills.killed_import(cluster, report, programs=5000)
    assert report.failures == [], report.notes
    back_to_normal(cluster)


def test_the_timeouts_nest_statement_worker_balancer(cluster):
    """A statement is cancelled before gunicorn replaces its worker, which happens before HAProxy gives
    up on the request; and HAProxy never sends a merely slow request a second time."""
    app_env = dict(re.findall(r"^export (\w+)=(.*)$", (cluster.folder / "app.env").read_text(), re.M))
    long_statement = float(app_env["DJANGO_LONG_STATEMENT_TIMEOUT_SECONDS"])
    master = (cluster.folder / "app1" / "gunicorn.pid").read_text().strip()
    command = Path(f"/proc/{master}/cmdline").read_bytes().split(b"\0")
    worker = float(command[command.index(b"--timeout") + 1])
    haproxy = (cluster.folder / "haproxy" / "haproxy.cfg").read_text()
    balancer = float(re.search(r"^\s*timeout server (\d+)s$", haproxy, re.M).group(1))
    assert 2 < long_statement < worker < balancer
    assert "retry-on conn-failure empty-response\n" in haproxy
