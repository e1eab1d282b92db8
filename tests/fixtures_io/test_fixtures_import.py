"""import_fixtures: what good files write, and how (malformed files: tests/fixtures_io/test_fixtures_bad_input.py)."""

import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from programs import models
from programs.fixtures_io import FixtureError, fixtures_import
from tests.helpers import AIR, ANT, PROGRAM_KIND, VALID, air_with, database_state, run_import, write

pytestmark = pytest.mark.django_db


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    broken = air_with(PROGRAM_KIND, "    kind: laboratory\n    budget: 5\n")
    broken = broken.replace("start_year: 2017", "start_year: 2017\n    end_year: 2016")
    folder = write(tmp_path / "data", {"a-air.yaml": broken, "b-ant.yaml": ANT.replace("amount: 200000", "amount: -1")})
    err = StringIO()
    with pytest.raises(CommandError, match="4 problem"):
        call_command("import_fixtures", str(folder), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 4
    assert any("kind: 'laboratory' is not one of" in line for line in lines)
    assert any("budget: unknown field" in line for line in lines)
    assert any("The end year cannot come before the start year." in line for line in lines)
    assert any(
        "program/ant-intech-award: amount: Ensure this value is greater than or equal to 0." in line for line in lines
    )
    assert models.Program.objects.count() == 0


def test_missing_folder_or_no_yaml_files(tmp_path):
    with pytest.raises(CommandError):
        run_import(tmp_path)
    with translation.override("en"):
        with pytest.raises(FixtureError, match=r"no \.yaml fixture files found"):
            fixtures_import(paths=[tmp_path])
        with pytest.raises(FixtureError, match="cannot read the file"):
            fixtures_import(paths=[tmp_path / "absent.yaml"])


def test_import_creates_everything_with_relations():
    out, _err = run_import(VALID)
    assert "programmes: 3 created, 0 updated, 0 unchanged" in out
    assert "citations: 17 created, 0 updated, 0 unchanged" in out

    air = models.Program.objects.get(slug="alibaba-air")
    assert air.name_en == "Alibaba Innovative Research (AIR)"
    assert air.aliases == ["AIR"]
    assert air.summary == "高校学者与阿里巴巴工程师共同研究前沿技术问题。\n提供开放性研究基金。\n"
    assert air.status == models.Status.PUBLISHED and air.published_at is not None
    assert [a.slug for a in air.research_areas.all()] == ["artificial-intelligence"]
    assert {(p.organization.slug, p.role) for p in air.participations.all()} == {
        ("alibaba-group", "sponsor"),
        ("sjtu", "partner"),
    }
    scholarship = models.Program.objects.get(slug="ant-intech-scholarship")
    assert scholarship.parent.slug == "ant-intech-award"
    assert scholarship.amount == Decimal("50000.50")
    assert scholarship.status == models.Status.DRAFT and scholarship.published_at is None
    assert scholarship.name_is_descriptive and scholarship.years_not_in_sources
    assert not air.name_is_descriptive and not air.years_not_in_sources
    round_two = models.Edition.objects.get(slug="ant-intech-2025")
    assert (round_two.recipient_count, round_two.recipient_count_qualifier) == (10, "")
    assert (round_two.application_count, round_two.application_count_qualifier) == (300, models.Qualifier.ABOUT)
    assert round_two.applications_display == "≈ 300"
    assert models.Organization.objects.get(slug="taobao-tech").parent.slug == "alibaba-group"

    edition = models.Edition.objects.get(slug="alibaba-air-2022")
    assert (edition.program, edition.year, edition.project_count) == (air, 2022, 15)
    involvement = models.Involvement.objects.get(person__slug="zheng-zhenzhe")
    assert (involvement.edition, involvement.role) == (edition, "lead")
    member = models.ProjectMember.objects.get()
    assert (member.project.slug, member.person.slug, member.organization.slug) == (
        "device-cloud-recommendation",
        "zheng-zhenzhe",
        "sjtu",
    )

    sjtu = models.Organization.objects.get(slug="sjtu")
    assert sorted(c.source.slug for c in sjtu.citations.all()) == ["air-article", "intech-article"]
    citation = air.citations.get(source__slug="air-article")
    assert citation.locator == "导语"
    assert citation.quote.startswith("阿里巴巴创新研究计划") and citation.quote.endswith("AIR）。")
    affiliation = models.Affiliation.objects.get(person__slug="wang-limin")
    assert affiliation.citations.get().source.slug == "air-article"
    # Quotes that repair the article's conversion noise say so, wherever they are given.
    assert set(models.Citation.objects.filter(quote_repaired=True).values_list("quote", flat=True)) == {
        "螺蚁集团20周年之际，首次发起了面向学术界的蚂蚁InTech科技奖。",
        "上海交通大学人工智能学院助理教授。",
    }


def test_second_run_changes_nothing_and_says_so():
    run_import(VALID)
    before = database_state()
    out, _err = run_import(VALID)
    assert "Nothing to do: the database already matches the files." in out
    assert "programmes: 0 created, 0 updated, 3 unchanged" in out
    assert database_state() == before


def test_dry_run_lists_changes_and_writes_nothing(tmp_path):
    run_import(VALID)
    before = database_state()
    folder = write(
        tmp_path / "data", {"a-air.yaml": air_with("start_year: 2017", "start_year: 2016"), "b-ant.yaml": ANT}
    )
    out, _err = run_import(folder, dry_run=True)
    assert "programmes: 0 created, 1 updated, 2 unchanged" in out
    assert "  ~ programme program/alibaba-air: start_year" in out
    assert "Dry run: nothing was written." in out
    assert database_state() == before


def test_update_touches_only_supplied_fields_and_records_history(tmp_path, admin_user):
    run_import(VALID)
    air = models.Program.objects.get(slug="alibaba-air")
    air.website = "https://air.alibaba.com/"
    air.save()
    edited = air.updated_at
    folder = write(
        tmp_path / "data", {"a-air.yaml": air_with("start_year: 2017", "start_year: 2016"), "b-ant.yaml": ANT}
    )
    out, _err = run_import(folder, user=admin_user.username)
    assert "programmes: 0 created, 1 updated, 2 unchanged" in out
    air.refresh_from_db()
    assert air.start_year == 2016
    assert air.website == "https://air.alibaba.com/"  # not in the file: left as it was
    assert air.updated_at > edited
    latest = air.history.first()
    assert (latest.start_year, latest.history_type, latest.history_user) == (2016, "~", admin_user)
    assert latest.history_change_reason == "import_fixtures"
    assert [area.researcharea.slug for area in latest.research_areas.all()] == ["artificial-intelligence"]


def test_null_clears_a_field(tmp_path):
    run_import(VALID)
    folder = write(
        tmp_path / "data", {"a-air.yaml": air_with("start_year: 2017", "start_year: null"), "b-ant.yaml": ANT}
    )
    run_import(folder)
    assert models.Program.objects.get(slug="alibaba-air").start_year is None


def test_research_areas_are_replaced_by_the_files(tmp_path):
    run_import(VALID)
    extra = air_with(
        "research_areas: [artificial-intelligence]",
        "research_areas: [artificial-intelligence, cloud]",
    ).replace(
        "research_areas:\n",
        "research_areas:\n  - {slug: cloud, name: 云计算, name_en: Cloud computing, quote: 云计算。}\n",
        1,
    )
    folder = write(tmp_path / "data", {"a-air.yaml": extra, "b-ant.yaml": ANT})
    out, _err = run_import(folder)
    assert "  ~ programme program/alibaba-air: research_areas" not in out  # listed only with --dry-run or -v2
    air = models.Program.objects.get(slug="alibaba-air")
    assert sorted(area.slug for area in air.research_areas.all()) == ["artificial-intelligence", "cloud"]
    assert sorted(r.researcharea.slug for r in air.history.first().research_areas.all()) == [
        "artificial-intelligence",
        "cloud",
    ]


def test_references_may_name_records_already_in_the_database(tmp_path):
    run_import(VALID)
    folder = write(
        tmp_path / "later",
        {
            "c-new.yaml": "source: {slug: third, title: 第三篇, language: en}\n"
            "programs:\n"
            "  - slug: sjtu-ant-lab\n"
            "    name: 上海交大-蚂蚁联合实验室\n"
            "    kind: joint_lab\n"
            "    participants: [{organization: sjtu, role: host}, {organization: ant-group, role: sponsor}]\n"
            "    quote: 联合实验室。\n",
        },
    )
    out, _err = run_import(folder)
    assert "programmes: 1 created, 0 updated, 0 unchanged" in out
    lab = models.Program.objects.get(slug="sjtu-ant-lab")
    assert sorted(lab.organizations.values_list("slug", flat=True)) == ["ant-group", "sjtu"]


def test_unknown_user_is_refused_before_anything_is_read():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run_import(VALID, user="nobody")
    assert models.Program.objects.count() == 0


def test_single_files_can_be_named(tmp_path):
    folder = write(tmp_path / "data", {"a-air.yaml": AIR, "b-ant.yaml": ANT})
    shutil.copy(folder / "a-air.yaml", tmp_path / "copy.yml")
    out, _err = run_import(folder / "a-air.yaml", folder / "b-ant.yaml")
    assert "Imported." in out
