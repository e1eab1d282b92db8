"""Published records as open data: the one shape that releases and the changes API both give.

Each kind of record (`Entity`) is its own fields, read with `values()`, plus the link rows nested
under it (`Links`: a programme's participants, a person's affiliations…) and the citations of
both, each with its source. Only what is public is there: a record's links and references name
published records only, citations come from published sources, and a reference to a draft is
null. Records are read a chunk at a time (`rows()`), with one query per linked table per
chunk, so that memory stays bounded however many there are.

What each kind gives, in which order, and each field's description (the release's README lists
them) are read from the kinds' declarations (programs/models/kinds/); how the rows are read is here.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from programs.models import kinds
from programs.models.kinds.declaration import choice_list
from programs.models.querysets import PUBLISHED
from programs.models.schemes import SCHEMES_OF
from programs.reads.chunks import chunks

CHUNK_SIZE = 2000


def plain(value):
    """A value as JSON holds it: dates and times in ISO 8601, amounts as decimal strings."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass(frozen=True)
class Field:
    """One value of a row: `name` in the files, read from the `values()` keys `reads`."""

    name: str
    description: str
    reads: tuple[str, ...] = ()
    value: Callable[[dict], object] | None = None
    relation: str = ""  # the foreign key whose record's slug this is (so the row changes with that record)

    @property
    def lookups(self) -> tuple[str, ...]:
        return self.reads or (self.name,)

    def of(self, row: dict):
        return self.value(row) if self.value else plain(row[self.name])


def reference(name: str, description: str, status: str = "") -> Field:
    """The slug of the record `name` points at, or null when there is none or it is not public.

    `status` is where that record's publication is read (its own `status` by default; an
    edition's is its programme's).
    """
    status = status or f"{name}__status"

    def value(row):
        return row[f"{name}__slug"] if row[status] == PUBLISHED else None

    return Field(name, description, reads=(f"{name}__slug", status), value=value, relation=name)


def owner_slug(name: str, description: str, relation: str = "") -> Field:
    """The slug of a record that is public whenever the row is (a project's programme).

    `relation` is the model's name for it, when the files name it otherwise.
    """
    relation = relation or name
    lookup = f"{relation}__slug"
    return Field(name, description, reads=(lookup,), value=lambda row: row[lookup], relation=relation)


@dataclass(frozen=True)
class Links:
    """Link rows nested under their record (`owner`), public when the records they join are.

    `filter` keeps the public rows (the owner is public already); `key` names the fields that
    identify a row in citations.csv.
    """

    name: str
    file: str
    model_name: str
    owner: str
    fields: tuple[Field, ...]
    filter: dict
    record_type: str  # how citations.csv names such a row
    order: tuple
    description: str
    key: tuple[str, ...] = ()
    citable: bool = True
    flat: bool = False  # a list of the single field's values rather than of objects

    @property
    def model(self):
        return apps.get_model("programs", self.model_name)


@dataclass(frozen=True)
class Entity:
    """A kind of public record: `name` in the changes API, `file` the release's files."""

    name: str
    file: str
    model_name: str
    description: str
    fields: tuple[Field, ...]
    links: tuple[Links, ...] = ()
    citable: bool = True

    @property
    def model(self):
        return apps.get_model("programs", self.model_name)

    def published(self):
        return self.model.objects.published()

    @property
    def columns(self) -> list[str]:
        """The CSV columns: the record's own fields."""
        return [f.name for f in self.fields]


def release_field(kind: kinds.Kind, item: kinds.Field, **context) -> Field:
    """An item of a kind's declaration as the release gives it: a reference as its record's slug."""
    description = kind.describe(item, **context)
    if not isinstance(item, kinds.Ref):
        return Field(item.name, description)
    if item.public:
        return owner_slug(item.name, description)
    return reference(item.name, description, status=f"{item.name}__{kinds.BY_NAME[item.target].status}")


# The order of each kind of link row under its record.
LINK_ORDERS = {
    "participation": ("role", "organization__slug", "pk"),
    "affiliation": (F("start_year").asc(nulls_first=True), "pk"),
    "involvement": ("program__slug", "role", F("year").asc(nulls_first=True), "pk"),
    "project_member": ("role", "person__slug", "pk"),
    "identifier": ("scheme", "value"),
}


def nested(kind: kinds.Kind, item: kinds.Links) -> Links:
    """The rows of a link kind under a record of `kind`, public when the records they join are."""
    link, owner = item.kind, kind.model._meta.model_name
    record_type = f"{kind.name}_{link.name}" if link.per_owner else link.name
    # Identifiers: the schemes of the owner's kind (registries, not articles, give them: no citations).
    context = {"schemes": ", ".join(SCHEMES_OF.get(kind.name, ()))}
    carried = [i for i in link.carried(kinds.Output.RELEASE) if i.name != owner]
    return Links(
        name=item.name,
        record_type=record_type,
        file=f"{record_type}s",
        model_name=link.model.__name__,
        owner=owner,
        fields=tuple(release_field(link, i, **context) for i in carried),
        filter={f"{i.name}__status": PUBLISHED for i in carried if isinstance(i, kinds.Ref) and i.public},
        order=LINK_ORDERS[link.name],
        description=item.description,
        key=link.key if link.citable else (),
        citable=link.citable,
    )


def many(kind: kinds.Kind, item: kinds.Refs) -> Links:
    """The records a many-to-many field names, as rows of a file of their own and slugs in the record."""
    target = kinds.BY_NAME[item.target]
    relation = target.model._meta.model_name  # the through table's name for it
    return Links(
        name=item.name,
        record_type=f"{kind.name}_{target.name}",
        file=f"{kind.name}_{target.plural}",
        model_name=kind.model._meta.get_field(item.name).remote_field.through.__name__,
        owner=kind.model._meta.model_name,
        fields=(owner_slug(target.name, f"A {target.name.replace('_', ' ')}'s slug.", relation=relation),),
        filter={f"{relation}__status": PUBLISHED},
        order=(f"{relation}__slug",),
        description=item.description,
        citable=False,
        flat=True,
    )


def entity(kind: kinds.Kind) -> Entity:
    """A kind of record as the release gives it: its own fields, then what it nests."""
    carried = kind.carried(kinds.Output.RELEASE)
    return Entity(
        name=kind.name,
        file=kind.plural,
        model_name=kind.model.__name__,
        description=kind.description,
        fields=tuple(release_field(kind, item) for item in carried if type(item) in (kinds.Field, kinds.Ref)),
        links=tuple(
            nested(kind, item) if isinstance(item, kinds.Links) else many(kind, item)
            for item in carried
            if isinstance(item, kinds.Links | kinds.Refs)
        ),
        citable=kind.citable,
    )


ENTITIES = tuple(entity(kind) for kind in kinds.KINDS)
BY_NAME = {entity.name: entity for entity in ENTITIES}
# A citation's fields, as each record lists its own and citations.csv gives them.
CITATION_FIELDS = tuple(release_field(kinds.CITATION, item) for item in kinds.CITATION.carried(kinds.Output.RELEASE))
CITATIONS_DESCRIPTION = "The published sources supporting the record: each with {}.".format(
    choice_list((f"`{item.name}` ({item.brief})" for item in kinds.CITATION.carried(kinds.Output.RELEASE)), "and")
)


def lookups_of(fields: Iterable[Field], *keys: str) -> list[str]:
    """What `values()` reads for `fields`, after `keys`, each once."""
    return list(dict.fromkeys([*keys, *(lookup for f in fields for lookup in f.lookups)]))


def rows(entity: Entity, queryset, chunk_size: int = CHUNK_SIZE) -> Iterator[list[tuple[int, dict]]]:
    """The records of `queryset` (published ones of `entity`) as (pk, row) pairs, a chunk at a time."""
    for chunk in chunks(queryset.values(*lookups_of(entity.fields, "pk")), chunk_size):
        by_pk = {record["pk"]: {f.name: f.of(record) for f in entity.fields} for record in chunk}
        for links in entity.links:
            _attach_links(links, by_pk)
        if entity.citable:
            _attach_citations(entity.model, by_pk)
        yield list(by_pk.items())


def _attach_links(links: Links, by_pk: dict[int, dict]) -> None:
    """Each row's `links.name`: its public link rows (or their one field's values), with their citations."""
    for row in by_pk.values():
        row[links.name] = []
    owner = f"{links.owner}_id"
    found = list(
        links.model.objects.filter(**{f"{owner}__in": list(by_pk)}, **links.filter)
        .order_by(*links.order)
        .values(*lookups_of(links.fields, "pk", owner))
    )
    citations = _citations(links.model, [row["pk"] for row in found]) if links.citable else {}
    for row in found:
        nested = {f.name: f.of(row) for f in links.fields}
        if links.citable:
            nested["citations"] = citations.get(row["pk"], [])
        by_pk[row[owner]][links.name].append(nested[links.fields[0].name] if links.flat else nested)


def _attach_citations(model, by_pk: dict[int, dict]) -> None:
    citations = _citations(model, by_pk)
    for pk, row in by_pk.items():
        row["citations"] = citations.get(pk, [])


def _citations(model, ids: Iterable[int]) -> dict[int, list[dict]]:
    """The published citations of the `model` records `ids`, by record, each with its source's slug."""
    ids = list(ids)
    if not ids:
        return {}
    found = (
        apps.get_model("programs", "Citation")
        .objects.published()
        .filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
        .order_by("source__slug", "pk")
        .values(*lookups_of(CITATION_FIELDS, "object_id"))
    )
    citations: dict[int, list[dict]] = {}
    for row in found:
        citations.setdefault(row["object_id"], []).append({f.name: f.of(row) for f in CITATION_FIELDS})
    return citations


def content(entity: Entity, ids: Iterable[int]) -> dict[int, dict]:
    """The rows of the published records `ids` of `entity`, by pk (those not public are left out)."""
    ids = list(ids)
    if not ids:
        return {}
    found: dict[int, dict] = {}
    for chunk in rows(entity, entity.published().filter(pk__in=ids).order_by("pk")):
        found.update(chunk)
    return found
