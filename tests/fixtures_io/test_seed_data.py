"""The curated data shipped in data/ imports cleanly, cites its articles and reads as a curator left it."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from programs import models
from programs.curation.data_checks import name_key
from tests.helpers import DATA

DATA = DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("import_fixtures", str(DATA), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_shipped_data_imports_and_a_second_run_changes_nothing(seeded):
    assert "Imported." in seeded
    out = StringIO()
    call_command("import_fixtures", str(DATA), stdout=out)
    assert "Nothing to do" in out.getvalue()


def test_one_source_per_file_and_every_source_cited(seeded):
    assert models.Source.objects.count() == len(list(DATA.glob("*.yaml")))
    for source in models.Source.objects.all():
        assert source.citations.exists(), source.slug


@pytest.mark.parametrize(
    "model",
    [models.Organization, models.Program, models.Person, models.Project, models.ResearchArea, models.Edition],
    ids=lambda model: model._meta.model_name,
)
def test_every_published_record_cites_an_article(seeded, model):
    records = model.objects.published()
    assert records.exists()
    uncited = [record.slug for record in records if not record.citations.exists()]
    assert uncited == []


def test_the_data_covers_the_articles(seeded):
    assert models.Program.objects.published().count() >= 40
    kinds = set(models.Program.objects.values_list("kind", flat=True))
    assert {"joint_lab", "research_fund", "award", "scholarship", "postdoc_station", "internship"} <= kinds
    assert models.Affiliation.objects.filter(organization__kind="company").exists()
    assert models.Edition.objects.filter(recipient_count__isnull=False, amount__isnull=False).exists()


def test_the_data_passes_check_data(seeded):
    out = StringIO()
    call_command("check_data", stdout=out)
    assert "No problems found." in out.getvalue()


def test_names_the_articles_never_give_are_flagged_as_descriptions(seeded):
    assert set(models.Program.objects.filter(name_is_descriptive=True).values_list("slug", flat=True)) == {
        "ant-group-intech-phd-scholarship",
        "ant-group-research-funds",
        "ant-group-university-joint-labs",
        "ant-group-university-talent-programs",
        "nju-3d-vision-team-industry-collaboration",
        "nju-faculty-fast-track-recruitment",
        "sensetime-collaborative-education-system",
        "sensetime-joint-labs",
        "sensetime-tsinghua-sz-joint-graduate-training-base",
        "sensetime-university-innovation-consortium",
        "uestc-medical-engineering-projects",
    }
    assert list(models.Project.objects.filter(name_is_descriptive=True).values_list("slug", flat=True)) == [
        "deep-learning-auction-mechanism-design"
    ]
    assert models.Source.objects.get(name_is_descriptive=True).slug == "nju-intelligence-science-industry-talent-2025"


def test_every_programme_alias_is_a_name_its_articles_give(seeded):
    """No alias is made up: each appears in a quote of its programme (as the check compares names)."""
    for program in models.Program.objects.prefetch_related("citations"):
        quotes = [name_key(citation.quote) for citation in program.citations.all()]
        for alias in program.aliases:
            assert any(name_key(alias) in quote for quote in quotes), (program.slug, alias)
    assert "商汤泰坦计划" not in models.Program.objects.get(slug="sensetime-titan-program").aliases


def test_facts_sit_on_the_record_they_are_about(seeded):
    # The 15 of 2022 are the award-winning outstanding projects, not all of the AIR programme's.
    assert not models.Edition.objects.filter(program__slug="alibaba-air").exists()
    outstanding = models.Edition.objects.get(program__slug="alibaba-outstanding-academic-collaboration-projects")
    assert (outstanding.year, outstanding.project_count, outstanding.project_count_qualifier) == (2022, 15, "")
    assert outstanding.program.parent.slug == "alibaba-air"
    assert outstanding.projects.count() == 3
    # "超过400支队伍" is at least 400.
    wider = models.Edition.objects.get(slug="wider-face-pedestrian-challenge-2018")
    assert (wider.application_count, wider.application_count_qualifier) == (400, models.Qualifier.AT_LEAST)
    # No article names a project lead.
    assert set(models.ProjectMember.objects.values_list("role", flat=True)) == {models.MemberRole.MEMBER}
    # Tai Ying joined Tencent in 2017; the article names YouTu Lab only for his later post.
    first = models.Person.objects.get(slug="tai-ying").affiliations.order_by("start_year").exclude(start_year=None)[0]
    assert (first.organization.slug, first.start_year) == ("tencent", 2017)
    # 80 % of AIR's Chinese applications came from 985 universities and CAS: applying is not taking part.
    air = models.Program.objects.get(slug="alibaba-air")
    assert not air.participations.filter(organization__slug="chinese-academy-of-sciences").exists()
    assert set(air.participations.values_list("role", flat=True)) == {"sponsor", "participant"}


def test_kinds_and_english_names_are_the_official_ones(seeded):
    assert (
        models.Organization.objects.get(slug="alibaba-damo-academy").kind == models.OrganizationKind.RESEARCH_INSTITUTE
    )
    bert, gpt3 = (models.Program.objects.get(slug=slug) for slug in ("google-bert", "openai-gpt-3"))
    assert bert.kind == gpt3.kind == models.ProgramKind.OPEN_PLATFORM
    english = dict(models.Program.objects.values_list("slug", "name_en"))
    assert english["tencent-science-exploration-prize"] == "Xplorer Prize"
    assert english["alibaba-qingcheng-award"] == "Alibaba DAMO Academy Young Fellow"
    assert english["global-university-ai-academic-alliance"] == "Global AI Academic Alliance"
    assert models.Person.objects.get(slug="lyu-chengfei").name_en == "Lyu Chengfei"


def test_english_names_are_british_unless_the_organisers_own(seeded):
    """Curators write "Programme"; an organiser's official English name keeps its own spelling."""
    official = dict(models.Program.objects.filter(name_en_is_official=True).values_list("slug", "name_en"))
    assert official["alibaba-research-intern-program"] == "Alibaba Research Intern Program"
    assert official["alibaba-air"] == "Alibaba Innovative Research (AIR)"
    curators = models.Program.objects.filter(name_en_is_official=False).exclude(name_en=F("name"))
    assert not curators.filter(name_en__regex=r"\bPrograms?\b").exists()
    assert curators.get(slug="huawei-genius-youth-program").name_en == "Huawei Genius Youth Programme"


def test_the_essays_examples_say_it_is_their_only_source(seeded):
    essay = models.Source.objects.get(slug="foundation-model-academia-industry-collaboration")
    programs = models.Program.objects.filter(citations__source=essay).distinct()
    assert programs.count() == 8
    for program in programs:
        assert "唯一来源" in program.summary and "only source" in program.summary_en, program.slug


def test_quotes_repair_conversion_noise_and_say_so(seeded):
    """The two articles a broken converter produced carry pinyin in brackets and garbled characters:
    no quote keeps them, and each quote that left them out says so; the other articles need no repair."""
    noise = re.compile(r"[\u4e00-\u9fff](\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)|\?[\u4e00-\u9fff])")
    assert [c.quote for c in models.Citation.objects.all() if noise.search(c.quote)] == []
    repaired = models.Citation.objects.filter(quote_repaired=True)
    assert set(repaired.values_list("source__language", flat=True)) == {"zh-Hant"}
    assert repaired.count() > models.Citation.objects.filter(source__language="zh-Hant").count() * 0.9
    dongarra = models.Person.objects.get(slug="jack-dongarra").citations.get()
    assert "杰克·唐家拉" in dongarra.quote and dongarra.quote_repaired


def test_what_only_the_article_vouches_for_reads_as_its_claim(seeded):
    db_gpt = models.Program.objects.get(slug="db-gpt")
    assert "文章称它一年间获得近 14 万 Star" in db_gpt.summary and "远多于项目 GitHub 仓库" in db_gpt.summary
    assert "According to the article it gathered nearly 140,000 stars" in db_gpt.summary_en
    assert "far more than its GitHub repository shows" in db_gpt.summary_en
    for slug in ("skysense", "internvideo"):
        program = models.Program.objects.get(slug=slug)
        assert "文章称" in program.summary and "according to the article" in program.summary_en, slug


PROSE = (
    "summary",
    "summary_en",
    "description",
    "description_en",
    "bio",
    "bio_en",
    "notes",
    "notes_en",
    "outcomes",
    "outcomes_en",
)
RELATIVE = re.compile(r"今年|去年|明年|前年|近日|最近|日前|this year|last year|next year|recently", re.I)


@pytest.mark.parametrize(
    "model",
    [models.Source, models.Organization, models.Program, models.Edition, models.Person, models.Project],
    ids=lambda model: model._meta.model_name,
)
def test_text_written_for_the_tracker_resolves_relative_dates(seeded, model):
    """Quotes keep the article's 今年 or 去年; summaries, bios and notes say which year (the article's
    words may be cited in quotation marks)."""
    fields = [name for name in PROSE if hasattr(model, name)]
    for values in model.objects.values_list("slug", *fields):
        for value in values[1:]:
            unquoted = re.sub(r"“[^”]*”|\"[^\"]*\"", "", value)
            assert not RELATIVE.search(unquoted), (values[0], value)


def test_relative_dates_are_read_against_the_articles_date(seeded):
    xu_ke = models.Affiliation.objects.get(person__slug="xu-ke", organization__slug__startswith="nju-")
    assert xu_ke.start_year == 2025 and "今年2月" in xu_ke.citations.get().quote
    nan_kepan = models.Affiliation.objects.get(person__slug="nan-kepan", title="博士生")
    assert nan_kepan.start_year == 2024 and "去年9月" in nan_kepan.citations.get().quote
    # "最近" gives no year: none is recorded, and the summary says what is known.
    recent = models.Program.objects.get(slug="uestc-medical-engineering-projects")
    assert recent.years_not_in_sources and "shortly before the article (2025)" in recent.summary_en
    assert models.Affiliation.objects.get(person__slug="li-feifei", organization__slug="google").end_year == 2018


def test_quotes_are_short(seeded):
    too_long = [c.quote for c in models.Citation.objects.all() if len(c.quote) > 200]
    assert too_long == []


@pytest.mark.django_db(transaction=True)
def test_shipped_data_round_trips_through_export(tmp_path):
    call_command("import_fixtures", str(DATA), stdout=StringIO())
    call_command("export_fixtures", str(tmp_path / "first"), stdout=StringIO())
    call_command("flush", "--noinput", verbosity=0)
    call_command("import_fixtures", str(tmp_path / "first"), stdout=StringIO())
    call_command("export_fixtures", str(tmp_path / "second"), stdout=StringIO())
    first = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "first").iterdir()}
    second = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "second").iterdir()}
    assert len(first) == 5
    assert second == first
    assert "application_count_qualifier: at_least" in first["sensetime-academic-style-2019.yaml"]
