"""The models' database constraints, evaluated in Python on records that are not saved yet.

Django's `Model.validate_constraints()` asks the database, one query per constraint and record;
an import of 100,000 records cannot afford that. The constraints here are simple conditions
(comparisons, ranges, lists of values, null checks over a record's own fields), so they are
evaluated directly, with SQL's three-valued logic: a CHECK passes unless its condition is false.

A condition this module cannot evaluate (a lookup it does not know, a join, an expression) is
refused when the app starts (`compile_constraints()`, from the app's `ready()`), naming the model
and the constraint, rather than letting every import fail or pass it unchecked.
tests/models/test_constraints.py checks that its verdicts are the database's, for every constraint.
"""

import functools
import operator

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import F, Q

COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}
LOOKUPS = frozenset({*COMPARISONS, "range", "in", "isnull"})


class UnsupportedConstraint(ImproperlyConfigured):
    """A constraint whose condition the import cannot evaluate in Python."""


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
    """A Q condition as a function of one instance returning True, False or None (SQL's unknown).

    Raises UnsupportedConstraint for anything but lookups of LOOKUPS on the model's own fields,
    compared with constants or with other fields (`F`), combined with and, or and not.
    """
    if isinstance(condition, Q):
        return compile_q(model, condition)
    if isinstance(condition, tuple) and len(condition) == 2 and isinstance(condition[0], str):
        return compile_lookup(model, *condition)
    raise UnsupportedConstraint(f"{model.__name__}: cannot evaluate the condition {condition!r} in Python")


def compile_q(model, condition: Q):
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


def compile_lookup(model, lookup: str, expected):
    name, _sep, kind = lookup.partition("__")
    kind = kind or "exact"
    if kind not in LOOKUPS:
        raise UnsupportedConstraint(f"{model.__name__}: cannot evaluate the lookup {lookup!r} in Python")
    read = field_accessor(model, name, lookup)
    if kind == "isnull" or (kind == "exact" and expected is None):  # `field=None` means IS NULL
        is_null = True if expected is None else expected
        return lambda instance: (read(instance) is None) == is_null
    if isinstance(expected, F):
        read_expected = field_accessor(model, expected.name, lookup)
    elif hasattr(expected, "resolve_expression"):
        raise UnsupportedConstraint(f"{model.__name__}: cannot evaluate {lookup!r} against {expected!r} in Python")
    else:
        # A constant compares with a relation's id, not with the related record.
        read = constant_accessor(model, name)
        read_expected = lambda _instance: expected  # noqa: E731 - one constant per lookup
    return comparison(kind, read, read_expected)


def comparison(kind: str, read, read_expected):
    def check(instance):
        value, other = read(instance), read_expected(instance)
        if value is None or other is None:
            return None
        if kind == "range":
            return other[0] <= value <= other[1]
        if kind == "in":  # Django leaves NULL out of the list it sends
            return value in [item for item in other if item is not None]
        return COMPARISONS[kind](value, other)

    return check


def field_accessor(model, name: str, lookup: str):
    """accessor() for a field of the model itself, or UnsupportedConstraint for anything else."""
    try:
        return accessor(model, name)
    except FieldDoesNotExist:
        raise UnsupportedConstraint(f"{model.__name__}: {lookup!r} names no field of the model") from None


@functools.cache
def constant_accessor(model, name: str):
    """A function reading a field to compare it with a constant: a relation gives its related id."""
    if name == "pk":
        return operator.attrgetter("pk")
    model_field = model._meta.get_field(name)
    if not model_field.many_to_one:
        return operator.attrgetter(model_field.attname)
    read = accessor(model, name)

    def related_id(instance):
        related = read(instance)
        return related[1] if isinstance(related, tuple) else None  # an unsaved record has no id yet

    return related_id


@functools.cache
def compiled_checks(model):
    """The model's check constraints, each as (fields involved, constraint, condition function)."""
    return [
        (condition_fields(c.condition), c, compile_condition(model, c.condition))
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint)
    ]


@functools.cache
def compiled_unique_conditions(model) -> dict[str, object]:
    """The conditions of the model's partial unique constraints, compiled, by constraint name."""
    return {
        c.name: compile_condition(model, c.condition)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.condition is not None
    }


def compile_constraints(model) -> None:
    """Compile every condition of the model's constraints now, failing loudly on one the import
    could not evaluate: called for every model when the app starts."""
    compiled_checks(model)
    compiled_unique_conditions(model)


def check_violations(instance):
    """The check constraints the instance breaks: (fields involved, message) pairs."""
    for names, constraint, condition in compiled_checks(type(instance)):
        if condition(instance) is False:
            yield names, constraint.get_violation_error_message()  # in the language of the moment


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
    if constraint.condition is not None:
        applies = compiled_unique_conditions(type(instance))[constraint.name]
        if applies(instance) is not True:
            return None
    key = tuple(field_value(instance, name) for name in constraint.fields)
    return None if None in key else key


def unique_constraints(model):
    return [
        constraint
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
