"""CSV and JSON downloads of a filtered list: the same FilterSet and rows as the page.

The list's ids are read from its listing in order, a chunk at a time; each chunk's records are
read with `values()` (what they need from other tables once per chunk) and streamed, so memory
stays bounded however many rows match. The column set is fixed and
the same in both languages: Chinese and English names side by side, choice values as codes, and
each record's permalink in the default language. Which columns a kind's list gives, and in which
order, is its declaration's (programs/models/kinds/); what only a download computes is here.

CSV cells that a spreadsheet would read as a formula are neutralised (see `csv_cell`); JSON
keeps the exact text.
"""

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from programs.models import Participation, Program, kinds
from programs.models.querysets import PARTNER_ROLES, PUBLISHED, SPONSOR_ROLES, links
from programs.opendata.records import plain
from programs.reads.lists import ListRows

CHUNK_SIZE = 2000
FORMATS = ("csv", "json")
UNKNOWN_FORMAT = _("Downloads come as format=csv or format=json; “%(format)s” is not one of them.")


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[dict], object]  # of a row read with values()


def field(name: str, source: str = "") -> Column:
    return Column(name, itemgetter(source or name))


@dataclass(frozen=True)
class Export:
    """What a list downloads: `fields` read from each record with `values()`, then `columns`.

    Rows are plain dicts, not model instances: building ~7 instances per programme was most of
    the time of a large download. `attach(rows)` adds what rows need from other tables (one
    query per table per chunk); every file ends with the record's permalink, `url`.
    """

    fields: tuple[str, ...]
    columns: tuple[Column, ...]
    detail_view: str  # the name of a record's page, reversed with its slug
    prepare: Callable | None = None  # the queryset with what `fields` reads beyond its columns
    attach: Callable[[list[dict]], None] | None = None

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns] + ["url"]


def _joined(rows: list[dict], key: str, links) -> None:
    """Set `row[key]` to the list of values that `links` (pairs of programme id, value) give it."""
    by_program = {row["pk"]: row for row in rows}
    for row in rows:
        row[key] = []
    for program_id, value in links:
        by_program[program_id][key].append(value)


def _attach_program_links(rows: list[dict]) -> None:
    """Each programme's published participants (role, name, English name) and research area slugs."""
    ids = [row["pk"] for row in rows]
    participants = (
        links(Participation, "organization")
        .filter(program__in=ids)
        .order_by("role", "organization__name", "pk")
        .values_list("program_id", "role", "organization__name", "organization__name_en")
    )
    _joined(rows, "participants", ((program, rest) for program, *rest in participants))
    areas = (
        Program.research_areas.through.objects.filter(program__in=ids, researcharea__status=PUBLISHED)
        .order_by("researcharea__name", "researcharea__pk")
        .values_list("program_id", "researcharea__slug")
    )
    _joined(rows, "research_areas", areas)


def _names(roles, english=False):
    """The names of a programme row's participants in one of `roles` (English ones falling back to Chinese)."""

    def names(row):
        return [(name_en or name) if english else name for role, name, name_en in row["participants"] if role in roles]

    return names


def kind_export(kind: kinds.Kind, detail_view: str, *, computed=None, **options) -> Export:
    """The download of a list of `kind`: the columns its declaration gives list downloads, in their
    order, each read with `values()` (a reference as its record's slug) unless `computed` gives it."""
    computed = computed or {}
    lookups = {
        item.name: f"{item.name}__slug" if isinstance(item, kinds.Ref) else item.name
        for item in kind.carried(kinds.Output.EXPORT)
        if item.name not in computed
    }
    columns = tuple(
        Column(item.column, computed.get(item.name) or _stored(lookups[item.name]))
        for item in kind.carried(kinds.Output.EXPORT)
    )
    return Export(fields=tuple(lookups.values()), columns=columns, detail_view=detail_view, **options)


def _stored(lookup: str) -> Callable[[dict], object]:
    """A stored value as JSON holds it (amounts as decimal strings, dates in ISO 8601)."""
    return lambda row: plain(row[lookup])


PROGRAMS = kind_export(
    kinds.PROGRAM,
    "programs:program-detail",
    computed={
        "sponsors": _names(SPONSOR_ROLES),
        "sponsors_en": _names(SPONSOR_ROLES, english=True),
        "partners": _names(PARTNER_ROLES),
        "partners_en": _names(PARTNER_ROLES, english=True),
        "research_areas": itemgetter("research_areas"),
    },
    attach=_attach_program_links,
)
ORGANIZATIONS = kind_export(
    kinds.ORGANIZATION,
    "programs:organization-detail",
    prepare=lambda organizations: organizations.with_program_count(),
)
PEOPLE = kind_export(kinds.PERSON, "programs:person-detail")
PROJECTS = kind_export(kinds.PROJECT, "programs:project-detail")
SOURCES = kind_export(kinds.SOURCE, "programs:source-detail")


def _chunks(rows: ListRows, export: Export, request) -> Iterable[list[list]]:
    """The records' values, in the order of `export.header`, a chunk of records at a time."""
    with translation.override(settings.LANGUAGE_CODE):
        # Slugs need no quoting: the page address is reversed once, not once per row.
        page = request.build_absolute_uri(reverse(export.detail_view, kwargs={"slug": "slug"}))
    prefix, suffix = page.rsplit("/slug/", 1)
    records = rows.records.model.objects.published()
    if export.prepare:
        records = export.prepare(records)
    for ids in rows.ordered_ids(CHUNK_SIZE):
        values = {row["pk"]: row for row in records.filter(pk__in=ids).values("pk", *export.fields)}
        chunk = [values[pk] for pk in ids if pk in values]
        if export.attach:
            export.attach(chunk)
        yield [[*(column.value(row) for column in export.columns), f"{prefix}/{row['slug']}/{suffix}"] for row in chunk]


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a leading =, +, -
# or @, or a tab or carriage return before one. Such a cell gets a leading apostrophe, which
# spreadsheets show as text and do not display. A number written as text (-3, +1.5) stays a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def csv_cell(value) -> object:
    """A value as a CSV cell: lists joined, None empty, text that could run as a formula defused.

    Written by hand rather than with defusedcsv, which leaves the tab and carriage return that
    OWASP lists and rewrites every `|` in the text.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = "; ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _csv_lines(header: list[str], chunks: Iterable[list[list]]) -> Iterable[str]:
    # A piece per chunk, not per line: sending a piece costs more than writing a line.
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(header)  # column names of our own: nothing to defuse
    for chunk in chunks:
        yield "".join(writer.writerow([csv_cell(value) for value in row]) for row in chunk)


def _json_lines(header: list[str], chunks: Iterable[list[list]]) -> Iterable[str]:
    yield "["
    separator = "\n"
    for chunk in chunks:
        yield separator + ",\n".join(
            json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False) for row in chunk
        )
        separator = ",\n"
    yield "\n]\n"


def export_response(rows: ListRows, export: Export, request, *, fmt: str, filename: str) -> StreamingHttpResponse:
    """The records of `rows` as a streamed CSV or JSON attachment named `filename`.`fmt`.

    The first chunk is read before the response starts: while the database cannot answer, the
    download is a 503 (programs.serving.outages), not a 200 cut short after its first line.
    """
    chunks = _chunks(rows, export, request)
    first = list(islice(chunks, 1))
    lines = (_csv_lines if fmt == "csv" else _json_lines)(export.header, chain(first, chunks))
    content_type = "text/csv" if fmt == "csv" else "application/json"
    response = StreamingHttpResponse(lines, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
