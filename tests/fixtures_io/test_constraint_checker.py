"""The import's Python checker of the models' constraints gives the database's verdict, for every
condition of every constraint of every model, and refuses at start-up what it cannot evaluate."""

import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS
from django.db import models as djmodels
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

from programs import models
from programs.fixtures_io import constraints
from programs.fixtures_io.constraints import (
    UnsupportedConstraint,
    compile_condition,
    compile_constraints,
    condition_fields,
)
from programs.models import MAX_YEAR, MIN_YEAR

OWN_PK = 7  # every record tried has this id; relations point at it or at another record

# Conditions a constraint could use, beyond those the models use today.
MORE_CONDITIONS = [
    (models.Program, Q(kind__in=["award", "scholarship"])),
    (models.Program, Q(kind__in=["award", None])),
    (models.Program, ~Q(lifecycle="ended") | Q(end_year__isnull=False)),
    (models.Program, Q(amount__gt=0) & Q(amount__lt=Decimal("5.5"))),
    (models.Program, Q(parent=None) | ~Q(parent=F("pk"))),
    (models.Program, Q(parent=OWN_PK)),
    (models.Edition, Q(year__range=(2000, 2020)) | Q(recipient_count__lte=F("application_count"))),
    (models.Affiliation, ~(Q(is_current=True) & Q(start_year__gte=F("end_year")))),
]


def model_conditions():
    for model in apps.get_app_config("programs").get_models():
        for constraint in model._meta.constraints:
            condition = getattr(constraint, "condition", None)
            if condition is not None:
                yield pytest.param(model, condition, id=f"{model._meta.model_name}:{constraint.name}")
    for model, condition in MORE_CONDITIONS:
        yield pytest.param(model, condition, id=f"{model._meta.model_name}:{condition!r}")


def candidates(model, name) -> list:
    """Values of a field around the edges its constraints care about."""
    if name == "pk":
        return [OWN_PK]
    field = model._meta.get_field(name)
    values = [None] if field.null else []
    if field.many_to_one:
        return [*values, OWN_PK, OWN_PK + 1]
    if isinstance(field, djmodels.BooleanField):
        return [True, False]
    if isinstance(field, djmodels.DecimalField):
        return [*values, Decimal("-0.01"), Decimal(0), Decimal("5.5")]
    if isinstance(field, djmodels.IntegerField):
        return [*values, -1, 0, MIN_YEAR - 1, MIN_YEAR, 2010, MAX_YEAR, MAX_YEAR + 1]
    if field.choices:
        return [*values, "", *(value for value, _label in field.flatchoices[:2])]
    return [*values, "", "CNY"]


def records(model, condition):
    """An instance for every combination of the candidate values of the fields the condition reads."""
    names = [name for name in condition_fields(condition) if name != "pk"]
    for values in itertools.product(*(candidates(model, name) for name in names)):
        record = model(pk=OWN_PK)
        for name, value in zip(names, values, strict=True):
            setattr(record, model._meta.get_field(name).attname, value)
        yield record


def database_verdict(condition, record):
    """True, False or None (NULL): the condition evaluated by the database on the record's values."""
    query = Query(None)
    for name, value in record._get_field_expression_map(meta=record._meta).items():
        query.add_annotation(value, name, select=False)
    verdict = Case(When(condition, then=Value(1)), When(~condition, then=Value(0)), output_field=IntegerField())
    query.add_annotation(verdict, "verdict")
    (value,) = query.get_compiler(using=DEFAULT_DB_ALIAS).execute_sql(SINGLE)
    return {1: True, 0: False, None: None}[value]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "condition"), list(model_conditions()))
def test_python_and_database_agree(model, condition):
    evaluate = compile_condition(model, condition)
    tried = 0
    for record in records(model, condition):
        assert evaluate(record) == database_verdict(condition, record), {
            name: getattr(record, model._meta.get_field(name).attname) for name in condition_fields(condition)
        }
        tried += 1
    assert tried >= 2


@pytest.mark.parametrize(
    "condition",
    [
        Q(name__regex="^x"),  # a lookup it does not know
        Q(start_year__year=2000),  # a transform
        Q(parent__status="draft"),  # a join
        Q(nonexistent=1),
        Q(start_year__gt=Value(5) + 1),  # an expression
        Q(Lower("name")),
    ],
)
def test_what_it_cannot_evaluate_is_refused_when_compiled(condition):
    with pytest.raises(UnsupportedConstraint, match="Program"):
        compile_condition(models.Program, condition)


def test_the_app_refuses_to_start_with_a_constraint_it_cannot_evaluate(monkeypatch):
    unknown = djmodels.CheckConstraint(condition=Q(name__regex="^[^<]"), name="programs_program_no_markup")
    monkeypatch.setattr(models.Program._meta, "constraints", [*models.Program._meta.constraints, unknown])
    constraints.compiled_checks.cache_clear()
    try:
        with pytest.raises(UnsupportedConstraint, match="name__regex"):
            apps.get_app_config("programs").ready()
        with pytest.raises(UnsupportedConstraint):
            compile_constraints(models.Program)
    finally:
        constraints.compiled_checks.cache_clear()


def test_every_model_constraint_is_compiled_at_start():
    constraints.compiled_checks.cache_clear()
    constraints.compiled_unique_conditions.cache_clear()
    apps.get_app_config("programs").ready()
    assert constraints.compiled_checks.cache_info().currsize == len(list(apps.get_app_config("programs").get_models()))
