"""Matching a list of organization names in the admin: a curator uploads a CSV of names (and,
optionally, countries) and gets it back with the best published match of each row, scored by the
reconciliation service's matching (programs.reconcile.matching).

The file is read in full and checked before anything is matched: a file that is not UTF-8 CSV,
has no `name` column, has too many rows or gives a country that is not an ISO code is refused
with every problem listed. Nothing is written to the database.
"""

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from programs.curation.site import Tool
from programs.models.validators import validate_upload
from programs.reconcile.matching import MAX_QUERY_LENGTH, TYPES, Query, candidates_of_batch, normal
from programs.reconcile.protocol import MAX_BATCH

MAX_ROWS = 2000
HEADER = ["name", "country", "slug", "matched_name", "score", "matched"]

NOT_CSV = _("The file is not UTF-8 CSV text.")
NO_NAME_COLUMN = _("The first row must name the columns, one of them “name” (and optionally “country”).")
TOO_MANY_ROWS = _("The file has %(count)s rows; at most %(max)s at a time.")
NO_ROWS = _("The file has no row of names under its header.")
BAD_COUNTRY = _("Row %(row)s: “%(value)s” is not an ISO 3166-1 alpha-2 country code.")


class NamesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of organization names"),
        help_text=_("A header row with a “name” column and optionally a “country” column (ISO codes such as CN)."),
        validators=[validate_upload],
    )

    def clean_file(self):
        """The rows as (name, country) pairs, or every problem of the file."""
        rows = read_rows(self.cleaned_data["file"].read())
        columns = column_names(rows)
        if len(rows) > MAX_ROWS:
            raise ValidationError(TOO_MANY_ROWS % {"count": len(rows), "max": MAX_ROWS})
        cleaned = [name_and_country(row, columns) for row in rows]
        if problems := country_problems(cleaned):
            raise ValidationError(problems)
        if not any(name for name, _country in cleaned):
            raise ValidationError(NO_ROWS)
        return cleaned


def read_rows(data: bytes) -> list[dict]:
    """The rows of an uploaded CSV file, each a {column: value} mapping; refused unless UTF-8 CSV."""
    try:
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        raise ValidationError(NOT_CSV) from None


def column_names(rows: list[dict]) -> dict[str, str]:
    """The file's columns by their name in lower case; refused without a `name` column."""
    columns = {(name or "").strip().lower(): name for name in (rows[0].keys() if rows else [])}
    if "name" not in columns:
        raise ValidationError(NO_NAME_COLUMN)
    return columns


def name_and_country(row: dict, columns: dict) -> tuple[str, str]:
    """A row's name and its country code in capitals (blank when the file has no country column)."""
    name = (row.get(columns["name"]) or "").strip()
    country = (row.get(columns.get("country", "")) or "").strip().upper()
    return name, country


def country_problems(cleaned: list[tuple[str, str]]) -> list[str]:
    """A message for each row whose country is not an ISO 3166-1 alpha-2 code."""
    return [
        BAD_COUNTRY % {"row": number, "value": country[:20]}
        for number, (_name, country) in enumerate(cleaned, start=2)  # the header is row 1
        if country and country not in countries
    ]


def best_matches(rows):
    """For each (name, country), the row of the file to send back: the best candidate, if any.
    The names are matched in batches, as the reconciliation service matches them."""
    organization = TYPES["organization"]
    for start in range(0, len(rows), MAX_BATCH):
        chunk = rows[start : start + MAX_BATCH]
        queries = [
            Query(
                text=normal(name)[:MAX_QUERY_LENGTH],
                types=(organization,),
                limit=1,
                filters={"country": [country]} if country else {},
            )
            for name, country in chunk
        ]
        named = [query for query in queries if query.text]
        found = dict(zip(map(id, named), candidates_of_batch(named), strict=True))
        for (name, country), query in zip(chunk, queries, strict=True):
            best = next(iter(found.get(id(query), [])), None)
            if best is None:
                yield [name, country, "", "", "", "false"]
            else:
                match = "true" if best.match else "false"
                yield [name, country, best.record.slug, best.record.name, f"{best.score:g}", match]


def can_match(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("programs.view_organization")


def names_match_view(request, site):
    """Upload a CSV of names; the answer is the same CSV with each row's best match."""
    form = NamesUploadForm(request.POST or None, request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="organization-matches.csv"'
        response.write("\ufeff")  # a byte-order mark, so that spreadsheets read Chinese correctly
        writer = csv.writer(response)
        writer.writerow(HEADER)
        writer.writerows(best_matches(form.cleaned_data["file"]))
        return response
    return site.tool_page(
        request, "admin/programs/organization_names_match.html", NAMES_MATCH.title, form=form, max_rows=MAX_ROWS
    )


NAMES_MATCH = Tool("match-names/", "match_names", _("Match organization names"), names_match_view, can_match)
