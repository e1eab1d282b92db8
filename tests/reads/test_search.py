"""Reading, matching and ranking searches (programs/reads/search.py), facet estimates and capped totals,
and every kind of bad input, on the page, the export and the API."""

import pytest
from django.http import QueryDict
from django.test import Client
from django.utils import translation

from programs import models
from programs.models import search_keys, text
from programs.reads import facets, filters, search
from tests import factories as f

pytestmark = pytest.mark.django_db


def slugs(query: str, filterset_class=filters.ProgramFilterSet) -> list[str]:
    filterset = filterset_class(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    records = filterset._meta.model.objects.values_list("id", flat=True)
    assert records is not None
    model = {filters.ProgramFilterSet: models.Program, filters.OrganizationFilterSet: models.Organization}[
        filterset_class
    ]
    found = model.objects.in_bulk(list(filterset.qs.values_list("id", flat=True)))
    return [found[pk].slug for pk in filterset.qs.values_list("id", flat=True)]


# Reading a query


@pytest.mark.parametrize(
    ("given", "phrase"),
    [
        ("騰訊", "腾讯"),
        ("Fei-Fei Li", "feifei li"),
        ("ＭＩＴ　Lab", "mit lab"),
        ("Zürich", "zurich"),
        ("“研究型实习生”计划", "研究型实习生 计划"),
        ("杰克·唐家拉", "杰克唐家拉"),
        ("  ", ""),
        ("%_\\", ""),
        ("😀🎉", ""),
    ],
)
def test_a_query_is_folded_as_names_are(given, phrase):
    assert search.read_query(given).phrase == phrase


def test_a_query_keeps_its_first_words_and_length():
    query = search.read_query(" ".join(f"word{i}" for i in range(20)))
    assert len(query.terms) == search.MAX_TERMS
    assert len(search.read_query("x" * 500).phrase) == search.MAX_QUERY_LENGTH


def test_a_name_is_found_under_every_form():
    assert text.name_variants("清華大學") == ("清华大学", "qinghuadaxue", "qing hua da xue", "qhdx")
    assert text.name_variants("Li Fei-Fei", person=True) == ("li feifei", "feifei li")
    assert text.name_variants("Li Fei-Fei") == ("li feifei",)  # an organization's words keep their order


@pytest.mark.parametrize(
    ("term", "pieces"),
    [("huawel", ["hua", "wel"]), ("tsinghau", ["tsi", "ngh", "au"]), ("dongara", ["do", "nga", "ra"])],
)
def test_a_typo_is_looked_up_by_pieces_one_of_which_is_intact(term, pieces):
    assert search.pieces(term) == pieces


def test_corrections_are_the_closest_words_within_the_bound():
    words = {"tsinghua", "tianjin", "university", "universal"}
    assert search.closest("tsinghau", words) == ("tsinghua",)
    assert search.closest("universty", words) == ("university", "universal")  # the closest first
    assert search.closest("unive", words) == ()  # in a word as typed: no correction
    assert search.closest("qwertyuiop", words) == ()


def test_every_word_within_the_bound_meets_one_of_the_conditions():
    # The vocabulary is read through these conditions: a word they miss could never be a correction.
    for term, word in [
        ("sensetme", "sensetime"),
        ("xsensetime", "sensetime"),
        ("huawel", "huawei"),
        ("tsinghau", "tsinghua"),
    ]:
        assert any(search.meets(word, how, piece) for how, piece in search.may_be_close(term)), (term, word)


# Matching and ranking


def test_a_word_some_name_holds_as_typed_is_not_corrected():
    f.OrganizationFactory(name="清华大学", name_en="Tsinghua University", slug="tsinghua")
    assert slugs("q=Tsinghau", filters.OrganizationFilterSet) == ["tsinghua"]
    f.OrganizationFactory(name="甲", name_en="Tsinghau Consulting", slug="tsinghau-consulting")
    assert slugs("q=Tsinghau", filters.OrganizationFilterSet) == ["tsinghau-consulting"]


def test_a_short_word_is_not_corrected():
    f.OrganizationFactory(name="腾讯", name_en="Tencent", slug="tencent")
    assert slugs("q=tenc3nt", filters.OrganizationFilterSet) == ["tencent"]  # 7 letters: two edits allowed
    assert slugs("q=tencet", filters.OrganizationFilterSet) == ["tencent"]  # in no word, one edit away
    assert slugs("q=tanc", filters.OrganizationFilterSet) == []  # four letters: never corrected


def test_organization_names_are_searched_with_their_programmes():
    ant = f.CompanyFactory(name="蚂蚁集团", name_en="Ant Group", slug="ant-group")
    scholarship = f.ProgramFactory(name="博士生奖学金", name_en="PhD scholarship", slug="phd", summary="")
    f.ParticipationFactory(program=scholarship, organization=ant, role="sponsor")
    f.ProgramFactory(name="另一个奖学金", name_en="Another scholarship", slug="other", summary="")
    assert slugs("q=Ant+Group+奖学金") == ["phd"]
    ant.name_en = "Ant Financial"
    ant.save()  # a rename reaches the programme's listing row
    assert slugs("q=Ant+Group+奖学金") == []
    assert slugs("q=Ant+Financial+奖学金") == ["phd"]


def test_exact_then_prefix_then_names_then_other_fields():
    f.ProgramFactory(name="乙 科技奖 计划", name_en="", slug="words", summary="")
    f.ProgramFactory(name="科技奖", name_en="", slug="exact", summary="")
    f.ProgramFactory(name="科技奖学金", name_en="", slug="prefix", summary="")
    f.ProgramFactory(name="丙", name_en="", slug="summary", summary="设有科技奖")
    assert slugs("q=科技奖") == ["exact", "prefix", "words", "summary"]


def test_a_broad_search_is_read_tier_by_tier_in_the_order_of_ranking_every_match(monkeypatch):
    # Names that start with the query, hold it, or not (the summary does), in both languages and
    # two kinds: a page of a broad search reads the first two sets only, in the same order.
    for n in range(42):
        name = ["科技奖", "科技奖学金", f"甲{n}科技奖", f"乙{n}", "科技奖", f"龙{n}"][n % 6]
        english = ["Tech Award", f"Tech Award {n}", f"{n} Lab Tech Award", f"Lab {n}", "", f"Zeta {n}"][n % 6]
        aliases = ["科技奖", "tech award"] if n % 6 == 5 else []  # exact by an alias, last by name
        kind = "award" if n % 3 else "joint_lab"
        summary = "设有科技奖 Tech Award"
        f.ProgramFactory(name=name, name_en=english, aliases=aliases, summary=summary, kind=kind, slug=f"p{n}")
    monkeypatch.setattr(search, "RANK_WHOLE", 0)
    monkeypatch.setattr(search, "WINDOW", 1)
    original, windows = search.named_in, []

    def named_in(*args):
        windows.append(args)
        return original(*args)

    monkeypatch.setattr(search, "named_in", named_in)
    named_first = spy(monkeypatch, search, "named_first")
    queries = [
        ("zh-hans", "q=科技奖"),
        ("zh-hans", "q=科技奖&kind=award"),
        ("en", "q=tech+award"),
        ("zh-hans", "q=设有"),  # found outside the names only: every row in tier 3
        ("en", "q=award+设有&kind=joint_lab&sort=relevance"),
    ]
    for language, query in queries:
        with translation.override(language):
            filterset = filters.ProgramFilterSet(QueryDict(query))
            whole = list(filterset.qs.values_list("id", flat=True))
            assert len(whole) > 10
            for stop in range(1, len(whole) + 1):
                assert filterset.ranked_ids(stop, len(whole)) == whole[:stop], (query, stop)
    assert windows  # some pages were read through a window of the list's order
    assert named_first  # and some, found mostly outside names, by their named rows first


def spy(monkeypatch, module, name: str) -> list:
    """The calls of `module.name`, still called, as a list of their arguments."""
    original, calls = getattr(module, name), []

    def called(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(module, name, called)
    return calls


def test_hints_name_the_organization_matched():
    ant = f.CompanyFactory(name="蚂蚁集团", name_en="Ant Group", slug="ant-group")
    program = f.ProgramFactory(name="博士生奖学金", name_en="PhD scholarship", slug="phd", summary="")
    f.ParticipationFactory(program=program, organization=ant, role="sponsor")
    page = Client().get("/en/programs/?q=Ant+Group").content.decode()
    assert "Matched the name of Ant Group" in page


# Keys kept exact through every write path


def test_keys_follow_saves_bulk_writes_and_reverts():
    organization = f.OrganizationFactory(name="騰訊", name_en="Tencent", slug="tencent")
    assert "\n腾讯\n" in organization.search_names and "tengxun" in organization.search_text
    organization.name_en = "Tencent Holdings"
    organization.save(update_fields=["name_en", "updated_at"])
    organization.refresh_from_db()
    assert "tencent holdings" in organization.search_names
    version = organization.history.earliest()
    version.instance.save()  # a revert in the admin saves the old version
    organization.refresh_from_db()
    assert "tencent holdings" not in organization.search_names
    new = models.Organization(name="华为", name_en="Huawei", slug="huawei", kind="company")
    models.bulk.insert_instances(models.Organization, [new])
    stored = models.Organization.objects.get(slug="huawei")
    assert stored.search_words == "huawei" and "huawei" in stored.search_names
    assert search_keys.keys_of(stored) == {key: getattr(stored, key) for key in search_keys.KEYS}


# Totals and facets beyond their bounds


def test_a_total_beyond_the_bound_reads_as_more(monkeypatch):
    f.ProgramFactory.create_batch(6, name="联合实验室", summary="")
    monkeypatch.setattr(facets, "MAX_COUNTED", 4)
    filterset = filters.ProgramFilterSet(QueryDict("q=实验室"))
    assert facets.count_rows(filterset) == 5  # "more than 4"
    page = Client().get("/en/programs/?q=实验室").content.decode()
    assert "4+ results" in page
    answer = Client().get("/api/programs/?q=实验室").json()
    assert answer["count"] == 4 and answer["exact"] is False


def test_facet_counts_beyond_the_bound_are_estimates_from_a_sample(monkeypatch):
    programs = f.ProgramFactory.create_batch(12, name="联合实验室", summary="", kind="joint_lab")
    monkeypatch.setattr(facets, "EXACT_ROWS", 3)
    monkeypatch.setattr(facets, "SAMPLE_ROWS", 10**6)  # a sample of every row: the estimate is exact
    filterset = filters.ProgramFilterSet(QueryDict("q=实验室"))
    kind = next(facet for facet in filterset.facets() if facet.name == "kind")
    assert not kind.exact
    assert [(value.value, value.count) for value in kind.values if value.count] == [("joint_lab", len(programs))]
    page = Client().get("/programs/?q=实验室").content.decode()
    assert "≈" in page
    exact = filters.ProgramFilterSet(QueryDict("q=实验室&kind=joint_lab"))
    assert exact.qs.count() == len(programs)  # the facet's link lists exactly what it says


def test_the_facets_read_counts_the_list_on_to_its_bound(monkeypatch, django_assert_num_queries):
    f.ProgramFactory.create_batch(7, name="联合实验室", summary="")
    monkeypatch.setattr(facets, "EXACT_ROWS", 3)  # facets estimated beyond 3 rows, the list still counted
    for bound, counted in [(10, 7), (5, 6)]:  # 6: more than 5
        monkeypatch.setattr(facets, "MAX_COUNTED", bound)
        filterset = filters.ProgramFilterSet(QueryDict("q=实验室"))
        assert not any(facet.exact for facet in filterset.facets() if facet.values)
        with django_assert_num_queries(0):
            assert facets.count_rows(filterset) == counted


def test_estimates_scale_a_sample_to_two_figures():
    assert facets.scaled({"kind": {"award": 37}}, 1024 / 10) == {"kind": {"award": 3800}}
    assert facets.estimate(7.4) == 7


# Bad input: every one answers, quickly, never a 500


BAD_QUERIES = [
    "a",
    "联",
    "x" * 100,
    "实验室" * 40,
    "!!!",
    "   ",
    "😀",
    "清华 Tsinghua ماجستير Москва",
    "%",
    "_",
    "\\",
    "100%_\\\\",
    "'; DROP TABLE programs_program; --",
    '" OR 1=1 --',
    " ".join(f"word{i}" for i in range(20)),
    "a b c d e f g h i j k l m n o p q r s t",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
@pytest.mark.parametrize("path", ["/programs/", "/en/organizations/", "/people/", "/api/programs/", "/programs/feed/"])
def test_bad_queries_answer_without_error(query, path, django_assert_max_num_queries):
    f.ProgramFactory(name="联合实验室", name_en="Joint Lab 100%_\\", slug="lab")
    client = Client()
    with django_assert_max_num_queries(20):
        response = client.get(path, {"q": query})
    if path.startswith("/api/") and len(query) > filters.MAX_QUERY_LENGTH:
        assert response.status_code == 400 and "q" in response.json()  # the API refuses what pages cut
    else:
        assert response.status_code == 200, (path, query)
    assert models.Program.objects.count() == 1


def test_punctuation_finds_nothing_and_wildcards_are_literal():
    f.ProgramFactory(name="联合实验室", name_en="Lab", slug="lab")
    assert slugs("q=%25") == [] and slugs("q=_") == [] and slugs("q=%5C") == []
    assert slugs("q=%25lab") == ["lab"]  # the word is searched, the sign dropped


def test_an_export_of_a_bad_query_is_empty_not_an_error():
    f.ProgramFactory(name="联合实验室", slug="lab")
    response = Client().get("/programs/", {"q": "%%%", "format": "csv"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode("utf-8-sig").count("\n") == 1  # the header only
