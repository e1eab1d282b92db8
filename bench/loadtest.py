"""Load test: gunicorn on PostgreSQL on 127.0.0.1, a mixed workload from wrk for a bounded time.

    make loadtest                                   # 60 s on 20,000 synthetic programmes
    .venv/bin/python bench/loadtest.py --programs 20000 --seconds 60 --connections 16

The workload mixes, at random, list pages (some with random filters, so that many miss the page
cache), searches in Chinese and English, detail pages of random records, CSV exports and, when
the API is there, API lists and details. It prints throughput, latency percentiles and the number
of error responses and socket errors, and exits 1 if there was any: zero is expected.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PYTHON, Server, WrkResult, free_port, log, manage, read_wrk, seed  # noqa: E402

LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""

WORDS = ["实验室", "人工智能", "联合", "基金", "清华", "大学", "joint lab", "research fund", "award", "robotics"]
KINDS = ["joint_lab", "research_fund", "award", "scholarship", "internship", "talent_program"]


def workload(env: dict, size: int, seed_value: int) -> list[str]:
    """URL paths of the mixed workload, drawn from the published records."""
    code = (
        "import django, json; django.setup();"
        "from programs.models import Program, Organization, Person;"
        "print(json.dumps({"
        "'programs': list(Program.objects.published().values_list('slug', flat=True)[:5000]),"
        "'organizations': list(Organization.objects.published().values_list('slug', flat=True)[:2000]),"
        "'people': list(Person.objects.published().values_list('slug', flat=True)[:2000]),"
        "}))"
    )
    slugs = json.loads(
        subprocess.run(
            [PYTHON, "-c", code],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    has_api = (
        manage(
            env,
            "shell",
            "-c",
            "from django.urls import reverse; print(reverse('api:program-list'))",
            capture=True,
            check=False,
        ).returncode
        == 0
    )
    rng = random.Random(seed_value)
    paths = []
    for _ in range(size):
        kind = rng.random()
        if kind < 0.2:
            paths.append(rng.choice(["/programs/", "/", "/organizations/", "/people/", "/en/programs/", "/insights/"]))
        elif kind < 0.35:
            params = f"kind={rng.choice(KINDS)}&start_year_min={rng.randint(1995, 2024)}"
            paths.append(f"/programs/?{params}&page={rng.randint(1, 3)}")
        elif kind < 0.5:
            paths.append("/programs/?q=" + rng.choice(WORDS).replace(" ", "+"))
        elif kind < 0.75:
            paths.append(f"/programs/{rng.choice(slugs['programs'])}/")
        elif kind < 0.82:
            paths.append(f"/organizations/{rng.choice(slugs['organizations'])}/")
        elif kind < 0.88:
            paths.append(f"/people/{rng.choice(slugs['people'])}/")
        elif kind < 0.9:
            paths.append(f"/programs/?format=csv&kind={rng.choice(KINDS)}&start_year_min=2024")
        elif has_api:
            paths.append(
                rng.choice(
                    [
                        f"/api/programs/?kind={rng.choice(KINDS)}",
                        f"/api/programs/{rng.choice(slugs['programs'])}/",
                        "/api/organizations/",
                    ]
                )
            )
        else:
            paths.append(f"/en/programs/{rng.choice(slugs['programs'])}/")
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--port", type=int, default=54400)
    options = parser.parse_args()

    server = Server(options.data_dir, options.port)
    server.start()
    static_root = options.data_dir / "static"
    app = None
    try:
        env = seed(server, f"bench_{options.programs}", options.programs, static_root)
        manage(env, "collectstatic", "--noinput", "-v0")
        with tempfile.TemporaryDirectory() as work:
            paths = workload(env, 5000, 7)
            script = write_workload(Path(work), paths)
            port = free_port()
            app = subprocess.Popen(
                [
                    Path(PYTHON).parent / "gunicorn",
                    "tracker.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(options.workers),
                    "--timeout",
                    "60",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while subprocess.run(["curl", "-sf", base + "/healthz"], capture_output=True).returncode:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start")
                time.sleep(0.2)
            log(
                f"\n== load test: {options.seconds} s, {options.connections} connections, {options.workers} workers,"
                f" {options.programs:,} programmes, {len(set(paths)):,} distinct URLs"
            )
            result = run_wrk(base, script, options.seconds, options.connections)
    finally:
        if app:
            app.terminate()
            app.wait(timeout=30)
        server.stop()

    log(f"requests        {result.total:,} ({result.rate:,.0f} req/s)")
    percentiles = "  ".join(f"p{p} {result.latency.get(p)}" for p in ("50", "75", "90", "99"))
    log(f"latency         {percentiles}")
    log(f"errors          {result.errors} error responses, {result.socket_errors} socket errors")
    sys.exit(1 if result.errors or result.socket_errors else 0)


def write_workload(folder: Path, paths: list[str], seed_value: int = 7) -> Path:
    """wrk's script drawing `paths` at random, written in `folder`."""
    paths_file = folder / "paths.txt"
    paths_file.write_text("\n".join(quote(path, safe="/?=&+%") for path in paths) + "\n")
    script = folder / "mixed.lua"
    script.write_text(LUA % (paths_file, seed_value))
    return script


def run_wrk(base: str, script: Path, seconds: int, connections: int) -> WrkResult:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return read_wrk(out)


if __name__ == "__main__":
    main()
