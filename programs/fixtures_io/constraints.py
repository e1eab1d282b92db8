"""The models' database constraints, evaluated in Python on records that are not saved yet.

Django's `Model.validate_constraints()` asks the database, one query per constraint and record;
an import of 100,000 records cannot afford that. The constraints here are simple conditions
(comparisons, ranges, null checks over a record's own fields), so they are evaluated directly,
with SQL's three-valued logic: a CHECK passes unless its condition is false.
"""

import operator

from django.db import models
from django.db.models import F, Q

COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


class Unsaved:
    """Stands for a record that has no primary key yet: equal only to itself."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        return isinstance(other, Unsaved) and other.obj is self.obj

    def __hash__(self):
        return id(self.obj)


def identity(obj):
    """A hashable value standing for a record, saved or not."""
    if obj is None:
        return None
    return (type(obj), obj.pk) if obj.pk is not None else Unsaved(obj)


def field_value(instance, name: str):
    """A field's value for comparisons; relations compare by the identity of the related record."""
    if name == "pk":
        return identity(instance)
    model_field = instance._meta.get_field(name)
    if model_field.many_to_one:
        if model_field.is_cached(instance):
            return identity(model_field.get_cached_value(instance))
        pk = getattr(instance, model_field.attname)
        return None if pk is None else (model_field.related_model, pk)
    return getattr(instance, model_field.attname)


def evaluate(condition, instance):
    """True, False or None (unknown, as SQL's NULL) for a Q condition on one instance."""
    if isinstance(condition, Q):
        results = [evaluate(child, instance) for child in condition.children]
        if condition.connector == Q.OR:
            result = True if True in results else (None if None in results else False)
        else:
            result = False if False in results else (None if None in results else True)
        return (None if result is None else not result) if condition.negated else result

    lookup, expected = condition
    name, _sep, kind = lookup.partition("__")
    value = field_value(instance, name)
    if isinstance(expected, F):
        expected = field_value(instance, expected.name)
    if kind == "isnull":
        return (value is None) == expected
    if value is None or expected is None:
        return None
    if kind == "range":
        low, high = expected
        return low <= value <= high
    compare = COMPARISONS[kind or "exact"]
    return compare(value, expected)


def check_violations(instance):
    """The check constraints the instance breaks: (fields involved, message) pairs."""
    for constraint in instance._meta.constraints:
        if isinstance(constraint, models.CheckConstraint) and evaluate(constraint.condition, instance) is False:
            yield condition_fields(constraint.condition), constraint.get_violation_error_message()


def condition_fields(condition) -> list[str]:
    """The fields a condition names, in order, without repeats."""
    names = []
    for child in condition.children:
        found = condition_fields(child) if isinstance(child, Q) else [child[0].partition("__")[0]]
        if isinstance(child, tuple) and isinstance(child[1], F) and child[1].name != "pk":
            found.append(child[1].name)
        names += [name for name in found if name not in names]
    return names


def unique_key(constraint, instance):
    """The values a unique constraint compares, or None when it does not apply to the instance."""
    if constraint.condition is not None and evaluate(constraint.condition, instance) is not True:
        return None
    key = tuple(field_value(instance, name) for name in constraint.fields)
    return None if None in key else key


def unique_constraints(model):
    return [
        constraint
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
