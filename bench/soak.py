"""Soak test: the visitor mix through the load balancer for minutes on end, with a curator saving a
programme every 2 s, and what it does to each app server worker's memory.

    make soak                                               # 10 minutes, 20,000 programmes
    .venv/bin/python bench/soak.py --minutes 10 --programs 20000 --connections 8

Uses bench/cluster_loadtest.py's cluster (--dir, seeded once and kept; stopped at the end unless
--keep) and its mix of pages, searches, exports and API calls. A warm-up run first lets every
worker serve every kind of page once (code loaded, caches of its own filled); then each gunicorn
worker's resident memory is read (/proc), the mix runs for --minutes while a curator saves on app
server 1 every 2 s, and the memory is read again.

Prints throughput, p50/p99 latency, errors, the curator's saves and each worker's memory at the
start and the end. Targets: no error, no worker growing by more than 10 %. Exits 1 otherwise.
"""

import argparse
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cluster_loadtest import CLUSTER, Phase, curator_edits, prepare  # noqa: E402
from bench.loadtest import run_wrk, workload, write_workload  # noqa: E402
from bench.run import log  # noqa: E402

MAX_GROWTH = 0.10


def workers(folder: Path) -> dict[str, int]:
    """Each app server worker's resident memory in KiB, by `app1 pid 1234`."""
    memory = {}
    for app in ("app1", "app2"):
        master = (folder / app / "gunicorn.pid").read_text().strip()
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", master], capture_output=True, text=True).stdout
        for pid in children.split():
            status = Path(f"/proc/{pid}/status").read_text()
            memory[f"{app} pid {pid}"] = int(
                next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]
            )
    return memory


def memory_report(start: dict[str, int], end: dict[str, int]) -> bool:
    """Each worker's memory at the start and the end; whether none grew by more than MAX_GROWTH."""
    log(f"\n{'worker memory (RSS)':<22}{'start':>12}{'end':>12}{'growth':>9}")
    ok = set(start) == set(end)
    for worker, before in sorted(start.items()):
        after = end.get(worker)
        if after is None:
            log(f"{worker:<22}{before / 1024:>8.1f} MiB  (gone: the worker was replaced)")
            continue
        growth = after / before - 1
        ok &= growth <= MAX_GROWTH
        log(f"{worker:<22}{before / 1024:>8.1f} MiB{after / 1024:>8.1f} MiB{growth:>+8.1%}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=20_000)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warm-up-seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-cluster")
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    options = parser.parse_args()
    folder, seconds = options.dir, round(options.minutes * 60)
    try:
        urls, env = prepare(folder, options.programs)
        base = urls["BASE_URL"]
        with tempfile.TemporaryDirectory() as work:
            script = write_workload(Path(work), workload(env, 5000, 11))
            log(f"warming up for {options.warm_up_seconds} s ...")
            run_wrk(base, script, options.warm_up_seconds, options.connections)
            start = workers(folder)
            curator = Phase("curator")
            edits = threading.Thread(target=curator_edits(folder, urls, urls["DATABASE_URL"], curator, seconds))
            log(f"soak: {seconds} s, {options.connections} connections through {base}, a curator saving every 2 s")
            edits.start()
            result = run_wrk(base, script, seconds, options.connections)
            edits.join()
            end = workers(folder)
    finally:
        if not options.keep:
            subprocess.run([CLUSTER, "stop", folder], capture_output=True, check=False)
    errors = result.errors + result.socket_errors
    log(f"\n{'answers':>10}{'req/s':>8}{'p50':>10}{'p99':>10}{'errors':>8}  (error responses + socket errors)")
    log(
        f"{result.total:>10,}{result.rate:>8,.0f}{result.latency.get('50'):>10}{result.latency.get('99'):>10}{errors:>8}"
    )
    for line in [*curator.notes, *(f"FAILED: {failure}" for failure in curator.failures)]:
        log(line)
    steady_memory = memory_report(start, end)
    ok = not errors and not curator.failures and steady_memory
    log("\nsoak passed" if ok else "\nFAILED: errors, a failed save, or a worker's memory grew by more than 10 %")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
