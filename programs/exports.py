"""CSV and JSON downloads of a filtered list: the same FilterSet and queryset as the page.

Rows are streamed from `QuerySet.iterator(chunk_size=...)` (prefetches run once per chunk), so
memory stays bounded however many rows match. The column set is fixed and the same in both
languages: Chinese and English names side by side, choice values as codes, and each record's
permalink in the default language.
"""

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import translation

from programs.querysets import PARTNER_ROLES, SPONSOR_ROLES

CHUNK_SIZE = 500
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable


def _names(records, field="name"):
    return [getattr(record, field) for record in records]


def _names_en(records, field="name"):
    return [getattr(record, f"{field}_en") or getattr(record, field) for record in records]


def _participants(program, roles):
    return [p.organization for p in program.linked_participations if p.role in roles]


def _url(request):
    def url(record):
        with translation.override(settings.LANGUAGE_CODE):
            return request.build_absolute_uri(record.get_absolute_url())

    return url


def program_columns(request) -> list[Column]:
    return [
        Column("slug", lambda p: p.slug),
        Column("name", lambda p: p.name),
        Column("name_en", lambda p: p.name_en),
        Column("kind", lambda p: p.kind),
        Column("lifecycle", lambda p: p.lifecycle),
        Column("start_year", lambda p: p.start_year),
        Column("end_year", lambda p: p.end_year),
        Column("sponsors", lambda p: _names(_participants(p, SPONSOR_ROLES))),
        Column("sponsors_en", lambda p: _names_en(_participants(p, SPONSOR_ROLES))),
        Column("partners", lambda p: _names(_participants(p, PARTNER_ROLES))),
        Column("partners_en", lambda p: _names_en(_participants(p, PARTNER_ROLES))),
        Column("research_areas", lambda p: [area.slug for area in p.linked_research_areas]),
        Column("amount", lambda p: None if p.amount is None else str(p.amount)),
        Column("currency", lambda p: p.currency),
        Column("website", lambda p: p.website),
        Column("url", _url(request)),
    ]


def organization_columns(request) -> list[Column]:
    return [
        Column("slug", lambda o: o.slug),
        Column("name", lambda o: o.name),
        Column("name_en", lambda o: o.name_en),
        Column("kind", lambda o: o.kind),
        Column("country", lambda o: o.country.code),
        Column("city", lambda o: o.city),
        Column("program_count", lambda o: o.program_count),
        Column("website", lambda o: o.website),
        Column("url", _url(request)),
    ]


def person_columns(request) -> list[Column]:
    return [
        Column("slug", lambda p: p.slug),
        Column("name", lambda p: p.name),
        Column("name_en", lambda p: p.name_en),
        Column("headline", lambda p: p.headline),
        Column("headline_en", lambda p: p.headline_en),
        Column("homepage", lambda p: p.homepage),
        Column("url", _url(request)),
    ]


def project_columns(request) -> list[Column]:
    return [
        Column("slug", lambda p: p.slug),
        Column("title", lambda p: p.title),
        Column("title_en", lambda p: p.title_en),
        Column("program", lambda p: p.program.slug),
        Column("year", lambda p: p.year),
        Column("url", _url(request)),
    ]


def source_columns(request) -> list[Column]:
    return [
        Column("slug", lambda s: s.slug),
        Column("title", lambda s: s.title),
        Column("title_en", lambda s: s.title_en),
        Column("publisher", lambda s: s.publisher),
        Column("published_on", lambda s: s.published_on.isoformat() if s.published_on else None),
        Column("language", lambda s: s.language),
        Column("article_url", lambda s: s.url),
        Column("url", _url(request)),
    ]


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _csv_rows(queryset, columns: list[Column]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so that spreadsheet programs read the file as UTF-8
    yield writer.writerow([column.name for column in columns])
    for record in queryset.iterator(chunk_size=CHUNK_SIZE):
        row = []
        for column in columns:
            value = column.value(record)
            row.append("; ".join(value) if isinstance(value, list) else ("" if value is None else value))
        yield writer.writerow(row)


def _json_rows(queryset, columns: list[Column]) -> Iterable[str]:
    yield "["
    separator = "\n"
    for record in queryset.iterator(chunk_size=CHUNK_SIZE):
        row = {column.name: column.value(record) for column in columns}
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def export_response(queryset, columns: list[Column], *, fmt: str, filename: str) -> StreamingHttpResponse:
    """The rows of `queryset` as a streamed CSV or JSON attachment named `filename`.`fmt`."""
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_rows(queryset, columns), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_rows(queryset, columns), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
