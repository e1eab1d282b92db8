"""Load test of the site scaled out (scripts/cluster): the visitor mix through HAProxy, in phases, with faults.

    make loadtest-cluster                                   # 20,000 programmes, 20 s phases
    .venv/bin/python bench/cluster_loadtest.py --programs 20000 --phase-seconds 20 --connections 8

Starts scripts/cluster in --dir (kept afterwards, stopped unless --keep: a seeded data set is
reused), seeds it with `seed_synthetic`, and first serves CSV exports of a few, half and all the
programmes with the app servers' settings (through PgBouncer), reading the peak memory after each.
Then it drives bench/loadtest.py's mix of pages, searches, exports and API calls with wrk through
the load balancer, one run per phase, and prints each phase's answers, throughput, p50/p99 latency
and errors (error responses and socket errors):

 1. steady       nothing happens
 2. curator      a curator saves a programme in the admin of app server 1 every 2 s; app server 2
                 must show the new name at once to the curator, and to a visitor as soon as the
                 replica has it (the delay is reported)
 3. redis        Redis stopped at 1/4 of the phase, started again at 3/5
 4. replica      the replica stopped and started the same way
 5. app server   app server 1 killed (SIGKILL to its processes, mid-request) and started again
 6. primary      the primary stopped and started again
 7-10.           the outages of bench/drills.py: the replica restarted, then the primary stopped;
                 the primary stopped, then the replica restarted; PgBouncer restarted; Redis and
                 the primary down together
11. disk full    a release and a fixture export onto a full disk (bench/drills.py)
12. import       an import of 20,000 programmes killed with SIGKILL while it writes

In phases 6-10 the pages visitors saw before the phase are asked for again while the parts are
down, on every app server and through the load balancer, and must all answer 200; a page never
seen must answer (200, or 503 while no database can) within 5 s.

Target: no error in any phase but the three in which, for a moment, no database can answer
(7, 8 and 9: there a page never seen may be a 503); every check passed. Exits 1 when a target is
missed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import drills  # noqa: E402
from bench.browser import Browser  # noqa: E402
from bench.loadtest import run_wrk, workload, write_workload  # noqa: E402
from bench.run import PYTHON, log  # noqa: E402

CLUSTER = ROOT / "scripts" / "cluster"
CURATOR, CURATOR_PASSWORD = "loadtest-curator", "loadtest-curator-password"  # a throwaway cluster's


def cluster(*args) -> str:
    return subprocess.run([CLUSTER, *map(str, args)], capture_output=True, text=True, check=True).stdout


def assignments(output: str) -> dict:
    return {name: value.strip('"') for name, value in re.findall(r"^(\w+)=(.*)$", output, re.M)}


def manage(env: dict, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, ROOT / "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", "-qAt", url, "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


def prepare(folder: Path, programs: int) -> tuple[dict, dict]:
    """The running cluster's addresses, and the environment of maintenance commands (the primary)."""
    urls = assignments(cluster("start", folder))
    env = {**os.environ, "DATABASE_URL": urls["DATABASE_URL"], "DATABASE_REPLICA_URL": "", "REDIS_URL": ""}
    marker = folder / f"seeded-{programs}"
    if not marker.exists():
        log(f"seeding {programs:,} programmes ...")
        started = time.monotonic()
        manage(env, "seed_synthetic", "--programs", str(programs))
        log(f"  seeded in {time.monotonic() - started:.0f} s")
        marker.touch()
    manage({**env, "DJANGO_SUPERUSER_PASSWORD": CURATOR_PASSWORD}, "createsuperuser", "--noinput",
           "--username", CURATOR, "--email", "curator@example.org", check=False)  # fmt: skip
    return urls, env


# The export through PgBouncer, and the memory it takes

EXPORTS = (
    ("a few", "/programs/?format=csv&kind=award&start_year_min=2024"),
    ("half", "/programs/?format=csv&start_year_min=2012"),
    ("all", "/programs/?format=csv"),
)
MEASURE = """
import json, resource, django
django.setup()
from django.test import Client

client, measured = Client(), []
for label, path in %r:
    rows = size = 0
    for piece in client.get(path, HTTP_HOST="127.0.0.1").streaming_content:
        rows, size = rows + piece.count(b"\\n"), size + len(piece)
    measured.append((label, rows - 1, size / 2**20, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
print(json.dumps(measured))
"""


def measure_export(folder: Path) -> list[str]:
    """Peak memory of a process serving exports of growing size with the app servers' settings
    (through PgBouncer, from the replica): flat when exports stream in bounded memory."""
    env = dict(re.findall(r"^export (\w+)=(.*)$", (folder / "app.env").read_text(), re.M))
    code = MEASURE % (EXPORTS,)
    out = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        f"CSV export of {label:<5} {rows:>7,} rows {size:6.1f} MiB   peak memory of the process {peak:6.1f} MiB"
        for label, rows, size, peak in json.loads(out)
    ]


# Phases


@dataclass
class Phase:
    name: str
    actions: list = field(default_factory=list)  # (fraction of the phase, what to do)
    notes: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    errors_allowed: bool = False


def part(folder: Path, action: str, name: str, *flags):
    def act():
        cluster(action, folder, name, *flags)

    return act


def curator_edits(folder: Path, urls: dict, primary: str, phase: Phase, seconds: float):
    """Every 2 s, a curator saves a programme's English name in app server 1's admin; app server 2
    must show it at once to the curator, and to a visitor once the replica has it."""
    app1, app2 = urls["APP_URLS"].split()
    slug, pk = psql(primary, "SELECT slug, id FROM programs_program WHERE status = 'published' "
                    "AND slug NOT LIKE 'syn-%' ORDER BY slug LIMIT 1").split("|")  # fmt: skip
    editor, reader, visitor = Browser(app1), Browser(app2), Browser(app2)
    editor.sign_in(CURATOR, CURATOR_PASSWORD)
    reader.cookies = editor.cookies  # the same curator, the same session, on the other server

    def edit():
        saves, curator_at_once, visitor_at_once, delays = 0, 0, 0, []
        deadline = time.monotonic() + seconds - 2
        while time.monotonic() < deadline:
            name = f"Edited under load {time.time():.3f}"
            status = editor.save_form(f"/en/admin/programs/program/{pk}/change/", "program_form", {"name_en": name})
            if status != 302:
                phase.failures.append(f"a save answered {status}")
                break
            saved = time.monotonic()
            saves += 1
            curator_at_once += name in reader.page(f"/en/programs/{slug}/")
            seen = name in visitor.page(f"/en/programs/{slug}/")
            visitor_at_once += seen
            while not seen and time.monotonic() - saved < 5:
                time.sleep(0.01)
                seen = name in visitor.page(f"/en/programs/{slug}/")
            delays.append(time.monotonic() - saved)
            if not seen:
                phase.failures.append("a visitor on app server 2 never saw a save")
            time.sleep(max(0.0, 2 - (time.monotonic() - saved)))
        phase.notes.append(
            f"{saves} saves on app1; on app2 the curator saw {curator_at_once}/{saves} at once, visitors "
            f"{visitor_at_once}/{saves} at once, all within {max(delays, default=0) * 1000:.0f} ms"
        )
        if curator_at_once != saves:
            phase.failures.append("the curator did not see every save at once on the other server")

    return edit


def outage_phase(cluster: drills.Cluster, outage: drills.Outage, seen: list[str]) -> Phase:
    """A phase in which `outage` happens at 1/4 and ends at 3/5; the pages seen before are asked
    for twice meanwhile, and a page never seen once. While no database can answer for a moment
    (`gap`), a page never seen is a 503: allowed; a page seen before must answer 200 all the same."""
    phase = Phase(outage.name, errors_allowed=outage.gap)
    phase.notes, phase.failures = outage.notes, outage.failures
    phase.actions = [
        (0.0, lambda: drills.visit(cluster, seen)),
        (0.25, lambda: outage.begin(cluster)),
        (0.27, lambda: drills.check_seen(cluster, seen, outage)),
        (0.3, lambda: drills.check_unseen(cluster, outage)),
        (0.45, lambda: drills.check_seen(cluster, seen, outage)),
        (0.6, lambda: outage.end(cluster)),
    ]
    return phase


def phases(folder: Path, urls: dict, seen: list[str], seconds: int) -> list[Phase]:
    cluster = drills.Cluster(folder, urls)
    steady, curator = Phase("steady"), Phase("curator")
    curator.actions = [(0.05, curator_edits(folder, urls, urls["DATABASE_URL"], curator, seconds))]
    restarts = [Phase("redis"), Phase("replica"), Phase("app server")]
    for phase, name in zip(restarts, ("redis", "replica", "app1"), strict=True):
        flags = ("--kill",) if name == "app1" else ()
        phase.actions = [(0.25, part(folder, "stop-part", name, *flags)), (0.6, part(folder, "start-part", name))]
    primary = drills.Outage(
        name="primary", faults=(("stop-part", "primary"),), restore=(("start-part", "primary"),), gap=False
    )
    outages = [outage_phase(cluster, outage, seen) for outage in [primary, *drills.outages()]]
    full, killed = Phase("disk full"), Phase("import killed")
    full.actions = [(0.25, lambda: drills.disk_full(cluster, full))]
    killed.actions = [(0.1, lambda: drills.killed_import(cluster, killed))]
    return [steady, curator, *restarts, *outages, full, killed]


def run_phase(phase: Phase, base: str, script: Path, seconds: int, connections: int):
    def scheduled():
        started = time.monotonic()
        for fraction, action in phase.actions:
            time.sleep(max(0.0, started + fraction * seconds - time.monotonic()))
            action()

    actions = threading.Thread(target=scheduled)
    actions.start()
    result = run_wrk(base, script, seconds, connections)
    actions.join()
    return result


def run_phases(phases: list[Phase], base: str, script: Path, seconds: int, connections: int) -> bool:
    """Each phase under load, its figures and checks printed; whether a target was missed."""
    log(f"\n== {len(phases)} phases of {seconds} s, {connections} connections, through {base}")
    log(
        f"{'phase':<40}{'answers':>8}{'req/s':>7}{'p50':>10}{'p99':>10}{'errors':>8}  (error responses + socket errors)"
    )
    missed = False
    for phase in phases:
        result = run_phase(phase, base, script, seconds, connections)
        errors = result.errors + result.socket_errors
        line = f"{phase.name:<40}{result.total:>8,}{result.rate:>7,.0f}{result.latency.get('50'):>10}"
        detail = f"  ({result.errors} + {result.socket_errors})" if errors else ""
        allowed = "  (allowed: no database could answer for a moment)" if errors and phase.errors_allowed else ""
        log(f"{line}{result.latency.get('99'):>10}{errors:>8}{detail}{allowed}")
        for note in phase.notes:
            log(f"{'':6}{note}")
        for failure in phase.failures:
            log(f"{'':6}FAILED: {failure}")
        missed |= bool(phase.failures) or (errors > 0 and not phase.errors_allowed)
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=20_000)
    parser.add_argument("--phase-seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-cluster")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    options = parser.parse_args()
    folder, seconds = options.dir, options.phase_seconds

    try:
        urls, env = prepare(folder, options.programs)
        base = urls["BASE_URL"]
        for line in measure_export(folder):
            log(line)
        paths = workload(env, 5000, 7)
        seen = paths[:40:2]
        with tempfile.TemporaryDirectory() as work:
            script = write_workload(Path(work), paths)
            missed = run_phases(phases(folder, urls, seen, seconds), base, script, seconds, options.connections)
    finally:
        if not options.keep:
            subprocess.run([CLUSTER, "stop", folder], capture_output=True, check=False)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
