"""Search over the curated data (data/*.yaml): what a visitor types, and the record that should come first.

Each row is (list, query, slug expected first, or within the first three when `top` is 3). The
same query must give the same order in the page, the CSV export, the Atom feed (the feed lists the
same records, newest first) and the API, and on SQLite and PostgreSQL alike (the suite runs on both).
"""

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.utils import translation

from programs.reads import filters, search

DATA = Path(__file__).resolve().parents[2] / "data"

LISTS = {
    "programs": filters.ProgramFilterSet,
    "organizations": filters.OrganizationFilterSet,
    "people": filters.PersonFilterSet,
    "projects": filters.ProjectFilterSet,
    "sources": filters.SourceFilterSet,
}

# (list, query, expected slug, how far down it may be: 1 = first)
TABLE = [
    # Simplified and traditional characters
    ("organizations", "腾讯", "tencent", 1),
    ("organizations", "騰訊", "tencent", 1),
    ("organizations", "螞蟻集團", "ant-group", 1),
    ("organizations", "蚂蚁集团", "ant-group", 1),
    ("organizations", "清華大學", "tsinghua-university", 1),
    ("organizations", "香港中文大學", "cuhk", 1),
    ("organizations", "澳門大學", "university-of-macau", 1),
    ("organizations", "商湯科技", "sensetime", 1),
    ("organizations", "華為", "huawei", 1),
    ("organizations", "字節跳動", "bytedance", 1),
    ("people", "李飛飛", "li-feifei", 1),
    ("people", "湯曉鷗", "tang-xiaoou", 1),
    ("programs", "青橙獎", "alibaba-qingcheng-award", 1),
    ("programs", "天才少年計劃", "huawei-genius-youth-program", 1),
    ("programs", "阿里巴巴創新研究計劃", "alibaba-air", 1),
    # Exact names and aliases first
    ("programs", "蚂蚁", "ant-group-intech-award", 1),
    ("programs", "AIR", "alibaba-air", 1),
    ("programs", "DB-GPT", "db-gpt", 1),
    ("programs", "GPT-3", "openai-gpt-3", 1),
    ("programs", "BERT", "google-bert", 1),
    ("programs", "ImageNet", "imagenet", 1),
    ("programs", "泰坦计划", "sensetime-titan-program", 1),
    ("organizations", "MIT", "mit", 1),
    ("organizations", "SJTU", "shanghai-jiao-tong-university", 1),
    ("organizations", "港科大", "hkust", 1),
    ("organizations", "中科院", "chinese-academy-of-sciences", 1),
    ("organizations", "CUHK", "cuhk", 1),
    ("organizations", "达摩院", "alibaba-damo-academy", 1),
    ("organizations", "清华", "tsinghua-university", 1),
    ("organizations", "Tsinghua University", "tsinghua-university", 1),
    # Full-width letters and case
    ("organizations", "ＭＩＴ", "mit", 1),
    ("organizations", "sensetime", "sensetime", 1),
    ("organizations", "NVIDIA", "nvidia", 1),
    ("organizations", "iflytek", "iflytek", 1),
    # Pinyin: joined, spaced, initials
    ("programs", "qingcheng", "alibaba-qingcheng-award", 1),
    ("programs", "qingchengjiang", "alibaba-qingcheng-award", 1),
    ("programs", "qing cheng jiang", "alibaba-qingcheng-award", 1),
    ("programs", "qcj", "alibaba-qingcheng-award", 1),
    ("organizations", "qinghuadaxue", "tsinghua-university", 1),
    ("organizations", "qhdx", "tsinghua-university", 1),
    ("organizations", "tengxun", "tencent", 1),
    ("organizations", "shangtang", "sensetime", 1),
    ("people", "lifeifei", "li-feifei", 1),
    ("people", "tang xiao ou", "tang-xiaoou", 1),
    # English names in either order, with or without hyphens
    ("people", "Li Feifei", "li-feifei", 1),
    ("people", "Fei-Fei Li", "li-feifei", 1),
    ("people", "Feifei Li", "li-feifei", 1),
    ("people", "li fei-fei", "li-feifei", 1),
    ("people", "Xiaoou Tang", "tang-xiaoou", 1),
    ("people", "Dongarra Jack", "jack-dongarra", 1),
    ("people", "Zhenyu Zhang", "zhang-zhenyu", 1),
    # Typos in Latin words
    ("organizations", "Sensetme", "sensetime", 1),
    ("organizations", "Tsinghau University", "tsinghua-university", 1),
    ("organizations", "Huawel", "huawei", 1),
    ("organizations", "Stanfrod University", "stanford-university", 1),
    ("organizations", "Microsfot", "microsoft", 1),
    ("programs", "ImagNet", "imagenet", 1),
    ("people", "Dongara", "jack-dongarra", 1),
    # Words in several fields, organizations' names included
    ("programs", "Ant Group 奖学金", "ant-group-intech-phd-scholarship", 1),
    ("programs", "商汤 奖学金", "sensetime-scholarship", 1),
    ("programs", "Google 人工智能", "tsinghua-google-ai-joint-lab", 1),
    ("programs", "Tsinghua Google", "tsinghua-google-ai-joint-lab", 1),
    ("programs", "微软 北京大学", "pku-msra-joint-lab", 1),
    ("programs", "joint lab", "sensetime-joint-labs", 3),
    ("programs", "联合实验室", "sensetime-joint-labs", 3),
    ("programs", "postdoctoral workstation", "beijing-sensetime-postdoc-workstation", 1),
    # Other lists
    ("projects", "推荐系统", "device-cloud-recommendation", 1),
    ("projects", "推薦系統", "device-cloud-recommendation", 1),
    ("projects", "auction mechanism", "deep-learning-auction-mechanism-design", 1),
    ("people", "Zheng Zhenzhe", "zheng-zhenzhe", 1),
]


@pytest.fixture(scope="module")
def curated(django_db_setup, django_db_blocker):
    """The curated data, loaded once for the module (and removed after it)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("import_fixtures", str(DATA), verbosity=0)
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def slugs_in_order(list_name: str, query: str, language: str = "zh-hans") -> list[str]:
    with translation.override(language):
        filterset = LISTS[list_name](QueryDict(f"q={quote(query)}"))
        assert filterset.is_valid(), filterset.errors
        ids = list(filterset.qs.values_list("id", flat=True))
    records = RECORD_MODELS[list_name].objects.in_bulk(ids)
    return [records[pk].slug for pk in ids]


def record_models():
    from programs import models

    return {
        "programs": models.Program,
        "organizations": models.Organization,
        "people": models.Person,
        "projects": models.Project,
        "sources": models.Source,
    }


RECORD_MODELS = record_models()


def test_the_table_covers_every_kind_of_query():
    assert len(TABLE) >= 60
    assert {list_name for list_name, *_rest in TABLE} >= {"programs", "organizations", "people", "projects"}


@pytest.mark.parametrize(("list_name", "query", "expected", "top"), TABLE)
def test_the_record_meant_comes_first(curated, db, list_name, query, expected, top):
    found = slugs_in_order(list_name, query)
    assert expected in found[:top], (query, found[:5])


def test_relevance_is_the_default_order_with_a_search_and_other_orders_still_work(curated, db):
    default = slugs_in_order("programs", "蚂蚁")
    assert default[0] == "ant-group-intech-award"
    by_name = LISTS["programs"](QueryDict("q=蚂蚁&sort=name"))
    names = list(by_name.qs.values_list("name", flat=True))
    assert names == sorted(names)
    explicit = LISTS["programs"](QueryDict("q=蚂蚁&sort=relevance"))
    default_ids = LISTS["programs"](QueryDict("q=蚂蚁")).qs.values_list("id", flat=True)
    assert list(explicit.qs.values_list("id", flat=True)) == list(default_ids)


def test_a_summary_match_comes_after_the_name_matches(curated, db):
    found = slugs_in_order("programs", "蚂蚁")
    name_matches = [slug for slug in found if slug.startswith("ant-group")]
    assert found[: len(name_matches)] == name_matches
    if "db-gpt" in found:
        assert found.index("db-gpt") >= len(name_matches)


QUERIES_EVERYWHERE = ["騰訊", "joint lab", "Li Feifei", "Sensetme", "qcj", "Ant Group 奖学金", "实验室"]
PATHS = {"programs": "/programs/", "organizations": "/organizations/", "people": "/people/"}


@pytest.mark.parametrize("bounded", [False, True], ids=["ranked whole", "tier by tier"])
@pytest.mark.parametrize("query", QUERIES_EVERYWHERE)
@pytest.mark.parametrize("list_name", sorted(PATHS))
def test_page_export_feed_and_api_agree(curated, db, list_name, query, bounded, monkeypatch):
    if bounded:  # every list read as a broad search is: its names' prefixes, then a window of its order
        monkeypatch.setattr(search, "RANK_WHOLE", 0)
        monkeypatch.setattr(search, "WINDOW", 1)
    client = Client()
    expected = slugs_in_order(list_name, query)
    path, q = PATHS[list_name], quote(query)
    page = client.get(f"{path}?q={q}")
    assert page.status_code == 200
    shown = [slug for slug in expected[:25] if f'href="{path}{slug}/"' in page.content.decode()]
    assert shown == expected[:25]
    positions = [page.content.decode().index(f'href="{path}{slug}/"') for slug in expected[:25]]
    assert positions == sorted(positions)
    download = b"".join(client.get(f"{path}?q={q}&format=csv").streaming_content).decode("utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(download)))
    assert [row["slug"] for row in exported] == expected
    api = json.loads(client.get(f"/api{path}?q={q}&page_size=100").content)
    assert [row["slug"] for row in api["results"]] == expected[:100]
    assert api["count"] == len(expected) and api["exact"] is True
    feed = client.get(f"{path}feed/?q={q}").content.decode()
    assert all(f"{path}{slug}/" in feed for slug in expected[:50]) and feed.count("<entry>") == min(len(expected), 50)


def test_english_pages_rank_the_same_tiers(curated, db):
    zh = slugs_in_order("organizations", "Tsinghua")
    en = slugs_in_order("organizations", "Tsinghua", "en")
    assert zh[0] == en[0] == "tsinghua-university"
    assert set(zh) == set(en)


def test_a_row_says_what_it_matched_when_its_name_does_not(curated, db):
    client = Client()
    english = client.get("/en/organizations/?q=" + quote("清华大学")).content.decode()
    assert "Matched its Chinese name" in english
    chinese = client.get("/organizations/?q=Tsinghua").content.decode()
    with translation.override("zh-hans"):
        assert str(search.NAME_HINTS["name_en"]) in chinese
    pinyin = client.get("/en/organizations/?q=qhdx").content.decode()
    assert "Matched the pinyin of its name" in pinyin
    typo = client.get("/en/organizations/?q=Sensetme").content.decode()
    assert "Showing results for “sensetime”" in typo
    partner = client.get("/en/programs/?q=Tencent").content.decode()
    assert "Matched its description" in partner  # the prize's summary names its sponsor
    plain = client.get("/en/organizations/?q=Tsinghua").content.decode()
    assert "match-hint" not in plain.split("Tsinghua University</a>")[0]
