"""The benchmark: first visits per page class, the visitor mix through gunicorn, a curator's save, import speed.

    make bench                      # N = 100,000 programmes
    make bench N=1000000            # where time allows
    .venv/bin/python bench/run.py --programs 100000 --per-class 40 --import-programs 5000

It starts a PostgreSQL server of its own (scripts/postgres-local, in --data-dir, kept between runs
so that a seeded data set is reused), seeds it with `seed_synthetic`, and prints:

1. per page class (bench/addresses.py: broad and filtered lists, Chinese and English searches,
   record pages including the largest sponsor's, the other lists, overview, insights, the API),
   the server time of a first visit to each of --per-class distinct addresses, every cache emptied
   before each (as right after a curator's edit), through Django's full stack in this process, and
   of a second visit; median and p95, the most queries a request ran, and the ratio to a constant
   view measured the same way;
2. requests per second through gunicorn (2 sync workers) driven by wrk: the constant view, a list
   served from the page cache, and the visitor mix (20,000 requests over about 11,000 addresses)
   with and without a curator's edit every 2 s, with the application's caches and without them;
3. a curator's save of a programme with 20 links;
4. `import_fixtures` of an exported synthetic data set against `loaddata` of the same records,
   into empty databases: records per second, their ratio, and the importer's peak memory.

Figures drift between runs and machines: compare the ratios measured in one run.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

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
        # Sized as a database server is (PostgreSQL's guide: a quarter of memory), so that the listings
        # a page scans stay in PostgreSQL's own buffers rather than being copied from the OS's on each scan.
        env = {**os.environ, "PG_SHARED_BUFFERS": os.environ.get("PG_SHARED_BUFFERS", "2GB")}
        self.url = subprocess.run(
            [script, "start", self.data_dir / "pg", str(self.port)], capture_output=True, text=True, check=True, env=env
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
        vacuum(server, name)
        return env
    server.recreate(name)
    manage(env, "migrate", "--noinput", "-v0")
    log(f"seeding {programs:,} programmes into {name} ...")
    started = time.perf_counter()
    out = manage(env, "seed_synthetic", "--programs", str(programs), capture=True).stdout
    log(f"  {out.strip().splitlines()[-1]} ({time.perf_counter() - started:.0f} s)")
    vacuum(server, name)
    marker.touch()
    return env


def vacuum(server: Server, name: str) -> None:
    """What autovacuum (off on this server) would have done by now: statistics, and the visibility
    map that lets an index answer alone (a list's window, its counts) instead of visiting the table."""
    server.psql("VACUUM ANALYZE", database=name)


# 1. Pages through the test client


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_pages(env: dict, per_class: int) -> list[dict]:
    """Run in a child process with the benchmark's settings; returns one row per page class."""
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.pages import main; main({per_class})"
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"measuring the pages failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


# 2. Throughput through gunicorn and wrk

# Walks a file of addresses in order, the threads taking turns, so that every address of the mix
# is asked for (most of them once) rather than a random few again and again.
WALK = """
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  paths = {}
  for line in io.lines("%s") do paths[#paths + 1] = line end
  step = %d
  counter = id + 1
end
function request()
  local path = paths[counter]
  counter = counter + step
  if counter > #paths then counter = id + 1 end
  return wrk.format("GET", path)
end
"""

# A curator's edit every two seconds: a programme renamed and saved as the admin saves it (its
# history, its listing row and the data version change with it), until the process is stopped.
WRITER = """
import time, django
django.setup()
from programs.models import Program
ids = list(Program.objects.published().order_by("id").values_list("id", flat=True)[:1000])
for turn in range(100000):
    program = Program.objects.get(pk=ids[turn % len(ids)])
    program.name = program.name[:-1] if program.name.endswith("*") else program.name + "*"
    program.save()
    time.sleep(2)
"""


@dataclass
class Load:
    label: str
    rate: float
    p50: str = ""
    p99: str = ""
    requests: int = 0
    errors: int = 0


@dataclass
class WrkResult:
    total: int
    rate: float
    latency: dict  # percentile ("50", "75", "90", "99") -> wrk's figure ("12.3ms")
    errors: int  # responses other than 2xx and 3xx
    socket_errors: int  # connections refused, reset or timed out


def read_wrk(out: str) -> WrkResult:
    """What wrk printed, with --latency."""
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        total=int(re.search(r"(\d+) requests in", out).group(1)),
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        latency=dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)),
        errors=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)),
    )


def wrk(base: str, path: str, seconds: int, script: Path | None = None, label: str = "") -> Load:
    args = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", str(script)]
    result = read_wrk(subprocess.run([*args, base + path], capture_output=True, text=True, check=True).stdout)
    return Load(
        label or path,
        result.rate,
        result.latency.get("50", ""),
        result.latency.get("99", ""),
        result.total,
        result.errors + result.socket_errors,
    )


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2):
    """gunicorn serving the site on a free loopback port; yields its base address."""
    port = free_port()
    command = [Path(PYTHON).parent / "gunicorn", "tracker.wsgi", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--workers", str(workers), "--timeout", "60", "--log-level", "error"], cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while subprocess.run(["curl", "-sf", base + "/healthz"], capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def writer(env: dict):
    """A curator editing a programme every two seconds, for as long as the block runs."""
    process = subprocess.Popen(
        [PYTHON, "-c", WRITER], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "tracker.settings"}
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def visitor_paths(env: dict, work: Path, requests: int) -> Path:
    """The visitor mix (bench/addresses.py) as a wrk script walking it."""
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "addresses.py"), str(requests)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tracker.settings", "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    paths = work / "mix.txt"
    paths.write_text("\n".join(quote(line, safe="/?=&+%") for line in out.splitlines()) + "\n")
    script = work / "walk.lua"
    script.write_text(WALK % (paths, 2))
    return script


def measure_throughput(env: dict, seconds: int, work: Path) -> list[Load]:
    """The constant view, a list served from the page cache, and the visitor mix with and without a
    curator's edits, with the caches and without them, each through gunicorn (2 sync workers)."""
    if not shutil.which("wrk"):
        log("wrk is not installed (apt-get install wrk): throughput skipped")
        return []
    script = visitor_paths(env, work, 20_000)
    results = []
    with gunicorn(env) as base:
        results.append(wrk(base, "/healthz", seconds, label="constant view (/healthz)"))
        subprocess.run(["curl", "-sf", "-o", "/dev/null", base + "/programs/"], check=True)
        results.append(wrk(base, "/programs/", seconds, label="programme list, cached"))
        results.append(wrk(base, "/", seconds, script=script, label="visitor mix, caches on"))
        with writer(env):
            results.append(wrk(base, "/", seconds, script=script, label="visitor mix, caches on, an edit every 2 s"))
    with gunicorn({**env, "DJANGO_APP_CACHES": "0"}) as base:
        results.append(wrk(base, "/", seconds, script=script, label="visitor mix, caches off"))
        with writer(env):
            results.append(wrk(base, "/", seconds, script=script, label="visitor mix, caches off, an edit every 2 s"))
    return results


# A curator's save of a programme with 20 links, timed in the database's process of record.
SAVE = """
import json, statistics, time, django
django.setup()
from django.db import transaction
from programs.models import Organization, Participation, Program
program = Program.objects.published().order_by("id").first()
have = Participation.objects.filter(program=program).count()
with transaction.atomic():
    for organization in Organization.objects.published().exclude(participations__program=program)[: max(0, 20 - have)]:
        Participation.objects.create(program=program, organization=organization, role="partner")
times = []
for turn in range(21):
    program.name = program.name[:-1] if program.name.endswith("*") else program.name + "*"
    started = time.perf_counter()
    with transaction.atomic():
        program.save()
    times.append((time.perf_counter() - started) * 1000)
links = Participation.objects.filter(program=program).count()
print(json.dumps({"links": links, "median": statistics.median(times[1:]), "max": max(times[1:])}))
"""


def measure_save(env: dict) -> dict:
    out = subprocess.run(
        [PYTHON, "-c", SAVE], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "tracker.settings"}, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out)


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
    parser.add_argument("--per-class", type=int, default=40, help="distinct addresses measured per page class")
    parser.add_argument("--wrk-seconds", type=int, default=30)
    parser.add_argument("--import-programs", type=int, default=5000, help="size of the import comparison")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--port", type=int, default=54400)
    parser.add_argument("--skip", nargs="*", default=[], choices=["pages", "throughput", "save", "import"])
    options = parser.parse_args()

    server = Server(options.data_dir, options.port)
    server.start()
    static_root = options.data_dir / "static"
    try:
        env = seed(server, f"bench_{options.programs}", options.programs, static_root)
        manage(env, "collectstatic", "--noinput", "-v0")
        log(f"\n== {options.programs:,} programmes, PostgreSQL, DEBUG off\n")
        if "pages" not in options.skip:
            print_pages(measure_pages(env, options.per_class))
        with tempfile.TemporaryDirectory() as work:
            if "throughput" not in options.skip:
                print_throughput(measure_throughput(env, options.wrk_seconds, Path(work)))
            if "save" not in options.skip:
                print_save(measure_save(env))
            if "import" not in options.skip:
                print_import(measure_import(server, options.import_programs, static_root, Path(work)))
    finally:
        server.stop()


def print_pages(rows):
    floor = next(row for row in rows if row["page"].startswith("constant"))
    log("Server time per page class, ms (median / p95) over distinct addresses; first visit = every cache")
    log("emptied before each request; cached = the same addresses again; × = the constant view's time over it")
    header = f"{'page class':34} {'addresses':>9} {'queries':>7} {'first visit':>15} {'cached':>15} {'first ×':>8}"
    log(header)
    log("-" * len(header))
    for row in rows:
        first, cached = row["first"], row["cached"]
        timeouts = f"  {row['timeouts']} addresses answered 503 (statement timeout)" if row.get("timeouts") else ""
        log(
            f"{row['page']:34} {row['addresses']:>9} {row['queries']:>7} {first[0]:>7.1f} /{first[1]:>6.1f}"
            f" {cached[0]:>7.1f} /{cached[1]:>6.1f} {floor['first'][0] / first[0]:>8.3f}{timeouts}"
        )
    log("")


def print_throughput(rows: list[Load]):
    if not rows:
        return
    floor = rows[0].rate
    log("Throughput through gunicorn (2 sync workers), wrk -t2 -c8")
    for row in rows:
        log(
            f"  {row.label:44} {row.rate:>8,.1f} req/s  {row.rate / floor:>6.3f} ×  p50 {row.p50:>8}  p99 {row.p99:>8}"
            f"  {row.requests:>7,} requests  {row.errors} errors"
        )
    log("")


def print_save(result: dict):
    log(
        f"A curator's save of a programme with {result['links']} links: median {result['median']:.1f} ms,"
        f" slowest {result['max']:.1f} ms (20 saves)\n"
    )


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
