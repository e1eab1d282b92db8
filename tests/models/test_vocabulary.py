"""The domain's vocabulary is defined once, on the models: sectors, the page's language, how a record
is named, the plausible years, the published status. Everything else reads those definitions."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from programs import models
from programs.models import MAX_YEAR, MIN_YEAR, OrganizationKind, Sector, is_english
from tests import factories as f
from tests.helpers import ROOT

DEFINITIONS = ROOT / "programs" / "models" / "base.py"


def production_sources():
    for path in sorted([*ROOT.glob("programs/**/*.py"), *ROOT.glob("tracker/*.py"), *ROOT.glob("templates/**/*.html")]):
        if "migrations" not in path.parts and path != DEFINITIONS:
            yield path, path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("the published status", r"""["']published["']"""),
        ("the test of an English page", r"""startswith\(["']en["']\)"""),
        ("the plausible years", rf"\b({MIN_YEAR}|{MAX_YEAR})\b"),
    ],
)
def test_defined_only_on_the_models(what, pattern):
    repeated = [str(path.relative_to(ROOT)) for path, text in production_sources() if re.search(pattern, text)]
    assert repeated == [], what


def test_every_organization_kind_is_in_exactly_one_sector():
    assert sorted(kind for sector in Sector for kind in sector.kinds) == sorted(OrganizationKind)
    assert OrganizationKind.UNIVERSITY.sector == Sector.ACADEMIA
    assert OrganizationKind.COMPANY.sector == Sector.INDUSTRY
    assert OrganizationKind.GOVERNMENT.sector == Sector.OTHER
    assert f.CompanyFactory.build().sector == Sector.INDUSTRY


@pytest.mark.parametrize(("language", "english"), [("en", True), ("en-gb", True), ("zh-hans", False)])
def test_is_english(language, english):
    with translation.override(language):
        assert is_english() is english


@pytest.mark.django_db
def test_links_are_named_after_what_they_join_in_either_language():
    company = f.CompanyFactory(name="腾讯", name_en="Tencent")
    lab = f.ProgramFactory(name="联合实验室", name_en="")
    person = f.PersonFactory(name="张三", name_en="Zhang San")
    records = {
        f.ParticipationFactory(program=lab, organization=company): (
            "腾讯 · 出资方 · 联合实验室",
            "Tencent · Sponsor · 联合实验室",
        ),
        f.AffiliationFactory(person=person, organization=company, title="研究员", title_en=""): (
            "张三 · 腾讯 · 研究员",
            "Zhang San · Tencent · 研究员",
        ),
        f.EditionFactory(program=lab, label="第二届", label_en="Second round"): (
            "联合实验室 · 第二届",
            "联合实验室 · Second round",
        ),
        f.InvolvementFactory(person=person, program=lab): (
            "张三 · 获奖者 · 联合实验室",
            "Zhang San · Awardee · 联合实验室",
        ),
        f.ProjectMemberFactory(person=person, project__title="课题", project__title_en="A project"): (
            "张三 · 成员 · 课题",
            "Zhang San · Member · A project",
        ),
        lab: ("联合实验室", "联合实验室"),
    }
    for record, (chinese, english) in records.items():
        assert (record.name_in(english=False), record.name_in(english=True)) == (chinese, english)
        assert str(record) == chinese
        with translation.override("en"):
            assert record.display_name == english
            assert str(record) == chinese


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["program-list", "project-list", "source-list"])
def test_year_inputs_take_their_bounds_from_the_models(client, name):
    page = client.get(reverse(f"programs:{name}")).content.decode()
    inputs = re.findall(r'<input type="number"[^>]*>', page)
    assert inputs
    assert all(f'min="{MIN_YEAR}" max="{MAX_YEAR}"' in tag for tag in inputs), inputs


def test_the_published_status_is_the_models():
    from programs.models.querysets import PUBLISHED

    assert PUBLISHED == models.Status.PUBLISHED
