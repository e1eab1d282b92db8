"""The models' database constraints, evaluated in Python on records that are not saved yet.

Django's `Model.validate_constraints()` asks the database, one query per constraint and record;
an import of 100,000 records cannot afford that. The constraints here are simple conditions
(comparisons, ranges, null checks over a record's own fields), so they are evaluated directly,
with SQL's three-valued logic: a CHECK passes unless its condition is false.
"""

import functools
import operator

from django.db import models
from django.db.models import F, Q

COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "in": lambda value, choices: value in choices,
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
    return accessor(type(instance), name)(instance)


@functools.cache
def accessor(model, name: str):
    """A function reading one field for comparisons, chosen once per model and field."""
    if name == "pk":
        return identity
    model_field = model._meta.get_field(name)
    if not model_field.many_to_one:
        return operator.attrgetter(model_field.attname)
    related_model, attname = model_field.related_model, model_field.attname

    def related(instance):
        if model_field.is_cached(instance):
            return identity(model_field.get_cached_value(instance))
        pk = getattr(instance, attname)
        return None if pk is None else (related_model, pk)

    return related


def compile_condition(model, condition):
    """A Q condition as a function of one instance returning True, False or None (SQL's unknown)."""
    if isinstance(condition, Q):
        parts = [compile_condition(model, child) for child in condition.children]
        any_of = condition.connector == Q.OR

        def combined(instance):
            results = [part(instance) for part in parts]
            if any_of:
                result = True if True in results else (None if None in results else False)
            else:
                result = False if False in results else (None if None in results else True)
            return (None if result is None else not result) if condition.negated else result

        return combined

    lookup, expected = condition
    name, _sep, kind = lookup.partition("__")
    read = accessor(model, name)
    read_expected = accessor(model, expected.name) if isinstance(expected, F) else (lambda _instance: expected)
    if kind == "isnull":
        return lambda instance: (read(instance) is None) == expected
    compare = COMPARISONS.get(kind or "exact")

    def check(instance):
        value, other = read(instance), read_expected(instance)
        if value is None or other is None:
            return None
        if kind == "range":
            return other[0] <= value <= other[1]
        return compare(value, other)

    return check


def evaluate(condition, instance):
    """True, False or None (unknown, as SQL's NULL) for a Q condition on one instance."""
    return compile_condition(type(instance), condition)(instance)


@functools.cache
def compiled_checks(model):
    """The model's check constraints, each as (fields involved, message, condition function)."""
    return [
        (condition_fields(c.condition), c.get_violation_error_message(), compile_condition(model, c.condition))
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint)
    ]


def check_violations(instance):
    """The check constraints the instance breaks: (fields involved, message) pairs."""
    for names, message, condition in compiled_checks(type(instance)):
        if condition(instance) is False:
            yield names, message


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
