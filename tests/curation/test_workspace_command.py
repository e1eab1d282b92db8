"""`manage.py annotate_source`: JSON of an article's mentions and proposals, and its proposals as a
fixture file that `import_fixtures` accepts unchanged."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs import models
from tests import factories as f
from tests.helpers import database_state, run_import

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parent / "workspace_texts"
NJU_FILE = TEXTS / "nju-traditional.txt"
NJU = NJU_FILE.read_text(encoding="utf-8")


def annotate(*args) -> str:
    out = StringIO()
    call_command("annotate_source", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def registry():
    f.CompanyFactory(name="华为", slug="huawei")
    f.OrganizationFactory(name="南京大学", slug="nju", aliases=["南大"], status=models.Status.DRAFT)


def test_json_gives_mentions_and_proposals_with_offsets_into_the_decoded_file(registry):
    found = json.loads(annotate(NJU_FILE, "--json"))
    assert set(found) == {"mentions", "proposals"}
    mention = next(m for m in found["mentions"] if m["slug"] == "nju")
    assert {key: mention[key] for key in ("type", "text", "draft")} == {
        "type": "organization",
        "text": "南京大學",
        "draft": True,
    }
    assert NJU[mention["start"] : mention["end"]] == "南京大學"
    proposal = next(p for p in found["proposals"] if p["name"] == "张振宇")
    assert proposal["type"] == "person" and proposal["kind"] == ""
    assert NJU[proposal["start"] : proposal["end"]] == "張振宇"
    assert "张振宇副教授" in proposal["sentence"] and isinstance(proposal["similar"], list)
    program = next(p for p in found["proposals"] if p["name"] == "华为“天才少年计划”")
    assert (program["type"], program["kind"], program["sponsor"]) == ("program", "other", "huawei")


def test_a_stored_source_is_annotated_by_its_slug(registry):
    f.SourceFactory(slug="nju-talent", text=NJU, dismissed_proposals=["person:张振宇"])
    found = json.loads(annotate("nju-talent", "--json"))
    assert "nju" in {m["slug"] for m in found["mentions"]}
    assert "张振宇" not in {p["name"] for p in found["proposals"]}


def test_the_fixture_is_accepted_by_import_fixtures_unchanged(registry, tmp_path):
    out = tmp_path / "proposals.yaml"
    annotate(NJU_FILE, "--fixture", out)
    written = out.read_text(encoding="utf-8")
    assert "status: draft" in written
    run_import(out)
    assert out.read_text(encoding="utf-8") == written
    person = models.Person.objects.get(name="张振宇")
    assert person.status == models.Status.DRAFT
    assert "张振宇副教授" in person.citations.get().quote
    program = models.Program.objects.get(name="华为“天才少年计划”")
    assert program.participations.get().organization.slug == "huawei"
    assert program.citations.get().quote_repaired, "its sentence's 數(shù)據(jù) is quoted as 数据"
    source = models.Source.objects.get(slug=person.citations.get().source.slug)
    assert (source.status, source.language) == (models.Status.DRAFT, "zh-Hant")
    again, _err = run_import(out)
    assert "Nothing to do" in again


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("no-such-source", "neither a file nor the slug of a source"),
        ("empty-source", "has no text"),
    ],
)
def test_unknown_targets_are_refused(target, message):
    f.SourceFactory(slug="empty-source", text="")
    with pytest.raises(CommandError, match=message):
        annotate(target, "--json")


def test_bad_files_are_refused_and_nothing_is_written(tmp_path):
    before = database_state()
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 100)
    with pytest.raises(CommandError, match=r"image\.txt: The file"):
        annotate(binary, "--json")
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"a" * (20 * 1024 * 1024))
    with pytest.raises(CommandError, match=r"may be 2\.0"):
        annotate(huge, "--fixture", tmp_path / "out.yaml")
    assert not (tmp_path / "out.yaml").exists()
    existing = tmp_path / "exists.yaml"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(CommandError, match="exists already"):
        annotate(NJU_FILE, "--fixture", existing)
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert database_state() == before
