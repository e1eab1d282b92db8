"""Writing a validated plan: bulk inserts and updates in one transaction, with history.

Rows are written with bulk_create / bulk_update (a few queries per thousand rows instead of
two per row), then their history is recorded in bulk too, so an import shows in every record's
history as one change by the importing user, with the import's reason.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from programs.fixtures_io.plan import CREATE, UPDATE, Entry, Plan, chunked
from programs.fixtures_io.schema import LINKS, SECTIONS
from programs.models import Citation
from programs.models.base import PublishableModel

BATCH = 1000


def write_plan(plan: Plan, *, user=None, reason: str) -> None:
    now = timezone.now()
    history = []  # (model, instances, update?) recorded once every row is in place
    with transaction.atomic():
        for section in SECTIONS:
            history += write_entries(section.model, plan.records.get(section.model, []), now)
        write_m2m(plan)
        for link in LINKS:
            history += write_entries(link.model, plan.links.get(link.model, []), now)
        for entry in plan.citations:
            if entry.action == CREATE:
                entry.instance.content_type = ContentType.objects.get_for_model(entry.owner)
                entry.instance.object_id = entry.owner.pk
        history += write_entries(Citation, plan.citations, now)
        record_history(history, user=user, reason=reason, date=now)


def write_entries(model, entries: list[Entry], now):
    """Insert the new rows and update the changed ones; returns what to record in history."""
    if not entries:
        return []
    created = [entry.instance for entry in entries if entry.action == CREATE]
    updated = [entry for entry in entries if entry.action == UPDATE]
    for instance in created + [entry.instance for entry in updated]:
        if isinstance(instance, PublishableModel):
            instance.stamp_publication(now)
    for level in creation_levels(created):
        model.objects.bulk_create(level, batch_size=BATCH)
    if updated:
        concrete = {field.name for field in model._meta.concrete_fields}
        fields = {name for entry in updated for name in entry.changed if name in concrete}
        fields |= {"updated_at"} | ({"published_at"} if issubclass(model, PublishableModel) else set())
        for entry in updated:
            entry.instance.updated_at = now
        model.objects.bulk_update([entry.instance for entry in updated], sorted(fields), batch_size=BATCH)
    return [(model, created, False), (model, [entry.instance for entry in updated], True)]


def creation_levels(instances):
    """New rows in insertion order: a record whose parent is new comes after its parent."""
    pending = {id(instance): instance for instance in instances}
    if not any(hasattr(instance, "parent_id") for instance in instances[:1]):
        return [instances] if instances else []
    levels = []
    while pending:
        level = [
            instance
            for instance in pending.values()
            if getattr(instance, "parent", None) is None or id(instance.parent) not in pending
        ]
        if not level:
            raise ValueError("parent cycle among new records")  # the planner reports cycles first
        for instance in level:
            del pending[id(instance)]
        levels.append(level)
    return levels


def write_m2m(plan: Plan) -> None:
    """Replace each changed many-to-many set with the one the files give."""
    by_field = defaultdict(list)
    for entry, name, targets in plan.m2m:
        by_field[(type(entry.instance), name)].append((entry.instance, targets))
    for (model, name), rows in by_field.items():
        through = getattr(model, name).through
        owner_column = f"{model._meta.model_name}_id"
        target_column = f"{model._meta.get_field(name).related_model._meta.model_name}_id"
        for chunk in chunked([instance.pk for instance, _targets in rows]):
            through.objects.filter(**{f"{owner_column}__in": chunk}).delete()
        through.objects.bulk_create(
            [
                through(**{owner_column: instance.pk, target_column: target.pk})
                for instance, targets in rows
                for target in targets
            ],
            batch_size=BATCH,
        )


def record_history(history, *, user, reason, date) -> None:
    for model, instances, update in history:
        if not instances:
            continue
        historical = model.history.bulk_history_create(
            instances,
            batch_size=BATCH,
            update=update,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        record_m2m_history(model, historical)


def record_m2m_history(model, historical) -> None:
    """The many-to-many snapshot simple-history keeps beside each historical record."""
    history_model = model.history.model
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        # simple-history names the snapshot model Historical<Model>_<field>.
        snapshot = apps.get_model(model._meta.app_label, f"{history_model.__name__}_{m2m_field.name}")
        through = getattr(model, m2m_field.name).through
        owner_column = f"{model._meta.model_name}_id"
        target_column = f"{m2m_field.related_model._meta.model_name}_id"
        current = defaultdict(list)  # owner pk -> its through rows, copied whole into the snapshot
        for chunk in chunked([record.id for record in historical]):
            for row in through.objects.filter(**{f"{owner_column}__in": chunk}).values(
                "id", owner_column, target_column
            ):
                current[row[owner_column]].append(row)
        snapshot.objects.bulk_create(
            [snapshot(history=record, **row) for record in historical for row in current[record.id]],
            batch_size=BATCH,
        )
