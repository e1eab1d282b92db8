"""The passes over the files' records: index them by slug, match them to stored rows, set their own
fields, resolve their references and many-to-many lists.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from programs.fixtures_io.entries import (
    CREATE,
    UNCHANGED,
    Entry,
    Planning,
    chunked,
    mappings,
    slug_chunks,
)
from programs.fixtures_io.schema import (
    CITABLE_TYPES,
    FIXTURE_DEFAULTS,
    SECTIONS_BY_NAME,
    SOURCE,
    FieldTypeError,
    Section,
    coerce,
)


def document_records(document):
    """(section, position, record) for each record of a file, its source first."""
    if document.source is not None:
        yield SOURCE, SOURCE.name, document.source
    for name, records in document.sections.items():
        for index, record in enumerate(records):
            yield SECTIONS_BY_NAME[name], f"{name}[{index}]", record


def index_records(state: Planning) -> None:
    """Every record of the files, by type and slug. A record that is not a mapping, has no slug,
    or has a slug another record already took is reported and left out."""
    for document in state.documents:
        report = state.problems.for_file(document.name)
        for section, position, record in document_records(document):
            key = record_key(state, report, section, position, record)
            if key is None:
                continue
            entry = Entry(instance=section.model(), report=report, label="/".join(key), document=document, item=record)
            state.defined[key] = entry
            state.records.append((section, entry))
            if section.single:
                state.file_sources[document.name] = entry


def record_key(state: Planning, report, section: Section, position: str, record) -> tuple[str, str] | None:
    """(record type, slug) of a record, or None when it has none of its own to give."""
    if not isinstance(record, dict):
        report.add(position, "-", _("a record must be a mapping of fields"))
        return None
    slug = record.get("slug")
    if not isinstance(slug, str) or not slug:
        report.add(position, "slug", _("this field is required (text)"))
        return None
    key = (section.record_type, slug)
    if key in state.defined:
        message = _("this slug is already defined in %(file)s") % {"file": state.defined[key].report.file}
        report.add("/".join(key), "slug", message)
        return None
    return key


def load_existing(state: Planning) -> None:
    """The files' records that are stored already: each becomes the stored row, to be updated."""
    slugs = defaultdict(list)
    for section, entry in state.records:
        slugs[section].append(entry.item["slug"])
    for section, wanted in slugs.items():
        for chunk in slug_chunks(wanted):
            for instance in section.model.objects.filter(slug__in=chunk):
                entry = state.defined[(section.record_type, instance.slug)]
                entry.instance = instance
                entry.action = UNCHANGED


def set_fields(state: Planning) -> None:
    """Each record's own fields (not its references), checked against its section and coerced to the
    model's types; a new record takes the fixture defaults for what it leaves out."""
    for section, entry in state.records:
        entry.check_keys(entry.item, section.allowed)
        entry.require(entry.item, section.required)
        if entry.action == CREATE:
            for name, value in FIXTURE_DEFAULTS.items():
                if name in section.plain and name not in entry.item:
                    setattr(entry.instance, name, value)
        for name in section.plain:
            if name in entry.item:
                set_plain(entry, name, entry.item[name])
        state.plan.records[section.model].append(entry)


def set_plain(entry: Entry, name: str, value) -> None:
    """Set a field that is not a reference from its file value, or report why it cannot be read."""
    model_field = type(entry.instance)._meta.get_field(name)
    try:
        coerced = coerce(model_field, value)
    except FieldTypeError as error:
        entry.problem(name, str(error))
        return
    entry.assign(name, coerced, getattr(entry.instance, name) if entry.action != CREATE else None)


def load_referenced(state: Planning) -> None:
    """The stored records that the files refer to by slug without defining them."""
    wanted = defaultdict(set)
    for section, entry in state.records:
        for record_type, slug in record_references(section, entry.item):
            wanted[record_type].add(slug)
    for document in state.documents:
        for record_type, slug in cited_references(document):
            wanted[record_type].add(slug)
    for record_type, slugs in wanted.items():
        state.load(record_type, slugs)


def record_references(section: Section, record: dict):
    """(record type, slug) for each slug a record names: in its fields, its links, its citations."""
    yield from named_slugs(record, section.refs)
    for name, record_type in section.multi_refs.items():
        slugs = record.get(name)
        yield from ((record_type, slug) for slug in slugs if isinstance(slug, str)) if isinstance(slugs, list) else ()
    citing = [record]
    for link in section.links:
        for item in mappings(record.get(link.name)):
            citing.append(item)
            yield from named_slugs(item, link.refs)
    for mapping in citing:
        for citation in mappings(mapping.get("citations")):
            yield from named_slugs(citation, {"source": "source"})


def named_slugs(mapping: dict, refs: dict[str, str]):
    """(record type, slug) for each reference field of `mapping` that holds a slug."""
    for name, record_type in refs.items():
        if isinstance(mapping.get(name), str):
            yield record_type, mapping[name]


def cited_references(document):
    """(record type, slug) of each record that a file's `citations` section cites."""
    for citation in mappings(document.citations):
        if isinstance(citation.get("record"), str):
            record_type, _sep, slug = citation["record"].partition("/")
            if record_type in CITABLE_TYPES:
                yield record_type, slug


def set_references(state: Planning) -> None:
    """Reference fields set to the records their slugs name; many-to-many lists kept in the plan."""
    for section, entry in state.records:
        for name, record_type in section.refs.items():
            if name in entry.item:
                set_reference(state, entry, name, record_type)
        for name, record_type in section.multi_refs.items():
            if name in entry.item:
                plan_m2m(state, entry, name, record_type)


def set_reference(state: Planning, entry: Entry, name: str, record_type: str) -> None:
    value = entry.item[name]
    model_field = type(entry.instance)._meta.get_field(name)
    target = None if value is None else state.reference(entry, name, record_type, value)
    if target is None and (value is not None or not model_field.null):
        return  # reported: a dangling reference, or a required one left out
    current = getattr(entry.instance, model_field.attname)
    if entry.action != CREATE and (target is None or target.pk != current):
        entry.changed.add(name)
    setattr(entry.instance, name, target)


def plan_m2m(state: Planning, entry: Entry, name: str, record_type: str) -> None:
    slugs = entry.item[name] or []
    if not isinstance(slugs, list):
        entry.problem(name, _("expected a list of slugs"))
        return
    # Each slug once; anything else is reported by reference() (and may not be hashable).
    distinct = list({slug if isinstance(slug, str) else id(slug): slug for slug in slugs}.values())
    targets = [state.reference(entry, name, record_type, slug) for slug in distinct]
    if None not in targets:
        state.plan.m2m.append((entry, name, targets))


def compare_m2m(state: Planning) -> None:
    """Keep only the many-to-many sets that differ from the database, marking their records changed."""
    by_field = defaultdict(list)
    for entry, name, targets in state.plan.m2m:
        by_field[(type(entry.instance), name)].append((entry, targets))
    state.plan.m2m = []
    for (model, name), entries in by_field.items():
        stored = stored_m2m(model, name, [entry.instance.pk for entry, _targets in entries if entry.action != CREATE])
        for entry, targets in entries:
            if differs(entry, targets, stored):
                if entry.action != CREATE:
                    entry.changed.add(name)
                state.plan.m2m.append((entry, name, targets))


def differs(entry: Entry, targets: list, stored: dict[int, set]) -> bool:
    """Whether a record's planned many-to-many set differs from its stored one (a new record's, from none)."""
    if entry.action == CREATE:
        return bool(targets)
    return (
        any(target.pk is None for target in targets) or {target.pk for target in targets} != stored[entry.instance.pk]
    )


def stored_m2m(model, name: str, pks) -> dict[int, set]:
    """The stored targets of a many-to-many field, for the records `pks`: record pk -> target pks."""
    through = getattr(model, name).through
    owner_column = f"{model._meta.model_name}_id"
    target_column = f"{model._meta.get_field(name).related_model._meta.model_name}_id"
    stored = defaultdict(set)
    for chunk in chunked(pks):
        rows = through.objects.filter(**{f"{owner_column}__in": chunk}).values_list(owner_column, target_column)
        for owner_pk, target_pk in rows:
            stored[owner_pk].add(target_pk)
    return stored
