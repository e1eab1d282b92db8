"""One university–company (or any two organizations') partnership: what the two published
organizations share, for its page (/partners/<a>/<b>/), its downloads and its API endpoint.

A pair has one address, its two slugs in alphabetical order; the other order redirects there.
What a pair shares:

- the published programmes in which both take part, with each side's roles and the years;
- the editions and published projects of those programmes;
- the people connected to both sides: a published position at each, or a project membership
  representing it (someone who worked at both, or took part for both).

Each part is one query bounded by the pair's own links (the participations, positions and
memberships of the two organizations, served by their foreign-key indexes), and lists at most
`DETAIL_LIMIT` rows; counts say how many there are, the downloads give every shared programme.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone

from programs.models import (
    Affiliation,
    Edition,
    FacetPair,
    Organization,
    Participation,
    ParticipationRole,
    Person,
    Program,
    ProgramListing,
    Project,
    ProjectMember,
)
from programs.models.base import choice_label
from programs.models.querysets import DETAIL_LIMIT, PROGRAM_LINK_FIELDS, PUBLISHED
from programs.reads import charts, read_model
from programs.reads.lists import ListRows
from programs.reads.record_links import organization_token

TIMELINE_LIMIT = 40  # programmes drawn on the timeline; the table lists more


def canonical(first_slug: str, second_slug: str) -> tuple[str, str]:
    return tuple(sorted((first_slug, second_slug)))


def partnership_url(first, second) -> str:
    """The page of two organizations' partnership (records or slugs, in either order)."""
    slugs = canonical(getattr(first, "slug", first), getattr(second, "slug", second))
    return reverse("programs:partnership", kwargs={"first": slugs[0], "second": slugs[1]})


def pair(first_slug: str, second_slug: str) -> tuple | None:
    """The two published organizations, in the order of the slugs given; None unless both exist."""
    if first_slug == second_slug:
        return None
    found = Organization.objects.published().in_bulk([first_slug, second_slug], field_name="slug")
    if len(found) != 2:
        return None
    return found[first_slug], found[second_slug]


def shared_programs(first, second) -> ListRows:
    """The published programmes both organizations take part in, in order of their start year: their
    listing rows with both organizations' tokens (one index serves both), counted by the pair count
    the read model keeps."""
    rows = (
        ProgramListing.objects.filter(facets__has_any=[organization_token(first)])
        .filter(facets__has_any=[organization_token(second)])
        .order_by(F("start_year").asc(nulls_last=True), "name", "id")
    )
    programs = Program.objects.published().only(*PROGRAM_LINK_FIELDS, "end_year")
    return ListRows(rows, programs, count=lambda: shared_count(first, second, rows))


def shared_count(first, second, rows) -> int:
    """How many published programmes the two share: the pair count PostgreSQL keeps, else counted."""
    if not read_model.maintained():
        return rows.count()
    kept = FacetPair.objects.filter(
        listing="program", facet_a="organization", value_a=str(first.pk), facet_b="organization", value_b=str(second.pk)
    )
    return kept.values_list("n", flat=True).first() or 0


@dataclass
class SharedProgram:
    program: Program
    first_roles: list[str]  # role codes, e.g. sponsor
    second_roles: list[str]

    @property
    def first_labels(self) -> list[str]:
        return [str(choice_label(ParticipationRole, role)) for role in self.first_roles]

    @property
    def second_labels(self) -> list[str]:
        return [str(choice_label(ParticipationRole, role)) for role in self.second_roles]


@dataclass
class Bridge:
    """Someone connected to both organizations, with how (positions, projects) on each side."""

    person: Person
    first: list[str] = field(default_factory=list)
    second: list[str] = field(default_factory=list)


@dataclass
class Partnership:
    first: Organization
    second: Organization
    program_count: int
    programs: list[SharedProgram]
    editions: list[Edition]
    projects: list[Project]
    people: list[Bridge]

    @property
    def empty(self) -> bool:
        return not (self.program_count or self.people)

    @property
    def url(self) -> str:
        return partnership_url(self.first, self.second)

    def timeline(self) -> charts.Timeline:
        return charts.timeline_chart(
            [
                (
                    shared.program.display_name,
                    shared.program.start_year,
                    shared.program.end_year,
                    shared.program.get_absolute_url(),
                )
                for shared in self.programs[:TIMELINE_LIMIT]
            ],
            now=timezone.now().year,
        )


def roles_in(program_ids, first, second) -> dict[tuple[int, int], list[str]]:
    """The roles of `first` and `second` in each of the programmes, by (programme id, organization id)."""
    roles = {}
    for program_id, organization_id, role in (
        Participation.objects.filter(program__in=program_ids, organization__in=[first, second])
        .order_by("role")
        .values_list("program_id", "organization_id", "role")
    ):
        roles.setdefault((program_id, organization_id), []).append(role)
    return roles


def partnership_of(first, second) -> Partnership:
    """What two published organizations share (see the module's docstring): seven queries."""
    shared_rows = shared_programs(first, second)
    program_count = shared_rows.count()
    programs = shared_rows[:DETAIL_LIMIT]
    ids = [program.pk for program in programs]
    roles = roles_in(ids, first, second)
    shared = [
        SharedProgram(program, roles.get((program.pk, first.pk), []), roles.get((program.pk, second.pk), []))
        for program in programs
    ]
    editions = list(
        Edition.objects.filter(program__in=ids)
        .select_related("program")
        .order_by(F("year").asc(nulls_last=True), "program__name", "label")[:DETAIL_LIMIT]
    )
    projects = list(
        Project.objects.published()
        .filter(program__in=ids)
        .select_related("program")
        .order_by("title", "pk")[:DETAIL_LIMIT]
    )
    return Partnership(first, second, program_count, shared, editions, projects, bridges(first, second))


def bridges(first, second) -> list[Bridge]:
    """People with a published position at, or a published project membership for, each side."""

    def connected(organization) -> set[int]:
        # Read along the organization's own links: a condition on every person (`pk IN (...) OR
        # pk IN (...)`) is checked person by person, a million of them in a large registry.
        positions = Affiliation.objects.filter(organization=organization).order_by()
        memberships = ProjectMember.objects.filter(organization=organization, project__status=PUBLISHED).order_by()
        return set(positions.values_list("person", flat=True).union(memberships.values_list("person", flat=True)))

    people = (
        Person.objects.published()
        .filter(pk__in=connected(first) & connected(second))
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(organization__in=[first, second]),
                to_attr="pair_positions",
            ),
            Prefetch(
                "project_memberships",
                queryset=ProjectMember.objects.published()
                .filter(organization__in=[first, second])
                .select_related("project"),
                to_attr="pair_projects",
            ),
        )[:DETAIL_LIMIT]
    )
    found = []
    for person in people:
        bridge = Bridge(person)
        for position in person.pair_positions:
            side = bridge.first if position.organization_id == first.pk else bridge.second
            side.append(" ".join(part for part in (position.display_title, position.years_display) if part) or "—")
        for membership in person.pair_projects:
            side = bridge.first if membership.organization_id == first.pk else bridge.second
            side.append(membership.project.display_name)
        found.append(bridge)
    return found
