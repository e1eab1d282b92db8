"""Page timings through Django's full stack, in this process (run by bench/run.py with its settings).

Prints a JSON list, one row per page class (bench/addresses.py), each measured on many distinct
addresses:

- `first`: (median, p95) ms of a first visit, every cache emptied before each request, as right
  after a curator's edit: what a visitor at an address nobody asked for gets;
- `queries`: the most queries one of those requests ran;
- `cached`: (median, p95) ms of the same addresses asked again by an anonymous visitor (served
  from the page cache, or the API's answer cache).
"""

import json
import os
import random
import statistics
import time

import django


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), percentile(times, 0.95)


def main(per_class: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from bench.addresses import Sample, class_addresses

    visitor = Client()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    def timed_get(address: str, clear: bool) -> float:
        if clear:
            cache.clear()
        started = time.perf_counter()
        response = visitor.get(address)
        if response.streaming:
            b"".join(response.streaming_content)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (address, response.status_code)
        return elapsed

    classes = {"constant view (/healthz)": ["/healthz"] * per_class} | class_addresses(
        Sample(random.Random(7)), per_class
    )
    for addresses in classes.values():  # the database's own caches warm, as on a serving machine
        timed_get(addresses[0], clear=True)
    rows = []
    for name, addresses in classes.items():
        first, cached, most = [], [], 0
        for address in addresses:
            queries.clear()
            with connection.execute_wrapper(count):
                first.append(timed_get(address, clear=True))
            most = max(most, len(queries))
            cached.append(timed_get(address, clear=False))
        rows.append(
            {"page": name, "addresses": len(set(addresses)), "queries": most, "first": summary(first),
             "cached": summary(cached)}
        )  # fmt: skip
    print(json.dumps(rows))
