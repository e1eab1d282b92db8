"""Figures about the published records, for the overview and insights pages.

Every figure is a count the read model keeps (programs/reads/facets.py `totals`): programmes per kind
and start year, organizations by programmes, sponsors, research areas, career moves between
sectors, organizations sharing programmes. On PostgreSQL each is a few rows read from an index,
whatever the amount of data; on SQLite they are counted from the listing views.
"""

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from django.urls import reverse
from django.utils.http import urlencode

from programs.models import FacetPair, Organization, PersonListing, ProgramKind, ProgramListing
from programs.reads import read_model
from programs.reads.facets import totals
from programs.reads.filters import SECTORS


def program_list_url(**params) -> str:
    return reverse("programs:program-list") + ("?" + urlencode(params) if params else "")


def program_counts(**limits) -> dict[str, dict[str, int]]:
    """{facet: {value: published programmes}} for each facet named, all its values or the busiest
    `limit` (`program_counts(kind=None, sponsor=10)`), in one query."""
    counts = totals(ProgramListing.objects, list(limits.items()))
    return {facet: counts.get(facet, {}) for facet in limits}


def per_kind(counts: dict[str, int], **link) -> list[tuple]:
    """(kind label, programmes, list link, kind) for each kind with programmes, in choice order;
    `link` narrows the list each links to (e.g. organization=slug)."""
    return [
        (label, counts[kind], program_list_url(**link, kind=kind), kind)
        for kind, label in ProgramKind.choices
        if counts.get(kind)
    ]


def by_start_year(counts: dict[str, int], **link) -> list[tuple]:
    """(year, programmes started that year, list link) for every year from the first to the last;
    `link` narrows the list each links to."""
    years = {int(year): n for year, n in counts.items()}
    if not years:
        return []
    return [
        (year, years.get(year, 0), program_list_url(**link, start_year_min=year, start_year_max=year))
        for year in range(min(years), max(years) + 1)
    ]


def ranked(model, counts: dict[str, int], attribute: str = "program_count") -> list:
    """The published records of `model` whose ids `counts` counts, each with its count as
    `attribute`, in the order of `counts`."""
    records = model.objects.published().in_bulk([int(pk) for pk in counts])
    found = []
    for pk, count in counts.items():
        if int(pk) in records:
            record = records[int(pk)]
            setattr(record, attribute, count)
            found.append(record)
    return found


def sponsor_bars(counts: dict[str, int]) -> list[tuple]:
    """(organization, programmes it sponsors or funds, its page, kind class) for the busiest sponsors."""
    return [
        (org.display_name, org.program_count, org.get_absolute_url(), f"kind-{org.kind}")
        for org in ranked(Organization, counts)
    ]


@dataclass
class Move:
    origin: str
    destination: str
    label: str
    count: int


MOVES = [
    ("industry", "academia"),
    ("academia", "industry"),
    ("academia", "academia"),
    ("industry", "industry"),
    ("other", "academia"),
    ("other", "industry"),
    ("academia", "other"),
    ("industry", "other"),
]


def career_moves() -> list[Move]:
    """How many career steps go from one sector to another (industry → academia and so on).

    A move is two consecutive published positions of one person (by start year) at different
    organizations: each person's listing row carries one `move:` token per move.
    """
    counts = totals(PersonListing.objects, [("move", None)]).get("move", {})
    names = dict(SECTORS)
    return [
        Move(origin, destination, f"{names[origin]} → {names[destination]}", counts.get(f"{origin}>{destination}", 0))
        for origin, destination in MOVES
    ]


@dataclass
class Link:
    source: Organization
    target: Organization
    shared: int


def collaboration_network(counts: dict[str, int]):
    """The organizations `counts` ranks (with `program_count`) and, for each pair of them, how many
    published programmes they share, busiest pairs first."""
    organizations = ranked(Organization, counts)
    by_id = {org.pk: org for org in organizations}
    shared = shared_programmes(list(by_id))
    links = [Link(by_id[a], by_id[b], n) for (a, b), n in sorted(shared.items(), key=lambda item: (-item[1], item[0]))]
    return organizations, links


def shared_programmes(ids: list[int]) -> Counter:
    """{(a, b): published programmes both take part in} for each pair a < b of organizations `ids`.

    PostgreSQL keeps these pairs; otherwise they are counted from the programmes' listing rows.
    """
    shared = Counter()
    if read_model.maintained():
        values = [str(pk) for pk in ids]
        pairs = FacetPair.objects.filter(
            listing="program", facet_a="organization", value_a__in=values, facet_b="organization", value_b__in=values
        ).values_list("value_a", "value_b", "n")
        for a, b, n in pairs:
            if int(a) < int(b):
                shared[int(a), int(b)] = n
        return shared
    tokens = {f"organization:{pk}": pk for pk in ids}
    for facets in ProgramListing.objects.filter(facets__has_any=list(tokens)).values_list("facets", flat=True):
        members = sorted(tokens[token] for token in facets if token in tokens)
        shared.update(combinations(members, 2))
    return shared
