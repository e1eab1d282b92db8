"""The pass over link rows nested under their owners (a programme's participants, a person's career
steps and involvements, a project's members), matched to stored rows by their natural key.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from programs.fixtures_io.constraints import field_value, identity
from programs.fixtures_io.entries import CREATE, UNCHANGED, Entry, Planning, chunked
from programs.fixtures_io.records import set_plain
from programs.fixtures_io.schema import FieldTypeError, Link, coerce


def plan_links(state: Planning) -> None:
    """Every link row of the files: a new row, or the stored one with the same natural key."""
    stored = stored_links(state)
    for section, owner in state.records:
        for link in section.links:
            items = owner.item.get(link.name)
            if items is None:
                continue
            if not isinstance(items, list):
                owner.problem(link.name, _("expected a list"))
                continue
            plan_link_list(state, link, owner, items, stored)


def stored_links(state: Planning) -> dict:
    """The stored link rows of the files' stored records, by (link, owner id, natural key)."""
    owners = defaultdict(list)
    for section, entry in state.records:
        if entry.action != CREATE:
            for link in section.links:
                owners[link].append(entry.instance.pk)
    stored = {}
    for link, pks in owners.items():
        for chunk in chunked(pks):
            for row in link.model.objects.filter(**{f"{link.owner}__in": chunk}):
                stored[(link, getattr(row, f"{link.owner}_id"), link_key(link, row))] = row
    return stored


def plan_link_list(state: Planning, link: Link, owner: Entry, items: list, stored: dict) -> None:
    """The rows of one owner's list, refusing a row that repeats another's natural key."""
    seen = {}
    for index, item in enumerate(items):
        entry = plan_link(state, link, owner, index, item, stored)
        if entry is None:
            continue
        key = link_key(link, entry.instance)
        if key in seen:
            entry.problem(None, _("the same link as %(name)s[%(index)d]") % {"name": link.name, "index": seen[key]})
            continue
        seen[key] = index
        state.plan.links[link.model].append(entry)


def plan_link(state: Planning, link: Link, owner: Entry, index: int, item, stored: dict) -> Entry | None:
    """One link row with its fields set, or None when it cannot be matched (the problem is reported)."""
    if not isinstance(item, dict):
        owner.problem(f"{link.name}[{index}]", _("a link must be a mapping of fields"))
        return None
    entry = Entry(
        instance=link.model(),
        report=owner.report,
        label=owner.label,
        field_prefix=f"{link.name}[{index}].",
        document=owner.document,
        item=item,
    )
    entry.check_keys(item, link.allowed)
    entry.require(item, link.required)
    item = entry.item = cleaned(link, entry, item)
    if item is None:
        return None
    values = key_values(state, link, entry, item)
    if values is None:
        return None
    match_stored(link, owner, entry, values, stored)
    set_link_fields(link, entry, values, item)
    return entry


def match_stored(link: Link, owner: Entry, entry: Entry, values: dict, stored: dict) -> None:
    """Put the entry under its owner, as the owner's stored row with the same natural key if there is one."""
    key = tuple(identity(values.get(name)) if name in link.refs else values.get(name) for name in link.key)
    row = stored.get((link, owner.instance.pk, key)) if owner.instance.pk else None
    if row is not None:
        entry.instance, entry.action = row, UNCHANGED
    setattr(entry.instance, link.owner, owner.instance)


def set_link_fields(link: Link, entry: Entry, values: dict, item: dict) -> None:
    """Set the records the row names and its plain fields, noting what changes on a stored row."""
    for name in link.refs:
        if name in values:
            set_link_reference(entry, name, values[name])
    for name in link.plain:
        if name in item:
            set_plain(entry, name, item[name])


def cleaned(link: Link, entry: Entry, item: dict) -> dict | None:
    """The row's mapping in the form the model stores (e.g. an identifier's canonical value), or None
    after its problems are reported."""
    if link.clean_item is None:
        return item
    try:
        return link.clean_item(item)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            entry.problem(name, " ".join(messages))
        return None


def key_values(state: Planning, link: Link, entry: Entry, item: dict) -> dict | None:
    """The records a link row names and the plain fields of its natural key, or None after a problem."""
    values = {
        name: state.reference(entry, name, record_type, item[name])
        for name, record_type in link.refs.items()
        if item.get(name) is not None
    }
    if None in values.values():
        return None
    for name in link.key:
        if name in link.plain:
            try:
                values[name] = coerce(link.model._meta.get_field(name), item.get(name))
            except FieldTypeError as error:
                entry.problem(name, str(error))
                return None
    return values


def set_link_reference(entry: Entry, name: str, target) -> None:
    if entry.action != CREATE and target.pk != getattr(entry.instance, f"{name}_id"):
        entry.changed.add(name)
    setattr(entry.instance, name, target)


def link_key(link: Link, instance) -> tuple:
    """A link's natural key within its owner, comparable between stored rows and planned ones."""
    return tuple(field_value(instance, name) for name in link.key)
