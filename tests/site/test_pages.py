"""The public pages: what they show, links both ways, drafts hidden, bad input handled, exports."""

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from programs import models
from tests import factories as f
from tests.helpers import SECRET, SECRET_EN

pytestmark = pytest.mark.django_db

LIST_URLS = ["program-list", "organization-list", "person-list", "project-list", "source-list"]


def text(response) -> str:
    return response.content.decode()


def download(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_overview_shows_counts_kinds_and_newest(client, catalogue):
    page = text(client.get("/"))
    assert "腾讯-清华大学联合实验室" in page
    assert "联合实验室" in page and "/programs/?kind=joint_lab" in page
    assert "/programs/?organization=" + catalogue["tencent"].slug in page
    assert catalogue["ai"].get_absolute_url().replace("?", "?") in page.replace("&amp;", "&")
    assert "<strong>3</strong>" in page  # three programmes


@pytest.mark.parametrize("name", LIST_URLS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_list_renders_in_both_languages(client, catalogue, name, prefix):
    response = client.get(prefix + reverse(f"programs:{name}"))
    assert response.status_code == 200
    assert "<h1>" in text(response)


def test_program_list_filters_and_shows_facets(client, catalogue):
    page = text(client.get("/programs/?kind=award"))
    assert "犀牛鸟奖" in page
    assert "腾讯-清华大学联合实验室" not in page
    assert 'name="kind" value="award" checked' in page
    assert "1 条结果" in page
    # the removable chip for the filter in force
    assert 'href="?"' in page or "clear-all" in page


def test_program_detail_links_every_relation(client, catalogue):
    page = text(client.get(catalogue["lab"].get_absolute_url()))
    for record in ("tencent", "tsinghua", "person", "project", "source", "award", "child"):
        assert catalogue[record].get_absolute_url() in page, record
    assert "第一届" in page and f'id="edition-{catalogue["edition"].slug}"' in page
    assert "腾讯与清华大学宣布共建联合实验室。" in page  # the citation's quote
    assert catalogue["ai"].display_name in page
    assert "出资方" in page and "承办方" in page  # grouped by role


def test_organization_detail_shows_programs_by_role_people_moves_and_partners(client, catalogue):
    page = text(client.get("/en" + reverse("programs:organization-detail", args=[catalogue["tsinghua"].slug])))
    assert catalogue["lab"].slug in page
    assert "Host" in page
    assert "Li Si" in page
    assert "Came from" in page and "Tencent" in page  # Li Si came from the company
    assert "Partner organizations" in page and catalogue["tencent"].slug in page
    company_page = text(client.get(catalogue["tencent"].get_absolute_url()))
    assert "清华大学" in company_page  # moved to


def test_person_detail_shows_career_programs_projects(client, catalogue):
    page = text(client.get("/en" + reverse("programs:person-detail", args=[catalogue["person"].slug])))
    assert "Moved from Company to University" in page
    assert catalogue["lab"].slug in page and catalogue["project"].slug in page
    assert "First round" in page


def test_a_repaired_quote_says_so_beside_it(client, catalogue):
    models.Source.objects.filter(pk=catalogue["source"].pk).update(language="zh-Hant")
    note = "Quote repaired from the article's conversion noise"
    person = text(client.get("/en" + catalogue["person"].get_absolute_url()))
    assert "李四教授牵头。" in person and note in person
    assert '<blockquote lang="zh-hans"><p>李四教授牵头。</p>' in person  # quoted in simplified characters
    assert note not in text(client.get("/en" + catalogue["lab"].get_absolute_url()))
    source = text(client.get("/en" + catalogue["source"].get_absolute_url()))
    assert source.count(note) == 1  # the person's citation, not the lab's
    assert "引文已修复" in text(client.get(catalogue["person"].get_absolute_url()))


def test_project_and_source_detail_link_back(client, catalogue):
    page = text(client.get(catalogue["project"].get_absolute_url()))
    assert catalogue["lab"].get_absolute_url() in page and catalogue["person"].get_absolute_url() in page
    page = text(client.get(catalogue["source"].get_absolute_url()))
    assert catalogue["lab"].get_absolute_url() in page and catalogue["person"].get_absolute_url() in page
    assert "李四教授牵头。" in page


def test_related_programmes_share_an_organization(client, catalogue):
    page = text(client.get(catalogue["lab"].get_absolute_url()))
    assert "相关项目" in page and catalogue["award"].get_absolute_url() in page


def test_insights_draws_every_chart(client, catalogue):
    page = text(client.get("/en/insights/"))
    assert page.count("<svg") == 5
    assert "Industry → Academia" in page
    assert "Tencent" in page and "Tsinghua University" in page  # network nodes
    assert "http" not in page.split("<main", 1)[1].replace("http://testserver", "")  # no external resource


# Drafts


def public_urls(catalogue):
    urls = ["/", "/insights/"]
    urls += [reverse(f"programs:{name}") for name in LIST_URLS]
    urls += [reverse(f"programs:{name}") + "?format=csv" for name in LIST_URLS]
    urls += [reverse(f"programs:{name}") + "?format=json" for name in LIST_URLS]
    urls += [catalogue[k].get_absolute_url() for k in ("lab", "tencent", "tsinghua", "person", "project", "source")]
    return urls + ["/en" + url for url in urls]


def test_drafts_appear_nowhere_public(client, catalogue, drafts):
    for url in public_urls(catalogue):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page = body.decode("utf-8-sig")
        assert SECRET not in page and SECRET_EN not in page, url
        assert 'value="JP"' not in page, url  # no country facet from the draft organization


def test_draft_pages_are_404_to_the_public_and_previewed_by_staff(staff_client, drafts):
    for draft in (drafts[name] for name in ("programs", "organizations", "people", "projects", "sources")):
        assert Client().get(draft.get_absolute_url()).status_code == 404
        response = staff_client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
        assert "草稿预览" in text(response)


def test_published_page_is_cacheable_for_staff_too(staff_client, catalogue):
    response = staff_client.get(catalogue["lab"].get_absolute_url())
    assert "no-cache" not in response.get("Cache-Control", "")


def test_filtering_by_a_draft_is_refused(client, catalogue, drafts):
    response = client.get(f"/programs/?sponsor={drafts['organizations'].slug}")
    assert response.status_code == 200
    assert "部分筛选条件无法识别" in text(response)
    assert SECRET not in text(response)


# Bad and hostile query strings


BAD_QUERIES = [
    "kind=spaceship",
    "lifecycle=%3Cb%3E",
    "sponsor=nobody",
    "partner=%27%20OR%201%3D1%20--",
    "organization=x%00y",
    "organization_kind=planet",
    "country=XX",
    "research_area=%22%3E%3Cscript%3E",
    "start_year_min=abc",
    "start_year_max=1e999",
    "sort=;DROP%20TABLE%20programs_program",
    "kind=award&kind=%00",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_filter_values_give_a_normal_page_with_the_problem(client, catalogue, query):
    response = client.get(f"/programs/?{query}")
    assert response.status_code == 200
    page = text(response)
    assert 'role="alert"' in page
    assert "<script>" not in page
    assert catalogue["lab"].name not in page.split("</h1>", 1)[1]  # no rows shown


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_filter_values_refuse_the_export(client, query):
    response = client.get(f"/programs/?{query}&format=csv")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "query", ["page=99999999999999999999", "page=0", "page=-1", "page=abc", "page=1e9", "page=%00"]
)
@pytest.mark.parametrize("name", LIST_URLS)
def test_bad_page_numbers_show_a_valid_page_with_a_notice(client, catalogue, query, name):
    response = client.get(reverse(f"programs:{name}") + "?" + query)
    assert response.status_code == 200
    assert 'role="status"' in text(response)


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "实验室" * 500,
        "q=%27%3B%20DROP%20TABLE%20x%3B--",
        "q=%25%25%25",
        "q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    ],
)
@pytest.mark.parametrize("name", LIST_URLS)
def test_hostile_search_gives_a_normal_page(client, catalogue, query, name):
    response = client.get(reverse(f"programs:{name}") + "?" + query)
    assert response.status_code == 200
    assert "<img src=x" not in text(response)


def test_long_search_is_cut_with_a_notice(client, catalogue):
    page = text(client.get("/en/programs/?q=" + "联合实验室" * 50))
    assert "longer than 100 characters" in page


def test_unknown_download_format_is_explained(client, catalogue):
    page = text(client.get("/en/programs/?format=xlsx"))
    assert "not one of them" in page


def test_search_in_both_languages_finds_the_joint_lab(client, catalogue):
    for query in ["实验室", "joint lab", "Tencent-Tsinghua"]:
        page = text(client.get(f"/programs/?q={query}"))
        assert catalogue["lab"].get_absolute_url() in page, query
        assert catalogue["award"].get_absolute_url() not in page.split("results-heading", 1)[1].split("related", 1)[0]


def test_pagination_keeps_the_filters(client, db):
    for _ in range(30):
        f.ProgramFactory(kind=models.ProgramKind.AWARD)
    page = text(client.get("/programs/?kind=award&q=lab"))
    assert "?kind=award&amp;q=lab&amp;page=2" in page
    second = text(client.get("/programs/?kind=award&q=lab&page=2"))
    assert "第 2 页，共 2 页" in second


# Exports


def test_csv_export_is_exactly_the_filtered_rows(client, catalogue):
    for prefix in ("", "/en"):
        content = download(client, prefix + "/programs/?kind=joint_lab&format=csv")
        rows = list(csv.DictReader(io.StringIO(content)))
        assert [row["slug"] for row in rows] == [catalogue["lab"].slug, catalogue["child"].slug]
        row = rows[0]
        assert row["name"] == "腾讯-清华大学联合实验室" and row["name_en"] == "Tencent-Tsinghua Joint Lab"
        assert row["kind"] == "joint_lab" and row["start_year"] == "2017"
        assert row["sponsors"] == "腾讯" and row["sponsors_en"] == "Tencent" and row["partners"] == "清华大学"
        assert row["url"] == "http://testserver" + reverse("programs:program-detail", args=[catalogue["lab"].slug])


def test_csv_export_is_the_same_in_both_languages_and_streamed(client, catalogue):
    response = client.get("/programs/?format=csv")
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="programmes.csv"'
    b"".join(response.streaming_content)  # read to its end, as a server does: its transaction ends with it
    assert download(client, "/programs/?format=csv") == download(client, "/en/programs/?format=csv")


def test_json_export_is_exactly_the_filtered_rows(client, catalogue):
    for prefix in ("", "/en"):
        rows = json.loads(download(client, prefix + f"/programs/?sponsor={catalogue['tencent'].slug}&format=json"))
        assert {row["slug"] for row in rows} == {catalogue["lab"].slug, catalogue["award"].slug}
        assert set(rows[0]) >= {"slug", "name", "name_en", "kind", "lifecycle", "start_year", "sponsors", "url"}
    assert json.loads(download(client, "/programs/?q=nothing-like-this&format=json")) == []


def test_export_read_in_chunks_keeps_each_programmes_own_links(client, db, monkeypatch):
    monkeypatch.setattr("programs.opendata.exports.CHUNK_SIZE", 3)
    for i in range(7):
        program = f.ProgramFactory(name=f"项目{i}", name_en=f"Programme {i}")
        f.ParticipationFactory(program=program, role=models.ParticipationRole.SPONSOR, organization__name=f"公司{i}")
        program.research_areas.add(f.ResearchAreaFactory(slug=f"area-{i}"))
    rows = list(csv.DictReader(io.StringIO(download(client, "/programs/?format=csv"))))
    assert [(row["name"], row["sponsors"], row["research_areas"]) for row in rows] == [
        (f"项目{i}", f"公司{i}", f"area-{i}") for i in range(7)
    ]
    records = json.loads(download(client, "/en/programs/?format=json"))
    assert [(record["name_en"], record["sponsors"]) for record in records] == [
        (f"Programme {i}", [f"公司{i}"]) for i in range(7)
    ]


def test_an_empty_export_still_has_its_header(client, catalogue):
    content = download(client, "/programs/?q=nothing-like-this&format=csv")
    assert content.splitlines() == [
        "slug,name,name_en,kind,lifecycle,start_year,end_year,sponsors,sponsors_en,partners,partners_en,"
        "research_areas,amount,currency,website,url"
    ]


def test_export_ignores_the_page_number(client, db):
    for _ in range(30):
        f.ProgramFactory()
    rows = list(csv.DictReader(io.StringIO(download(client, "/programs/?page=2&format=csv"))))
    assert len(rows) == 30


@pytest.mark.parametrize("name", LIST_URLS)
def test_every_list_exports(client, catalogue, name):
    rows = json.loads(download(client, reverse(f"programs:{name}") + "?format=json"))
    assert rows and all("slug" in row and "url" in row for row in rows)


def test_organizations_sorted_by_programme_count_show_the_count(client, catalogue):
    page = text(client.get("/en/organizations/?sort=programs"))
    rows = page.split("<tbody>", 1)[1]
    assert rows.index("Tencent") < rows.index("Tsinghua University")
    assert '<td data-label="Programmes" class="num">2</td>' in rows


def test_large_organization_and_source_pages_list_the_first_rows_and_say_how_many(client, monkeypatch):
    from programs.models import querysets
    from programs.reads import record_links
    from programs.site import views

    monkeypatch.setattr(querysets, "DETAIL_LIMIT", 3)
    monkeypatch.setattr(record_links, "DETAIL_LIMIT", 3)
    monkeypatch.setattr(views, "DETAIL_LIMIT", 3)
    sponsor = f.CompanyFactory(name="大公司")
    source = f.SourceFactory()
    for i in range(5):
        program = f.ProgramFactory(name=f"项目{i}", name_en=f"Programme {i}")
        f.ParticipationFactory(program=program, organization=sponsor)
        f.AffiliationFactory(organization=sponsor, person=f.PersonFactory(name=f"人员{i}", name_en=f"Member {i}"))
        f.CitationFactory(record=program, source=source)
    page = client.get("/en" + sponsor.get_absolute_url()).content.decode()
    assert [f"Programme {i}<" in page for i in range(5)] == [True, True, True, False, False]
    assert "5 programmes in all." in page
    assert "Member 3<" not in page and "5 people in all." in page
    source_page = client.get(source.get_absolute_url()).content.decode()
    assert source_page.count("<blockquote") == 3


def test_programme_rows_name_their_principal_participants_whatever_their_role(client):
    lab = f.ProgramFactory(name="联合实验室", kind=models.ProgramKind.JOINT_LAB)
    for name, role in [
        ("甲公司", "co_founder"),
        ("乙大学", "co_founder"),
        ("丙研究院", "host"),
        ("丁基金会", "partner"),
    ]:
        f.ParticipationFactory(program=lab, organization=f.OrganizationFactory(name=name), role=role)
    page = client.get(reverse("programs:program-list")).content.decode()
    row = page[page.index("<tbody>") :]
    names = re.findall(r'<span class="role">([^<]+)</span>|>([丙丁乙甲][^<]+)</a>', row[: row.index("</tr>")])
    assert [role or name for role, name in names] == ["承办方", "丙研究院", "合作方", "丁基金会", "共建方", "乙大学"]
    assert "等 1 家" in row[: row.index("</tr>")]


def test_pages_go_as_deep_as_the_bound_and_say_so(client, monkeypatch):
    from programs.reads import lists

    monkeypatch.setattr(lists, "MAX_PAGED_ROWS", 50)
    for index in range(60):
        f.ProgramFactory(name=f"项目{index:02d}")
    page = client.get(reverse("programs:program-list"), {"page": 2}).content.decode()
    assert "分页只到前 50 条结果" in page and "共 60 条结果" in page
    deeper = client.get(reverse("programs:program-list"), {"page": 3}).content.decode()
    assert "没有第“3”页" in deeper
    api = client.get(reverse("api:program-list"), {"page": 3})
    assert api.status_code == 400 and "cursor" in api.json()["page"][0]
    assert client.get(reverse("api:program-list"), {"page": 2}).json()["count"] == 60
