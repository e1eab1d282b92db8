"""Partnership pages (/partners/<a>/<b>/), their downloads and API endpoint, and organization figures."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from programs import models
from programs.reads.partnerships import partnership_url
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = models.Status.DRAFT


@pytest.fixture
def pair():
    """Tencent and Tsinghua: two shared programmes (one with two roles for Tencent), a draft one, a
    programme of one side only, and people and projects on both sides."""
    tencent = f.CompanyFactory(slug="tencent", name="腾讯", name_en="Tencent")
    tsinghua = f.OrganizationFactory(slug="tsinghua", name="清华大学", name_en="Tsinghua University")
    lab = f.ProgramFactory(slug="lab", name="联合实验室", start_year=2018, end_year=2022, amount=1000, currency="CNY")
    fund = f.ProgramFactory(
        slug="fund", name="犀牛鸟基金", start_year=2020, end_year=None, kind=models.ProgramKind.RESEARCH_FUND
    )
    hidden = f.ProgramFactory(slug="hidden", name="草稿项目", status=DRAFT)
    alone = f.ProgramFactory(slug="alone", name="腾讯独办")
    for program, role in (
        (lab, "sponsor"),
        (lab, "funder"),
        (fund, "sponsor"),
        (hidden, "sponsor"),
        (alone, "sponsor"),
    ):
        f.ParticipationFactory(program=program, organization=tencent, role=role)
    for program in (lab, fund, hidden):
        f.ParticipationFactory(program=program, organization=tsinghua, role=models.ParticipationRole.PARTNER)
    f.EditionFactory(program=fund, slug="fund-2021", year=2021, label="2021")
    f.EditionFactory(program=alone, slug="alone-2021", year=2021, label="2021")
    f.ProjectFactory(slug="llm", title="大模型研究", program=fund)
    f.ProjectFactory(slug="draft-project", title="草稿课题", program=fund, status=DRAFT)
    mover = f.PersonFactory(slug="mover", name="王五")  # worked at both
    f.AffiliationFactory(person=mover, organization=tsinghua, title="教授", start_year=2010, end_year=2015)
    f.AffiliationFactory(person=mover, organization=tencent, title="首席科学家", start_year=2015, is_current=True)
    member = f.PersonFactory(slug="member", name="赵六")  # a position at one, a project for the other
    f.AffiliationFactory(person=member, organization=tsinghua, title="博士生")
    f.ProjectMemberFactory(project=models.Project.objects.get(slug="llm"), person=member, organization=tencent)
    only_one = f.PersonFactory(slug="only-one", name="钱七")
    f.AffiliationFactory(person=only_one, organization=tsinghua)
    draft_person = f.PersonFactory(slug="draft-person", status=DRAFT)
    f.AffiliationFactory(person=draft_person, organization=tsinghua)
    f.AffiliationFactory(person=draft_person, organization=tencent)
    return tencent, tsinghua


def test_one_address_per_pair(client, pair):
    assert partnership_url(*pair) == partnership_url(*reversed(pair)) == "/partners/tencent/tsinghua/"
    response = client.get("/partners/tsinghua/tencent/?format=csv")
    assert response.status_code == 301 and response["Location"] == "/partners/tencent/tsinghua/?format=csv"
    assert client.get("/en/partners/tsinghua/tencent/")["Location"] == "/en/partners/tencent/tsinghua/"


@pytest.mark.parametrize(
    "path",
    [
        "/partners/tencent/tencent/",
        "/partners/nobody/tencent/",
        "/partners/draft-org/tencent/",
        "/partners/lonely/tencent/",
    ],
)
def test_no_page_for_pairs_that_are_not_one(client, pair, path):
    f.OrganizationFactory(slug="draft-org", status=DRAFT)
    f.OrganizationFactory(slug="lonely")  # shares nothing with Tencent
    assert client.get(path).status_code == 404


def test_the_page_shows_what_the_two_share(client, pair):
    page = client.get("/partners/tencent/tsinghua/").content.decode()
    assert "联合实验室" in page and "犀牛鸟基金" in page
    assert "草稿项目" not in page and "腾讯独办" not in page  # a draft, and a programme of one side
    assert "2018–2022" in page
    assert 'class="chart timeline-chart"' in page and 'href="/programs/lab/"' in page
    assert "fund-2021" in page and "alone-2021" not in page  # editions of shared programmes only
    assert "大模型研究" in page and "草稿课题" not in page
    assert "王五" in page and "赵六" in page  # worked at both; a position at one, a project for the other
    assert "钱七" not in page and "/people/draft-person/" not in page
    english = client.get("/en/partners/tencent/tsinghua/").content.decode()
    assert "Shared programmes" in english and "Tencent × Tsinghua University" in english.replace(
        "</a> × <a", " × "
    ).replace('<a href="/en/organizations/tsinghua/">', "")


def test_downloads_give_every_shared_programme(client, pair):
    response = client.get("/partners/tencent/tsinghua/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode().removeprefix("\ufeff"))))
    assert [(row["slug"], row["first_roles"], row["second_roles"]) for row in rows] == [
        ("lab", "funder; sponsor", "partner"),
        ("fund", "sponsor", "partner"),
    ]
    assert rows[0]["first"] == "tencent" and rows[0]["url"].endswith("/programs/lab/")
    body = json.loads(b"".join(client.get("/partners/tencent/tsinghua/", {"format": "json"}).streaming_content))
    assert [row["slug"] for row in body] == ["lab", "fund"] and body[0]["first_roles"] == ["funder", "sponsor"]
    refused = client.get("/partners/tencent/tsinghua/", {"format": "xlsx"})
    assert refused.status_code == 400 and "format=csv" in refused.content.decode()


def test_api_endpoint(client, pair):
    body = client.get("/api/partnerships/tsinghua/tencent/").json()
    assert body == client.get("/api/partnerships/tencent/tsinghua/").json()
    assert [o["slug"] for o in body["organizations"]] == ["tencent", "tsinghua"]
    assert body["program_count"] == 2
    assert [(p["program"]["slug"], p["first_roles"], p["second_roles"]) for p in body["programs"]] == [
        ("lab", ["funder", "sponsor"], ["partner"]),
        ("fund", ["sponsor"], ["partner"]),
    ]
    assert [p["person"]["slug"] for p in body["people"]] == ["mover", "member"]
    assert body["people"][1] == {"person": body["people"][1]["person"], "first": ["大模型研究"], "second": ["博士生"]}
    assert [e["slug"] for e in body["editions"]] == ["fund-2021"] and [p["slug"] for p in body["projects"]] == ["llm"]
    assert body["page_url"] == "http://testserver/partners/tencent/tsinghua/"
    assert client.get("/api/partnerships/tencent/tencent/").status_code == 404
    assert client.get("/api/partnerships/tencent/nobody/").json() == {"detail": "未找到。"}


def test_pages_link_to_partnerships(client, pair):
    tencent, _tsinghua = pair
    assert 'href="/partners/tencent/tsinghua/"' in client.get(tencent.get_absolute_url()).content.decode()
    insights = client.get(reverse("programs:insights")).content.decode()
    assert '<a href="/partners/tencent/tsinghua/"><line' in insights  # the network's edge
    assert '<a href="/partners/tencent/tsinghua/">2</a>' in insights  # the table of pairs


def test_organization_figures(client, pair):
    tencent, _tsinghua = pair
    models.Program.objects.filter(slug="lab").update(amount_basis=models.AmountBasis.TOTAL)
    for slug, amount, basis in (
        ("scholarship", 50, models.AmountBasis.TOTAL),
        ("award", 200_000, models.AmountBasis.PER_PERSON),
        ("phd-award", 50_000, models.AmountBasis.PER_PERSON),
        ("grant", 30, ""),
    ):
        program = f.ProgramFactory(
            slug=slug,
            start_year=2020,
            kind=models.ProgramKind.SCHOLARSHIP,
            amount=amount,
            currency="CNY",
            amount_basis=basis,
        )
        models.Participation.objects.create(program=program, organization=tencent, role="sponsor")
    page = client.get("/en" + tencent.get_absolute_url()).content.decode()
    assert "Programmes by start year" in page and "Amounts by currency and basis" in page and "Top partners" in page
    # Per start year: alone and lab (2018), fund and the new ones (2020); the draft is not counted.
    assert 'href="/en/programs/?organization=tencent&amp;start_year_min=2020&amp;start_year_max=2020"' in page
    assert 'href="/en/programs/?organization=tencent&amp;kind=scholarship"' in page
    amounts = page[page.index("Amounts by currency and basis") :]
    cells = re.findall(r'data-label="(Counted|Programmes|Range|Sum of amounts)"[^>]*>([^<]*)<', amounts)
    # Amounts given in total add up (the lab once, though Tencent has two roles in it); amounts per
    # person of two programmes, or without a basis, show their range and no sum.
    assert [value for _label, value in cells] == [
        "—", "1", "30", "—",
        "per person", "2", "50,000–200,000", "—",
        "in total", "2", "50–1,000", "1,050",
    ]  # fmt: skip
    assert "250,000" not in page
    assert 'href="/en/partners/tencent/tsinghua/"' in page
