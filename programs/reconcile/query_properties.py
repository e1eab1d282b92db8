"""The properties a reconciliation query may be narrowed by, and reading the values a query gives them
(Reconciliation Service API 0.2, "Reconciliation Queries": "Structure of a Reconciliation Query", its
`properties`; https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/).
The property suggest service (suggest.py) offers the same properties.

Query properties: country (ISO 3166-1 alpha-2), kind (an organization's or programme's kind), city,
identifier (scheme:value or a resolver's address).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from programs.models import OrganizationKind, ProgramKind
from programs.models.schemes import parse
from programs.reconcile.matching import Query
from programs.reconcile.protocol import UNKNOWN_PROPERTY, BadRequest

NOT_FOR_TYPES = _("the property “%(pid)s” does not apply to the types asked for")
BAD_VALUE = _("“%(value)s” is not a valid value of %(pid)s")
BAD_PROPERTIES = _("properties must be a list of {pid, v} objects")

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
