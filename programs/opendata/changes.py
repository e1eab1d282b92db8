"""The changes feed: what happened to the public records, in order, read from their history.

Every save and delete leaves a row in a django-simple-history table. The feed walks those rows
across every table in one order — (history_date, table, history_id) — and turns each into the
public records it concerns:

- a record's own row: the record, when it is the record's latest row (earlier ones are covered
  by it), and its old slug as a tombstone when the row renamed it;
- a link row (participation, affiliation, involvement, project member) or a citation: the record
  it is nested under, when public;
- a row that publishes, unpublishes, renames or moves a record: the records whose content names
  it (a programme names its participants, a project its programme…), since what they show of it
  changed with it. Derived from the references in programs/opendata/records.py.

Each record is given as it is now: a public one with its content (the release's row, from
programs/opendata/records.py), and one that is no longer public as a tombstone (type, slug, action, time).
A record that was never public never appears, not even as a tombstone. So a record published and
then unpublished shows only its tombstone, and applying every entry from the start, in order,
gives the current release's records.

A position in the walk is (time, table, history id, targets already given of that row); the API
hands it out as a signed cursor.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery

from programs.models.querysets import PUBLISHED
from programs.opendata import records

# How many history rows one page may read at most, as a multiple of its size: a page of records
# edited many times may come back short, with `has_more`.
SCAN_FACTOR = 10


@dataclass(frozen=True)
class Position:
    """Just after the history row (date, rank, history_id), or inside it when `skip` >= 0: its first
    `skip` targets were given already."""

    date: datetime.datetime
    rank: int
    history_id: int
    skip: int = -1

    def key(self):
        return (self.date, self.rank, self.history_id)


@dataclass(frozen=True)
class Source:
    """One history table, at `rank` in the walk's order."""

    rank: int
    model_name: str
    entity: records.Entity | None = None  # the record's own history
    # A link's: the records it may be nested under, each with the key to it (an identifier's is
    # the one of its keys that is set).
    owners: tuple[tuple[records.Entity, str], ...] = ()
    citation: bool = False

    @property
    def model(self):
        return apps.get_model("programs", self.model_name).history.model

    @property
    def watched(self) -> tuple[str, ...]:
        """Fields whose change makes a row count even when a later one follows."""
        if self.entity is not None:
            return ("slug", *(["status"] if has_status(self.entity) else []), *moved_by(self.entity))
        if self.owners:
            return tuple(key for _entity, key in self.owners)
        return ("content_type_id", "object_id")


def has_status(entity) -> bool:
    return any(f.name == "status" for f in entity.model._meta.fields)


def moved_by(entity) -> tuple[str, ...]:
    """The keys whose change can make a record public or not: a project's or an edition's programme."""
    return ("program_id",) if entity.name in ("project", "edition") else ()


def _link_owners() -> dict[str, tuple[tuple[records.Entity, str], ...]]:
    """Each nested link model (by model name) with the records it may belong to and the keys to them."""
    owners: dict[str, tuple] = {}
    for entity in records.ENTITIES:
        for links in entity.links:
            if not links.flat:
                owners[links.model_name.lower()] = (
                    *owners.get(links.model_name.lower(), ()),
                    (entity, f"{links.owner}_id"),
                )
    return owners


LINK_OWNERS = _link_owners()
# The links citations may point at, each under one kind of record.
CITED_LINK_OWNERS = {name: owners[0] for name, owners in LINK_OWNERS.items() if len(owners) == 1}
SOURCES = (
    *(Source(rank, entity.model_name, entity=entity) for rank, entity in enumerate(records.ENTITIES)),
    *(
        Source(len(records.ENTITIES) + rank, model_name, owners=owners)
        for rank, (model_name, owners) in enumerate(sorted(LINK_OWNERS.items()))
    ),
    Source(len(records.ENTITIES) + len(LINK_OWNERS), "citation", citation=True),
)
ENTITY_BY_MODEL = {entity.model_name.lower(): entity for entity in records.ENTITIES}


def _dependencies() -> dict[str, list[tuple[records.Entity, str, str, str]]]:
    """For each kind of record, the records whose content names one: (their entity, the model
    holding the reference, the reference's key, the key to the record it belongs to)."""
    found: dict[str, list] = {}

    def add(entity, model, owner_key, fields):
        for f in fields:
            if f.relation:
                target = model._meta.get_field(f.relation).related_model._meta.model_name
                found.setdefault(ENTITY_BY_MODEL[target].name, []).append(
                    (entity, model, f"{f.relation}_id", owner_key)
                )

    for entity in records.ENTITIES:
        add(entity, entity.model, "pk", entity.fields)
        for links in entity.links:
            add(entity, links.model, f"{links.owner}_id", links.fields)
    return found


DEPENDENCIES = _dependencies()


@dataclass
class Target:
    """A record an event concerns: `entity` and `pk`, why (`own`, `link`, `dependent`), and for its
    own row that row's values (for a tombstone of a deleted record)."""

    entity: records.Entity
    pk: int
    why: str
    event: dict
    row: dict = field(default_factory=dict)


@dataclass
class Page:
    entries: list
    position: Position | None
    has_more: bool


def after(position: Position | None, rank: int) -> Q:
    """History rows of the table at `rank` after `position` (from the row itself when inside it)."""
    if position is None:
        return Q()
    history_id = position.history_id - (1 if position.skip >= 0 else 0)
    if rank > position.rank:
        return Q(history_date__gte=position.date)
    if rank < position.rank:
        return Q(history_date__gt=position.date)
    return Q(history_date__gt=position.date) | Q(history_date=position.date, history_id__gt=history_id)


def _rows(source: Source, position: Position | None, limit: int) -> list[dict]:
    """The next `limit` rows of a history table after `position`, each with whether it is its
    record's latest row and the watched values of the row before it."""
    model = source.model
    same = model.objects.filter(id=OuterRef("id"))
    later = same.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    before = same.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    ).order_by("-history_date", "-history_id")
    names = {f.attname for f in model._meta.fields}
    wanted = ["history_id", "history_date", "history_type", "id", *source.watched]
    wanted += [name for name in ("published_at", "created_at", "program_id") if name in names]
    queryset = (
        model.objects.filter(after(position, source.rank))
        .annotate(
            superseded=Exists(later),
            has_previous=Exists(before),
            **{f"previous_{name}": Subquery(before.values(name)[:1]) for name in source.watched},
        )
        .order_by("history_date", "history_id")
        .values(*dict.fromkeys(wanted), "superseded", "has_previous", *(f"previous_{n}" for n in source.watched))
    )
    return [{**row, "rank": source.rank} for row in queryset[:limit]]


def _events(position: Position | None, limit: int) -> tuple[list[dict], bool]:
    """The next history rows across every table, in the walk's order, and whether more may follow.

    Each table gives at most `limit`; only rows up to the first table's cut-off are sure to be
    in order, so the rest wait for the next call.
    """
    rows, bound = [], None
    for source in SOURCES:
        found = _rows(source, position, limit)
        rows += found
        if len(found) == limit:
            last = (found[-1]["history_date"], source.rank, found[-1]["history_id"])
            bound = last if bound is None else min(bound, last)
    rows.sort(key=lambda row: (row["history_date"], row["rank"], row["history_id"]))
    if bound is not None:
        rows = [row for row in rows if (row["history_date"], row["rank"], row["history_id"]) <= bound]
    return rows, bound is not None


def _changed(source: Source, row: dict) -> bool:
    """Whether a row of an existing record changed what other records show of it."""
    return (
        row["history_type"] == "~"
        and row["has_previous"]
        and any(row[f"previous_{name}"] != row[name] for name in source.watched)
    )


@dataclass
class Related:
    """What the targets of a batch of history rows read from other tables, in a few queries for
    the whole batch rather than some for each row."""

    dependents: dict  # (entity name, pk) -> the records showing it: [(entity, pk)]
    owners: dict  # (content type id, pk) of a cited row -> the record it belongs to: (entity, pk)

    @classmethod
    def of(cls, rows: list[dict]) -> "Related":
        changed: dict[str, set[int]] = {}
        cited = []
        for row in rows:
            source = SOURCES[row["rank"]]
            if source.entity is not None and _changed(source, row):
                changed.setdefault(source.entity.name, set()).add(row["id"])
            elif source.citation:
                cited += _cited_pairs(source, row)
        return cls(dependents_of(changed), owner_map(cited))


def _cited_pairs(source: Source, row: dict) -> list[tuple[int, int]]:
    """The rows (content type id, pk) a citation's history row cites now, and cited before if changed."""
    if row["superseded"] and not _changed(source, row):
        return []
    pairs = [(row["content_type_id"], row["object_id"])]
    if row["has_previous"] and _changed(source, row):
        pairs.append((row["previous_content_type_id"], row["previous_object_id"]))
    return pairs


def _targets(row: dict, related: Related) -> list:
    """What one history row concerns, in a fixed order: Targets, and tombstones of old slugs."""
    source = SOURCES[row["rank"]]
    event = {"time": row["history_date"]}
    if source.entity is not None:
        return _record_targets(source, row, event, related)
    if source.owners:
        return _link_targets(source, row, event)
    owners = [related.owners[pair] for pair in _cited_pairs(source, row) if pair in related.owners]
    return [Target(entity, pk, "link", event) for entity, pk in owners]


def _record_targets(source: Source, row: dict, event: dict, related: Related) -> list:
    """A record's own row: the record, a tombstone of its old slug when renamed, and the records
    that show it when what they show of it changed."""
    entity = source.entity
    found: list = []
    renamed = row["history_type"] == "~" and row["has_previous"] and row["previous_slug"] != row["slug"]
    if renamed:
        previous = {**row, **{name: row[f"previous_{name}"] for name in source.watched}}
        if _ever_public(entity, previous):
            found.append({"type": entity.name, "slug": previous["slug"], "action": "deleted", "event": event})
    if not row["superseded"]:
        found.append(Target(entity, row["id"], "own", event, row))
    if _changed(source, row):
        found += [Target(e, pk, "dependent", event) for e, pk in related.dependents[entity.name, row["id"]]]
    return found


def _link_targets(source: Source, row: dict, event: dict) -> list:
    """A link row nested under its owner: the owner, and the former owner when the row moved."""
    owners = [(entity, row[key]) for entity, key in source.owners if row[key] is not None]
    moved = [
        (entity, row[f"previous_{key}"])
        for entity, key in source.owners
        if row["has_previous"] and row[f"previous_{key}"] not in (None, row[key])
    ]
    if row["superseded"] and not moved:
        return []
    return [Target(entity, pk, "link", event) for entity, pk in owners + moved]


def dependents_of(changed: dict[str, set[int]]) -> dict[tuple[str, int], list[tuple[records.Entity, int]]]:
    """For each record (entity name, pk) of `changed`, the records whose content names it, in a
    fixed order: one query per kind of reference, and for sources their citations'."""
    found: dict[tuple[str, int], list] = {(name, pk): [] for name, pks in changed.items() for pk in pks}
    for name, pks in changed.items():
        for dependent, model, key, owner in DEPENDENCIES.get(name, []):
            rows = model.objects.filter(**{f"{key}__in": pks}).order_by(key, owner).values_list(key, owner).distinct()
            for pk, owner_pk in rows:
                found[name, pk].append((dependent, owner_pk))
        if name == "source":
            for source_id, record in _citing_records(pks):
                found[name, source_id].append(record)
    return {key: _distinct(records_of) for key, records_of in found.items()}


def _citing_records(source_ids: set[int]) -> list[tuple[int, tuple[records.Entity, int]]]:
    """(source id, the record citing it) for the citations of the sources, in the citations' order."""
    citations = apps.get_model("programs", "Citation").objects.filter(source_id__in=source_ids).order_by("pk")
    cited = list(citations.values_list("source_id", "content_type_id", "object_id"))
    owners = owner_map([(content_type, pk) for _source, content_type, pk in cited])
    return [(source, owners[content_type, pk]) for source, content_type, pk in cited if (content_type, pk) in owners]


def _distinct(records_of: list[tuple[records.Entity, int]]) -> list[tuple[records.Entity, int]]:
    """Each record once, where it first appears."""
    return list({(entity.name, pk): (entity, pk) for entity, pk in records_of}.values())


def owner_map(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], tuple[records.Entity, int]]:
    """The records that cited rows (content type, id) belong to: the row itself, or the record a
    link is nested under (read from its history when it is deleted); one or two queries per link model."""
    named = {(content_type, pk): (ContentType.objects.get_for_id(content_type).model, pk) for content_type, pk in pairs}
    owners = {}  # (link model name, id) -> owner id
    for name, (_entity, key) in CITED_LINK_OWNERS.items():
        ids = {pk for model_name, pk in named.values() if model_name == name}
        owners |= {(name, pk): owner for pk, owner in _link_owner_ids(name, key, ids).items()}
    result = {}
    for pair, (name, pk) in named.items():
        if name in ENTITY_BY_MODEL:
            result[pair] = (ENTITY_BY_MODEL[name], pk)
        elif (name, pk) in owners:
            result[pair] = (CITED_LINK_OWNERS[name][0], owners[name, pk])
    return result


def _link_owner_ids(name: str, key: str, ids: set[int]) -> dict[int, int]:
    """{link id: id of the record it is nested under} for the rows `ids` of link model `name`, a
    deleted row's owner read from its history."""
    if not ids:
        return {}
    model = apps.get_model("programs", name)
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", key))
    deleted = model.history.filter(id__in=ids - found.keys()).order_by("history_date", "history_id")
    return found | {pk: owner for pk, owner in deleted.values_list("id", key) if pk not in found}


def _program_public_since(program_id, moment) -> bool:
    """Whether the programme was public at some time from `moment` on (from its history)."""
    if program_id is None or moment is None:
        return False
    history = apps.get_model("programs", "Program").history
    if history.filter(id=program_id, status=PUBLISHED, history_date__gte=moment).exists():
        return True
    at = history.filter(id=program_id, history_date__lte=moment).order_by("-history_date", "-history_id").first()
    return at is not None and at.status == PUBLISHED


def _ever_public(entity: records.Entity, values: dict) -> bool:
    """Whether a record (its current or historical values) was ever public, so that its slug may
    appear in a tombstone. Projects and editions are public only with their programme."""
    if entity.name == "edition":
        return _program_public_since(values["program_id"], values["created_at"])
    if values.get("published_at") is None:
        return False
    if entity.name == "project":
        return _program_public_since(values["program_id"], values["published_at"])
    return True


def _entries(targets: list, origin: datetime.datetime | None) -> list[dict]:
    """The targets as entries: content for the public records, tombstones for the others that
    were ever public; a record given twice keeps its last place."""
    public, current = _loaded(targets)
    entries = []
    for target in targets:
        if not isinstance(target, Target):
            entries.append(_entry(target.pop("event"), **target))
            continue
        entry = _target_entry(target, public[target.entity.name], current[target.entity.name], origin)
        if entry is not None:
            entries.append(entry)
    last = {(entry["type"], entry["slug"]): index for index, entry in enumerate(entries)}
    return [entry for index, entry in enumerate(entries) if last[(entry["type"], entry["slug"])] == index]


def _loaded(targets: list) -> tuple[dict, dict]:
    """For each kind of record the targets name: the public ones' content, and every one's current
    slug and dates (a query or two per kind)."""
    by_entity: dict[str, set] = {}
    for target in targets:
        if isinstance(target, Target):
            by_entity.setdefault(target.entity.name, set()).add(target.pk)
    public, current = {}, {}
    for name, ids in by_entity.items():
        entity = records.BY_NAME[name]
        public[name] = records.content(entity, ids)
        fields = {f.attname for f in entity.model._meta.fields}
        wanted = [n for n in ("pk", "slug", "published_at", "created_at", "program_id") if n == "pk" or n in fields]
        current[name] = {row["pk"]: row for row in entity.model.objects.filter(pk__in=ids).values(*wanted)}
    return public, current


def _target_entry(target: Target, public: dict, current: dict, origin) -> dict | None:
    """One target's entry: its content when public, else a tombstone if it ever was (None otherwise)."""
    name = target.entity.name
    record, now = public.get(target.pk), current.get(target.pk)
    if record is not None:
        first = now.get("published_at") or now["created_at"]
        action = "created" if origin is None or first >= origin else "updated"
        return _entry(target.event, name, record["slug"], action, record)
    if target.why == "link":
        return None
    if now is not None:
        return _entry(target.event, name, now["slug"], "unpublished") if _ever_public(target.entity, now) else None
    if target.why == "own" and _ever_public(target.entity, target.row):
        return _entry(target.event, name, target.row["slug"], "deleted")
    return None


def _entry(event: dict, type: str, slug: str, action: str, record: dict | None = None) -> dict:
    entry = {"type": type, "slug": slug, "action": action, "time": event["time"].isoformat()}
    if record is not None:
        entry["record"] = record
    return entry


def changes_page(position: Position | None, *, origin: datetime.datetime | None, limit: int) -> Page:
    """Up to `limit` records' changes after `position`, the position after them, and whether more
    changes are there to read now (else the position is where to ask again later)."""
    targets: list = []
    scanned, more = 0, True
    while more and len(targets) < limit and scanned < SCAN_FACTOR * limit:
        rows, more = _events(position, limit)
        scanned += len(rows)
        position = _take(rows, position, targets, limit)
    # A full page says there is more: the next call finds out.
    return Page(_entries(targets, origin), position, more or len(targets) >= limit)


def _take(rows: list[dict], position: Position | None, targets: list, limit: int) -> Position | None:
    """Add to `targets` what `rows` concern, up to `limit` targets in all, and return the position
    after the last one taken (inside a row when only some of its targets fitted)."""
    related = Related.of(rows)
    for row in rows:
        found = _targets(row, related)
        start = position.skip if position and position.skip >= 0 and position.key() == _key(row) else 0
        taken = found[start : start + limit - len(targets)]
        targets += taken
        if start + len(taken) < len(found):
            return Position(row["history_date"], row["rank"], row["history_id"], start + len(taken))
        position = Position(row["history_date"], row["rank"], row["history_id"])
        if len(targets) >= limit:
            break
    return position


def _key(row: dict):
    return (row["history_date"], row["rank"], row["history_id"])
