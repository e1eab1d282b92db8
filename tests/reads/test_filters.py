"""The list FilterSets: one test per filter, facets, sorting, and bad input for every filter."""

import pytest
from django.db import connection
from django.http import QueryDict

from programs import models
from programs.models import text
from programs.reads import filters, search
from tests import factories as f

pytestmark = pytest.mark.django_db


RECORDS = {
    filters.ProgramFilterSet: models.Program,
    filters.OrganizationFilterSet: models.Organization,
    filters.PersonFilterSet: models.Person,
    filters.ProjectFilterSet: models.Project,
    filters.SourceFilterSet: models.Source,
}


def run(filterset_class, query: str):
    """The records a list's filters select, in order."""
    filterset = filterset_class(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    records = RECORDS[filterset_class].objects.in_bulk()
    return [records[pk] for pk in filterset.qs.values_list("id", flat=True)]


def programs(query: str):
    return run(filters.ProgramFilterSet, query)


@pytest.fixture
def joint_lab(db):
    return f.ProgramFactory(
        name="阿里巴巴-浙江大学前沿技术联合研究中心",
        name_en="Alibaba-Zhejiang University Joint Lab of Frontier Technologies",
        aliases=["AZFT"],
        summary="校企共建的联合实验室",
        kind=models.ProgramKind.JOINT_LAB,
        lifecycle=models.Lifecycle.ACTIVE,
        start_year=2013,
    )


@pytest.fixture
def award(db):
    return f.ProgramFactory(
        name="青年科学家奖",
        name_en="Young Scientist Award",
        kind=models.ProgramKind.AWARD,
        lifecycle=models.Lifecycle.ENDED,
        start_year=2020,
    )


# Programmes: one test per filter


@pytest.mark.parametrize("query", ["实验室", "joint lab", "JOINT Lab", "azft", "校企共建", "  frontier   alibaba "])
def test_program_search_matches_names_aliases_and_summaries(joint_lab, award, query):
    assert programs(f"q={query}") == [joint_lab]


def test_program_search_blank_returns_everything(joint_lab, award):
    assert set(programs("q=%20%20")) == {joint_lab, award}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("院", {"清华大学人工智能研究院"}),
        ("清华", {"清华大学人工智能研究院"}),
        ("华清", set()),  # both characters present, but not side by side
        ("大学", {"清华大学人工智能研究院", "北京大学奖学金"}),
        ("大 奖", {"北京大学奖学金"}),
        ("学 实验室", set()),
        ("ai", {"清华大学人工智能研究院"}),
    ],
)
def test_program_search_finds_words_of_one_or_two_characters(query, expected):
    f.ProgramFactory(name="清华大学人工智能研究院", aliases=["THU AI"])
    f.ProgramFactory(name="北京大学奖学金")
    assert {program.name for program in programs(f"q={query}")} == expected


def test_the_database_keeps_every_chinese_character_a_short_word_may_hold():
    samples = "清华 AI 大学、㐀𠀀 ぁ한"
    expected = {char for char in samples if text.is_han(char)}
    assert expected == set("清华大学㐀𠀀")  # not the Latin letters, the punctuation, kana or hangul
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT programs_cjk_chars(%s)", [samples])
        assert set(cursor.fetchone()[0]) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_short_chinese_words_are_served_by_the_character_index():
    f.ProgramFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.matching(models.ProgramListing.objects.order_by(), search.read_query("院")).explain()
    assert "programs_program_listing_search_chars" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's column of Chinese characters")
def test_search_chars_hold_the_chinese_characters_of_each_searched_text():
    records = [
        f.ProgramFactory(name="清华 AI 实验室", aliases=["㐀豈"], summary_en="no Chinese here"),
        f.OrganizationFactory(name="Huawei", short_name="华为"),
        f.PersonFactory(name="Li", headline="教授"),
        f.ProjectFactory(title="Q", summary="量子计算"),
    ]
    for record in records:
        with connection.cursor() as cursor:
            table = f"programs_{record._meta.model_name}_listing"
            cursor.execute(f"SELECT search_chars, search_text FROM {table} WHERE id = %s", [record.pk])  # noqa: S608
            chars, searched = cursor.fetchone()
        assert chars and set(chars) == {char for char in searched if text.is_han(char)}, table


def test_facets_count_the_records_a_short_chinese_word_finds(joint_lab, award):
    filterset = filters.ProgramFilterSet(QueryDict("q=奖"))
    kinds = next(facet for facet in filterset.facets() if facet.name == "kind")
    assert [(value.value, value.count) for value in kinds.values if value.count] == [("award", 1)]


def test_program_search_treats_like_wildcards_literally(joint_lab, award):
    assert programs("q=%25") == []
    assert programs("q=_") == []


def test_program_kind(joint_lab, award):
    assert programs("kind=award") == [award]
    assert set(programs("kind=award&kind=joint_lab")) == {joint_lab, award}


def test_program_lifecycle(joint_lab, award):
    assert programs("lifecycle=ended") == [award]


def test_program_sponsor_partner_and_organization(joint_lab, award):
    company, university = f.CompanyFactory(), f.OrganizationFactory()
    f.ParticipationFactory(program=joint_lab, organization=company, role=models.ParticipationRole.SPONSOR)
    f.ParticipationFactory(program=joint_lab, organization=university, role=models.ParticipationRole.PARTNER)
    f.ParticipationFactory(program=award, organization=university, role=models.ParticipationRole.FUNDER)
    assert programs(f"sponsor={company.slug}") == [joint_lab]
    assert programs(f"sponsor={university.slug}") == [award]  # a funder counts as a sponsor
    assert programs(f"partner={university.slug}") == [joint_lab]
    assert programs(f"partner={company.slug}") == []
    assert set(programs(f"organization={university.slug}")) == {joint_lab, award}


def test_program_organization_kind(joint_lab, award):
    f.ParticipationFactory(program=joint_lab, organization=f.CompanyFactory())
    f.ParticipationFactory(program=award, organization=f.OrganizationFactory())
    assert programs("organization_kind=company") == [joint_lab]
    assert set(programs("organization_kind=company&organization_kind=university")) == {joint_lab, award}


def test_program_country(joint_lab, award):
    f.ParticipationFactory(program=joint_lab, organization=f.OrganizationFactory(country="HK"))
    f.ParticipationFactory(program=award, organization=f.OrganizationFactory(country="CN"))
    assert programs("country=HK") == [joint_lab]


def test_program_research_area(joint_lab, award):
    area = f.ResearchAreaFactory()
    joint_lab.research_areas.add(area)
    assert programs(f"research_area={area.slug}") == [joint_lab]


def test_program_start_year_range(joint_lab, award):
    assert programs("start_year_min=2015") == [award]
    assert programs("start_year_max=2015") == [joint_lab]
    assert programs("start_year_min=2013&start_year_max=2013") == [joint_lab]


def test_program_filters_combine(joint_lab, award):
    assert programs("kind=award&q=实验室") == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["joint_lab", "award"]),  # by Chinese name: 阿 before 青
        ("name", ["joint_lab", "award"]),
        ("-start_year", ["award", "joint_lab"]),
        ("start_year", ["joint_lab", "award"]),
        ("newest", ["award", "joint_lab"]),
    ],
)
def test_program_sort(joint_lab, award, sort, expected):
    records = {"joint_lab": joint_lab, "award": award}
    assert programs(f"sort={sort}") == [records[name] for name in expected]


def test_program_sort_by_name_follows_the_page_language(joint_lab, award):
    from django.utils import translation

    with translation.override("en"):
        assert programs("sort=name") == [joint_lab, award]  # Alibaba… before Young…
        award.name_en = "Academic award"
        award.save()
        assert programs("sort=name") == [award, joint_lab]


def test_filters_never_reach_drafts(joint_lab):
    draft_org = f.OrganizationFactory(status=models.Status.DRAFT)
    f.ParticipationFactory(program=joint_lab, organization=draft_org)
    f.ProgramFactory(status=models.Status.DRAFT, name="草稿实验室")
    filterset = filters.ProgramFilterSet(QueryDict(f"sponsor={draft_org.slug}"))
    assert not filterset.is_valid()  # a draft organization is not a valid choice
    assert programs("q=草稿") == []


# Bad input: every filter refuses what it cannot read, with a message naming it

BAD_PROGRAM_QUERIES = {
    "kind": "kind=spaceship",
    "lifecycle": "lifecycle=maybe",
    "sponsor": "sponsor=no-such-org",
    "partner": "partner=%3Cscript%3E",
    "organization": "organization=a%00b",
    "organization_kind": "organization_kind=alien",
    "country": "country=XX",
    "research_area": "research_area=nothing-here",
    "start_year_min": "start_year_min=abc",
    "start_year_max": "start_year_max=99999999999999999999999",
    "sort": "sort=-password",
}


@pytest.mark.parametrize("name", BAD_PROGRAM_QUERIES)
def test_program_bad_input_is_a_form_error(joint_lab, name):
    filterset = filters.ProgramFilterSet(QueryDict(BAD_PROGRAM_QUERIES[name]))
    assert not filterset.is_valid()
    assert list(filterset.errors) == [name]
    assert filters.filter_errors(filterset)[0].startswith(str(filterset.filters[name].label))


def test_year_outside_the_plausible_range_is_an_error():
    for query in ["start_year_min=1200", "start_year_max=3000", "start_year_min=2018.5"]:
        assert not filters.ProgramFilterSet(QueryDict(query)).is_valid()


def test_long_query_is_cut_with_a_notice(joint_lab):
    query = "实验室" + "x" * 500
    filterset = filters.ProgramFilterSet(QueryDict(f"q={query}"))
    assert filterset.is_valid()
    assert len(filterset.form.cleaned_data["q"]) == filters.MAX_QUERY_LENGTH
    assert filterset.notices


def test_query_with_null_byte_is_an_error():
    filterset = filters.ProgramFilterSet(QueryDict("q=lab%00"))
    assert not filterset.is_valid()


def test_many_words_are_capped():
    assert len(search.read_query(" ".join(f"w{i}" for i in range(50))).terms) == search.MAX_TERMS


# Facets


def test_facets_count_other_filters_but_not_their_own(joint_lab, award):
    company = f.CompanyFactory()
    f.ParticipationFactory(program=joint_lab, organization=company)
    f.ParticipationFactory(program=award, organization=company)
    f.ProgramFactory(kind=models.ProgramKind.AWARD, status=models.Status.DRAFT)
    filterset = filters.ProgramFilterSet(QueryDict("kind=award"))
    facets = {facet.name: facet for facet in filterset.facets()}
    kinds = {value.value: (value.count, value.selected) for value in facets["kind"].values}
    assert kinds == {"joint_lab": (1, False), "award": (1, True)}  # the draft award is not counted
    lifecycles = {value.value: value.count for value in facets["lifecycle"].values}
    assert lifecycles == {"ended": 1}  # narrowed by kind=award
    sponsors = {value.value: value.count for value in facets["sponsor"].values}
    assert sponsors == {company.slug: 1}
    assert {value.value for value in facets["organization_kind"].values} == {"company"}


def test_facet_labels_follow_the_language(joint_lab):
    from django.utils import translation

    area = f.ResearchAreaFactory(name="人工智能", name_en="Artificial intelligence")
    joint_lab.research_areas.add(area)
    f.ParticipationFactory(program=joint_lab, organization=f.CompanyFactory(country="CN"))
    for language, area_label, kind_label, country in [
        ("zh-hans", "人工智能", "联合实验室", "中国"),
        ("en", "Artificial intelligence", "Joint lab", "China"),
    ]:
        with translation.override(language):
            filterset = filters.ProgramFilterSet(QueryDict(""))
            facets = {facet.name: facet for facet in filterset.facets()}
            assert facets["research_area"].values[0].label == area_label
            assert facets["kind"].values[0].label == kind_label
            assert facets["country"].values[0].label == country


def test_active_filters_each_removable(joint_lab):
    company = f.CompanyFactory(name_en="Tencent")
    query = QueryDict(f"kind=award&kind=joint_lab&sponsor={company.slug}&q=lab&page=3&sort=newest")
    filterset = filters.ProgramFilterSet(query)
    active = {(item.value, item.remove_query) for item in filterset.active_filters()}
    removes = dict(active)
    assert "kind=joint_lab" in removes[str(models.ProgramKind.AWARD.label)]
    assert "kind=award" not in removes[str(models.ProgramKind.AWARD.label)]
    assert "page=" not in removes["lab"]
    assert "sponsor=" not in removes[company.display_name]
    assert len(active) == 4  # sort is not a filter


# Organizations, people, projects, sources: one test per filter


@pytest.fixture
def others(db):
    """Two records of each other list, told apart by each filter."""
    university = f.OrganizationFactory(name="浙江大学", name_en="Zhejiang University", aliases=["ZJU"], country="CN")
    company = f.CompanyFactory(country="HK")
    program = f.ProgramFactory()
    f.ParticipationFactory(program=program, organization=company)
    f.ParticipationFactory(program=f.ProgramFactory(), organization=company)
    academic, engineer = f.PersonFactory(headline="浙江大学教授"), f.PersonFactory(headline="工程师")
    f.AffiliationFactory(person=academic, organization=university)
    f.AffiliationFactory(person=engineer, organization=company)
    f.InvolvementFactory(person=engineer, program=program, role=models.InvolvementRole.FELLOW)
    early = f.ProjectFactory(title="图神经网络", year=2019)
    late = f.ProjectFactory(year=2023)
    chinese = f.SourceFactory(title="对话学术合作代表", publisher="CSDN", published_on="2019-03-01")
    english = f.SourceFactory(language=models.SourceLanguage.EN, published_on="2021-05-01")
    return locals()


OTHER_FILTERS = [
    # (FilterSet, query, expected records in order; "{x}" is the slug of record x)
    (filters.OrganizationFilterSet, "q=zju", ["university"]),
    (filters.OrganizationFilterSet, "q=浙江", ["university"]),
    (filters.OrganizationFilterSet, "kind=company", ["company"]),
    (filters.OrganizationFilterSet, "country=CN", ["university"]),
    (filters.OrganizationFilterSet, "program={program}", ["company"]),
    (filters.OrganizationFilterSet, "sort=programs", ["company", "university"]),
    (filters.PersonFilterSet, "q=教授", ["academic"]),
    (filters.PersonFilterSet, "organization={university}", ["academic"]),
    (filters.PersonFilterSet, "sector=industry", ["engineer"]),
    (filters.PersonFilterSet, "sector=academia", ["academic"]),
    (filters.PersonFilterSet, "program={program}", ["engineer"]),
    (filters.PersonFilterSet, "role=fellow", ["engineer"]),
    (filters.ProjectFilterSet, "q=神经", ["early"]),
    (filters.ProjectFilterSet, "program={late.program}", ["late"]),
    (filters.ProjectFilterSet, "year_min=2020", ["late"]),
    (filters.ProjectFilterSet, "year_max=2020", ["early"]),
    (filters.ProjectFilterSet, "sort=-year", ["late", "early"]),
    (filters.SourceFilterSet, "q=学术", ["chinese"]),
    (filters.SourceFilterSet, "q=csdn", ["chinese"]),
    (filters.SourceFilterSet, "language=en", ["english"]),
    (filters.SourceFilterSet, "year=2021", ["english"]),
    (filters.SourceFilterSet, "sort=date", ["english", "chinese"]),
]


@pytest.mark.parametrize(("filterset_class", "query", "expected"), OTHER_FILTERS)
def test_other_list_filter(others, filterset_class, query, expected):
    slugs = {
        "{program}": others["program"].slug,
        "{university}": others["university"].slug,
        "{late.program}": others["late"].program.slug,
    }
    for placeholder, slug in slugs.items():
        query = query.replace(placeholder, slug)
    assert run(filterset_class, query) == [others[name] for name in expected]


def test_person_sector_facet_counts_each_person_once_per_sector(others):
    f.AffiliationFactory(
        person=others["academic"], organization=f.OrganizationFactory(kind=models.OrganizationKind.RESEARCH_INSTITUTE)
    )
    filterset = filters.PersonFilterSet(QueryDict(""))
    sectors = {facet.name: facet for facet in filterset.facets()}["sector"]
    assert {(v.value, v.count) for v in sectors.values} == {("academia", 1), ("industry", 1)}


BAD_OTHER_QUERIES = [
    (filters.OrganizationFilterSet, "kind=planet", "kind"),
    (filters.OrganizationFilterSet, "country=ZZ", "country"),
    (filters.OrganizationFilterSet, "program=' OR 1=1 --", "program"),
    (filters.OrganizationFilterSet, "sort=evil", "sort"),
    (filters.PersonFilterSet, "organization=nope", "organization"),
    (filters.PersonFilterSet, "sector=space", "sector"),
    (filters.PersonFilterSet, "program=nope", "program"),
    (filters.PersonFilterSet, "role=king", "role"),
    (filters.ProjectFilterSet, "program=nope", "program"),
    (filters.ProjectFilterSet, "year_min=abc", "year_min"),
    (filters.ProjectFilterSet, "year_max=-5", "year_max"),
    (filters.SourceFilterSet, "language=klingon", "language"),
    (filters.SourceFilterSet, "year=19x9", "year"),
    (filters.SourceFilterSet, "sort=1;DROP TABLE", "sort"),
]


@pytest.mark.parametrize(("filterset_class", "query", "name"), BAD_OTHER_QUERIES)
def test_other_lists_bad_input_is_a_form_error(filterset_class, query, name):
    filterset = filterset_class(QueryDict(query))
    assert not filterset.is_valid()
    assert list(filterset.errors) == [name]


def test_filtersets_take_plain_dicts_as_an_api_would_pass_them(joint_lab, award):
    filterset = filters.ProgramFilterSet({"kind": ["award"], "q": "青年"})
    assert list(filterset.qs.values_list("id", flat=True)) == [award.pk]
    removes = {item.value: item.remove_query for item in filterset.active_filters()}
    assert removes == {str(models.ProgramKind.AWARD.label): "q=%E9%9D%92%E5%B9%B4", "青年": "kind=award"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes of names")
def test_names_holding_a_chinese_word_are_read_from_the_index_of_their_pairs_of_characters():
    f.ProgramFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT programs_cjk_bigrams(%s)", ["\n清华大学 AI 大\nqhdx\n學院\n"])
        assert sorted(cursor.fetchone()[0]) == ["华大", "大学", "學院", "清华"]  # none across a space or line
        cursor.execute("SET LOCAL enable_seqscan = off")
    listing = models.ProgramListing.objects.order_by()
    for query, index in [("大学", "names_bigrams"), ("联合实验室", "names_bigrams"), ("院", "names_chars")]:
        plan = search.with_name_characters(listing, search.read_query(query)).explain()
        assert f"programs_program_listing_{index}" in plan, query
