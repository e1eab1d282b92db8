"""Backups with Django's own commands: `dumpdata` writes the curated data (never the read model, which
broke it on SQLite), every moment to the microsecond and references by natural key; `loaddata` of
it into an empty database gives the same site, every answer byte for byte, and writes no history
of its own; a dump that cannot be loaded leaves the database as it was.

`make drill-restore` (bench/drill_restore.py) runs the same round trip, pg_dump/pg_restore and
the fixture files between real PostgreSQL servers."""

import json

import pytest
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError

from programs import models
from programs.reads import read_model
from programs.site.snapshot import Snapshot

pytestmark = pytest.mark.django_db(transaction=True)

DERIVED = ("listing", "live", "facetcount", "facetpair")
CITATION_OF_NO_SOURCE = {
    "created_at": "2025-01-01T00:00:00+00:00",
    "updated_at": "2025-01-01T00:00:00+00:00",
    "source": 12345,
    "content_type": ["programs", "program"],
    "object_id": 1,
    "quote": "引文",
    "locator": "",
}


def dumped(tmp_path, *labels, **options) -> list[dict]:
    path = tmp_path / "dump.json"
    call_command("dumpdata", *labels, output=str(path), **options)
    return json.loads(path.read_text(encoding="utf-8"))


def site(folder) -> dict[str, bytes]:
    """Every public answer, by address."""
    Snapshot(folder, "localhost").write_all()
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_dumpdata_writes_the_curated_data_and_never_the_read_model(tmp_path, catalogue):
    for labels in ((), ("programs",)):
        names = {row["model"] for row in dumped(tmp_path, *labels)}
        assert {"programs.program", "programs.citation", "programs.historicalprogram"} <= names
        assert not [name for name in names if name.endswith(DERIVED)], labels


def test_a_whole_dump_leaves_out_what_migrate_makes(tmp_path, catalogue, admin_user):
    names = {row["model"] for row in dumped(tmp_path)}
    assert "auth.user" in names
    assert not names & {"contenttypes.contenttype", "auth.permission", "sessions.session"}


def test_a_dump_keeps_every_moment_to_the_microsecond(tmp_path, catalogue):
    lab = catalogue["lab"]
    assert lab.updated_at.microsecond  # (a chance of one in a million that this fails: the clock's)
    row = next(row for row in dumped(tmp_path, "programs.program") if row["pk"] == lab.pk)
    assert row["fields"]["updated_at"] == lab.updated_at.isoformat()


def test_references_are_written_by_natural_key_unless_asked_for_numbers(tmp_path, catalogue):
    citation = models.Citation.objects.get(object_id=catalogue["lab"].pk, content_type__model="program")
    rows = {row["pk"]: row for row in dumped(tmp_path, "programs.citation")}
    assert rows[citation.pk]["fields"]["content_type"] == ["programs", "program"]
    rows = {row["pk"]: row for row in dumped(tmp_path, "programs.citation", use_natural_foreign_keys=False)}
    assert rows[citation.pk]["fields"]["content_type"] == citation.content_type_id


def test_a_dump_loaded_into_an_empty_database_gives_the_same_site(tmp_path, drafts, admin_user):
    lab = models.Program.objects.get(slug="tencent-tsinghua-lab")
    lab.name_en, lab._history_user = "Tencent-Tsinghua Joint Laboratory", admin_user  # a curator's edit
    lab.save()
    before = site(tmp_path / "before")
    histories = {model: model.history.count() for model in (models.Program, models.Citation, models.Organization)}
    call_command("dumpdata", output=str(tmp_path / "backup.json"))

    call_command("flush", interactive=False)  # empty, as a database just migrated is
    assert not models.Program.objects.exists()
    call_command("loaddata", str(tmp_path / "backup.json"))

    assert site(tmp_path / "after") == before
    assert {model: model.history.count() for model in histories} == histories  # the dump's, none of the load's
    assert models.Program.history.filter(history_user__username=admin_user.username).exists()
    assert models.Program.objects.filter(status=models.Status.DRAFT).exists()  # drafts stay drafts
    assert read_model.differences() == []


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"model": "programs.program", "pk": 999, "fields": {"slug": "x", "start_year": "soon"}}, "soon"),
        ({"model": "programs.nothing", "pk": 1, "fields": {}}, "Invalid model identifier: programs.nothing"),
        ({"model": "programs.citation", "pk": 999, "fields": CITATION_OF_NO_SOURCE}, "12345"),
    ],
)
def test_a_dump_that_cannot_be_loaded_writes_nothing(tmp_path, catalogue, broken, message):
    rows = dumped(tmp_path, "programs.source")  # rows that load on their own
    call_command("flush", interactive=False)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps([*rows, broken]), encoding="utf-8")
    with pytest.raises((DeserializationError, IntegrityError), match=message):
        call_command("loaddata", str(path))
    assert not models.Source.objects.exists()
