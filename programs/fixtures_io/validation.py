"""The passes that check what the plan would write, as the database and the models would, without a
query per record: model validation, check constraints, unique constraints, chains of parents.
"""

import functools

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from programs.fixtures_io.constraints import check_violations, unique_constraints, unique_key
from programs.fixtures_io.entries import CREATE, UNCHANGED, UPDATE, Entry, Planning, chunked
from programs.models import Identifier
from programs.models.identifiers import DUPLICATE
from programs.models.identifiers import OWNERS as IDENTIFIED


@functools.cache
def not_validated(model) -> frozenset[str]:
    """Fields the planner checks itself: relations (resolved by slug), choices (checked when read),
    generated columns, and a citation's record id (known only once the record is written)."""
    return frozenset(f.name for f in model._meta.concrete_fields if f.many_to_one or f.generated or f.choices) | {
        "object_id"
    }


@functools.cache
def field_names(model) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields)


def validate_records(state: Planning) -> None:
    """Model validation (fields, `clean()`) and check constraints of everything new or changed."""
    for entry in state.plan.all_entries():
        if entry.action != UNCHANGED or entry.changed:
            validate_entry(entry)


def validate_entry(entry: Entry) -> None:
    instance = entry.instance
    failed = set()
    try:
        instance.clean_fields(exclude=excluded_fields(entry))
        instance.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            failed.add(name)
            for message in messages:
                entry.problem(None if name == NON_FIELD_ERRORS else name, message)
    for names, message in check_violations(instance):
        if not failed.intersection(names):  # as Django does: a field's own error comes first
            entry.problem(", ".join(names), message)


def excluded_fields(entry: Entry) -> set[str]:
    """What validation skips: fields checked already, and on a stored row what the files leave as it is."""
    model = type(entry.instance)
    skipped = not_validated(model) | entry.failed
    if entry.action == CREATE:
        return set(skipped)
    return (field_names(model) - entry.changed) | skipped  # only what changes is written


def validate_unique(state: Planning) -> None:
    """Unique constraints other than the slug, across the files and the rows already stored."""
    for model, entries in state.plan.records.items():
        for constraint in unique_constraints(model):
            check_unique(model, constraint, entries)


def check_unique(model, constraint, entries: list[Entry]) -> None:
    """Report each entry whose key under `constraint` an earlier entry or another stored row has."""
    message = constraint.get_violation_error_message()
    names = ", ".join(constraint.fields)
    keys = {}
    for entry in entries:
        key = unique_key(constraint, entry.instance)
        if key is None:
            continue
        if key in keys:
            entry.problem(names, message)
        keys.setdefault(key, entry)
    for key in stored_keys(model, constraint, keys, entries):
        keys[key].problem(names, message)


def stored_keys(model, constraint, keys: dict, entries: list[Entry]) -> list[tuple]:
    """The `keys` of the constraint that stored rows other than the entries' own hold already."""
    planned = {entry.instance.pk for entry in entries if entry.instance.pk}
    first = constraint.fields[0]
    values = {key[0][1] for key in keys if isinstance(key[0], tuple)}  # stored records the keys start with
    found = []
    for chunk in chunked(values):
        for row in model.objects.filter(**{f"{first}__in": chunk}):
            key = unique_key(constraint, row)
            if row.pk not in planned and key in keys:
                found.append(key)
    return found


def validate_parent_chains(state: Planning) -> None:
    """A chain of parents must end: no record may be its own ancestor."""
    for model, entries in state.plan.records.items():
        if any(f.name == "parent" for f in model._meta.concrete_fields):
            check_parent_chains(entries)


def check_parent_chains(entries: list[Entry]) -> None:
    by_pk = {entry.instance.pk: entry.instance for entry in entries if entry.instance.pk}

    def parent_of(instance):
        field = instance._meta.get_field("parent")
        if field.is_cached(instance):
            return field.get_cached_value(instance)
        return by_pk.get(instance.parent_id)

    for entry in entries:
        seen = {id(entry.instance)}
        node = parent_of(entry.instance)
        if node is entry.instance:
            continue  # its own parent: the model's check constraint says so
        while node is not None:
            if id(node) in seen:
                entry.problem("parent", _("the chain of parents loops back to this record"))
                break
            seen.add(id(node))
            node = parent_of(node)


def mark_updates(state: Planning) -> None:
    """A stored row that something changes is an update."""
    for entry in state.plan.all_entries():
        if entry.action == UNCHANGED and entry.changed:
            entry.action = UPDATE


def validate_identifiers(state: Planning) -> None:
    """One record per identifier, across the files and the rows already stored; a duplicate names both."""
    planned = {}
    for entry in state.plan.links.get(Identifier, []):
        key = (entry.instance.scheme, entry.instance.value)
        if key in planned and planned[key].label != entry.label:
            entry.problem("value", duplicate_message(entry.instance, planned[key].label, entry.label))
        planned.setdefault(key, entry)
    for chunk in chunked({value for _scheme, value in planned}):
        for row in Identifier.objects.filter(value__in=chunk).select_related(*IDENTIFIED):
            entry = planned.get((row.scheme, row.value))
            if entry is not None and entry.instance.pk != row.pk:
                entry.problem("value", duplicate_message(row, f"{row.owner_kind}/{row.record.slug}", entry.label))


def duplicate_message(identifier, holder: str, record: str) -> str:
    return DUPLICATE % {"identifier": str(identifier), "holder": holder, "record": record}
