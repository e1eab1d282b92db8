"""Page timings through Django's full stack, in this process (run by bench/run.py with its settings).

Prints a JSON list: for each page, the query count of a cold request and (median, p95) in
milliseconds for the cold, warm and cached states described in bench/run.py.
"""

import contextlib
import json
import os
import statistics
import time

import django


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def pair(first, second) -> dict:
    first, second = sorted((first.slug, second.slug))
    return {"first": first, "second": second}


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
    names = []
    for index, record in enumerate(records):
        names.append(
            [
                record.name,
                (record.name_en or record.name).upper(),
                record.short_name or record.name,
                record.name[: max(2, len(record.name) - 2)],
            ][index % 4]
        )
    return {f"q{index}": {"query": name, "type": "organization"} for index, name in enumerate(names)}


def busiest_records():
    """The programme with the most relations and the organization in the most programmes."""
    from django.db.models import Count

    from programs.models import Organization, Program

    busiest = (
        Program.objects.published().annotate(n=Count("participations") + Count("involvements")).order_by("-n").first()
    )
    sponsor = Organization.objects.published().annotate(n=Count("participations")).order_by("-n").only("slug").first()
    return busiest, sponsor


def pages_to_measure(busiest, sponsor) -> list[tuple[str, str]]:
    """(label, address) of every page class measured."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from programs.models import Program
    from programs.record_links import partners_of

    # About 10,000 rows to export: the kinds whose programmes add up closest to it.
    kinds = dict(Program.objects.published().values_list("kind").annotate(n=Count("id")))
    chosen, total = [], 0
    for kind, count in sorted(kinds.items(), key=lambda item: item[1]):
        if total + count <= 10_000 or not chosen:
            chosen.append(kind)
            total += count
    export = "/programs/?format=csv&" + "&".join(f"kind={kind}" for kind in chosen)

    pages = [
        ("constant view (/healthz)", "/healthz"),
        ("overview", "/"),
        ("programme list", "/programs/"),
        (
            "list: kind + country + years",
            "/programs/?kind=joint_lab&country=CN&start_year_min=2010&start_year_max=2020",
        ),
        ("list: q = 人工智能 (Chinese)", "/programs/?q=人工智能"),
        ("list: q = 智能 (2 Chinese characters)", "/programs/?q=智能"),
        ("list: q = 院 (1 Chinese character)", "/programs/?q=院"),
        ("list: q = joint lab (English)", "/programs/?q=joint+lab"),
        (f"CSV export ({total:,} rows)", export),
        ("programme detail (most relations)", busiest.get_absolute_url()),
        ("organization detail (largest sponsor)", sponsor.get_absolute_url()),
        ("insights", "/insights/"),
        ("organization list", "/organizations/"),
        ("person list", "/people/"),
    ]
    # Open data: the 1,000th most recent change as the moment asked for (a day's edits, say).
    recent = Program.objects.order_by("-updated_at").values_list("updated_at", flat=True)[1000:1001].first()
    since = (recent or Program.objects.order_by("updated_at").values_list("updated_at", flat=True).first()).isoformat()
    since = since.replace("+", "%2B")
    pages += [
        ("programme feed", "/programs/feed/"),
        ("programme feed, filtered", "/programs/feed/?kind=award&country=CN"),
        ("list: modified_since (1,000 rows)", f"/programs/?modified_since={since}"),
    ]
    with contextlib.suppress(NoReverseMatch):  # before the open data API exists
        pages += [
            ("API list: modified_since, cursor walk", f"{reverse('api:program-list')}?modified_since={since}&cursor=*"),
            ("API changes, from the start", reverse("api:changes")),
            ("API changes since (1,000 changes)", f"{reverse('api:changes')}?since={since}"),
        ]
    with contextlib.suppress(NoReverseMatch):  # before the API exists
        pages += [
            ("API programme list", reverse("api:program-list")),
            ("API programme list, filtered", reverse("api:program-list") + "?kind=award&start_year_min=2015"),
            ("API programme detail", reverse("api:program-detail", kwargs={"slug": busiest.slug})),
        ]
    with contextlib.suppress(NoReverseMatch):  # before partnership pages exist
        partner = partners_of(sponsor, 1)[0]
        pages.append(
            (
                "partnership page (largest sponsor, top partner)",
                reverse("programs:partnership", kwargs=pair(sponsor, partner)),
            )
        )
    return pages


def main(repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from programs.filters import ProgramFilterSet
    from programs.models import Organization, ProgramKind

    visitor = Client()  # anonymous: served from the page cache once it is filled
    curator = Client()  # a session cookie: never served from the page cache
    curator.cookies["sessionid"] = "benchmark"

    def get(client, url):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, (url, response.status_code)

    def post(client, url, data):
        response = client.post(url, data)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])

    def series(action, before=lambda: None):
        times = []
        for _ in range(repeat):
            before()
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), percentile(times, 0.95)

    def measure(label, url=None, action=None):
        action = action or (lambda: get(visitor, url))
        cache.clear()
        queries = []  # counted by a wrapper: a request resets the connection's query log

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            action()
        cold = series(action, before=cache.clear)
        if url:
            get(curator, url)
            warm = series(lambda: get(curator, url))
            get(visitor, url)
            cached = series(lambda: get(visitor, url))
        else:
            action()
            warm = cached = series(action)
        return {"page": label, "queries": len(queries), "cold": cold, "warm": warm, "cached": cached}

    busiest, sponsor = busiest_records()
    pages = pages_to_measure(busiest, sponsor)
    rows = [measure(label, url) for label, url in pages]
    with contextlib.suppress(NoReverseMatch):  # before the reconciliation service exists
        batch = json.dumps(reconciliation_batch(Organization))
        url = reverse("reconcile:service")
        rows.append(measure("reconcile: 100 organization names", action=lambda: post(visitor, url, {"queries": batch})))
    rows.insert(
        4,
        measure(
            "facet counts (unfiltered list)",
            action=lambda: ProgramFilterSet({}).facets(),
        ),
    )
    rows.insert(
        5,
        measure(
            "facet counts (kind = award)",
            action=lambda: ProgramFilterSet({"kind": [ProgramKind.AWARD]}).facets(),
        ),
    )
    print(json.dumps(rows))
