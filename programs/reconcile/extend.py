"""Data extension: the properties a client may ask of an entity type, and the values of the asked
properties of the entities named (Reconciliation Service API 0.2, "Data Extension Service": "Data
Extension Property Proposals", "Data Extension Query Requests", "Data Extension Responses";
https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/).

The properties: country, kind, city, website, parent, identifiers, and each identifier scheme on
its own (e.g. `ror`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from programs.models import Identifier
from programs.models.base import localized
from programs.models.schemes import SCHEMES, SCHEMES_OF
from programs.reconcile.matching import TYPES
from programs.reconcile.protocol import (
    BAD_LIMIT,
    MAX_BATCH,
    MAX_LIMIT,
    TOO_MANY,
    UNKNOWN_PROPERTY,
    UNKNOWN_TYPE,
    BadRequest,
    entity_id,
    read_json,
    read_limit,
)

BAD_EXTEND = _("A data extension query is {ids: [...], properties: [{id: ...}, ...]}.")


@dataclass(frozen=True)
class ExtendProperty:
    id: str
    label: str
    types: tuple[str, ...]


EXTEND_PROPERTIES = {
    prop.id: prop
    for prop in (
        ExtendProperty("country", _("Country"), ("organization",)),
        ExtendProperty("kind", _("Kind"), ("organization", "program")),
        ExtendProperty("city", _("City"), ("organization",)),
        ExtendProperty("website", _("Website"), ("organization", "program", "person")),
        ExtendProperty("parent", _("Part of"), ("organization", "program")),
        ExtendProperty("identifiers", _("Identifiers"), ("organization", "program", "person")),
        *(
            ExtendProperty(code, scheme.label, tuple(kind for kind, codes in SCHEMES_OF.items() if code in codes))
            for code, scheme in SCHEMES.items()
        ),
    )
}


def extend(text: str) -> dict:
    """The values of the asked properties for each entity (none for an unknown or unpublished one)."""
    ids, pids = read_extend(read_json(text, "extend"))
    records = load(ids)
    rows = {}
    for kind, slug in ids:
        record = records.get((kind, slug))
        rows[f"{kind}/{slug}"] = {
            pid: values(pid, kind, record) if record is not None and kind in EXTEND_PROPERTIES[pid].types else []
            for pid in pids
        }
    meta = [{"id": pid, "name": str(EXTEND_PROPERTIES[pid].label)} for pid in pids]
    return {"meta": meta, "rows": rows}


def read_extend(query) -> tuple[list[tuple[str, str]], list[str]]:
    """The entities (type, slug) and the property ids of a data extension query, checked."""
    if not well_formed_extend(query):
        raise BadRequest(BAD_EXTEND)
    asked = query["properties"]
    if len(query["ids"]) > MAX_BATCH:
        raise BadRequest(TOO_MANY % {"max": MAX_BATCH, "count": len(query["ids"])})
    ids = [entity_id(value) for value in query["ids"]]
    pids = list(dict.fromkeys(p["id"] for p in asked))
    unknown = [pid for pid in pids if pid not in EXTEND_PROPERTIES]
    if unknown:
        raise BadRequest(UNKNOWN_PROPERTY % {"pid": unknown[0][:40], "pids": ", ".join(EXTEND_PROPERTIES)})
    return ids, pids


def well_formed_extend(query) -> bool:
    """{ids: [...], properties: [{id: ...}, ...]}."""
    if not isinstance(query, dict) or not isinstance(query.get("ids"), list):
        return False
    asked = query.get("properties")
    return isinstance(asked, list) and all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in asked)


def load(ids) -> dict:
    """The published records named, with their public parent and identifiers: two queries per type."""
    records = {}
    for kind in {kind for kind, _slug in ids}:
        entity = TYPES[kind]
        queryset = entity.model.objects.published().filter(slug__in=[slug for k, slug in ids if k == kind])
        if hasattr(entity.model, "parent"):
            queryset = queryset.select_related("parent")
        found = {record.pk: record for record in queryset}
        held = {}
        for identifier in Identifier.objects.filter(**{f"{kind}__in": list(found)}):
            held.setdefault(getattr(identifier, f"{kind}_id"), []).append(identifier)
        for pk, record in found.items():
            record.held_identifiers = held.get(pk, [])
            records[(kind, record.slug)] = record
    return records


def values(pid: str, kind: str, record) -> list[dict]:
    """The values of property `pid` of a record of type `kind`, as data extension gives them."""
    if pid in VALUES:
        found = VALUES[pid](kind, record)
        return [found] if found else []
    held = sorted(record.held_identifiers, key=lambda identifier: (identifier.scheme, identifier.value))
    if pid == "identifiers":
        return [{"str": str(identifier)} for identifier in held]
    return [{"str": identifier.value} for identifier in held if identifier.scheme == pid]


def text_value(value) -> dict | None:
    return {"str": str(value)} if value else None


def parent_value(kind: str, record) -> dict | None:
    parent = record.public_parent
    return {"id": f"{kind}/{parent.slug}", "name": localized(parent, "name")} if parent else None


# The single-valued properties: each value of a record, or None.
VALUES = {
    "country": lambda kind, record: text_value(record.country.code if record.country else ""),
    "kind": lambda kind, record: text_value(record.kind),
    "city": lambda kind, record: text_value(record.city),
    "website": lambda kind, record: text_value(record.homepage if kind == "person" else record.website),
    "parent": parent_value,
}


def propose_properties(type_id, limit) -> dict:
    """The properties that data extension offers for entities of type `type_id`, the first `limit` of them."""
    if type_id not in TYPES:
        raise BadRequest(UNKNOWN_TYPE % {"type": str(type_id)[:40], "types": ", ".join(TYPES)})
    proposed = [
        {"id": prop.id, "name": str(prop.label)} for prop in EXTEND_PROPERTIES.values() if type_id in prop.types
    ]
    answer = {"type": type_id, "properties": proposed}
    if limit is not None:
        answer["limit"] = read_limit(read_number(limit))
        answer["properties"] = proposed[: answer["limit"]]
    return answer


def read_number(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise BadRequest(BAD_LIMIT % {"max": MAX_LIMIT}) from None
