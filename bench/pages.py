"""Page timings through Django's full stack, in this process (run by bench/run.py with its settings).

Prints a JSON list, one row per page class (bench/addresses.py), each measured on many distinct
addresses:

- `first`: (median, p95) ms of a first visit, every cache emptied before each request, as right
  after a curator's edit: what a visitor at an address nobody asked for gets;
- `queries`: the most queries one of those requests ran;
- `cached`: (median, p95) ms of the same addresses asked again by an anonymous visitor (served
  from the page cache, or the API's answer cache);
- `timeouts`: the addresses answered 503 because a statement ran past its bound (any other answer
  but 200 stops the benchmark).
"""

import gc
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

    failed = []

    def timed_get(address: str, clear: bool) -> float:
        if clear:
            cache.clear()
        started = time.perf_counter()
        response = visitor.get(address)
        if response.streaming:
            b"".join(response.streaming_content)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code == 503:  # a statement past its bound (programs.serving.timeouts): counted, shown
            failed.append(address)
        else:
            assert response.status_code == 200, (address, response.status_code)
        return elapsed

    classes = {"constant view (/healthz)": ["/healthz"] * per_class} | class_addresses(
        Sample(random.Random(7)), per_class
    )
    for addresses in classes.values():  # the database's own caches warm, as on a serving machine
        timed_get(addresses[0], clear=True)
    gc.freeze()  # as a server's process does once loaded (tracker/wsgi.py)
    rows = []
    for name, addresses in classes.items():
        first, cached, most = [], [], 0
        failed.clear()
        for address in addresses:
            queries.clear()
            with connection.execute_wrapper(count):
                first.append(timed_get(address, clear=True))
            most = max(most, len(queries))
            cached.append(timed_get(address, clear=False))
        rows.append(
            {"page": name, "addresses": len(set(addresses)), "queries": most, "first": summary(first),
             "cached": summary(cached), "timeouts": len(set(failed))}
        )  # fmt: skip
    rows.append(reconciliation(visitor, per_class))
    print(json.dumps(rows))


def reconciliation(client, repeat: int) -> dict:
    """A batch of 100 organization names through the reconciliation service (POST, never cached)."""
    from django.urls import reverse

    from programs.models import Organization

    batch = json.dumps(reconciliation_batch(Organization))
    url = reverse("reconcile:service")
    times = []
    for _ in range(max(5, repeat // 4)):
        started = time.perf_counter()
        response = client.post(url, {"queries": batch})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return {"page": "reconcile: 100 organization names", "addresses": 1, "queries": 0, "first": summary(times),
            "cached": summary(times)}  # fmt: skip


def reconciliation_batch(Organization) -> dict:
    """100 queries as a curator's list would hold them: organizations' Chinese names, English
    names in another case, short names and names cut short, spread over the whole table."""
    from django.db.models import F

    step = max(Organization.objects.count() // 100, 1)
    records = list(
        Organization.objects.published()
        .alias(spread=F("pk") % step)
        .filter(spread=0)
        .only("name", "name_en", "short_name")
        .order_by("pk")[:100]
    )
    names = [
        [record.name, (record.name_en or record.name).upper(), record.short_name or record.name,
         record.name[: max(2, len(record.name) - 2)]][index % 4]
        for index, record in enumerate(records)
    ]  # fmt: skip
    return {f"q{index}": {"query": name, "type": "organization"} for index, name in enumerate(names)}
