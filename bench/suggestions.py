"""A flood of suggestions against the public pages: 1,000 suggestions in a minute from 1,000 addresses.

    .venv/bin/python bench/suggestions.py                       # 20,000 programmes, 60 s phases
    .venv/bin/python bench/suggestions.py --programs 100000 --suggestions 1000 --seconds 60

It starts the benchmark's PostgreSQL server (bench/run.py: in --data-dir, a seeded data set is
reused), then runs the visitor mix (bench/addresses.py, mostly first visits) through gunicorn with
wrk twice, each on freshly started app servers (empty caches): once alone, once while a client
posts --suggestions suggestions to POST /api/suggestions/ evenly over the phase, each from its own
address (X-Forwarded-For behind DJANGO_TRUSTED_PROXY_COUNT=1, the global limit raised so that every
one is kept: the database's worst case). It prints both phases' throughput and latency, the
suggestions kept and refused with their latency, the data version before and after (suggestions
must not move it, or they would empty the page cache), and the queries of the inbox pages with
1,000 suggestions and more waiting.

Figures drift between runs and machines: compare the two phases of one run.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import run_wrk  # noqa: E402
from bench.run import PYTHON, Server, gunicorn, log, percentile, seed, visitor_paths  # noqa: E402

# The inbox pages' queries, measured in a child process with the benchmark's settings.
INBOX_QUERIES = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from programs.models import Suggestion
reviewer = {"is_staff": True, "is_superuser": True}
user, _ = get_user_model().objects.get_or_create(username="bench-reviewer", defaults=reviewer)
client = Client()
client.force_login(user)
newest = Suggestion.objects.order_by("-id").first()
pages = {
    "inbox": "/en/admin/programs/suggestion/",
    "inbox, received": "/en/admin/programs/suggestion/?state__exact=received",
    "inbox, last page": f"/en/admin/programs/suggestion/?p={Suggestion.objects.count() // 50}",
    "review of one": f"/en/admin/programs/suggestion/{newest.pk}/change/",
}
counts = {}
for name, url in pages.items():
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    counts[name] = (status, len(queries.captured_queries))
print(json.dumps({"suggestions": Suggestion.objects.count(), "pages": counts}))
"""


def flood(base: str, slugs: list[str], count: int, seconds: float, results: list) -> None:
    """Post `count` suggestions evenly over `seconds`, each from its own address."""
    started = time.monotonic()
    for n in range(count):
        time.sleep(max(0.0, started + n * seconds / count - time.monotonic()))
        body = {"record": f"program:{slugs[n % len(slugs)]}", "field": "start_year", "value": str(1990 + n % 30)}
        body |= {"evidence_url": f"https://example.org/{n}", "quote": f"第{n}条依据。", "message": f"flood {n}"}
        address = f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"
        request = urllib.request.Request(  # noqa: S310 - the benchmark's own server, over http
            base + "/api/suggestions/",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-For": address},
        )
        sent = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the benchmark's own server
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        results.append((status, time.perf_counter() - sent))


def phase(env: dict, script: Path, seconds: int, connections: int, flood_args=None):
    """The visitor mix on fresh app servers, with a flood of suggestions alongside when asked."""
    results: list = []
    with gunicorn(env) as base:
        flooder = None
        if flood_args:
            flooder = threading.Thread(target=flood, args=(base, *flood_args, results), daemon=True)
            flooder.start()
        load = run_wrk(base, script, seconds, connections)
        if flooder:
            flooder.join()
    return load, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=20_000)
    parser.add_argument("--suggestions", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--port", type=int, default=54400)
    options = parser.parse_args()

    server = Server(options.data_dir, options.port)
    server.start()
    try:
        name = f"bench_{options.programs}"
        env = seed(server, name, options.programs, options.data_dir / "static")
        env |= {
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "DJANGO_SUGGESTION_GLOBAL_RATE": "1000000/hour",
        }
        subprocess.run([PYTHON, ROOT / "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        server.psql("DELETE FROM programs_suggestion", database=name)
        slugs = server.psql("SELECT slug FROM programs_program WHERE status = 'published' LIMIT 500", database=name)
        with tempfile.TemporaryDirectory() as work:
            script = visitor_paths(env, Path(work), 20_000)
            log(f"\n== visitor mix alone, {options.seconds} s, {options.connections} connections, fresh caches")
            alone, _ = phase(env, script, options.seconds, options.connections)
            version = server.psql("SELECT version FROM programs_data_version", database=name)
            log(f"== the same, with {options.suggestions:,} suggestions posted over the phase")
            flood_args = (slugs.split(), options.suggestions, options.seconds)
            flooded, posted = phase(env, script, options.seconds, options.connections, flood_args)
            versions = (version, server.psql("SELECT version FROM programs_data_version", database=name))
        report(alone, flooded, posted, versions)
        inbox = subprocess.run([PYTHON, "-c", INBOX_QUERIES], cwd=ROOT, env=env, check=True, capture_output=True)
        report_inbox(json.loads(inbox.stdout))
    finally:
        server.stop()


def report(alone, flooded, posted: list, versions: tuple) -> None:
    log("\nphase                 req/s      p50       p99   errors")
    for label, load in (("visitor mix alone", alone), ("with the flood", flooded)):
        p50, p99 = load.latency.get("50"), load.latency.get("99")
        log(f"{label:<18} {load.rate:>8,.0f} {p50:>8} {p99:>9} {load.errors + load.socket_errors:>8}")
    kept = [seconds for status, seconds in posted if status == 201]
    statuses = sorted({status for status, _seconds in posted})
    log(
        f"\nsuggestions posted    {len(posted):,}: {len(kept):,} kept (201), statuses {statuses}; "
        f"p50 {percentile(kept, 0.5) * 1000:.0f} ms, p99 {percentile(kept, 0.99) * 1000:.0f} ms"
    )
    log(f"data version          {versions[0]} before the flood, {versions[1]} after")


def report_inbox(inbox: dict) -> None:
    log(f"inbox with {inbox['suggestions']:,} suggestions: queries per page (status, queries)")
    for page, (status, queries) in inbox["pages"].items():
        log(f"  {page:<20} {status} {queries}")


if __name__ == "__main__":
    main()
