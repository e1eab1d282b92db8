"""Downloads: a name that a spreadsheet would run as a formula is written as text in every CSV."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.opendata.exports import csv_cell
from tests import factories as f

pytestmark = pytest.mark.django_db

# What OWASP lists as formula starts, and what a spreadsheet must keep showing as it is.
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|calc", "'+cmd|calc"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (["=1", "Tencent"], "'=1; Tencent"),
        (["Tencent", "=1"], "Tencent; =1"),  # only a cell's start makes a formula
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("200000.00", "200000.00"),
        (2017, 2017),
        (Decimal("-1.5"), Decimal("-1.5")),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_cells_are_defused_and_numbers_stay_numbers(value, cell):
    assert csv_cell(value) == cell


def hostile_catalogue():
    """One record of each list, and a participant, named with a formula."""
    sponsor = f.CompanyFactory(name=FORMULAS[0], name_en=FORMULAS[1], slug="formula-company", city=FORMULAS[2])
    program = f.ProgramFactory(name=FORMULAS[1], name_en=FORMULAS[3], website="https://example.org/=1")
    f.ParticipationFactory(program=program, organization=sponsor)
    f.PersonFactory(name=FORMULAS[2], name_en=FORMULAS[0], headline=FORMULAS[3])
    f.ProjectFactory(program=program, title=FORMULAS[3], title_en=FORMULAS[2])
    f.SourceFactory(title=FORMULAS[0], title_en=FORMULAS[1], publisher=FORMULAS[2])


def download(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content).decode("utf-8-sig")


LISTS = ["program-list", "organization-list", "person-list", "project-list", "source-list"]


@pytest.mark.parametrize("name", LISTS)
def test_no_csv_cell_starts_a_formula_and_json_keeps_the_text(client, name):
    hostile_catalogue()
    url = reverse(f"programs:{name}")
    rows = list(csv.reader(io.StringIO(download(client, url + "?format=csv"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any(cell.lstrip("'") in FORMULAS and cell.startswith("'") for cell in cells)

    records = json.loads(download(client, url + "?format=json"))
    texts = {value for record in records for value in record.values() if isinstance(value, str)}
    texts |= {item for record in records for value in record.values() if isinstance(value, list) for item in value}
    assert texts & set(FORMULAS)
    assert not any(text.startswith("'") for text in texts)


def test_a_formula_in_a_participant_list_is_defused(client):
    hostile_catalogue()
    rows = list(csv.DictReader(io.StringIO(download(client, "/programs/?format=csv"))))
    assert rows[0]["sponsors"] == "'" + FORMULAS[0]
    assert rows[0]["sponsors_en"] == "'" + FORMULAS[1]
    assert rows[0]["start_year"] == "2018"
