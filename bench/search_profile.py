"""Where a search's time goes: SQL against Python, per search, first visits (every cache emptied).

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=tracker.settings .venv/bin/python bench/search_profile.py

Run against a seeded benchmark database (bench/run.py keeps them in /tmp/tracker-bench). For each
address, the median over `--repeat` first visits of the whole request, of the time spent in the
database (every statement, timed around the driver's execute and fetch), the rest (Python: the
FilterSet, loading the page's records, rendering), the statements run, and the slowest statement's
share with its first words.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ADDRESSES = [
    "/programs/?q=实验室",
    "/programs/?q=人工智能",
    "/en/programs/?q=joint+lab",
    "/programs/?q=院",
    "/en/programs/?q=robotics",
    "/programs/?q=大学&kind=joint_lab",
]


def profile(address: str, repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client()
    totals, sqls, counts, slowest = [], [], [], []
    statements = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql))

    for _ in range(repeat):
        statements.clear()
        cache.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(address)
            assert response.status_code == 200, (address, response.status_code)
        totals.append((time.perf_counter() - started) * 1000)
        sqls.append(sum(seconds for seconds, _sql in statements) * 1000)
        counts.append(len(statements))
        slowest.append(max(statements))
    worst = max(slowest)
    return {
        "address": address,
        "total": statistics.median(totals),
        "sql": statistics.median(sqls),
        "statements": max(counts),
        "slowest": worst[0] * 1000,
        "slowest_sql": " ".join(worst[1].split())[:60],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("addresses", nargs="*", default=ADDRESSES)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.test import Client

    Client().get(options.addresses[0])  # warm the database's caches and the process
    print(f"{'address':36} {'total':>8} {'SQL':>8} {'Python':>8} {'stmts':>5} {'slowest':>8}  slowest statement")
    for address in options.addresses:
        row = profile(address, options.repeat)
        print(
            f"{row['address']:36} {row['total']:>6.1f}ms {row['sql']:>6.1f}ms {row['total'] - row['sql']:>6.1f}ms"
            f" {row['statements']:>5} {row['slowest']:>6.1f}ms  {row['slowest_sql']}"
        )


if __name__ == "__main__":
    main()
