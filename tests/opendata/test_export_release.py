"""`manage.py export_release`: complete, deterministic, checksummed releases, written atomically, drafts left out."""

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs import models
from programs.opendata import records, releases
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    program = f.ProgramFactory(slug="lab", name='=HYPERLINK("http://evil")', amount="1000.50", currency="CNY")
    company = f.CompanyFactory(slug="tencent", aliases=["+腾讯", "Tencent"])
    f.ParticipationFactory(program=program, organization=company, note="-1 sponsor")
    draft_org = f.OrganizationFactory(slug="secret-org", status=models.Status.DRAFT)
    f.ParticipationFactory(program=program, organization=draft_org, role=models.ParticipationRole.PARTNER)
    f.ProgramFactory(slug="secret-lab", status=models.Status.DRAFT)
    person = f.PersonFactory(slug="li-si")
    f.AffiliationFactory(person=person, organization=company, title="@研究员")
    source = f.SourceFactory(slug="article")
    f.CitationFactory(record=program, source=source, quote="\t引文", quote_repaired=True)
    f.CitationFactory(record=models.Participation.objects.get(organization=company), source=source)
    f.CitationFactory(record=company, source=f.SourceFactory(slug="draft-article", status=models.Status.DRAFT))
    return locals()


def export(outdir: Path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_release", str(outdir), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_release_holds_every_published_record_with_links_and_citations(catalogue, tmp_path):
    out, err = export(tmp_path / "r1")
    folder = tmp_path / "r1"
    assert "Wrote release 1" in out and "rows/s" in err
    programs = [json.loads(line) for line in (folder / "programs.jsonl").read_text().splitlines()]
    assert [row["slug"] for row in programs] == ["lab"]
    assert programs[0]["amount"] == "1000.50"
    assert programs[0]["participants"] == [
        {
            "organization": "tencent",
            "role": "sponsor",
            "note": "-1 sponsor",
            "citations": [
                {
                    "source": "article",
                    "quote": models.Citation.objects.order_by("pk")[1].quote,
                    "quote_repaired": False,
                    "locator": "",
                }
            ],
        }
    ]
    organization = json.loads((folder / "organizations.jsonl").read_text())
    assert organization["citations"] == []  # its only source is a draft
    text = b"".join(files(folder).values())
    for draft in (b"secret-org", b"secret-lab", b"draft-article"):
        assert draft not in text
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["release"] == 1 and manifest["previous"] is None
    assert manifest["records"] == {
        "programs": 1,
        "organizations": 1,
        "people": 1,
        "projects": 0,
        "editions": 0,
        "research_areas": 0,
        "sources": 1,
    }
    assert manifest["time"] == max(
        row["updated_at"]
        for entity in records.ENTITIES
        for line in (folder / f"{entity.file}.jsonl").read_text().splitlines()
        for row in [json.loads(line)]
    )
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_checksums_cover_every_file(catalogue, tmp_path):
    export(tmp_path / "r1")
    folder = tmp_path / "r1"
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {path.name for path in folder.iterdir()} - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_the_same_data_gives_byte_identical_releases(catalogue, tmp_path):
    export(tmp_path / "a")
    export(tmp_path / "b")
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_csv_cells_cannot_be_formulas(catalogue, tmp_path):
    export(tmp_path / "r1")
    folder = tmp_path / "r1"

    def rows(name):
        return list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8-sig"))))

    assert rows("programs")[0]["name"] == '\'=HYPERLINK("http://evil")'
    assert rows("organizations")[0]["aliases"] == "'+腾讯; Tencent"
    assert rows("participations")[0]["note"] == "'-1 sponsor"
    assert rows("affiliations")[0]["title"] == "'@研究员"
    assert {row["quote"] for row in rows("citations")} >= {"'\t引文"}
    assert {(row["quote"], row["quote_repaired"]) for row in rows("citations")} == {
        ("'\t引文", "true"),
        (models.Citation.objects.order_by("pk")[1].quote, "false"),
    }
    # The JSON Lines files keep every value as it is.
    assert json.loads((folder / "programs.jsonl").read_text())["name"] == '=HYPERLINK("http://evil")'
    assert [row["record"] for row in rows("citations") if row["record_type"] == "participation"] == [
        "lab | tencent | sponsor"
    ]


def test_the_readme_describes_every_field(catalogue, tmp_path):
    export(tmp_path / "r1")
    folder = tmp_path / "r1"
    readme = (folder / "README.md").read_text()
    assert "CC BY 4.0" in readme and "How to cite" in readme
    for entity in records.ENTITIES:
        header = next(csv.reader(io.StringIO((folder / f"{entity.file}.csv").read_text(encoding="utf-8-sig"))))
        lines = (folder / f"{entity.file}.jsonl").read_text().splitlines()
        row = json.loads(lines[0]) if lines else {}
        for name in {*header, *row}:
            assert f"| `{name}` |" in readme, (entity.file, name)


def test_changes_against_the_previous_release(catalogue, tmp_path):
    export(tmp_path / "r1")
    catalogue["program"].name_en = "Renamed"
    catalogue["program"].save()
    catalogue["person"].delete()
    f.ProgramFactory(slug="new-lab")
    export(tmp_path / "r2", "--previous", str(tmp_path / "r1"))
    folder = tmp_path / "r2"
    changes = list(csv.reader(io.StringIO((folder / "CHANGES.csv").read_text(encoding="utf-8-sig"))))
    assert changes == [
        ["file", "slug", "change"],
        ["people", "li-si", "removed"],
        ["programs", "lab", "changed"],
        ["programs", "new-lab", "added"],
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["release"] == 2 and manifest["previous"]["release"] == 1
    assert manifest["changes"] == {"added": 1, "changed": 1, "removed": 1}


def test_a_non_empty_or_unusable_outdir_is_refused_untouched(catalogue, tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder"):
        export(taken)
    assert files(taken) == {"notes.txt": b"mine"}
    with pytest.raises(CommandError, match="is not a folder"):
        export(tmp_path / "missing" / "r1")
    export(tmp_path / "empty")  # an empty folder is fine
    assert (tmp_path / "empty" / "manifest.json").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["empty", "taken"]


def test_a_corrupt_previous_release_is_refused(catalogue, tmp_path):
    export(tmp_path / "r1")
    (tmp_path / "r1" / "programs.jsonl").write_text("{}\n")
    with pytest.raises(CommandError, match="does not match SHA256SUMS"):
        export(tmp_path / "r2", "--previous", str(tmp_path / "r1"))
    with pytest.raises(CommandError, match="is not a release"):
        export(tmp_path / "r3", "--previous", str(tmp_path / "nowhere"))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r1"]


def test_a_failed_run_leaves_nothing_behind(catalogue, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(releases, "_write_changes", fail)
    export(tmp_path / "r1")
    with pytest.raises(RuntimeError):
        export(tmp_path / "r2", "--previous", str(tmp_path / "r1"))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r1"]


def test_rows_stream_in_chunks(catalogue, tmp_path, monkeypatch):
    for _ in range(5):
        f.ProgramFactory()
    monkeypatch.setattr(records, "CHUNK_SIZE", 2)
    seen = []
    original = records.rows

    def counting(entity, queryset, chunk_size=2):
        for chunk in original(entity, queryset, chunk_size=2):
            seen.append((entity.file, len(chunk)))
            yield chunk

    monkeypatch.setattr(records, "rows", counting)
    export(tmp_path / "r1")
    assert [n for name, n in seen if name == "programs"] == [2, 2, 2]
