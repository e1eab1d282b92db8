"""The curated data shipped in data/ imports cleanly and every public record cites its article."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from programs import models

DATA = Path(__file__).resolve().parent.parent / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = StringIO()
    call_command("import_fixtures", str(DATA), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_shipped_data_imports_and_a_second_run_changes_nothing(seeded):
    assert "Imported." in seeded
    out = StringIO()
    call_command("import_fixtures", str(DATA), stdout=out)
    assert "Nothing to do" in out.getvalue()


def test_one_source_per_file_and_every_source_cited(seeded):
    assert models.Source.objects.count() == len(list(DATA.glob("*.yaml")))
    for source in models.Source.objects.all():
        assert source.citations.exists(), source.slug


@pytest.mark.parametrize(
    "model",
    [models.Organization, models.Program, models.Person, models.Project, models.ResearchArea, models.Edition],
    ids=lambda model: model._meta.model_name,
)
def test_every_published_record_cites_an_article(seeded, model):
    records = model.objects.published()
    assert records.exists()
    uncited = [record.slug for record in records if not record.citations.exists()]
    assert uncited == []


def test_the_data_covers_the_articles(seeded):
    assert models.Program.objects.published().count() >= 30
    kinds = set(models.Program.objects.values_list("kind", flat=True))
    assert {"joint_lab", "research_fund", "award", "scholarship", "postdoc_station", "internship"} <= kinds
    assert models.Affiliation.objects.filter(organization__kind="company").exists()
    assert models.Edition.objects.filter(recipient_count__isnull=False, amount__isnull=False).exists()


def test_quotes_are_short(seeded):
    too_long = [c.quote for c in models.Citation.objects.all() if len(c.quote) > 200]
    assert too_long == []


@pytest.mark.django_db(transaction=True)
def test_shipped_data_round_trips_through_export(tmp_path):
    call_command("import_fixtures", str(DATA), stdout=StringIO())
    call_command("export_fixtures", str(tmp_path / "first"), stdout=StringIO())
    call_command("flush", "--noinput", verbosity=0)
    call_command("import_fixtures", str(tmp_path / "first"), stdout=StringIO())
    call_command("export_fixtures", str(tmp_path / "second"), stdout=StringIO())
    first = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "first").iterdir()}
    second = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "second").iterdir()}
    assert len(first) == 5
    assert second == first
