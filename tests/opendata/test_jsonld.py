"""JSON-LD on record pages and /data/, read the way linked-data tools read it: expanded by a
JSON-LD processor (pyld), offline.

The processor resolves "https://schema.org" to tests/opendata/jsonld/schemaorg-context.jsonld, the part of
schema.org's published context that these pages use (its vocabulary and the terms it types as
addresses or dates); any other address fails the test rather than reach the network.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pyld import jsonld

from programs import models
from tests import factories as f

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
CONTEXT = json.loads((Path(__file__).parent / "jsonld" / "schemaorg-context.jsonld").read_text())
SITE = "http://testserver"


def offline_loader(url, options=None):
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the JSON-LD processor asked for {url}")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def blocks(html: str) -> list[dict]:
    return [json.loads(text) for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def expanded(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    (data,) = blocks(response.content.decode())
    (node,) = jsonld.expand(data, {"documentLoader": offline_loader})
    return node


def prop(node, name) -> list:
    return node.get(SCHEMA + name, [])


def ids(node, name) -> list[str]:
    return [value["@id"] for value in prop(node, name)]


def texts(node, name) -> dict:
    return {value["@language"]: value["@value"] for value in prop(node, name)}


def page(record) -> str:
    return SITE + record.get_absolute_url()


@pytest.fixture
def world(db):
    company = f.CompanyFactory(name="蚂蚁集团", name_en="Ant Group")
    university = f.OrganizationFactory(name="清华大学", name_en="Tsinghua University", parent=company)
    draft_org = f.OrganizationFactory(status=models.Status.DRAFT)
    fund = f.ProgramFactory(
        kind=models.ProgramKind.RESEARCH_FUND, amount=200000, currency="CNY", name="蚂蚁基金", name_en="Ant Fund"
    )
    f.ParticipationFactory(program=fund, organization=company)
    f.ParticipationFactory(program=fund, organization=university, role=models.ParticipationRole.HOST)
    f.ParticipationFactory(program=fund, organization=draft_org)
    person = f.PersonFactory()
    f.AffiliationFactory(person=person, organization=university, is_current=True)
    f.AffiliationFactory(person=person, organization=draft_org)
    project = f.ProjectFactory(program=fund)
    f.ProjectMemberFactory(project=project, person=person)
    source = f.SourceFactory(url="https://example.org/article")
    for record in (fund, university, person, project):
        f.CitationFactory(record=record, source=source)
    return locals()


def test_a_fund_is_a_monetary_grant_with_funder_amount_and_citations(client, world):
    node = expanded(client, world["fund"].get_absolute_url())
    assert node["@type"] == [SCHEMA + "MonetaryGrant"]
    assert node["@id"] == page(world["fund"])
    assert texts(node, "name") == {"zh-hans": "蚂蚁基金", "en": "Ant Fund"}  # language tags are case-insensitive
    assert ids(node, "funder") == [page(world["company"])]
    assert ids(node, "sponsor") == [page(world["university"])]  # the draft partner is not there
    (amount,) = prop(node, "amount")
    assert prop(amount, "currency") == [{"@value": "CNY"}] and prop(amount, "value")[0]["@value"] in (
        "200000.00",
        200000,
    )
    assert ids(node, "fundedItem") == [page(world["project"])]
    assert ids(node, "citation") == [page(world["source"])]


def test_organizations_people_projects_and_sources_have_their_types_and_links(client, world):
    university = expanded(client, world["university"].get_absolute_url())
    assert university["@type"] == [SCHEMA + "CollegeOrUniversity"]
    assert ids(university, "parentOrganization") == [page(world["company"])]
    company = expanded(client, world["company"].get_absolute_url())
    assert company["@type"] == [SCHEMA + "Corporation"]
    assert ids(company, "subOrganization") == [page(world["university"])]

    person = expanded(client, world["person"].get_absolute_url())
    assert person["@type"] == [SCHEMA + "Person"]
    assert ids(person, "affiliation") == [page(world["university"])] == ids(person, "worksFor")

    project = expanded(client, world["project"].get_absolute_url())
    assert project["@type"] == [SCHEMA + "ResearchProject"]
    assert ids(project, "funding") == [page(world["fund"])]
    assert ids(project, "member") == [page(world["person"])]

    source = expanded(client, world["source"].get_absolute_url())
    assert source["@type"] == [SCHEMA + "Article"]
    assert ids(source, "sameAs") == ["https://example.org/article"]
    assert set(ids(source, "mentions")) == {page(world[name]) for name in ("fund", "university", "person", "project")}


@pytest.mark.parametrize(
    ("kind", "type_"),
    [
        (models.ProgramKind.SCHOLARSHIP, "Grant"),
        (models.ProgramKind.JOINT_LAB, "ResearchOrganization"),
        (models.ProgramKind.INTERNSHIP, "EducationalOccupationalProgram"),
        (models.ProgramKind.OTHER, "Project"),
    ],
)
def test_each_kind_of_programme_has_a_fitting_type(client, kind, type_):
    assert expanded(client, f.ProgramFactory(kind=kind).get_absolute_url())["@type"] == [SCHEMA + type_]


def test_english_pages_name_the_same_records(client, world):
    node = expanded(client, "/en" + world["fund"].get_absolute_url())
    assert node["@id"] == page(world["fund"])  # one identifier for both languages
    assert ids(node, "url") == [SITE + "/en" + world["fund"].get_absolute_url()]


def test_no_text_can_end_the_data_block(client):
    program = f.ProgramFactory(name="</script><script>alert(1)</script>", summary="<!-- & -->")
    html = client.get(program.get_absolute_url()).content.decode()
    (data,) = blocks(html)
    assert data["name"][0]["@value"] == "</script><script>alert(1)</script>"
    assert "<script>alert" not in html


def test_drafts_have_no_json_ld(staff_client):
    draft = f.ProgramFactory(status=models.Status.DRAFT)
    assert blocks(staff_client.get(draft.get_absolute_url()).content.decode()) == []


def test_the_data_page_describes_a_dataset(client, settings, tmp_path):
    from django.core.management import call_command

    settings.DATA_RELEASES_DIR = tmp_path
    f.ProgramFactory()
    call_command("export_release", str(tmp_path / "2026-01"), stderr=io.StringIO(), stdout=io.StringIO())
    node = expanded(client, reverse("programs:data"))
    assert node["@type"] == [SCHEMA + "Dataset"]
    assert ids(node, "license") == ["https://creativecommons.org/licenses/by/4.0/"]
    downloads = prop(node, "distribution")
    assert SITE + reverse("programs:data-file", args=["2026-01", "programs.jsonl"]) in [
        d[SCHEMA + "contentUrl"][0]["@id"] for d in downloads
    ]


def test_identifiers_are_the_records_other_addresses(client, world):
    from tests.factories import identifiers

    ror = f.IdentifierFactory(organization=world["company"], value=identifiers.ror(7))
    orcid = f.IdentifierFactory(organization=None, person=world["person"], scheme="orcid", value=identifiers.orcid(7))
    company = expanded(client, world["company"].get_absolute_url())
    assert ror.url in ids(company, "sameAs")
    assert ids(expanded(client, world["person"].get_absolute_url()), "sameAs")[-1] == orcid.url
