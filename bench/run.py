"""The benchmark: page and API timings on a synthetic data set, throughput through gunicorn, import speed.

    make bench                      # N = 100,000 programmes
    make bench N=1000000            # where time allows
    .venv/bin/python bench/run.py --programs 100000 --repeat 20 --import-programs 5000

It starts a PostgreSQL server of its own (scripts/postgres-local, in --data-dir, kept between runs
so that a seeded data set is reused), seeds it with `seed_synthetic`, and prints:

1. each page's server time through Django's full stack (the test client, in this process) — the
   partnership page of the largest sponsor and a reconciliation batch of 100 organization names
   (target ≤ 500 ms at a million programmes) among them — in
   three states: cold (every cache emptied first), warm (caches of counts and facets filled, the
   page cache bypassed as for a signed-in curator), and cached (an anonymous visitor, the page
   cache filled); median and p95 over --repeat requests, the query count of a cold request, and
   each page's cached and warm throughput as a ratio of a constant view's (/healthz) measured
   the same way in the same run;
2. requests per second through gunicorn (2 sync workers) driven by wrk for the constant view and
   the programme list, cached and uncached, and their ratios;
3. `import_fixtures` of an exported synthetic data set against `loaddata` of the same records,
   into empty databases: records per second, their ratio, and the importer's peak memory.

Figures drift between runs and machines: compare the ratios measured in one run.
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A PostgreSQL server of the benchmark's own, and databases on it."""

    def __init__(self, data_dir: Path, port: int):
        self.data_dir = data_dir
        self.port = port
        self.url = ""

    def start(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o755)
        script = ROOT / "scripts" / "postgres-local"
        self.url = subprocess.run(
            [script, "start", self.data_dir / "pg", str(self.port)], capture_output=True, text=True, check=True
        ).stdout.strip()

    def stop(self):
        subprocess.run([ROOT / "scripts" / "postgres-local", "stop", self.data_dir / "pg"], capture_output=True)

    def database_url(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    def psql(self, sql: str, database="postgres") -> str:
        return subprocess.run(
            ["psql", "-qAt", self.database_url(database), "-c", sql], capture_output=True, text=True, check=True
        ).stdout.strip()

    def exists(self, name: str) -> bool:
        return self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"

    def recreate(self, name: str):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{name}"')


def environment(database_url: str, static_root: Path) -> dict:
    """Production settings, on loopback without TLS."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_RECONCILE_RATE": "1000000/minute",  # the benchmark's own batches are not throttled
    }


def manage(env: dict, *args, capture=False, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, ROOT / "manage.py", *args], cwd=ROOT, env=env, check=check, capture_output=capture, text=True
    )


def timed(env: dict, *args) -> tuple[float, int, str]:
    """Run a management command; its wall time, its peak memory (MiB) and its output."""
    runner = (
        "import resource, sys; from django.core.management import execute_from_command_line;"
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tracker.settings');"
        "execute_from_command_line(['manage.py', *sys.argv[1:]]);"
        "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "-c", runner, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    peak = int(re.search(r"MAXRSS (\d+)", result.stderr).group(1)) // 1024
    return seconds, peak, result.stdout


def seed(server: Server, name: str, programs: int, static_root: Path) -> dict:
    env = environment(server.database_url(name), static_root)
    marker = server.data_dir / f"{name}.seeded"
    if server.exists(name) and marker.exists():
        log(f"reusing database {name}")
        manage(env, "migrate", "--noinput", "-v0")  # migrations added since it was seeded,
        server.psql("ANALYZE", database=name)  # and statistics for what they added (autovacuum is off)
        return env
    server.recreate(name)
    manage(env, "migrate", "--noinput", "-v0")
    log(f"seeding {programs:,} programmes into {name} ...")
    started = time.perf_counter()
    out = manage(env, "seed_synthetic", "--programs", str(programs), capture=True).stdout
    log(f"  {out.strip().splitlines()[-1]} ({time.perf_counter() - started:.0f} s)")
    marker.touch()
    return env


# 1. Pages through the test client


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_pages(env: dict, repeat: int) -> list[dict]:
    """Run in a child process with the benchmark's settings; returns one row per page."""
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.pages import main; main({repeat})"
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"measuring the pages failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


# 2. Throughput through gunicorn and wrk


def wrk(url: str, seconds: int, headers=()) -> float:
    args = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def warm_up(url: str, fast_in_a_row: int = 8, deadline_seconds: int = 900):
    """Fill every worker's caches (each process has its own): one request at a time until many
    in a row come back fast. A cold list at a million programmes takes seconds per worker, and
    wrk's timeouts would otherwise count as the measured figures."""
    fast, deadline = 0, time.monotonic() + deadline_seconds
    while fast < fast_in_a_row:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not get fast within {deadline_seconds} s")
        started = time.perf_counter()
        subprocess.run(["curl", "-sf", "-o", "/dev/null", url], check=True)
        fast = fast + 1 if time.perf_counter() - started < 0.2 else 0


def measure_throughput(env: dict, seconds: int) -> list[tuple[str, float]]:
    if not shutil.which("wrk"):
        log("wrk is not installed (apt-get install wrk): throughput skipped")
        return []
    port = free_port()
    gunicorn = Path(PYTHON).parent / "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "error"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while subprocess.run(["curl", "-sf", base + "/healthz"], capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        warm_up(base + "/programs/")
        return [
            ("constant view (/healthz)", wrk(base + "/healthz", seconds)),
            ("programme list, cached", wrk(base + "/programs/", seconds)),
            ("programme list, uncached", wrk(base + "/programs/", seconds, ["Cookie: sessionid=benchmark"])),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)


# 3. import_fixtures against loaddata


def measure_import(server: Server, programs: int, static_root: Path, work: Path) -> dict:
    env = seed(server, f"bench_import_{programs}", programs, static_root)
    fixtures, dump = work / "fixtures", work / "dump.json"
    shutil.rmtree(fixtures, ignore_errors=True)
    manage(env, "export_fixtures", str(fixtures), capture=True)
    curated = "Source ResearchArea Organization Program Participation Edition Person Affiliation Involvement"
    models = [f"programs.{name}" for name in (curated + " Project ProjectMember Citation").split(" ")]
    manage(env, "dumpdata", *models, "--output", str(dump), capture=True)
    records = len(json.loads(dump.read_text()))
    results = {"records": records, "files": sum(1 for _ in fixtures.iterdir())}
    for label, name, args in [
        ("import_fixtures", "bench_target_import", ("import_fixtures", str(fixtures))),
        ("loaddata", "bench_target_loaddata", ("loaddata", str(dump))),
    ]:
        server.recreate(name)
        target = environment(server.database_url(name), static_root)
        manage(target, "migrate", "--noinput", "-v0")
        log(f"{label} of {records:,} records ...")
        seconds, peak, _out = timed(target, *args)
        results[label] = {"seconds": seconds, "rate": records / seconds, "peak_mib": peak}
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and state")
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--import-programs", type=int, default=5000, help="size of the import comparison")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--port", type=int, default=54400)
    parser.add_argument("--skip", nargs="*", default=[], choices=["pages", "throughput", "import"])
    options = parser.parse_args()

    server = Server(options.data_dir, options.port)
    server.start()
    static_root = options.data_dir / "static"
    try:
        env = seed(server, f"bench_{options.programs}", options.programs, static_root)
        manage(env, "collectstatic", "--noinput", "-v0")
        log(f"\n== {options.programs:,} programmes, PostgreSQL, DEBUG off\n")
        if "pages" not in options.skip:
            print_pages(measure_pages(env, options.repeat))
        if "throughput" not in options.skip:
            print_throughput(measure_throughput(env, options.wrk_seconds))
        if "import" not in options.skip:
            with tempfile.TemporaryDirectory() as work:
                print_import(measure_import(server, options.import_programs, static_root, Path(work)))
    finally:
        server.stop()


def print_pages(rows):
    floor = next(row for row in rows if row["page"].startswith("constant"))
    log("Server time per page, ms (median / p95); throughput as a multiple of the constant view's")
    header = f"{'page':44} {'queries':>7} {'cold':>15} {'warm':>15} {'cached':>13} {'warm ×':>7} {'cached ×':>8}"
    log(header)
    log("-" * len(header))
    for row in rows:
        cold, warm, hot = row["cold"], row["warm"], row["cached"]
        log(
            f"{row['page']:44} {row['queries']:>7} {cold[0]:>7.1f} /{cold[1]:>6.1f} {warm[0]:>7.1f} /{warm[1]:>6.1f}"
            f" {hot[0]:>5.1f} /{hot[1]:>6.1f} {floor['cached'][0] / warm[0]:>7.3f} {floor['cached'][0] / hot[0]:>8.3f}"
        )
    log("")


def print_throughput(rows):
    if not rows:
        return
    floor = rows[0][1]
    log("Throughput through gunicorn (2 sync workers), wrk -t2 -c8")
    for label, rate in rows:
        log(f"  {label:32} {rate:>9,.0f} req/s   {rate / floor:.3f} × the constant view")
    log("")


def print_import(results):
    imported, loaded = results["import_fixtures"], results["loaddata"]
    log(f"Loading {results['records']:,} records ({results['files']} fixture files) into an empty database")
    for label, figures in (("import_fixtures", imported), ("loaddata", loaded)):
        log(
            f"  {label:16} {figures['seconds']:>8.1f} s {figures['rate']:>10,.0f} records/s"
            f"   peak memory {figures['peak_mib']:,} MiB"
        )
    log(f"  import_fixtures is {imported['rate'] / loaded['rate']:.1f} × as fast as loaddata")


if __name__ == "__main__":
    main()
