"""Figures about the published records, for the overview and insights pages.

Every function starts from `published()` and runs one aggregate query (two for the network),
whatever the amount of data, once per data version and language (`per_version`): the figures
change only when the data does.
"""

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count, F, Window
from django.db.models.functions import Lag
from django.urls import reverse
from django.utils.http import urlencode

from programs.caching import per_version
from programs.models import Affiliation, Organization, OrganizationKind, Participation, Program, ProgramKind, Sector
from programs.querysets import PUBLISHED, SPONSOR_ROLES


def program_list_url(**params) -> str:
    return reverse("programs:program-list") + ("?" + urlencode(params) if params else "")


@per_version
def programs_per_kind() -> list[tuple]:
    """(kind label, programmes, list link, kind) for each kind with programmes, in choice order."""
    counts = dict(Program.objects.published().values_list("kind").annotate(n=Count("pk")).order_by())
    return [
        (label, counts[kind], program_list_url(kind=kind), kind)
        for kind, label in ProgramKind.choices
        if counts.get(kind)
    ]


@per_version
def programs_by_start_year() -> list[tuple]:
    """(year, programmes started that year, list link) for every year from the first to the last."""
    counts = dict(
        Program.objects.published()
        .exclude(start_year=None)
        .values_list("start_year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not counts:
        return []
    return [
        (year, counts.get(year, 0), program_list_url(start_year_min=year, start_year_max=year))
        for year in range(min(counts), max(counts) + 1)
    ]


@per_version
def top_sponsors(limit: int = 10) -> list[tuple]:
    """(organization, programmes it sponsors or funds, its page) for the busiest sponsors."""
    organizations = (
        Organization.objects.published()
        .filter(participations__role__in=SPONSOR_ROLES, participations__program__status=PUBLISHED)
        .annotate(n=Count("participations__program", distinct=True))
        .order_by("-n", "name")[:limit]
    )
    return [(org.display_name, org.n, org.get_absolute_url(), f"kind-{org.kind}") for org in organizations]


@dataclass
class Move:
    origin: str
    destination: str
    label: str
    count: int


@per_version
def career_moves() -> list[Move]:
    """How many career steps go from one sector to another (industry → academia and so on).

    A move is two consecutive published affiliations of one person (by start year) at different
    organizations; the database orders them (a window function), Python counts the pairs.
    """
    steps = (
        Affiliation.objects.published()
        .annotate(
            previous_kind=Window(
                Lag("organization__kind"),
                partition_by=[F("person_id")],
                order_by=[F("start_year").asc(nulls_first=True), F("pk").asc()],
            ),
            previous_organization=Window(
                Lag("organization_id"),
                partition_by=[F("person_id")],
                order_by=[F("start_year").asc(nulls_first=True), F("pk").asc()],
            ),
        )
        .values_list("previous_kind", "previous_organization", "organization__kind", "organization_id")
    )
    counts = Counter(
        (OrganizationKind(previous_kind).sector, OrganizationKind(kind).sector)
        for previous_kind, previous_organization, kind, organization in steps
        if previous_kind is not None and previous_organization != organization
    )
    names = dict(Sector.choices)
    return [
        Move(origin, destination, f"{names[origin]} → {names[destination]}", counts.get((origin, destination), 0))
        for origin, destination in [
            ("industry", "academia"),
            ("academia", "industry"),
            ("academia", "academia"),
            ("industry", "industry"),
            ("other", "academia"),
            ("other", "industry"),
            ("academia", "other"),
            ("industry", "other"),
        ]
    ]


@dataclass
class Link:
    source: Organization
    target: Organization
    shared: int


@per_version
def collaboration_network(limit: int = 24):
    """The busiest organizations and, for each pair of them, how many published programmes they share.

    Returns (organizations with `program_count`, links). Two queries: the organizations, then
    their participations, paired in Python.
    """
    organizations = Organization.objects.busiest(limit)
    by_id = {org.pk: org for org in organizations}
    members: dict[int, set[int]] = {}
    for program_id, organization_id in (
        Participation.objects.published()
        .filter(organization__in=list(by_id))
        .values_list("program_id", "organization_id")
        .distinct()
    ):
        members.setdefault(program_id, set()).add(organization_id)
    shared = Counter()
    for organization_ids in members.values():
        for pair in combinations(sorted(organization_ids), 2):
            shared[pair] += 1
    links = [Link(by_id[a], by_id[b], n) for (a, b), n in shared.most_common()]
    return organizations, links
