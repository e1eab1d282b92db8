"""Reconciliation queries: reading a batch of them, each checked, and answering it with each query's
candidates, best first (Reconciliation Service API 0.2, "Reconciliation Queries": "Structure of a
Reconciliation Query", "Reconciliation Query Responses", "Sending Reconciliation Queries to a Service";
https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/). A query's
properties are read by query_properties.py; finding and scoring the candidates is the matcher's
(matching.py).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.models.base import localized
from programs.models.schemes import parse
from programs.reconcile.matching import (
    MAX_QUERY_LENGTH,
    TYPES,
    EntityType,
    Query,
    candidates_of_batch,
    describe,
    normal,
)
from programs.reconcile.protocol import (
    ENTITY_ID,
    MAX_BATCH,
    TOO_MANY,
    UNKNOWN_TYPE,
    BadRequest,
    read_json,
    read_limit,
)
from programs.reconcile.query_properties import read_properties

DEFAULT_LIMIT = 5
QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}

NOT_AN_OBJECT = _("“%(field)s” must be a JSON object.")
EMPTY_BATCH = _("The batch holds no query.")
BAD_QUERY = _("Query “%(key)s”: %(problem)s")
NEEDS_QUERY = _("give a query (text) or properties")
UNKNOWN_KEY = _("“%(name)s” is not a field of a query; the fields are: %(names)s")
BAD_TYPE_STRICT = _("type_strict must be any, should or all")


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
