"""Matching names against the published organizations, people and programmes.

Names are read as the site's search reads them (programs/reads/search.py: traditional as simplified,
full-width as half-width, pinyin and its initials, a person's name in either order, typos within a
bound): for each name and type searched, the `CANDIDATES` best records of the type's listing in
the read model, in the search's order of relevance (an exact name or alias first), narrowed by the
properties given. On PostgreSQL the lookups of a whole batch run as one statement per type. Each
candidate is then scored in Python:

- 100 for an exact name, English name, short name or alias (folded: case, spacing, punctuation,
  traditional or simplified characters aside), or for the record holding the identifier asked for;
- otherwise 90 × the Dice coefficient of the character pairs of the folded name and the closest
  form of the record's names (pinyin and initials included), which reads Chinese and English alike.

A candidate is a match (`match: true`) only when it is the one exact candidate of the name and
satisfies every property given (they filter the candidates).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Exists, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from programs.models import (
    Identifier,
    Organization,
    OrganizationListing,
    Person,
    PersonListing,
    Program,
    ProgramListing,
    text,
)
from programs.models.base import localized
from programs.reads import search

CANDIDATES = 20  # records found per name and type, scored
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class EntityType:
    """A type of the service: its records, the names compared with a query, the properties it has."""

    id: str
    model: type
    listing: type  # its listing in the read model, which search reads
    label: str
    exact_fields: tuple[str, ...]
    alias_fields: tuple[str, ...] = ()
    properties: tuple[str, ...] = ("identifier",)
    columns: tuple[str, ...] = ()  # what candidates and previews read besides names

    @property
    def names(self) -> tuple[str, ...]:
        return self.exact_fields + self.alias_fields

    def records(self):
        return self.model.objects.published().only("slug", "status", "search_names", *self.names, *self.columns)


TYPES = {
    entity.id: entity
    for entity in (
        EntityType(
            id="organization",
            model=Organization,
            listing=OrganizationListing,
            label=_("Organization"),
            exact_fields=("name", "name_en", "short_name"),
            alias_fields=("aliases",),
            properties=("country", "kind", "city", "identifier"),
            columns=("kind", "country", "city"),
        ),
        EntityType(
            id="program",
            model=Program,
            listing=ProgramListing,
            label=_("Programme"),
            exact_fields=("name", "name_en"),
            alias_fields=("aliases",),
            properties=("kind", "identifier"),
            columns=("kind", "start_year"),
        ),
        EntityType(
            id="person",
            model=Person,
            listing=PersonListing,
            label=_("Person"),
            exact_fields=("name", "name_en"),
            columns=("headline", "headline_en"),
        ),
    )
}


def normal(text: str) -> str:
    """Lower case, single spaces: how names are compared."""
    return " ".join(str(text).lower().split())


def pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character pairs of two normal names, 0 to 1."""
    if not a or not b:
        return 0.0
    first, second = pairs(a), pairs(b)
    return 2 * len(first & second) / (len(first) + len(second))


@dataclass
class Query:
    """One reconciliation query, read and checked (programs.reconcile.queries)."""

    text: str  # normal form; "" for a query by properties only
    types: tuple[EntityType, ...]
    limit: int
    filters: dict[str, list[str]] = field(default_factory=dict)  # property -> values (either)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (scheme, value): held, either
    slug: str = ""  # a query naming an entity by its id

    @property
    def identifies(self) -> bool:
        """The query names its entity (by id or identifier) rather than searching names."""
        return bool(self.identifiers or self.slug)


@dataclass
class Candidate:
    entity: EntityType
    record: object
    score: float
    exact: bool
    identified: bool
    similarity: float
    match: bool = False

    @property
    def id(self) -> str:
        return f"{self.entity.id}/{self.record.slug}"


def property_filter(entity: EntityType, query: Query) -> Q:
    """The records of `entity` that agree with the query's properties (a blank value agrees)."""
    condition = Q()
    for name, values in query.filters.items():
        if name == "kind":
            condition &= Q(kind__in=values)
        elif name == "country":
            condition &= Q(country__in=values) | Q(country="")
        elif name == "city":
            condition &= Q(city__in=values) | Q(city="")
    if query.identifiers:
        held = Q(*(Q(scheme=scheme, value=value) for scheme, value in query.identifiers), _connector=Q.OR)
        condition &= Exists(Identifier.objects.filter(held, **{entity.id: OuterRef("pk")}))
    if query.slug:
        condition &= Q(slug=query.slug)
    return condition


def candidates_of(query: Query) -> list[Candidate]:
    """The scored candidates of one query, best first, at most `query.limit`."""
    return candidates_of_batch([query])[0]


def candidates_of_batch(queries: list[Query]) -> list[list[Candidate]]:
    """The candidates of each query, scored on its own, best first, at most its `limit`.

    Per type, the bounded lookups of every query of the batch run as one statement (UNION ALL of
    LIMITed parts) where the database allows it (PostgreSQL), then the records are loaded by id:
    two round trips per type (and one for the typos' vocabulary of the whole batch), whatever the
    number of names. Elsewhere (SQLite) each part runs on its own.
    """
    read = [search.read_query(query.text, MAX_QUERY_LENGTH) for query in queries]
    found: list[list[Candidate]] = [[] for _query in queries]
    for entity in TYPES.values():
        asked = [index for index, query in enumerate(queries) if asks(entity, query, read[index])]
        corrected = search.corrected_all([read[index] for index in asked], entity.listing.objects.all())
        parts = [
            lookup(entity, queries[index], typed).annotate(tag=Value(index))
            for index, typed in zip(asked, corrected, strict=True)
        ]
        for index, _pk, record in fetched(entity, [part.values_list("tag", "pk") for part in parts]):
            found[index].append(score(entity, record, queries[index], read[index]))
    for query, candidates in zip(queries, found, strict=True):
        settle(query, candidates)
    return found


def asks(entity: EntityType, query: Query, read: search.SearchQuery) -> bool:
    """Whether `query` searches records of `entity` (its types, properties that apply, something to find)."""
    wanted = read or query.identifies or query.filters
    return entity in query.types and set(query.filters) <= set(entity.properties) and bool(wanted)


def lookup(entity: EntityType, query: Query, read: search.SearchQuery):
    """The bounded queryset finding one query's candidates of one type (ids in `pk`); `read` carries
    the corrections of its typos."""
    if not read:  # by properties or identity only: the first records in name order
        records = entity.model.objects.published().filter(property_filter(entity, query))
        return records.order_by("name", "pk")[: query.limit]
    rows = entity.listing.objects.all()
    if query.filters or query.identifies:
        rows = rows.filter(pk__in=entity.model.objects.filter(property_filter(entity, query)).values("pk"))
    return search.matching(rows, read).order_by(search.rank(read), "name", "id")[:CANDIDATES]


def fetched(entity: EntityType, parts: list) -> list[tuple[int, int, object]]:
    """(query index, id, record) of every row the parts find, in their order, each once per query."""
    if not parts:
        return []
    if connections[parts[0].db].features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
    else:
        rows = [row for part in parts for row in part]
    records = entity.records().in_bulk({pk for _tag, pk in rows})
    unique = dict.fromkeys((index, pk) for index, pk in rows if pk in records)
    return [(index, pk, records[pk]) for index, pk in unique]


def settle(query: Query, candidates: list[Candidate]) -> None:
    """Mark the one exact candidate as the match, order the candidates best first, keep `query.limit`."""
    exact = [candidate for candidate in candidates if candidate.exact or candidate.identified]
    if len(exact) == 1:
        exact[0].match = True
    candidates.sort(key=lambda c: (-c.score, c.entity.id, normal(c.record.name), c.record.slug))
    del candidates[query.limit :]


def score(entity: EntityType, record, query: Query, read: search.SearchQuery) -> Candidate:
    names = [name for name in names_of(entity, record) if name]
    exact = bool(read) and read.phrase in {text.search_fold(name) for name in names}
    closest = closeness(read.phrase, record.search_names) if read else 0.0
    identified = query.identifies  # the filter kept only the records named
    value = 100.0 if exact or identified else round(90 * closest, 1)
    return Candidate(entity, record, value, exact, identified, round(closest, 3))


def closeness(phrase: str, search_names: str) -> float:
    """How close a folded phrase is to the closest form of a record's names: as written, pinyin,
    initials, a person's other name order (its stored search keys, programs/models/search_keys.py)."""
    return max((similarity(phrase, form) for form in search_names.split("\n") if form), default=0.0)


def names_of(entity: EntityType, record) -> Iterable[str]:
    for name in entity.exact_fields:
        yield getattr(record, name)
    for name in entity.alias_fields:
        yield from getattr(record, name)


def describe(entity: EntityType, record) -> str:
    """What a candidate or suggestion says beside its name: the other name, the kind, the place."""
    shown = localized(record, "name")
    other = record.name if shown != record.name else getattr(record, "name_en", "")
    parts = [other, *DETAILS.get(entity.id, lambda record: [])(record)]
    return " · ".join(str(part) for part in parts if part)


def organization_details(organization) -> list:
    """Its kind, country and city."""
    return [str(organization.kind_label), organization.country.name if organization.country else "", organization.city]


def program_details(program) -> list:
    """Its kind and start year."""
    return [str(program.kind_label), program.start_year]


def person_details(person) -> list:
    """The person's headline, in the language shown."""
    return [localized(person, "headline")] if person.headline else []


# What `describe` says of each type's records after the other name (blank parts are left out).
DETAILS = {"organization": organization_details, "program": program_details, "person": person_details}
