"""What a record's page shows beyond the record and its own links, bounded whatever the data.

An organization may take part in tens of thousands of programmes: its page shows the first
`DETAIL_LIMIT` (by name) with the counts the read model keeps, found through the listings'
indexes rather than by sorting all of them. Related programmes are ranked among a bounded set of
candidates: the most recent programmes of each of the programme's organizations and areas.
"""

from collections import Counter

from django.db import connections
from django.db.models import Prefetch, Value
from django.db.models.functions import Concat

from programs.models import (
    Affiliation,
    FacetCount,
    FacetPair,
    Organization,
    OrganizationListing,
    Participation,
    PersonListing,
    ProgramListing,
)
from programs.models.querysets import DETAIL_LIMIT, PROGRAM_LINK_FIELDS
from programs.reads import insights, read_model
from programs.reads.filters import by_name

RELATED_CANDIDATES = 50  # recent programmes considered per organization or area a programme shares


def organization_token(organization) -> str:
    return f"organization:{organization.pk}"


def attach_links(organization) -> None:
    """Give `organization` what its page and API detail show of its links: `listed_participations`
    and `listed_affiliations` (of the first `DETAIL_LIMIT` programmes and people, by name), with
    `program_count` and `people_count`, the totals."""
    organization.listed_participations = listed_participations(organization)
    organization.listed_affiliations = listed_affiliations(organization)
    organization.program_count = program_count(organization)
    organization.people_count = people_count(organization)


def first_ids(listing, organization) -> list[int]:
    """The first `DETAIL_LIMIT` rows of `listing` (by name) that `organization` takes part in.

    Its rows are found through the facets' index and then sorted: ordered by a bare column, the
    planner would walk that column's index looking for them, and the programmes of a large
    sponsor, named after it, lie together far along it (263,000 rows read for 100 at a million
    programmes). Sorting on an expression of the name keeps the order and leaves that index alone.
    """
    name, pk = by_name()()
    rows = listing.objects.filter(facets__has_any=[organization_token(organization)])
    return list(rows.order_by(Concat(name, Value("")), pk).values_list("id", flat=True)[:DETAIL_LIMIT])


def listed_participations(organization) -> list[Participation]:
    ids = first_ids(ProgramListing, organization)
    participations = (
        Participation.objects.filter(organization=organization, program__in=ids)
        .select_related("program")
        .only("role", "organization_id", *(f"program__{name}" for name in PROGRAM_LINK_FIELDS))
    )
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(participations, key=lambda item: (position[item.program_id], item.role))


def listed_affiliations(organization) -> list[Affiliation]:
    """Published positions at `organization` of its first people, each with the person's whole
    published career (`Organization.people_with_moves()` reads where they came from and went)."""
    ids = first_ids(PersonListing, organization)
    positions = (
        Affiliation.objects.published()
        .filter(organization=organization, person__in=ids)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__affiliations", queryset=Affiliation.objects.published().select_related("organization"))
        )
    )
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(positions, key=lambda item: (position[item.person_id], item.start_year or 0, item.pk))


def program_count(organization) -> int:
    """How many published programmes `organization` takes part in (kept on its listing row)."""
    counts = OrganizationListing.objects.filter(pk=organization.pk).values_list("program_count", flat=True)
    return counts.first() or 0


def people_count(organization) -> int:
    """How many published people held a published position at `organization`."""
    token = organization_token(organization)
    if read_model.maintained():
        kept = FacetCount.objects.filter(listing="person", facet="organization", value=str(organization.pk))
        return sum(kept.values_list("n", flat=True))
    return PersonListing.objects.filter(facets__has_any=[token]).count()


def pair_counts(organization, facet: str, limit: int | None = None) -> dict[str, int]:
    """{value: published programmes} of `organization` per value of `facet` (`organization`: the
    programmes it shares with each other one; `kind`, `start_year`), busiest first, the first `limit`.

    PostgreSQL keeps these pairs; otherwise they are counted from the organization's listing rows.
    """
    if read_model.maintained():
        rows = FacetPair.objects.filter(
            listing="program", facet_a="organization", value_a=str(organization.pk), facet_b=facet, n__gt=0
        )
        return dict(rows.order_by("-n", "value_b").values_list("value_b", "n")[:limit])
    counts = Counter()
    token, prefix = organization_token(organization), f"{facet}:"
    for facets in ProgramListing.objects.filter(facets__has_any=[token]).values_list("facets", flat=True):
        counts.update(t[len(prefix) :] for t in facets if t.startswith(prefix) and t != token)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


def partners_of(organization, limit: int = 24) -> list[Organization]:
    """The published organizations sharing the most published programmes with `organization`, each
    with `shared_count`."""
    return insights.ranked(Organization, pair_counts(organization, "organization", limit), "shared_count")


def related_programs(program, limit: int = 6) -> list[int]:
    """Ids of up to `limit` other published programmes related to `program`: those sharing the most
    organizations first, then the most research areas, among each one's `RELATED_CANDIDATES` most
    recent programmes."""
    facets = ProgramListing.objects.filter(pk=program.pk).values_list("facets", flat=True).first() or []
    tokens = [token for token in facets if token.startswith(("organization:", "research_area:"))]
    if not tokens:
        return []
    return ranked_by_shared(sharing_programs(program, tokens), limit)


def sharing_programs(program, tokens: list[str]) -> list[tuple[int, str]]:
    """(id, token) for the other programmes that share one of `tokens` with `program`."""
    connection = connections[ProgramListing.objects.db]  # where this request reads (a replica, perhaps)
    if connection.vendor != "postgresql":
        rows = ProgramListing.objects.filter(facets__has_any=tokens).exclude(pk=program.pk).values_list("id", "facets")
        return [(pk, token) for pk, facets in rows for token in facets if token in tokens]
    # One branch per token, each planned with its own token's frequency: a rare organization's
    # few rows through the tokens' index, a common area's most recent ones along the ids.
    branch = (
        "(SELECT l.id, %s FROM programs_program_listing l WHERE l.facets @> ARRAY[%s] AND l.id <> %s"
        " ORDER BY l.id DESC LIMIT %s)"
    )
    params = [value for token in tokens for value in (token, token, program.pk, RELATED_CANDIDATES)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([branch] * len(tokens)), params)
        return cursor.fetchall()


def ranked_by_shared(shared: list[tuple[int, str]], limit: int) -> list[int]:
    """The first `limit` ids of (id, token) pairs: most organizations shared, then most areas, newest first."""
    scores: dict[int, tuple[int, int]] = {}
    for pk, token in shared:
        organizations, areas = scores.get(pk, (0, 0))
        scores[pk] = (organizations + 1, areas) if token.startswith("organization:") else (organizations, areas + 1)
    ranked = sorted(scores.items(), key=lambda item: (-item[1][0], -item[1][1], -item[0]))
    return [pk for pk, _score in ranked[:limit]]
