"""Fault drills on the site scaled out (scripts/cluster): what an operator lives through on a bad day,
and what visitors must still get. `make loadtest-cluster` runs them as phases under load
(bench/cluster_loadtest.py); tests/serving/test_drills.py runs them one after another.

- outages of database parts, in the orders that hurt (`OUTAGES`): every page seen before answers
  200 on every app server and through the load balancer, fresh from a database that still
  answers or from its stale copy; a page never seen answers 200 or 503, quickly;
- an app server killed with SIGKILL mid-request: the load balancer sends the request to the other;
- the disk that releases and fixture exports are written to is full: both fail, and leave nothing
  half-written (a small tmpfs, filled; needs root to mount it);
- an import killed with SIGKILL while it writes: the database is as it was.
"""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.browser import Browser
from bench.faults import synthetic_fixture, table_counts, writing

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = ROOT / "scripts" / "cluster"
UNSEEN_BOUND_SECONDS = 5  # a page never seen must be answered (200 or 503) within this while parts are down


@dataclass
class Cluster:
    """A running scripts/cluster: its folder and the addresses `start` printed."""

    folder: Path
    urls: dict

    def part(self, action: str, name: str, *flags: str) -> None:
        subprocess.run([CLUSTER, action, self.folder, name, *flags], check=True, capture_output=True)

    @property
    def bases(self) -> list[str]:
        """The load balancer and each app server."""
        return [self.urls["BASE_URL"], *self.urls["APP_URLS"].split()]

    def manage(self, *args, env_extra: dict | None = None, **kwargs) -> subprocess.Popen:
        """A maintenance command on the primary, directly (as the README says to run them)."""
        env = {**os.environ, "DATABASE_URL": self.urls["DATABASE_URL"], "DATABASE_REPLICA_URL": "", "REDIS_URL": ""}
        return subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env={**env, **(env_extra or {})}, text=True, **kwargs
        )


@dataclass
class Report:
    """What a drill saw (`notes`) and which of its checks failed (`failures`)."""

    notes: list = field(default_factory=list)
    failures: list = field(default_factory=list)


@dataclass
class Outage(Report):
    """Parts stopped and started in order (`faults`), checked, then brought back (`restore`)."""

    name: str = ""
    faults: tuple[tuple[str, str], ...] = ()
    restore: tuple[tuple[str, str], ...] = ()
    gap: bool = True  # whether, for a moment, no database can answer (a page never seen may be a 503)

    def begin(self, cluster: Cluster) -> None:
        for action, part in self.faults:
            cluster.part(action, part)

    def end(self, cluster: Cluster) -> None:
        for action, part in self.restore:
            cluster.part(action, part)


def outages() -> list[Outage]:
    stop, start = "stop-part", "start-part"
    return [
        # PgBouncer refuses the restarted replica for a moment (server_login_retry) after failing to reach it.
        Outage(
            name="replica restarted, then primary stopped",
            faults=((stop, "replica"), (start, "replica"), (stop, "primary")),
            restore=((start, "primary"),),
        ),
        Outage(
            name="primary stopped, then replica restarted",
            faults=((stop, "primary"), (stop, "replica"), (start, "replica")),
            restore=((start, "primary"),),
        ),
        Outage(name="PgBouncer restarted", faults=((stop, "pgbouncer"),), restore=((start, "pgbouncer"),)),
        Outage(
            name="Redis and primary down together",
            faults=((stop, "redis"), (stop, "primary")),
            restore=((start, "primary"), (start, "redis")),
            gap=False,  # the replica serves everything
        ),
    ]


def visit(cluster: Cluster, pages: list[str]) -> None:
    """Ask for every page on every app server: they are seen (and their copies kept) from now on."""
    for base in cluster.bases:
        for page in pages:
            Browser(base).status(page)


def check_seen(cluster: Cluster, pages: list[str], outage: Report) -> None:
    """Every page seen before answers 200 on every app server and through the load balancer."""
    statuses = [Browser(base).status(page) for base in cluster.bases for page in pages]
    ok = statuses.count(200)
    outage.notes.append(f"pages seen before: {ok}/{len(statuses)} answered 200 (every app server and the balancer)")
    if ok != len(statuses):
        outage.failures.append(f"pages seen before answered {sorted(set(statuses))}")


def check_unseen(cluster: Cluster, outage: Report) -> None:
    """A page no one asked for answers 200 (a database serves it) or 503, within UNSEEN_BOUND_SECONDS."""
    browser = Browser(cluster.urls["BASE_URL"], timeout=UNSEEN_BOUND_SECONDS * 4)
    started = time.monotonic()
    status = browser.status(f"/programs/?q={secrets.token_hex(4)}")
    seconds = time.monotonic() - started
    outage.notes.append(f"a page never seen: {status} in {seconds:.2f} s")
    if status not in (200, 503) or seconds > UNSEEN_BOUND_SECONDS:
        outage.failures.append(f"a page never seen answered {status} in {seconds:.1f} s")


def killed_mid_request(cluster: Cluster, pages: list[str], report: Report, seconds: float = 3) -> None:
    """App server 1 killed (SIGKILL) while requests run through the balancer: every one is answered."""
    browser, statuses = Browser(cluster.urls["BASE_URL"]), []
    deadline, killed = time.monotonic() + seconds, False
    while time.monotonic() < deadline:
        for page in pages:
            statuses.append(browser.status(page))
            if not killed and time.monotonic() > deadline - seconds / 2:
                cluster.part("stop-part", "app1", "--kill")
                killed = True
    report.notes.append(f"app server 1 killed mid-run: {statuses.count(200)}/{len(statuses)} answered 200")
    if statuses.count(200) != len(statuses):
        report.failures.append(f"answers while app server 1 died: {sorted(set(statuses))}")


class FullDisk:
    """A tmpfs of `size` at `path`, filled up (root only: it is mounted)."""

    def __init__(self, path: Path, size: str = "1m"):
        self.path = path
        self.size = size

    def __enter__(self) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs", self.path], check=True)
        filler = self.path / "filler"
        with open(filler, "wb") as out:
            try:
                while True:
                    out.write(bytes(65536))
                    out.flush()
            except OSError:  # full
                pass
        os.truncate(filler, max(filler.stat().st_size - 16384, 0))  # room for a file's first few lines
        return self.path

    def __exit__(self, *exc):
        subprocess.run(["umount", self.path], check=False)


def disk_full(cluster: Cluster, report: Report) -> None:
    """A release and a fixture export onto a full disk: each fails, and nothing half-written stays."""
    if os.geteuid() != 0:
        report.notes.append("disk full: skipped (mounting a tmpfs needs root)")
        return
    with tempfile.TemporaryDirectory(prefix="tracker-full-disk-") as folder, FullDisk(Path(folder) / "disk") as disk:
        for command in (("export_release", disk / "release"), ("export_fixtures", disk / "fixtures")):
            done = cluster.manage(*command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            _out, err = done.communicate(timeout=600)
            left = sorted(path.name for path in disk.iterdir() if path.name != "filler")
            full = "No space left on device" in err
            report.notes.append(
                f"{command[0]} onto a full disk: exit {done.returncode}, left behind {left or 'nothing'}"
            )
            if done.returncode == 0 or not full or left:
                report.failures.append(f"{command[0]} onto a full disk: {err.strip().splitlines()[-1:]}, left {left}")


def killed_import(cluster: Cluster, report: Report, programs: int = 20_000) -> None:
    """An import killed with SIGKILL while it writes leaves the database as it was."""
    primary = cluster.urls["DATABASE_URL"]
    before = table_counts(primary)
    with tempfile.TemporaryDirectory(prefix="tracker-import-") as folder:
        importing = cluster.manage("import_fixtures", synthetic_fixture(Path(folder), programs),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 300
        while not writing(primary) and importing.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        was_writing = importing.poll() is None
        importing.send_signal(signal.SIGKILL)
        importing.wait(timeout=30)
    after = table_counts(primary)
    report.notes.append(
        f"import of {programs:,} programmes killed while writing: {after['programs_program']:,} programmes "
        f"before and after"
        if after == before
        else f"import killed: tables changed {before} -> {after}"
    )
    if not was_writing or after != before:
        report.failures.append("the import was not killed while writing" if not was_writing else "tables changed")
