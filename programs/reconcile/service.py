"""The Reconciliation Service API 0.2 (W3C Entity Reconciliation Community Group): what each request
may hold, and the JSON each answer is made of. The views (programs.reconcile.views) only read the
request and send these answers; anything a client sends that the specification or this service
does not allow raises BadRequest with a sentence saying what.

Entities are identified as `<type>/<slug>` (organization/tsinghua-university), the notation the
fixture files use for citations. Types: organization, program, person. Query properties:
country (ISO 3166-1 alpha-2), kind (an organization's or programme's kind), city, identifier
(scheme:value or a resolver's address). Data extension: country, kind, city, website, parent,
identifiers, and each identifier scheme on its own (e.g. `ror`).
"""

import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from programs.models import Identifier, OrganizationKind, ProgramKind
from programs.models.base import localized
from programs.models.schemes import SCHEMES, SCHEMES_OF, parse
from programs.reconcile.matching import (
    MAX_QUERY_LENGTH,
    TYPES,
    EntityType,
    Query,
    candidates_of,
    candidates_of_batch,
    describe,
    normal,
)

MAX_BATCH = 100  # queries in one batch, and ids in one data extension query
MAX_LIMIT = 100
DEFAULT_LIMIT = 5
SUGGEST_LIMIT = 10
QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}
ENTITY_ID = re.compile(r"(organization|program|person)/([-a-zA-Z0-9_]+)")

NOT_JSON = _("“%(field)s” must hold JSON: %(error)s.")
NOT_AN_OBJECT = _("“%(field)s” must be a JSON object.")
TOO_MANY = _("At most %(max)s queries or ids at once; this request has %(count)s.")
EMPTY_BATCH = _("The batch holds no query.")
BAD_QUERY = _("Query “%(key)s”: %(problem)s")
NEEDS_QUERY = _("give a query (text) or properties")
UNKNOWN_KEY = _("“%(name)s” is not a field of a query; the fields are: %(names)s")
UNKNOWN_TYPE = _("“%(type)s” is not a type of this service; the types are: %(types)s")
BAD_LIMIT = _("limit must be a whole number from 1 to %(max)s")
UNKNOWN_PROPERTY = _("“%(pid)s” is not a property of this service; the properties are: %(pids)s")
NOT_FOR_TYPES = _("the property “%(pid)s” does not apply to the types asked for")
BAD_VALUE = _("“%(value)s” is not a valid value of %(pid)s")
BAD_PROPERTIES = _("properties must be a list of {pid, v} objects")
BAD_TYPE_STRICT = _("type_strict must be any, should or all")
BAD_EXTEND = _("A data extension query is {ids: [...], properties: [{id: ...}, ...]}.")
BAD_ID = _("“%(id)s” is not an entity of this service (type/slug, e.g. organization/tsinghua-university).")
BAD_CURSOR = _("cursor must be a whole number of suggestions to skip")
NO_PREFIX = _("prefix is required")
UNKNOWN_EXTEND_PROPERTY = _("“%(pid)s” is not a property to extend %(type)s with; they are: %(pids)s")


class BadRequest(Exception):
    """A request the service refuses (400), with the sentence saying why."""


QUERY_PROPERTIES = {
    "country": _("Country (ISO 3166-1 alpha-2 code)"),
    "kind": _("Kind"),
    "city": _("City"),
    "identifier": _("Identifier (scheme:value or its web address)"),
}
KINDS = {
    "organization": {value for value, _label in OrganizationKind.choices},
    "program": {value for value, _label in ProgramKind.choices},
}


def read_json(text: str, name: str):
    try:
        return json.loads(text)
    except ValueError as error:
        raise BadRequest(NOT_JSON % {"field": name, "error": str(error)[:80]}) from None


# Reconciliation queries


def read_batch(text: str) -> dict[str, Query]:
    """The queries of a batch, by key, each checked (BadRequest names the query and the problem)."""
    batch = read_json(text, "queries")
    if not isinstance(batch, dict):
        raise BadRequest(NOT_AN_OBJECT % {"field": "queries"})
    if not batch:
        raise BadRequest(EMPTY_BATCH)
    if len(batch) > MAX_BATCH:
        raise BadRequest(TOO_MANY % {"max": MAX_BATCH, "count": len(batch)})
    queries = {}
    for key, raw in batch.items():
        try:
            queries[key] = read_query(raw)
        except BadRequest as error:
            raise BadRequest(BAD_QUERY % {"key": str(key)[:40], "problem": error}) from None
    return queries


def read_query(raw) -> Query:
    check_query_keys(raw)
    text, properties = read_text(raw.get("query")), raw.get("properties")
    if not text and not properties:
        raise BadRequest(NEEDS_QUERY)
    if raw.get("type_strict", "any") not in ("any", "should", "all"):
        raise BadRequest(BAD_TYPE_STRICT)
    query = Query(text=text, types=read_types(raw.get("type")), limit=read_limit(raw.get("limit", DEFAULT_LIMIT)))
    read_properties(query, properties)
    if text:
        read_identity(query)
    return query


def check_query_keys(raw) -> None:
    """A query is a JSON object of QUERY_KEYS only."""
    if not isinstance(raw, dict):
        raise BadRequest(NEEDS_QUERY)
    unknown = [name for name in raw if name not in QUERY_KEYS]
    if unknown:
        raise BadRequest(UNKNOWN_KEY % {"name": str(unknown[0])[:40], "names": ", ".join(sorted(QUERY_KEYS))})


def read_text(value) -> str:
    """A query's text, in normal form and cut to MAX_QUERY_LENGTH; "" when there is none."""
    if value is not None and not isinstance(value, str):
        raise BadRequest(NEEDS_QUERY)
    return normal(value or "")[:MAX_QUERY_LENGTH]


def read_types(value) -> tuple[EntityType, ...]:
    names = [value] if isinstance(value, str) else value
    if names is None or names == []:
        return tuple(TYPES.values())
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise BadRequest(UNKNOWN_TYPE % {"type": str(value)[:40], "types": ", ".join(TYPES)})
    for name in names:
        if name not in TYPES:
            raise BadRequest(UNKNOWN_TYPE % {"type": name[:40], "types": ", ".join(TYPES)})
    return tuple(TYPES[name] for name in dict.fromkeys(names))


def read_limit(value) -> int:
    # JSON has numbers only: 5 and 5.0 are both five; true is not a number here.
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise BadRequest(BAD_LIMIT % {"max": MAX_LIMIT})
    if not 1 <= value <= MAX_LIMIT:
        raise BadRequest(BAD_LIMIT % {"max": MAX_LIMIT})
    return int(value)


def property_values(value) -> list[str]:
    """A property's value or values as text; an entity value counts by its id."""
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("id")
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise BadRequest(BAD_PROPERTIES)
        if str(item).strip():
            texts.append(str(item).strip())
    return texts


def read_properties(query: Query, properties) -> None:
    if properties is None:
        return
    if not isinstance(properties, list) or not all(isinstance(p, dict) and "pid" in p and "v" in p for p in properties):
        raise BadRequest(BAD_PROPERTIES)
    for item in properties:
        pid = read_pid(item["pid"], query)
        for value in property_values(item["v"]):
            add_property(query, pid, value)


def read_pid(pid, query: Query) -> str:
    """A query property's id, one of QUERY_PROPERTIES that applies to a type the query asks for."""
    if pid not in QUERY_PROPERTIES:
        raise BadRequest(UNKNOWN_PROPERTY % {"pid": str(pid)[:40], "pids": ", ".join(QUERY_PROPERTIES)})
    if not any(pid in entity.properties for entity in query.types):
        raise BadRequest(NOT_FOR_TYPES % {"pid": pid})
    return pid


def add_property(query: Query, pid: str, value: str) -> None:
    """One value of a property: an identifier the record must hold, or a filter's value."""
    if pid != "identifier":
        query.filters.setdefault(pid, []).append(read_value(pid, value, query))
        return
    try:
        query.identifiers.append(parse(value))
    except ValidationError as error:
        raise BadRequest(" ".join(error.messages)) from None


def read_value(pid: str, value: str, query: Query) -> str:
    if pid == "country":
        code = value.upper()
        if code not in countries:
            raise BadRequest(BAD_VALUE % {"value": value[:60], "pid": pid})
        return code
    if pid == "kind":
        if not any(value in KINDS.get(entity.id, ()) for entity in query.types):
            raise BadRequest(BAD_VALUE % {"value": value[:60], "pid": pid})
        return value
    return value  # city: as written


def read_identity(query: Query) -> None:
    """A query that is an entity's id or an identifier finds that entity (the specification
    expects an id given as the query to come back with a high score)."""
    found = ENTITY_ID.fullmatch(query.text)
    if found:
        query.types = tuple(entity for entity in query.types if entity.id == found.group(1))
        query.slug, query.text = found.group(2), ""
        return
    if ":" in query.text or "/" in query.text:
        try:
            query.identifiers.append(parse(query.text))
        except ValidationError:
            return  # not an identifier: an ordinary name
        query.text = ""


def results(queries: dict[str, Query]) -> dict:
    """The result batch: each query's candidates, scored, best first."""
    found = candidates_of_batch(list(queries.values()))
    return {
        key: {"result": [candidate_json(c) for c in candidates]} for key, candidates in zip(queries, found, strict=True)
    }


def candidate_json(candidate) -> dict:
    entity, record = candidate.entity, candidate.record
    return {
        "id": candidate.id,
        "name": localized(record, "name"),
        "description": describe(entity, record),
        "type": [{"id": entity.id, "name": str(entity.label)}],
        "score": candidate.score,
        "match": candidate.match,
        "features": [
            {"id": "name_exact", "value": candidate.exact},
            {"id": "name_similarity", "value": candidate.similarity},
            {"id": "identifier", "value": candidate.identified},
        ],
    }


# The manifest


def manifest(base: str) -> dict:
    """The service manifest; `base` is the site's address (scheme and host)."""
    return {
        "versions": ["0.2"],
        "name": str(_("Partnership Program Tracker")),
        "identifierSpace": f"{base}/reconcile/view/",
        "schemaSpace": f"{base}/reconcile/schema/",
        "documentation": f"{base}/api/docs/",
        "defaultTypes": [type_json(entity) for entity in TYPES.values()],
        "view": {"url": f"{base}/reconcile/view/{{{{id}}}}"},
        "preview": {"url": f"{base}/reconcile/preview/?id={{{{id}}}}", "width": 400, "height": 160},
        "suggest": {
            kind: {"service_url": base, "service_path": f"/reconcile/suggest/{kind}/"}
            for kind in ("entity", "property", "type")
        },
        "extend": {
            "propose_properties": {"service_url": base, "service_path": "/reconcile/properties/"},
            "property_settings": [],
        },
        "batchSize": MAX_BATCH,
    }


def type_json(entity: EntityType) -> dict:
    return {"id": entity.id, "name": str(entity.label)}


# Data extension


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


def entity_id(value) -> tuple[str, str]:
    found = ENTITY_ID.fullmatch(value) if isinstance(value, str) else None
    if not found:
        raise BadRequest(BAD_ID % {"id": str(value)[:80]})
    return found.group(1), found.group(2)


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


# Suggest


def read_cursor(value) -> int:
    if value in (None, ""):
        return 0
    try:
        cursor = int(value)
    except ValueError:
        raise BadRequest(BAD_CURSOR) from None
    if not 0 <= cursor <= 1000:
        raise BadRequest(BAD_CURSOR)
    return cursor


def suggest_entities(prefix, cursor, type_id) -> dict:
    if not prefix or not prefix.strip():
        raise BadRequest(NO_PREFIX)
    start = read_cursor(cursor)
    query = Query(text=normal(prefix)[:MAX_QUERY_LENGTH], types=read_types(type_id), limit=start + SUGGEST_LIMIT)
    read_identity(query)
    found = candidates_of(query)[start:]
    return {
        "result": [
            {
                "id": candidate.id,
                "name": localized(candidate.record, "name"),
                "description": describe(candidate.entity, candidate.record),
                "notable": [type_json(candidate.entity)],
            }
            for candidate in found
        ]
    }


def suggest_properties(prefix) -> dict:
    wanted = normal(prefix or "")
    return {
        "result": [
            {"id": pid, "name": str(label)}
            for pid, label in QUERY_PROPERTIES.items()
            if wanted in pid or wanted in normal(str(label))
        ]
    }


def suggest_types(prefix) -> dict:
    wanted = normal(prefix or "")
    return {
        "result": [
            type_json(entity) for entity in TYPES.values() if wanted in entity.id or wanted in normal(str(entity.label))
        ]
    }


def entity_of(value):
    """(type, published record) named by an entity id, or None."""
    try:
        kind, slug = entity_id(value)
    except BadRequest:
        return None
    entity = TYPES[kind]
    record = entity.model.objects.published().filter(slug=slug).first()
    return (entity, record) if record is not None else None
