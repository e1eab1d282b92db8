"""The suggest services: the entities, properties and types that match what a client has typed so far,
for its autocompletion (Reconciliation Service API 0.2, "Suggest Services": "Suggest Queries",
"Suggest Responses"; https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/).
Entities are found as reconciliation queries find them (queries.py), SUGGEST_LIMIT at a time from
`cursor`; the properties offered are the query properties (query_properties.py).
"""

from django.utils.translation import gettext_lazy as _

from programs.models.base import localized
from programs.reconcile.matching import MAX_QUERY_LENGTH, TYPES, Query, candidates_of, describe, normal
from programs.reconcile.protocol import BadRequest, type_json
from programs.reconcile.queries import read_identity, read_types
from programs.reconcile.query_properties import QUERY_PROPERTIES

SUGGEST_LIMIT = 10

BAD_CURSOR = _("cursor must be a whole number of suggestions to skip")
NO_PREFIX = _("prefix is required")


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
