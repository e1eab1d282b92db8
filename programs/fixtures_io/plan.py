"""From parsed files to a validated plan: every record as an instance marked create/update/unchanged.

Nothing here writes. All problems are collected (file, record, field, message) so that a curator
sees every one of them at once; the plan is only used when there are none.
"""

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models as djmodels
from django.utils.translation import gettext as _

from programs.fixtures_io.constraints import check_violations, field_value, identity, unique_constraints, unique_key
from programs.fixtures_io.errors import FileProblems, Problems
from programs.fixtures_io.reader import Document
from programs.fixtures_io.schema import (
    CITABLE_TYPES,
    FIXTURE_DEFAULTS,
    SECTIONS_BY_NAME,
    SECTIONS_BY_TYPE,
    SOURCE,
    FieldTypeError,
    Link,
    Section,
    coerce,
)
from programs.models import Citation, Identifier, Source
from programs.models.identifiers import DUPLICATE
from programs.models.identifiers import OWNERS as IDENTIFIED

CREATE, UPDATE, UNCHANGED = "created", "updated", "unchanged"
CHUNK = 2000  # values per IN (...) query: well under every database's parameter limit


def chunked(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Entry:
    """One record, link or citation of the files, as it will be written."""

    instance: djmodels.Model
    report: FileProblems
    label: str  # the record, as messages name it: program/alibaba-air
    field_prefix: str = ""  # for links: participants[0].
    action: str = CREATE
    changed: set[str] = field(default_factory=set)
    document: Document | None = None
    item: dict | None = None  # the mapping the file gives for it
    owner: djmodels.Model | None = None  # for a citation: the record it cites
    failed: set[str] = field(default_factory=set)  # fields already reported: not validated again

    @property
    def changed_fields(self) -> list[str]:
        return sorted(self.changed)

    def describe(self) -> str:
        """What the entry is, for listings: `participation program/alibaba-air participants[0]`."""
        where = f" {self.field_prefix.rstrip('.')}" if self.field_prefix else ""
        return f"{type(self.instance)._meta.verbose_name} {self.label}{where}"

    def problem(self, field_name, message):
        self.failed.add(field_name)
        if field_name in (None, "-"):
            field_name = self.field_prefix.rstrip(".") or "-"
        else:
            field_name = f"{self.field_prefix}{field_name}"
        self.report.add(self.label, field_name, message)

    def assign(self, name, value, compare):
        """Set a field; on an existing row, note it as changed when the value differs."""
        if self.action != CREATE and compare != value:
            self.changed.add(name)
        setattr(self.instance, name, value)


@dataclass
class Plan:
    """Everything an import would write, in write order, and what it changes."""

    records: dict[type, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    links: dict[type, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    citations: list[Entry] = field(default_factory=list)
    # Many-to-many fields the files set and change: (entry, field name, target instances).
    m2m: list[tuple[Entry, str, list]] = field(default_factory=list)

    def all_entries(self):
        for entries in (*self.records.values(), *self.links.values(), self.citations):
            yield from entries

    def counts(self) -> dict[str, Counter]:
        counts = {}
        for entries in (*self.records.values(), *self.links.values(), self.citations):
            if entries:
                model = type(entries[0].instance)
                counts[str(model._meta.verbose_name_plural)] = Counter(
                    {CREATE: 0, UPDATE: 0, UNCHANGED: 0} | Counter(entry.action for entry in entries)
                )
        return counts

    @property
    def changes(self) -> bool:
        return any(entry.action != UNCHANGED for entry in self.all_entries())


class Planner:
    def __init__(self, documents: list[Document], problems: Problems):
        self.documents = documents
        self.problems = problems
        self.plan = Plan()
        # (record type, slug) -> Entry of the record defined in the files
        self.defined: dict[tuple[str, str], Entry] = {}
        self.defined_in: dict[tuple[str, str], str] = {}
        # (record type, slug) -> instance already in the database but not in the files
        self.referenced: dict[tuple[str, str], djmodels.Model] = {}
        self.file_sources: dict[str, Entry] = {}

    def build(self) -> Plan:
        raw = self.index_records()
        self.load_existing(raw)
        for _key, (section, record, entry) in raw.items():
            self.set_fields(section, record, entry)
        self.load_referenced(raw)
        for _key, (section, record, entry) in raw.items():
            self.set_references(section, record, entry)
        self.compare_m2m()
        self.plan_links(raw)
        self.plan_citations(raw)
        self.validate()
        for entry in self.plan.all_entries():
            if entry.action == UNCHANGED and entry.changed:
                entry.action = UPDATE
        return self.plan

    # Pass 1: find every record by slug, refuse duplicates, remember where each is defined.

    def index_records(self):
        raw = {}
        for document in self.documents:
            report = self.problems.for_file(document.name)
            sourced = [(SOURCE, [document.source])] if document.source is not None else []
            by_section = sourced + [(SECTIONS_BY_NAME[name], records) for name, records in document.sections.items()]
            for section, records in by_section:
                for index, record in enumerate(records):
                    label = section.name if section.single else f"{section.name}[{index}]"
                    if not isinstance(record, dict):
                        report.add(label, "-", _("a record must be a mapping of fields"))
                        continue
                    slug = record.get("slug")
                    if not isinstance(slug, str) or not slug:
                        report.add(label, "slug", _("this field is required (text)"))
                        continue
                    key = (section.record_type, slug)
                    label = f"{section.record_type}/{slug}"
                    if key in raw:
                        report.add(
                            label,
                            "slug",
                            _("this slug is already defined in %(file)s") % {"file": self.defined_in[key]},
                        )
                        continue
                    entry = Entry(instance=section.model(), report=report, label=label, document=document, item=record)
                    raw[key] = (section, record, entry)
                    self.defined[key] = entry
                    self.defined_in[key] = document.name
                    if section.single:
                        self.file_sources[document.name] = entry
        return raw

    def load_existing(self, raw):
        slugs = defaultdict(list)
        for (_record_type, slug), (section, _record, _entry) in raw.items():
            slugs[section].append(slug)
        for section, wanted in slugs.items():
            for chunk in chunked(wanted):
                for instance in section.model.objects.filter(slug__in=chunk):
                    entry = raw[(section.record_type, instance.slug)][2]
                    entry.instance = instance
                    entry.action = UNCHANGED

    # Pass 2: plain fields.

    def set_fields(self, section: Section, record: dict, entry: Entry):
        model = section.model
        for name in record:
            if name not in section.allowed:
                entry.problem(name, unknown_field_message(section.allowed))
        for name in section.required:
            if record.get(name) in (None, "", []):
                entry.problem(name, _("this field is required"))
        if entry.action == CREATE:
            for name, value in FIXTURE_DEFAULTS.items():
                if name in section.plain and name not in record:
                    setattr(entry.instance, name, value)
        for name in section.plain:
            if name in record:
                self.set_plain(entry, model, name, record[name])
        self.plan.records[model].append(entry)

    def set_plain(self, entry: Entry, model, name, value):
        model_field = model._meta.get_field(name)
        try:
            coerced = coerce(model_field, value)
        except FieldTypeError as error:
            entry.problem(name, str(error))
            return
        current = getattr(entry.instance, name) if entry.action != CREATE else None
        entry.assign(name, coerced, current)

    # Pass 3: references by slug, to records in the files or already in the database.

    def load_referenced(self, raw):
        wanted = defaultdict(set)
        for section, record, _entry in raw.values():
            for name, target in section.refs.items():
                if isinstance(record.get(name), str):
                    wanted[target].add(record[name])
            for name, target in section.multi_refs.items():
                for slug in record.get(name) or []:
                    if isinstance(slug, str):
                        wanted[target].add(slug)
            cited = [record]
            for link in section.links:
                items = record.get(link.name)
                for item in items if isinstance(items, list) else []:
                    if isinstance(item, dict):
                        cited.append(item)
                        for name, target in link.refs.items():
                            if isinstance(item.get(name), str):
                                wanted[target].add(item[name])
            for mapping in cited:
                citations = mapping.get("citations")
                for citation in citations if isinstance(citations, list) else []:
                    if isinstance(citation, dict) and isinstance(citation.get("source"), str):
                        wanted["source"].add(citation["source"])
        for document in self.documents:
            for citation in document.citations:
                if isinstance(citation, dict) and isinstance(citation.get("record"), str):
                    record_type, _sep, slug = citation["record"].partition("/")
                    if record_type in CITABLE_TYPES:
                        wanted[record_type].add(slug)
        for record_type, slugs in wanted.items():
            missing = [slug for slug in slugs if (record_type, slug) not in self.defined]
            model = SECTIONS_BY_TYPE[record_type].model
            for chunk in chunked(missing):
                for instance in model.objects.filter(slug__in=chunk):
                    self.referenced[(record_type, instance.slug)] = instance

    def resolve(self, record_type: str, slug):
        """The instance a slug names, from the files or the database, or None."""
        if not isinstance(slug, str):
            return None
        entry = self.defined.get((record_type, slug))
        return entry.instance if entry else self.referenced.get((record_type, slug))

    def reference(self, entry: Entry, name: str, record_type: str, value, problem_name=None):
        """The instance named by a reference field, reporting a dangling or malformed one."""
        problem_name = problem_name or name
        if not isinstance(value, str):
            entry.problem(problem_name, _("expected the slug of a %(type)s (text)") % {"type": record_type})
            return None
        target = self.resolve(record_type, value)
        if target is None:
            entry.problem(
                problem_name,
                _("no %(type)s with slug %(slug)r in the files or the database") % {"type": record_type, "slug": value},
            )
        return target

    def set_references(self, section: Section, record: dict, entry: Entry):
        instance = entry.instance
        for name, record_type in section.refs.items():
            if name not in record:
                continue
            value = record[name]
            model_field = section.model._meta.get_field(name)
            target = None if value is None else self.reference(entry, name, record_type, value)
            if target is None and (value is not None or not model_field.null):
                continue
            current = getattr(instance, model_field.attname)
            if entry.action != CREATE and (target is None or target.pk != current):
                entry.changed.add(name)
            setattr(instance, name, target)
        for name, record_type in section.multi_refs.items():
            if name not in record:
                continue
            slugs = record[name] or []
            if not isinstance(slugs, list):
                entry.problem(name, _("expected a list of slugs"))
                continue
            targets = [self.reference(entry, name, record_type, slug) for slug in dict.fromkeys(slugs)]
            if None not in targets:
                self.plan.m2m.append((entry, name, targets))

    def compare_m2m(self):
        """Keep only the many-to-many sets that differ from the database, marking their records changed."""
        wanted = self.plan.m2m
        self.plan.m2m = []
        by_field = defaultdict(list)
        for entry, name, targets in wanted:
            by_field[(type(entry.instance), name)].append((entry, targets))
        for (model, name), entries in by_field.items():
            through = getattr(model, name).through
            owner_column = f"{model._meta.model_name}_id"
            target_column = f"{model._meta.get_field(name).related_model._meta.model_name}_id"
            current = defaultdict(set)
            saved = [entry.instance.pk for entry, _targets in entries if entry.action != CREATE]
            for chunk in chunked(saved):
                for owner_pk, target_pk in through.objects.filter(**{f"{owner_column}__in": chunk}).values_list(
                    owner_column, target_column
                ):
                    current[owner_pk].add(target_pk)
            for entry, targets in entries:
                if entry.action == CREATE:
                    if targets:
                        self.plan.m2m.append((entry, name, targets))
                elif any(t.pk is None for t in targets) or {t.pk for t in targets} != current[entry.instance.pk]:
                    entry.changed.add(name)
                    self.plan.m2m.append((entry, name, targets))

    # Links nested under their owners, matched to existing rows by their natural key.

    def plan_links(self, raw):
        existing = self.existing_links(raw)
        for section, record, entry in raw.values():
            for link in section.links:
                items = record.get(link.name)
                if items is None:
                    continue
                if not isinstance(items, list):
                    entry.problem(link.name, _("expected a list"))
                    continue
                seen = {}
                for index, item in enumerate(items):
                    link_entry = self.plan_link(link, entry, index, item, existing)
                    if link_entry is None:
                        continue
                    key = link_key(link, link_entry.instance)
                    if key in seen:
                        link_entry.problem(
                            None, _("the same link as %(name)s[%(index)d]") % {"name": link.name, "index": seen[key]}
                        )
                        continue
                    seen[key] = index
                    self.plan.links[link.model].append(link_entry)

    def existing_links(self, raw):
        """Existing link rows of the owners in the files, by (link, owner id, natural key)."""
        owners = defaultdict(list)
        for section, _record, entry in raw.values():
            if entry.action != CREATE:
                for link in section.links:
                    owners[link].append(entry.instance.pk)
        existing = {}
        for link, pks in owners.items():
            for chunk in chunked(pks):
                for row in link.model.objects.filter(**{f"{link.owner}__in": chunk}):
                    existing[(link, getattr(row, f"{link.owner}_id"), link_key(link, row))] = row
        return existing

    def plan_link(self, link: Link, owner: Entry, index: int, item, existing) -> Entry | None:
        prefix = f"{link.name}[{index}]."
        if not isinstance(item, dict):
            owner.problem(f"{link.name}[{index}]", _("a link must be a mapping of fields"))
            return None
        entry = Entry(
            instance=link.model(),
            report=owner.report,
            label=owner.label,
            field_prefix=prefix,
            document=owner.document,
            item=item,
        )
        for name in item:
            if name not in link.allowed:
                entry.problem(name, unknown_field_message(link.allowed))
        for name in link.required:
            if item.get(name) in (None, ""):
                entry.problem(name, _("this field is required"))
        if link.clean_item is not None:
            try:
                item = entry.item = link.clean_item(item)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    entry.problem(name, " ".join(messages))
                return None

        targets = {}
        for name, record_type in link.refs.items():
            if item.get(name) is not None:
                targets[name] = self.reference(entry, name, record_type, item[name])
        if any(target is None for target in targets.values()):
            return None
        for name in link.key:
            if name in link.plain and name not in targets:
                try:
                    targets[name] = coerce(link.model._meta.get_field(name), item.get(name))
                except FieldTypeError as error:
                    entry.problem(name, str(error))
                    return None

        key = tuple(identity(targets.get(name)) if name in link.refs else targets.get(name) for name in link.key)
        row = existing.get((link, owner.instance.pk, key)) if owner.instance.pk else None
        if row is not None:
            entry.instance = row
            entry.action = UNCHANGED
        setattr(entry.instance, link.owner, owner.instance)
        for name, target in targets.items():
            if name in link.refs:
                current = getattr(entry.instance, f"{name}_id")
                if entry.action != CREATE and (target is None or target.pk != current):
                    entry.changed.add(name)
                setattr(entry.instance, name, target)
        for name in link.plain:
            if name in item:
                self.set_plain(entry, link.model, name, item[name])
        return entry

    # Citations: a record's quote cites its file's source; `citations` lists cite other sources.

    def plan_citations(self, raw):
        existing = self.existing_citations()
        seen = {}

        def cite(owner: Entry, source, quote, locator, where: str):
            if not isinstance(quote, str) or not quote.strip():
                owner.problem(where + "quote", _("a citation needs a quote (text)"))
                return
            if locator is not None and not isinstance(locator, str):
                owner.problem(where + "locator", _("expected text"))
                return
            key = (identity(owner.instance), identity(source))
            if key in seen:
                owner.problem(
                    where + "quote", _("this record already cites this source (%(where)s)") % {"where": seen[key]}
                )
                return
            seen[key] = f"{owner.report.file}: {owner.label}"
            row = existing.get(key)
            entry = Entry(
                instance=row or Citation(source=source),
                report=owner.report,
                label=owner.label,
                field_prefix=owner.field_prefix + where,
                action=UNCHANGED if row else CREATE,
                owner=owner.instance,
            )
            entry.assign("quote", quote.strip(), row.quote if row else None)
            entry.assign("locator", locator or "", row.locator if row else None)
            self.plan.citations.append(entry)

        cited_entries = [entry for _s, _r, entry in raw.values()] + [e for es in self.plan.links.values() for e in es]
        # Quotes first: a record's first citation names the file it is exported to.
        for entry in cited_entries:
            item = entry.item
            if "quote" in item or "locator" in item:
                source = self.file_sources.get(entry.document.name)
                if source is None:
                    entry.problem("quote", _("this file has no source to quote"))
                else:
                    cite(entry, source.instance, item.get("quote"), item.get("locator"), "")
        for entry in cited_entries:
            citations = entry.item.get("citations")
            if citations is None:
                continue
            if not isinstance(citations, list):
                entry.problem("citations", _("expected a list of {source, quote} mappings"))
                continue
            for index, citation in enumerate(citations):
                where = f"citations[{index}]."
                if not isinstance(citation, dict):
                    entry.problem(f"citations[{index}]", _("expected a mapping with source and quote"))
                    continue
                self.check_keys(entry, citation, {"source", "quote", "locator"}, where)
                source = self.reference(entry, "source", "source", citation.get("source"), where + "source")
                if source is not None:
                    cite(entry, source, citation.get("quote"), citation.get("locator"), where)
        for document in self.documents:
            source = self.file_sources.get(document.name)
            report = self.problems.for_file(document.name)
            for index, citation in enumerate(document.citations):
                holder = Entry(instance=None, report=report, label=f"citations[{index}]")
                if not isinstance(citation, dict):
                    holder.problem(None, _("expected a mapping with record and quote"))
                    continue
                self.check_keys(holder, citation, {"record", "quote", "locator"}, "")
                target = self.cited_record(holder, citation.get("record"))
                if target is not None and source is not None:
                    holder.instance = target
                    holder.label = citation["record"]
                    cite(holder, source.instance, citation.get("quote"), citation.get("locator"), "")
        # Every record defined in a file with a source cites something.
        cited = {id(entry.owner) for entry in self.plan.citations}
        for section, _record, entry in raw.values():
            if not section.single and entry.document.source is not None and id(entry.instance) not in cited:
                entry.problem("quote", _("every record cites its source: give a quote (or citations)"))

    def cited_record(self, holder: Entry, reference):
        if not isinstance(reference, str) or "/" not in reference:
            holder.problem("record", _("expected type/slug, e.g. organization/tsinghua-university"))
            return None
        record_type, _sep, slug = reference.partition("/")
        if record_type not in CITABLE_TYPES:
            holder.problem(
                "record",
                _("unknown record type %(type)r; expected one of: %(types)s")
                % {"type": record_type, "types": ", ".join(CITABLE_TYPES)},
            )
            return None
        return self.reference(holder, "record", record_type, slug)

    def check_keys(self, entry: Entry, mapping: dict, allowed: set, where: str):
        for name in mapping:
            if name not in allowed:
                entry.problem(where + str(name), unknown_field_message(allowed))

    def existing_citations(self):
        """Existing citations of existing records, by (record identity, source identity)."""
        by_model = defaultdict(list)
        for entry in (*self.defined.values(), *(e for es in self.plan.links.values() for e in es)):
            if entry.action != CREATE and not isinstance(entry.instance, Source):
                by_model[type(entry.instance)].append(entry.instance.pk)
        for instance in self.referenced.values():
            if not isinstance(instance, Source):
                by_model[type(instance)].append(instance.pk)
        existing = {}
        for model, pks in by_model.items():
            content_type = ContentType.objects.get_for_model(model)
            for chunk in chunked(set(pks)):
                for row in Citation.objects.filter(content_type=content_type, object_id__in=chunk):
                    existing[((model, row.object_id), (Source, row.source_id))] = row
        return existing

    # Model validation, without a query per record.

    def validate(self):
        for entry in self.plan.all_entries():
            if entry.action == UNCHANGED and not entry.changed:
                continue  # as stored: nothing of it is written
            instance = entry.instance
            unchecked = not_validated(type(instance))
            if entry.action == CREATE:
                exclude = unchecked | entry.failed
            else:  # only what changes is written, so only that is checked
                exclude = (field_names(type(instance)) - entry.changed) | unchecked | entry.failed
            failed = set()
            try:
                instance.clean_fields(exclude=exclude)
                instance.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    failed.add(name)
                    for message in messages:
                        entry.problem(None if name == "__all__" else name, message)
            for names, message in check_violations(instance):
                if not failed.intersection(names):  # as Django does: a field's own error comes first
                    entry.problem(", ".join(names), message)
        self.validate_identifiers(self.plan.links.get(Identifier, []))
        for model, entries in self.plan.records.items():
            self.validate_unique(model, entries)
            if any(f.name == "parent" for f in model._meta.concrete_fields):
                self.validate_parent_chains(entries)

    def validate_identifiers(self, entries):
        """One record per identifier, across the files and the rows already stored; a duplicate names both."""
        planned = {}
        for entry in entries:
            key = (entry.instance.scheme, entry.instance.value)
            if key in planned and planned[key].label != entry.label:
                entry.problem("value", duplicate_message(entry.instance, planned[key].label, entry.label))
            planned.setdefault(key, entry)
        for chunk in chunked({value for _scheme, value in planned}):
            for row in Identifier.objects.filter(value__in=chunk).select_related(*IDENTIFIED):
                entry = planned.get((row.scheme, row.value))
                holder = f"{row.owner_kind}/{row.record.slug}"
                if entry is not None and entry.instance.pk != row.pk:
                    entry.problem("value", duplicate_message(row, holder, entry.label))

    def validate_parent_chains(self, entries):
        """A parent chain must end: no record may be its own ancestor."""
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

    def validate_unique(self, model, entries):
        """Unique constraints other than the slug, across the files and the rows already stored."""
        for constraint in unique_constraints(model):
            keys = {}
            for entry in entries:
                key = unique_key(constraint, entry.instance)
                if key is None:
                    continue
                if key in keys:
                    entry.problem(", ".join(constraint.fields), constraint.get_violation_error_message())
                keys.setdefault(key, entry)
            stored_pks = {entry.instance.pk for entry in entries if entry.instance.pk}
            first = constraint.fields[0]
            values = {key[0][1] for key in keys if isinstance(key[0], tuple)}
            for chunk in chunked(values):
                for row in model.objects.filter(**{f"{first}__in": chunk}):
                    key = unique_key(constraint, row)
                    if row.pk not in stored_pks and key in keys:
                        keys[key].problem(", ".join(constraint.fields), constraint.get_violation_error_message())


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


def link_key(link: Link, instance) -> tuple:
    """A link's natural key within its owner, comparable between stored rows and planned ones."""
    return tuple(field_value(instance, name) for name in link.key)


def duplicate_message(identifier, holder: str, record: str) -> str:
    return DUPLICATE % {"identifier": str(identifier), "holder": holder, "record": record}


def unknown_field_message(allowed) -> str:
    return _("unknown field; expected one of: %(fields)s") % {"fields": ", ".join(sorted(allowed))}
