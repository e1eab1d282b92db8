"""/api/changes/: a copy built from the changes alone always equals the data release, and drafts never show."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from programs import models
from programs.opendata.releases import release_write
from tests import factories as f
from tests.helpers import DATA

pytestmark = pytest.mark.django_db

URL = reverse("api:changes")


def walk(client, url, page_size=3):
    """Every entry from `url` on, following `next` while there is more; and the last `next`."""
    entries = []
    url += ("&" if "?" in url else "?") + f"page_size={page_size}"
    for _ in range(1000):
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        entries += body["results"]
        url = body["next"]
        if not body["has_more"]:
            return entries, url
    raise AssertionError("the walk does not end")


def apply(mirror: dict, entries: list) -> dict:
    for entry in entries:
        key = (entry["type"], entry["slug"])
        if "record" in entry:
            mirror[key] = entry["record"]
        else:
            assert set(entry) == {"type", "slug", "action", "time"}
            assert entry["action"] in ("unpublished", "deleted")
            mirror.pop(key, None)
    return mirror


def release(tmp_path) -> dict:
    """The records of a full data release, by (type, slug)."""
    from programs.opendata.records import ENTITIES

    folder = tmp_path / f"release-{len(list(tmp_path.iterdir()))}"
    release_write(outdir=folder, report=lambda message: None)
    found = {}
    for entity in ENTITIES:
        for line in (folder / f"{entity.file}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            found[(entity.name, row["slug"])] = row
    return found


@pytest.fixture
def catalogue(db):
    """Published records of every kind, linked and cited, and drafts among them."""
    area = f.ResearchAreaFactory(slug="ai")
    company = f.CompanyFactory(slug="tencent")
    university = f.OrganizationFactory(slug="tsinghua", parent=company)
    program = f.ProgramFactory(slug="lab", amount=1000, currency="CNY", amount_basis="total")
    program.research_areas.add(area)
    f.ProgramFactory(slug="child", parent=program, kind=models.ProgramKind.AWARD)
    f.ParticipationFactory(program=program, organization=company)
    f.ParticipationFactory(program=program, organization=university, role=models.ParticipationRole.HOST)
    edition = f.EditionFactory(program=program, slug="lab-2022", year=2022)
    person = f.PersonFactory(slug="li-si")
    f.AffiliationFactory(person=person, organization=company, start_year=2010, end_year=2015)
    f.AffiliationFactory(person=person, organization=university, start_year=2016, is_current=True)
    f.InvolvementFactory(person=person, program=program, edition=edition)
    project = f.ProjectFactory(slug="llm", program=program, edition=edition)
    f.ProjectMemberFactory(project=project, person=person, organization=university)
    source = f.SourceFactory(slug="article")
    for record in (program, company, person, project, edition, area):
        f.CitationFactory(record=record, source=source)
    f.CitationFactory(record=models.Participation.objects.first(), source=source)
    draft_org = f.OrganizationFactory(slug="secret-org", status=models.Status.DRAFT)
    f.ParticipationFactory(program=program, organization=draft_org, role=models.ParticipationRole.PARTNER)
    draft = f.ProgramFactory(slug="secret-lab", status=models.Status.DRAFT)
    f.ParticipationFactory(program=draft, organization=company)
    f.ProjectFactory(slug="secret-project", program=draft)
    f.EditionFactory(program=draft, slug="secret-edition")
    return locals()


def test_a_copy_built_from_the_changes_equals_the_release(client, catalogue, tmp_path):
    entries, _ = walk(client, URL)
    assert apply({}, entries) == release(tmp_path)
    assert {entry["action"] for entry in entries} == {"created"}
    assert ("program", "lab") in {(entry["type"], entry["slug"]) for entry in entries}


def test_drafts_never_show(client, catalogue):
    text = b"".join(client.get(URL + "?page_size=500").content for _ in range(1))
    for slug in (b"secret-org", b"secret-lab", b"secret-project", b"secret-edition"):
        assert slug not in text


def test_a_record_published_then_unpublished_shows_only_its_tombstone(client, db):
    since = timezone.now().isoformat()
    program = f.ProgramFactory(slug="brief")
    f.ParticipationFactory(program=program)
    program.status = models.Status.DRAFT
    program.save()
    entries, _ = walk(client, URL + f"?since={since}".replace("+", "%2B"))
    mentions = [entry for entry in entries if entry["slug"] == "brief"]
    assert [(e["type"], e["action"]) for e in mentions] == [("program", "unpublished")]
    assert "record" not in mentions[0]


def mutate(catalogue):
    """Every kind of change the copy must follow."""
    c = catalogue
    c["program"].name_en = "Renamed lab"
    c["program"].save()
    c["university"].slug = "tsinghua-university"  # renamed: the programme, people and project name it
    c["university"].save()
    c["company"].status = models.Status.DRAFT  # unpublished: leaves the lists of those naming it
    c["company"].save()
    c["draft_org"].status = models.Status.PUBLISHED  # published: joins the programme's participants
    c["draft_org"].save()
    c["draft"].status = models.Status.PUBLISHED  # published: with its project and edition
    c["draft"].save()
    models.Involvement.objects.get().delete()
    c["area"].status = models.Status.DRAFT
    c["area"].save()
    f.CitationFactory(record=c["draft_org"], source=c["source"])
    c["source"].slug = "the-article"
    c["source"].save()
    models.Program.objects.get(slug="child").delete()
    new = f.ProgramFactory(slug="new-lab")
    f.ParticipationFactory(program=new, organization=c["draft_org"])


def test_a_copy_follows_every_change_from_its_cursor(client, catalogue, tmp_path):
    entries, cursor = walk(client, URL)
    mirror = apply({}, entries)
    mutate(catalogue)

    entries, cursor = walk(client, cursor, page_size=2)
    assert apply(mirror, entries) == release(tmp_path)
    tombstones = {(e["type"], e["slug"], e["action"]) for e in entries if "record" not in e}
    assert {("organization", "tsinghua", "deleted"), ("organization", "tencent", "unpublished")} <= tombstones
    assert ("program", "child", "deleted") in tombstones
    assert {e["action"] for e in entries if e["slug"] == "new-lab"} == {"created"}
    assert {e["action"] for e in entries if e["slug"] == "lab"} == {"updated"}

    # Unpublishing the programme takes its project and edition with it; nothing new after that.
    catalogue["program"].status = models.Status.DRAFT
    catalogue["program"].save()
    entries, cursor = walk(client, cursor, page_size=1)
    assert apply(mirror, entries) == release(tmp_path)
    assert {("project", "llm"), ("edition", "lab-2022"), ("program", "lab")} <= {
        (e["type"], e["slug"]) for e in entries if "record" not in e
    }
    assert walk(client, cursor)[0] == []


def test_a_walk_from_a_date_starts_there(client, catalogue, tmp_path):
    since = timezone.now()
    catalogue["person"].headline = "教授"
    catalogue["person"].save()
    entries, _ = walk(client, URL + "?since=" + since.isoformat().replace("+", "%2B"))
    assert [(e["type"], e["slug"], e["action"]) for e in entries] == [("person", "li-si", "updated")]
    # A date means its midnight in the site's time zone: today's changes are all there.
    today = timezone.localdate().isoformat()
    assert len(walk(client, URL + f"?since={today}")[0]) > 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("since=yesterday", "since"),
        ("since=2025-02-30", "since"),
        ("since=2025-01-01T25:00", "since"),
        ("cursor=not-a-cursor", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
def test_bad_parameters_are_400s_naming_them(client, catalogue, query, parameter):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_a_tampered_cursor_is_a_400(client, catalogue):
    cursor = parse_qs(urlsplit(client.get(URL + "?page_size=2").json()["next"]).query)["cursor"][0]
    value, _, signature = cursor.rpartition(":")
    for forged in (f"{value}:{signature[:-1]}x", f"{value[:-2]}:{signature}", "W251bGwsbnVsbF0"):
        response = client.get(URL, {"cursor": forged})
        assert response.status_code == 400
        assert list(response.json()) == ["cursor"]
    # A list's cursor is not one of the changes feed's, though both are signed.
    walk_cursor = signing.dumps(["2025-01-01T00:00:00+00:00", 1], salt="programs.api.cursor:programs.program")
    assert client.get(URL, {"cursor": walk_cursor}).status_code == 400
    assert client.get(URL, {"cursor": cursor, "since": "2025-01-01"}).status_code == 400


def test_a_rename_of_a_published_record_tombstones_its_old_slug_only(client, catalogue):
    since = timezone.now().isoformat().replace("+", "%2B")
    catalogue["draft"].slug = "still-secret"
    catalogue["draft"].save()
    catalogue["person"].slug = "li-si-2"
    catalogue["person"].save()
    entries, _ = walk(client, f"{URL}?since={since}")
    # The project names its member: it comes again too.
    assert [(e["slug"], e["action"]) for e in entries] == [
        ("li-si", "deleted"),
        ("li-si-2", "updated"),
        ("llm", "updated"),
    ]


def test_a_bulk_import_walks_page_by_page_to_the_release(client, db, tmp_path):
    """The curated data, imported in bulk (thousands of history rows sharing one date), then edited."""
    import io

    from django.core.management import call_command

    call_command("import_fixtures", str(DATA), stdout=io.StringIO())
    entries, cursor = walk(client, URL, page_size=40)
    mirror = apply({}, entries)
    assert mirror == release(tmp_path)
    organization = models.Organization.objects.published().order_by("pk").first()
    organization.status = models.Status.DRAFT
    organization.save()
    entries, _ = walk(client, cursor, page_size=2)
    assert apply(mirror, entries) == release(tmp_path)


def test_a_records_identifiers_are_part_of_it_in_changes_and_releases(client, catalogue, tmp_path):
    from tests.factories import identifiers

    _entries, since = walk(client, reverse("api:changes"))
    f.IdentifierFactory(organization=models.Organization.objects.get(slug="tencent"), value=identifiers.ror(3))
    entries, _next = walk(client, since)
    [entry] = [entry for entry in entries if entry["slug"] == "tencent"]
    assert entry["action"] == "updated"
    assert entry["record"]["identifiers"] == [{"scheme": "ror", "value": identifiers.ror(3)}]
    assert release(tmp_path)[("organization", "tencent")]["identifiers"] == entry["record"]["identifiers"]


@pytest.mark.parametrize("renamed", [2, 12])
def test_a_page_reads_what_its_changed_records_show_in_a_few_queries(client, django_assert_max_num_queries, renamed):
    """Renamed organizations each appear on their programme: the page finds those programmes in one
    query per kind of reference for the whole batch, not a few for each organization."""
    organizations = [f.OrganizationFactory(slug=f"org-{i}") for i in range(renamed)]
    for organization in organizations:
        f.ParticipationFactory(organization=organization)
    since = timezone.now().isoformat().replace("+", "%2B")
    for organization in organizations:
        organization.slug += "-renamed"
        organization.save()
    with django_assert_max_num_queries(35):  # 73 for 12 organizations when each read its own
        entries = client.get(URL + f"?since={since}&page_size=100").json()["results"]
    assert {entry["slug"] for entry in entries if entry["type"] == "program"} == {
        p.slug for p in models.Program.objects.all()
    }
