"""The matcher reads names as the site's search does: traditional characters, full-width letters,
pinyin, a person's name in either order and typos find their record, with scores that say how close."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from programs.reconcile.matching import TYPES, Query, candidates_of, candidates_of_batch, normal
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return {
        "ant": f.CompanyFactory(name="蚂蚁集团", name_en="Ant Group", slug="ant-group", aliases=[]),
        "tsinghua": f.OrganizationFactory(name="清华大学", name_en="Tsinghua University", slug="tsinghua", aliases=[]),
        "tencent": f.CompanyFactory(name="腾讯", name_en="Tencent", slug="tencent", aliases=[]),
        "li": f.PersonFactory(name="李飞飞", name_en="Li Fei-Fei", slug="li-feifei"),
    }


def best(name: str, type_id: str = "organization"):
    found = candidates_of(Query(text=normal(name), types=(TYPES[type_id],), limit=5))
    return found[0] if found else None


@pytest.mark.parametrize(
    ("name", "slug", "exact"),
    [
        ("螞蟻集團", "ant-group", True),
        ("ＡＮＴ　ＧＲＯＵＰ", "ant-group", True),
        ("騰訊", "tencent", True),
        ("Tsinghau University", "tsinghua", False),
        ("qinghuadaxue", "tsinghua", False),
        ("qhdx", "tsinghua", False),
    ],
)
def test_names_as_people_write_them_find_their_record(world, name, slug, exact):
    candidate = best(name)
    assert candidate is not None and candidate.record.slug == slug
    assert candidate.exact is exact and candidate.match is exact
    assert (candidate.score == 100) is exact
    if not exact:
        assert 60 <= candidate.score < 100  # close, and says so


def test_a_person_is_found_in_either_order(world):
    for name in ("Li Feifei", "Fei-Fei Li", "李飛飛"):
        candidate = best(name, "person")
        assert candidate.record.slug == "li-feifei", name


def test_a_typo_scores_below_the_name_it_stands_for(world):
    exact, typo = best("Tsinghua University"), best("Tsinghau University")
    assert exact.record == typo.record and exact.score == 100 > typo.score


def test_a_batch_keeps_each_query_apart(world):
    queries = [Query(text=normal(name), types=tuple(TYPES.values()), limit=3) for name in ("螞蟻集團", "Sensetme", "")]
    found = candidates_of_batch(queries)
    assert [candidate.record.slug for candidate in found[0]][:1] == ["ant-group"]
    assert found[1] == [] and found[2] == []


def test_the_service_answers_traditional_names_and_typos(world):
    batch = {"q0": {"query": "螞蟻集團", "type": "organization"}, "q1": {"query": "Tsinghau University"}}
    response = Client().post(reverse("reconcile:service"), {"queries": json.dumps(batch)})
    answer = response.json()
    assert answer["q0"]["result"][0]["id"] == "organization/ant-group" and answer["q0"]["result"][0]["match"]
    top = answer["q1"]["result"][0]
    assert top["id"] == "organization/tsinghua" and not top["match"] and 0 < top["score"] < 100
