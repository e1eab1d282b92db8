"""Writing a validated plan in one transaction: fast inserts, bulk updates, history for each change.

New rows go through programs.models.bulk (ids allocated first, rows streamed); changed rows through
bulk_update. Every written record gets a history row (the importing user and the import's
reason), and programmes a snapshot of their research areas beside it, as an edit in the admin
would leave.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from programs.fixtures_io.entries import CREATE, UPDATE, Entry, Plan, chunked
from programs.fixtures_io.schema import LINKS, SECTIONS
from programs.models import Citation, search_keys
from programs.models.base import PublishableModel
from programs.models.bulk import allocate_ids, insert_history, insert_instances, insert_rows
from programs.reads import read_model
from programs.reads.facets import listing_sizes

BATCH = 1000
ANALYZE_AFTER = 1000  # rows written to one table
BULK_AFTER = 10_000  # new records from which an import may rebuild the read model once


def write_plan(plan: Plan, *, user=None, reason: str) -> None:
    now = timezone.now()
    with read_model.bulk_load() if rebuilds_read_model(plan) else transaction.atomic():
        history = write_rows(plan, now)  # (model, instances, history type), recorded once every row is in place
        for model, instances, history_type in history:
            if instances:
                ids = insert_history(model, instances, history_type=history_type, user=user, reason=reason, date=now)
                record_m2m_history(model, instances, ids)
        refresh_statistics(model for model, instances, _type in history if len(instances) >= ANALYZE_AFTER)


def write_rows(plan: Plan, now) -> list[tuple]:
    """Write the records, their many-to-many sets, the links and the citations, each after what it
    points at; returns what to record in history."""
    history = []
    for section in SECTIONS:
        history += write_entries(section.model, plan.records.get(section.model, []), now)
    write_m2m(plan)
    for model in dict.fromkeys(link.model for link in LINKS):  # identifiers are links of three sections
        history += write_entries(model, plan.links.get(model, []), now)
    for entry in plan.citations:
        if entry.action == CREATE:
            entry.instance.content_type = ContentType.objects.get_for_model(entry.owner)
            entry.instance.object_id = entry.owner.pk
    return history + write_entries(Citation, plan.citations, now)


def rebuilds_read_model(plan: Plan) -> bool:
    """Whether the import is large against the data already there (a database being filled): then
    rebuilding the read model once costs less than keeping it row by row, in the same transaction."""
    created = sum(
        entry.action == CREATE
        for entries in (*plan.records.values(), *plan.links.values(), plan.citations)
        for entry in entries
    )
    return created >= BULK_AFTER and created >= sum(listing_sizes().values())


def refresh_statistics(models) -> None:
    """Fresh planner statistics for tables a large import grew, before autovacuum gets to them.

    Statistics taken while a table was small make PostgreSQL plan nested loops that a table
    many times larger turns into minutes.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in sorted({model._meta.db_table for model in models}):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def write_entries(model, entries: list[Entry], now):
    """Insert the new rows and update the changed ones; returns what to record in history."""
    if not entries:
        return []
    created = [entry.instance for entry in entries if entry.action == CREATE]
    updated = [entry for entry in entries if entry.action == UPDATE]
    stamp_publications(created + [entry.instance for entry in updated], now)
    for level in creation_levels(created):
        insert_instances(model, level, now=now)
    if updated:
        update_entries(model, updated, now)
    return [(model, created, "+"), (model, [entry.instance for entry in updated], "~")]


def stamp_publications(instances, now) -> None:
    """Give each published record without a first publication time `now` as that time."""
    for instance in instances:
        if isinstance(instance, PublishableModel):
            instance.stamp_publication(now)


def update_entries(model, updated: list[Entry], now) -> None:
    """Write the fields the files change on stored rows, with their update (and publication) time."""
    concrete = {field.name for field in model._meta.concrete_fields}
    fields = {name for entry in updated for name in entry.changed if name in concrete}
    fields |= {"updated_at"} | ({"published_at"} if issubclass(model, PublishableModel) else set())
    fields |= set(search_keys.key_fields_changed(model, fields))
    for entry in updated:
        entry.instance.updated_at = now
        search_keys.refresh(entry.instance)
    model.objects.bulk_update([entry.instance for entry in updated], sorted(fields), batch_size=BATCH)


def creation_levels(instances):
    """New rows in insertion order: a record whose parent is new comes after its parent."""
    if not instances or not hasattr(instances[0], "parent_id"):
        return [instances] if instances else []
    pending = {id(instance): instance for instance in instances}
    levels = []
    while pending:
        level = [instance for instance in pending.values() if not has_pending_parent(instance, pending)]
        if not level:
            raise ValueError("parent cycle among new records")  # the planner reports cycles first
        for instance in level:
            del pending[id(instance)]
        levels.append(level)
    return levels


def has_pending_parent(instance, pending: dict) -> bool:
    """Whether the instance's parent is among the new rows not yet placed."""
    return getattr(instance, "parent", None) is not None and id(instance.parent) in pending


def m2m_columns(model, name):
    """The through model of a many-to-many field and its two columns (owner, target)."""
    through = getattr(model, name).through
    owner = through._meta.get_field(model._meta.model_name)
    target = through._meta.get_field(model._meta.get_field(name).related_model._meta.model_name)
    return through, owner, target


def write_m2m(plan: Plan) -> None:
    """Replace each changed many-to-many set with the one the files give."""
    by_field = defaultdict(list)
    for entry, name, targets in plan.m2m:
        by_field[(type(entry.instance), name)].append((entry.instance, targets))
    for (model, name), rows in by_field.items():
        through, owner, target = m2m_columns(model, name)
        for chunk in chunked([instance.pk for instance, _targets in rows]):
            through.objects.filter(**{f"{owner.attname}__in": chunk}).delete()
        pairs = [(instance.pk, item.pk) for instance, targets in rows for item in targets]
        ids = allocate_ids(through, len(pairs))
        insert_rows(
            through,
            [through._meta.pk, owner, target],
            ((pk, *pair) for pk, pair in zip(ids, pairs, strict=True)),
        )


def record_m2m_history(model, instances, history_ids) -> None:
    """The many-to-many snapshot simple-history keeps beside each historical record."""
    history_model = model.history.model
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        # simple-history names the snapshot model Historical<Model>_<field>; it copies the through row.
        snapshot = m2m_field.model._meta.apps.get_model(
            model._meta.app_label, f"{history_model.__name__}_{m2m_field.name}"
        )
        through, owner, target = m2m_columns(model, m2m_field.name)
        current = defaultdict(list)  # owner pk -> (through row id, target pk)
        for chunk in chunked([instance.pk for instance in instances]):
            for row_id, owner_pk, target_pk in through.objects.filter(**{f"{owner.attname}__in": chunk}).values_list(
                "pk", owner.attname, target.attname
            ):
                current[owner_pk].append((row_id, target_pk))
        rows = [
            (history_id, row_id, instance.pk, target_pk)
            for instance, history_id in zip(instances, history_ids, strict=True)
            for row_id, target_pk in current[instance.pk]
        ]
        fields = [snapshot._meta.get_field(name) for name in ("history", "id", owner.name, target.name)]
        ids = allocate_ids(snapshot, len(rows))
        insert_rows(snapshot, [snapshot._meta.pk, *fields], ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
