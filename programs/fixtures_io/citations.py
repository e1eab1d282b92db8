"""The passes over citations: a record's `quote` cites its own file's source, its `citations` list
cites other sources, a file's `citations` section cites records defined elsewhere, and every
record of a file with a source must cite something.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from programs.fixtures_io.constraints import identity
from programs.fixtures_io.entries import CREATE, UNCHANGED, Entry, Planning, chunked
from programs.fixtures_io.schema import CITABLE_TYPES, CITATION_VALUES, FieldTypeError, coerce
from programs.models import Citation, Source

LISTED_KEYS = frozenset({"source", *CITATION_VALUES})  # an item of a record's `citations`
FILE_KEYS = frozenset({"record", *CITATION_VALUES})  # an item of a file's `citations` section


def load_citations(state: Planning) -> None:
    """The stored citations of the stored records that the files define or name."""
    for model, pks in stored_records(state).items():
        content_type = ContentType.objects.get_for_model(model)
        for chunk in chunked(pks):
            for row in Citation.objects.filter(content_type=content_type, object_id__in=chunk):
                state.stored_citations[((model, row.object_id), (Source, row.source_id))] = row


def stored_records(state: Planning) -> dict[type, set[int]]:
    """The pks of the stored records (and link rows) the files define or name, by model; sources cite nothing."""
    defined = (*state.defined.values(), *(entry for entries in state.plan.links.values() for entry in entries))
    instances = [entry.instance for entry in defined if entry.action != CREATE] + list(state.referenced.values())
    by_model = defaultdict(set)
    for instance in instances:
        if not isinstance(instance, Source):
            by_model[type(instance)].add(instance.pk)
    return by_model


def citation_values(owner: Entry, mapping: dict, where: str) -> dict | None:
    """A citation's values (its quote, stripped, first) from the mapping that gives them: a record, a
    link, an item of a `citations` list; a value it leaves out is the field's default. None once what
    is wrong is reported."""
    quote = mapping.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        owner.problem(where + "quote", _("a citation needs a quote (text)"))
        return None
    values = {"quote": quote.strip()}
    for name in CITATION_VALUES:
        if name == "quote":
            continue
        model_field = Citation._meta.get_field(name)
        try:
            values[name] = coerce(model_field, mapping[name]) if name in mapping else model_field.get_default()
        except FieldTypeError as error:
            owner.problem(where + name, str(error))
            return None
    return values


def cite(state: Planning, owner: Entry, source, mapping: dict, where: str) -> None:
    """Plan a citation of `source` by the record of `owner`, with the values `mapping` gives: the
    stored citation when there is one."""
    values = citation_values(owner, mapping, where)
    if values is None:
        return
    key = (identity(owner.instance), identity(source))
    if key in state.cited:
        message = _("this record already cites this source (%(where)s)") % {"where": state.cited[key]}
        owner.problem(where + "quote", message)
        return
    state.cited[key] = f"{owner.report.file}: {owner.label}"
    row = state.stored_citations.get(key)
    entry = Entry(
        instance=row or Citation(source=source),
        report=owner.report,
        label=owner.label,
        field_prefix=owner.field_prefix + where,
        action=UNCHANGED if row else CREATE,
        owner=owner.instance,
    )
    for name, value in values.items():
        entry.assign(name, value, getattr(row, name) if row else None)
    state.plan.citations.append(entry)


def cite_quotes(state: Planning) -> None:
    """Each record's and link's `quote`, citing its file's source.

    Runs before the other citations: a record's first citation names the file it is exported to.
    """
    for entry in state.cited_entries():
        if any(name in entry.item for name in CITATION_VALUES):
            source = state.file_sources.get(entry.document.name)
            if source is None:
                entry.problem("quote", _("this file has no source to quote"))
            else:
                cite(state, entry, source.instance, entry.item, "")


def cite_lists(state: Planning) -> None:
    """Each record's and link's `citations` list: `{source, quote, locator}` of other articles."""
    for entry in state.cited_entries():
        citations = entry.item.get("citations")
        if citations is None:
            continue
        if not isinstance(citations, list):
            entry.problem("citations", _("expected a list of {source, quote} mappings"))
            continue
        for index, citation in enumerate(citations):
            if not isinstance(citation, dict):
                entry.problem(f"citations[{index}]", _("expected a mapping with source and quote"))
                continue
            where = f"citations[{index}]."
            entry.check_keys(citation, LISTED_KEYS, where)
            source = state.reference(entry, "source", "source", citation.get("source"), where + "source")
            if source is not None:
                cite(state, entry, source, citation, where)


def cite_records(state: Planning) -> None:
    """Each file's `citations` section: `{record: type/slug, quote}` of records defined elsewhere."""
    for document in state.documents:
        source = state.file_sources.get(document.name)
        report = state.problems.for_file(document.name)
        for index, citation in enumerate(document.citations):
            holder = Entry(instance=None, report=report, label=f"citations[{index}]")
            if not isinstance(citation, dict):
                holder.problem(None, _("expected a mapping with record and quote"))
                continue
            holder.check_keys(citation, FILE_KEYS)
            target = cited_record(state, holder, citation.get("record"))
            if target is not None and source is not None:
                holder.instance, holder.label = target, citation["record"]
                cite(state, holder, source.instance, citation, "")


def cited_record(state: Planning, holder: Entry, reference):
    """The record a `type/slug` reference names, or None (the problem reported)."""
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
    return state.reference(holder, "record", record_type, slug)


def require_citations(state: Planning) -> None:
    """Every record defined in a file with a source cites something."""
    cited = {id(entry.owner) for entry in state.plan.citations}
    for section, entry in state.records:
        if not section.single and entry.document.source is not None and id(entry.instance) not in cited:
            entry.problem("quote", _("every record cites its source: give a quote (or citations)"))
