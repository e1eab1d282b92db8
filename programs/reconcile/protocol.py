"""What the parts of the Reconciliation Service API 0.2 share (the W3C Entity Reconciliation Community
Group's specification, https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/):
the refusal of a malformed request ("Error Handling and Rate-limiting": BadRequest, which the views
send as a 400 with the sentence saying why), JSON read from a request's field, the batch size and
limits, types as answers show them ("Types"), and entities' ids ("Entities"), with the published
record one names, which the preview and view pages show ("Preview Service").

Entities are identified as `<type>/<slug>` (organization/tsinghua-university), the notation the
fixture files use for citations; the types are organization, program and person (matching.TYPES).
"""

import json
import re

from django.utils.translation import gettext_lazy as _

from programs.reconcile.matching import TYPES, EntityType

MAX_BATCH = 100  # queries in one batch, and ids in one data extension query
MAX_LIMIT = 100
ENTITY_ID = re.compile(r"(organization|program|person)/([-a-zA-Z0-9_]+)")

NOT_JSON = _("“%(field)s” must hold JSON: %(error)s.")
TOO_MANY = _("At most %(max)s queries or ids at once; this request has %(count)s.")
UNKNOWN_TYPE = _("“%(type)s” is not a type of this service; the types are: %(types)s")
BAD_LIMIT = _("limit must be a whole number from 1 to %(max)s")
UNKNOWN_PROPERTY = _("“%(pid)s” is not a property of this service; the properties are: %(pids)s")
BAD_ID = _("“%(id)s” is not an entity of this service (type/slug, e.g. organization/tsinghua-university).")


class BadRequest(Exception):
    """A request the service refuses (400), with the sentence saying why."""


def read_json(text: str, name: str):
    try:
        return json.loads(text)
    except ValueError as error:
        raise BadRequest(NOT_JSON % {"field": name, "error": str(error)[:80]}) from None


def read_limit(value) -> int:
    # JSON has numbers only: 5 and 5.0 are both five; true is not a number here.
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise BadRequest(BAD_LIMIT % {"max": MAX_LIMIT})
    if not 1 <= value <= MAX_LIMIT:
        raise BadRequest(BAD_LIMIT % {"max": MAX_LIMIT})
    return int(value)


def type_json(entity: EntityType) -> dict:
    return {"id": entity.id, "name": str(entity.label)}


def entity_id(value) -> tuple[str, str]:
    found = ENTITY_ID.fullmatch(value) if isinstance(value, str) else None
    if not found:
        raise BadRequest(BAD_ID % {"id": str(value)[:80]})
    return found.group(1), found.group(2)


def entity_of(value):
    """(type, published record) named by an entity id, or None: what the preview and view pages show."""
    try:
        kind, slug = entity_id(value)
    except BadRequest:
        return None
    entity = TYPES[kind]
    record = entity.model.objects.published().filter(slug=slug).first()
    return (entity, record) if record is not None else None
