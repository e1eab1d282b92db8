"""Malformed fixture files, one kind per row: each is refused with a message naming its file, record
and field, and leaves every row as it was, through `import_fixtures` and through the admin upload.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.urls import reverse
from django.utils import translation

from programs.fixtures_io import FixtureError, fixtures_import
from tests.helpers import (
    AIR,
    ANT,
    PROGRAM_KIND,
    VALID,
    air_with,
    database_state,
    run_import,
    write,
)

pytestmark = pytest.mark.django_db

THIRD = "source: {slug: third, title: 第三篇, language: en}\n"
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}' if previous else 'lol'] * 10)}]\n"
    for name, previous in zip("abcdefgh", ["", *"abcdefg"], strict=True)
)


def ant_with(old: str, new: str) -> str:
    assert old in ANT, old
    return ANT.replace(old, new, 1)


def air(old: str, new: str) -> dict:
    return {"a-air.yaml": air_with(old, new)}


def ant(old: str, new: str) -> dict:
    return {"b-ant.yaml": ant_with(old, new)}


FILE = ("-", "-")  # a problem of the whole file: no record or field to name
AIR_PROGRAM = "program/alibaba-air"
ALIBABA = "organization/alibaba-group"

# name: (files replacing or added to the two valid ones, (file, record, field, what the message says))
MALFORMED = {
    # Encodings and file shapes
    "UTF-16": ({"a-air.yaml": AIR.encode("utf-16")}, ("a-air.yaml", *FILE, "not UTF-8 text")),
    "GBK": ({"a-air.yaml": THIRD.encode("gbk")}, ("a-air.yaml", *FILE, "not UTF-8 text")),
    "binary": ({"c-image.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, ("c-image.yaml", *FILE, "not UTF-8 text")),
    "tab indentation": (
        {"c-tabs.yaml": THIRD + "organizations:\n\t- {slug: tabbed, name: 缩进, kind: other}\n"},
        ("c-tabs.yaml", *FILE, "YAML syntax error"),
    ),
    "YAML syntax error": ({"a-air.yaml": AIR + "\nprograms: [unclosed\n"}, ("a-air.yaml", *FILE, "unclosed bracket")),
    "key given twice": (
        air("start_year: 2017", "start_year: 2017\n    start_year: 2018"),
        ("a-air.yaml", *FILE, "duplicate mapping key: 'start_year'"),
    ),
    "alias bomb": ({"c-bomb.yaml": THIRD + BOMB}, ("c-bomb.yaml", *FILE, "alias replay limit exceeded")),
    "deep nesting": (
        {"c-deep.yaml": THIRD + "organizations: " + "[" * 5000 + "]" * 5000 + "\n"},
        ("c-deep.yaml", *FILE, "YAML syntax error"),
    ),
    "empty file": ({"a-air.yaml": "# nothing here yet\n"}, ("a-air.yaml", *FILE, "the file is empty")),
    "file that is a list": (
        {"a-air.yaml": "- slug: alibaba-air\n- slug: other\n"},
        ("a-air.yaml", *FILE, "the file must be a mapping of sections"),
    ),
    "unknown section": ({"a-air.yaml": AIR + "\nlabs: []\n"}, ("a-air.yaml", "-", "labs", "unknown section")),
    "section that is not a list": (
        {"a-air.yaml": AIR + "\ncitations: {record: program/alibaba-air}\n"},
        ("a-air.yaml", "-", "citations", "a section must be a list of records"),
    ),
    "source that is not a mapping": (
        {"c-third.yaml": "source: [third]\n"},
        ("c-third.yaml", "source", "-", "the source must be a mapping of fields"),
    ),
    "record that is not a mapping": (
        {"c-third.yaml": THIRD + "organizations: [just-a-slug]\n"},
        ("c-third.yaml", "organizations[0]", "-", "a record must be a mapping of fields"),
    ),
    # Fields: presence, type, range, format
    "unknown field": (
        air(PROGRAM_KIND, PROGRAM_KIND + "    budget: 5\n"),
        ("a-air.yaml", AIR_PROGRAM, "budget", "unknown field; expected one of:"),
    ),
    "missing required field": (air(PROGRAM_KIND, ""), ("a-air.yaml", AIR_PROGRAM, "kind", "this field is required")),
    "empty required text": (
        air("name: 阿里巴巴创新研究计划", 'name: ""'),
        ("a-air.yaml", AIR_PROGRAM, "name", "this field is required"),
    ),
    "blank required text": (
        air("name: 阿里巴巴创新研究计划", 'name: "   "'),
        ("a-air.yaml", AIR_PROGRAM, "name", "this field is required"),
    ),
    "list for text": (
        air("name: 阿里巴巴创新研究计划", "name: [阿里, 巴巴]"),
        ("a-air.yaml", AIR_PROGRAM, "name", "expected text"),
    ),
    "number for text": (
        air("country: CN", "country: 86"),
        ("a-air.yaml", ALIBABA, "country", "expected text (put quotes around numbers"),
    ),
    "over-long text": (
        air("name: 阿里巴巴创新研究计划", "name: " + "长" * 201),
        ("a-air.yaml", AIR_PROGRAM, "name", "at most 200 characters (it has 201)"),
    ),
    "NUL in text": (
        air("name: 阿里巴巴创新研究计划", 'name: "阿里\\0巴巴"'),
        ("a-air.yaml", AIR_PROGRAM, "name", "control character U+0000"),
    ),
    "escape character in a quote": (
        air("quote: 阿里巴巴创新研究计划（Alibaba Innovative Research, AIR）。", 'quote: "\\e[31m阿里巴巴。"'),
        ("a-air.yaml", AIR_PROGRAM, "quote", "control character U+001B"),
    ),
    "bell in an alias": (
        air("aliases: [AIR]", 'aliases: ["A\\aIR"]'),
        ("a-air.yaml", AIR_PROGRAM, "aliases", "control character U+0007"),
    ),
    "tab in a one-line text": (
        air("name_en: Alibaba Group", 'name_en: "Alibaba\\tGroup"'),
        ("a-air.yaml", ALIBABA, "name_en", "control character U+0009"),
    ),
    "text year": (
        air("start_year: 2017", 'start_year: "2017"'),
        ("a-air.yaml", AIR_PROGRAM, "start_year", "expected a whole number"),
    ),
    "fractional year": (
        air("start_year: 2017", "start_year: 2017.5"),
        ("a-air.yaml", AIR_PROGRAM, "start_year", "expected a whole number"),
    ),
    "boolean year": (
        air("start_year: 2017", "start_year: true"),
        ("a-air.yaml", AIR_PROGRAM, "start_year", "expected a whole number"),
    ),
    "implausible year": (
        air("start_year: 2017", "start_year: 1017"),
        ("a-air.yaml", AIR_PROGRAM, "start_year", "greater than or equal to 1900"),
    ),
    "reversed years": (
        air("start_year: 2017", "start_year: 2017\n    end_year: 2016"),
        ("a-air.yaml", AIR_PROGRAM, "start_year, end_year", "The end year cannot come before the start year."),
    ),
    "year far ahead": (
        air("year: 2022", "year: 99999"),
        ("a-air.yaml", "edition/alibaba-air-2022", "year", "less than or equal to 2100"),
    ),
    "negative count": (
        air("project_count: 15", "project_count: -15"),
        ("a-air.yaml", "edition/alibaba-air-2022", "project_count", "greater than or equal to 0"),
    ),
    "negative amount": (
        ant("amount: 200000", "amount: -200000"),
        ("b-ant.yaml", "program/ant-intech-award", "amount", "greater than or equal to 0"),
    ),
    "amount that is not a number": (
        ant("amount: 200000", "amount: 二十万"),
        ("b-ant.yaml", "program/ant-intech-award", "amount", "expected a number"),
    ),
    "infinite amount": (
        ant("amount: 200000", "amount: .inf"),
        ("b-ant.yaml", "program/ant-intech-award", "amount", "expected a finite number"),
    ),
    "amount that is not a number (NaN)": (
        ant("amount: 200000", "amount: .nan"),
        ("b-ant.yaml", "program/ant-intech-award", "amount", "expected a finite number"),
    ),
    "amount too large": (
        ant("amount: 200000", "amount: 1e30"),
        ("b-ant.yaml", "program/ant-intech-award", "amount", "digits"),
    ),
    "amount without currency": (
        ant("currency: CNY", "currency: null"),
        ("b-ant.yaml", "program/ant-intech-award", "amount, currency", "An amount needs its currency."),
    ),
    "currency that is not ISO 4217": (
        ant("currency: CNY", "currency: RMB"),
        ("b-ant.yaml", "program/ant-intech-award", "currency", "ISO 4217"),
    ),
    "country that is not ISO 3166-1": (
        air("country: CN", "country: XX"),
        ("a-air.yaml", ALIBABA, "country", "'XX' is not a valid code for country"),
    ),
    "language not listed": (
        air("language: zh-Hans", "language: fr"),
        ("a-air.yaml", "source/air-article", "language", "'fr' is not one of: zh-Hans, zh-Hant, en"),
    ),
    "unknown kind": (
        air(PROGRAM_KIND, "    kind: laboratory\n"),
        ("a-air.yaml", AIR_PROGRAM, "kind", "'laboratory' is not one of: joint_lab, research_fund"),
    ),
    "unknown role in a link": (
        air("{organization: sjtu, role: partner}", "{organization: sjtu, role: boss}"),
        ("a-air.yaml", AIR_PROGRAM, "participants[1].role", "'boss' is not one of"),
    ),
    "text that is no address": (
        air("country: CN", "country: CN\n    website: not a url"),
        ("a-air.yaml", ALIBABA, "website", "Enter a valid URL."),
    ),
    "script address": (
        air("country: CN", "country: CN\n    website: javascript:alert(1)"),
        ("a-air.yaml", ALIBABA, "website", "Enter a valid URL."),
    ),
    "file address": (
        air("country: CN", "country: CN\n    website: file:///etc/passwd"),
        ("a-air.yaml", ALIBABA, "website", "Enter a valid URL."),
    ),
    "invalid slug": (
        air("slug: taobao-tech", "slug: 大淘宝"),
        ("a-air.yaml", "organization/大淘宝", "slug", "Enter a valid “slug”"),
    ),
    "slug with a NUL": (
        air("slug: taobao-tech", 'slug: "taobao\\0tech"'),
        ("a-air.yaml", "organization/taobao\x00tech", "slug", "Enter a valid “slug”"),
    ),
    "impossible date": (
        air("published_on: 2023-03-24", "published_on: 2023-02-30"),
        ("a-air.yaml", "source/air-article", "published_on", "expected a date (YYYY-MM-DD)"),
    ),
    "impossible date as text": (
        air("published_on: 2023-03-24", "published_on: '2023-13-01'"),
        ("a-air.yaml", "source/air-article", "published_on", "expected a date (YYYY-MM-DD)"),
    ),
    # References
    "dangling reference": (
        air("{organization: sjtu, role: partner}", "{organization: nowhere, role: partner}"),
        ("a-air.yaml", AIR_PROGRAM, "participants[1].organization", "no organization with slug 'nowhere'"),
    ),
    "reference to a record of another type": (
        air("{organization: sjtu, role: partner}", "{organization: alibaba-air, role: partner}"),
        ("a-air.yaml", AIR_PROGRAM, "participants[1].organization", "no organization with slug 'alibaba-air'"),
    ),
    "reference that is not a slug": (
        air("parent: alibaba-group", "parent: 42"),
        ("a-air.yaml", "organization/taobao-tech", "parent", "expected the slug of a organization (text)"),
    ),
    "mapping for a slug in a list": (
        air("research_areas: [artificial-intelligence]", "research_areas: [{slug: artificial-intelligence}]"),
        ("a-air.yaml", AIR_PROGRAM, "research_areas", "expected the slug of a research_area (text)"),
    ),
    "list for a list of slugs": (
        air("research_areas: [artificial-intelligence]", "research_areas: artificial-intelligence"),
        ("a-air.yaml", AIR_PROGRAM, "research_areas", "expected a list of slugs"),
    ),
    "mapping as a key": (
        air("    kind: research_fund\n", "    kind: research_fund\n    ? {a: 1}\n    : x\n"),
        ("a-air.yaml", AIR_PROGRAM, "frozenset({('a', 1)})", "unknown field; expected one of:"),
    ),
    "reference with a NUL": (
        air("{organization: sjtu, role: partner}", '{organization: "sj\\0tu", role: partner}'),
        ("a-air.yaml", AIR_PROGRAM, "participants[1].organization", "no organization with slug 'sj\\x00tu'"),
    ),
    "own parent": (
        air("parent: alibaba-group", "parent: taobao-tech"),
        ("a-air.yaml", "organization/taobao-tech", "parent", "An organization cannot be its own parent."),
    ),
    "cycle of parents": (
        ant("    kind: award\n", "    kind: award\n    parent: ant-intech-scholarship\n"),
        ("b-ant.yaml", "program/ant-intech-award", "parent", "the chain of parents loops back to this record"),
    ),
    "duplicate slug across files": (
        {"c-copy.yaml": THIRD + "organizations:\n  - {slug: sjtu, name: 上交, kind: university, quote: 上交。}\n"},
        ("c-copy.yaml", "organization/sjtu", "slug", "this slug is already defined in"),
    ),
    "citation of an unknown record type": (
        ant("record: organization/sjtu", "record: university/sjtu"),
        ("b-ant.yaml", "citations[0]", "record", "unknown record type 'university'"),
    ),
    "citation of a missing record": (
        ant("record: organization/sjtu", "record: organization/nowhere"),
        ("b-ant.yaml", "citations[0]", "record", "no organization with slug 'nowhere'"),
    ),
    # Links and citations
    "link that is not a mapping": (
        air("{organization: sjtu, role: partner}", "sjtu"),
        ("a-air.yaml", AIR_PROGRAM, "participants[1]", "a link must be a mapping of fields"),
    ),
    "links that are not a list": (
        air("affiliations:\n      - {organization: sjtu, title: 教师, is_current: true}", "affiliations: sjtu"),
        ("a-air.yaml", "person/zheng-zhenzhe", "affiliations", "expected a list"),
    ),
    "reversed years on a link": (
        ant("start_year: 2015, end_year: 2016", "start_year: 2016, end_year: 2015"),
        ("b-ant.yaml", "person/wang-limin", "affiliations[0].start_year, end_year", "end year cannot come before"),
    ),
    "current position that ended": (
        air("is_current: true", "is_current: true, end_year: 2020"),
        ("a-air.yaml", "person/zheng-zhenzhe", "affiliations[0].is_current, end_year", "cannot have an end year"),
    ),
    "same link twice": (
        air("{organization: sjtu, role: partner}", "{organization: alibaba-group, role: sponsor}"),
        ("a-air.yaml", AIR_PROGRAM, "participants[1]", "the same link as participants[0]"),
    ),
    "edition of another programme": (
        ant(
            "{program: ant-intech-award, role: awardee, year: 2025}",
            "{program: ant-intech-award, role: awardee, edition: alibaba-air-2022}",
        ),
        ("b-ant.yaml", "person/wang-limin", "involvements[0].edition", "The edition belongs to another programme."),
    ),
    "edition round twice": (
        {
            "c-more.yaml": THIRD + "editions:\n"
            "  - {slug: air-2022-again, program: alibaba-air, year: 2022, label: '2022', quote: 又一次。}\n"
        },
        ("c-more.yaml", "edition/air-2022-again", "program, year, label", "already has an edition with this year"),
    ),
    "record without a citation": (
        air("    quote: 大淘宝技术团队和他将机器学习引入拍卖机制设计。\n", ""),
        ("a-air.yaml", "organization/taobao-tech", "quote", "every record cites its source"),
    ),
    "citation without quote": (
        ant("{record: program/alibaba-air, quote: 蚂蚁集团与阿里巴巴。}", "{record: program/alibaba-air}"),
        ("b-ant.yaml", AIR_PROGRAM, "quote", "a citation needs a quote (text)"),
    ),
    "repair flag that is not a boolean": (
        ant(
            "    quote: 首次发起了面向学术界的蚂蚁InTech科技奖。\n",
            "    quote: 首次发起。\n    quote_repaired: 'yes'\n",
        ),
        ("b-ant.yaml", "program/ant-intech-award", "quote_repaired", "expected true or false"),
    ),
    "repair flag without a quote": (
        ant(
            "{record: program/alibaba-air, quote: 蚂蚁集团与阿里巴巴。}",
            "{record: program/alibaba-air, quote_repaired: true}",
        ),
        ("b-ant.yaml", AIR_PROGRAM, "quote", "a citation needs a quote (text)"),
    ),
    "quote in a file without a source": (
        {"c-loose.yaml": "organizations:\n  - {slug: loose, name: 散, kind: other, quote: 无来源。}\n"},
        ("c-loose.yaml", "-", "source", "this file quotes records but has no source to quote"),
    ),
    # Qualifiers and flags
    "unknown qualifier": (
        ant("application_count_qualifier: about", "application_count_qualifier: more_than"),
        ("b-ant.yaml", "edition/ant-intech-2025", "application_count_qualifier", "'more_than' is not one of"),
    ),
    "qualifier without its figure": (
        ant("    recipient_count: 10\n", "    recipient_count: null\n    recipient_count_qualifier: at_least\n"),
        (
            "b-ant.yaml",
            "edition/ant-intech-2025",
            "recipient_count, recipient_count_qualifier",
            "A qualifier needs the figure it qualifies.",
        ),
    ),
    "years no source gives": (
        ant("    years_not_in_sources: true\n", "    years_not_in_sources: true\n    start_year: 2025\n"),
        (
            "b-ant.yaml",
            "program/ant-intech-scholarship",
            "years_not_in_sources, start_year, end_year",
            "A record whose sources give no year cannot have one.",
        ),
    ),
    "flag that is not a boolean": (
        ant("name_is_descriptive: true", "name_is_descriptive: 'yes'"),
        ("b-ant.yaml", "program/ant-intech-scholarship", "name_is_descriptive", "expected true or false"),
    ),
}


def problems_of(problems) -> list[tuple]:
    return [(Path(p.file).name, p.record, p.field, p.message) for p in problems]


def assert_reported(problems, expected):
    file, record, field, fragment = expected
    reported = problems_of(problems)
    assert any(
        (name, rec, fld) == (file, record, field) and fragment in message for name, rec, fld, message in reported
    ), reported


@pytest.fixture
def imported():
    """The valid files already imported: a refused import must leave exactly this."""
    run_import(VALID)
    return database_state()


@pytest.fixture
def folder(tmp_path):
    return write(tmp_path / "data", {"a-air.yaml": AIR, "b-ant.yaml": ANT})


def test_the_table_covers_enough_kinds_of_bad_input():
    assert len(MALFORMED) >= 25


@pytest.mark.parametrize(("files", "expected"), MALFORMED.values(), ids=MALFORMED.keys())
def test_import_refuses_it_and_changes_nothing(folder, imported, files, expected):
    write(folder, files)
    with pytest.raises(FixtureError) as error, translation.override("en"):
        fixtures_import(paths=[folder])
    assert_reported(error.value.problems, expected)
    assert str(next(iter(error.value.problems))).startswith(str(folder))
    assert database_state() == imported


@pytest.mark.parametrize(("files", "expected"), MALFORMED.values(), ids=MALFORMED.keys())
def test_the_admin_upload_refuses_it_and_changes_nothing(editor_client, folder, imported, files, expected):
    write(folder, files)
    uploads = [
        SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/yaml")
        for path in sorted(folder.iterdir())
    ]
    with translation.override("en"):
        url = reverse("admin:fixture_import")
    response = editor_client.post(url, {"files": uploads, "import": "1"})
    assert response.status_code == 200
    assert_reported(response.context["problems"], expected)
    assert database_state() == imported


def test_the_command_prints_each_problem_and_fails(folder, imported):
    write(folder, MALFORMED["currency that is not ISO 4217"][0])
    with pytest.raises(CommandError, match="1 problem"):
        run_import(folder)
    assert database_state() == imported
