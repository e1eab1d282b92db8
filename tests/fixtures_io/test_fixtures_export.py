"""export_fixtures: the database back to files that import to the same database."""

import errno
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs import models
from tests import factories as f
from tests.helpers import VALID, export, flush

pytestmark = pytest.mark.django_db(transaction=True)


def comparable_state():
    """Every record by its natural keys, without ids and timestamps that differ between databases."""
    state = {}
    for model in [
        models.Source,
        models.ResearchArea,
        models.Organization,
        models.Program,
        models.Edition,
        models.Person,
        models.Project,
    ]:
        state[model.__name__] = sorted(
            (
                tuple(
                    (field.name, str(getattr(record, field.name)))
                    for field in model._meta.concrete_fields
                    if field.name not in {"id", "created_at", "updated_at", "published_at"} and not field.many_to_one
                ),
                getattr(getattr(record, "parent", None), "slug", None),
                sorted(
                    (c.source.slug, c.quote, c.quote_repaired, c.locator)
                    for c in getattr(record, "citations", models.Citation.objects.none()).all()
                )
                if model is not models.Source
                else None,
            )
            for record in model.objects.all()
        )
    state["participations"] = sorted(
        models.Participation.objects.values_list("program__slug", "organization__slug", "role", "note")
    )
    state["affiliations"] = sorted(
        models.Affiliation.objects.values_list(
            "person__slug", "organization__slug", "title", "title_en", "start_year", "end_year", "is_current", "note"
        )
    )
    state["involvements"] = sorted(
        models.Involvement.objects.values_list(
            "person__slug", "program__slug", "edition__slug", "role", "year", "note"
        ),
        key=str,
    )
    state["members"] = sorted(
        models.ProjectMember.objects.values_list("project__slug", "person__slug", "organization__slug", "role"), key=str
    )
    state["areas"] = sorted(
        models.Program.research_areas.through.objects.values_list("program__slug", "researcharea__slug")
    )
    state["link citations"] = sorted(
        (c.content_type.model, c.source.slug, c.quote, c.quote_repaired)
        for c in models.Citation.objects.exclude(
            content_type__model__in=[
                "source",
                "researcharea",
                "organization",
                "program",
                "edition",
                "person",
                "project",
            ]
        )
    )
    return state


def test_export_import_export_gives_identical_files(tmp_path):
    call_command("import_fixtures", str(VALID), stdout=StringIO())
    before = comparable_state()
    first = export(tmp_path / "first")
    assert set(first) == {"air-article.yaml", "intech-article.yaml"}

    flush()
    assert models.Program.objects.count() == 0
    call_command("import_fixtures", str(tmp_path / "first"), stdout=StringIO())
    assert comparable_state() == before
    second = export(tmp_path / "second")
    assert second == first


def test_export_of_records_made_in_the_admin_round_trips(tmp_path):
    """Drafts, uncited records, decimals, multi-line text, qualifiers, flags and every link kind survive the trip."""
    source = f.SourceFactory(
        slug="article-one", published_on=None, url="https://example.org/a", name_is_descriptive=True
    )
    program = f.ProgramFactory(
        slug="lab",
        name="实验室",
        aliases=["Lab", "实验室甲"],
        summary="第一行\n第二行",
        amount="1234.56",
        currency="CNY",
        amount_basis=models.AmountBasis.TOTAL,
        amount_qualifier=models.Qualifier.ABOUT,
        end_year=2020,
    )
    draft = f.ProgramFactory(
        slug="draft-lab",
        status=models.Status.DRAFT,
        parent=program,
        name_is_descriptive=True,
        start_year=None,
        years_not_in_sources=True,
        participants_not_in_sources=True,
    )
    f.CitationFactory(record=program, source=source, quote="实验室。", locator="第二段")
    edition = f.EditionFactory(
        program=program,
        slug="lab-2019",
        year=2019,
        label="第一届",
        recipient_count=3,
        application_count=400,
        application_count_qualifier=models.Qualifier.AT_LEAST,
    )
    f.CitationFactory(record=edition, source=source)
    person = f.PersonFactory(slug="li-si")
    f.CitationFactory(record=person, source=source)
    f.AffiliationFactory(person=person, title="", is_current=True, organization__name_is_descriptive=True)
    f.InvolvementFactory(person=person, program=program, edition=edition, role=models.InvolvementRole.SCHOLAR)
    f.InvolvementFactory(person=person, program=draft, role=models.InvolvementRole.MENTOR)
    project = f.ProjectFactory(slug="p-1", program=program, edition=edition, name_is_descriptive=True)
    f.ProjectFactory(slug="p-2", program=program, years_not_in_sources=True)
    f.ProjectMemberFactory(project=project, person=person, organization=None)

    first = export(tmp_path / "first")
    assert set(first) == {"article-one.yaml", "uncited.yaml"}
    assert "status: draft" in first["uncited.yaml"]
    assert 'amount: "1234.56"' in first["article-one.yaml"]
    assert "summary: |-\n      第一行\n      第二行" in first["article-one.yaml"]
    assert "source:" not in first["uncited.yaml"]
    assert "application_count: 400\n    application_count_qualifier: at_least" in first["article-one.yaml"]
    assert "amount_qualifier: about" in first["article-one.yaml"]
    assert "name_is_descriptive: true\n  publisher:" in first["article-one.yaml"]
    assert "years_not_in_sources: true" in first["uncited.yaml"]
    assert "participants_not_in_sources: true" in first["uncited.yaml"]
    before = comparable_state()

    flush()
    call_command("import_fixtures", str(tmp_path / "first"), stdout=StringIO())
    assert comparable_state() == before
    assert export(tmp_path / "second") == first


def test_export_refuses_a_file_as_folder(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("export_fixtures", str(target), stdout=StringIO())


def test_an_export_onto_a_full_disk_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    call_command("import_fixtures", str(VALID), stdout=StringIO())
    outdir = tmp_path / "backup"
    outdir.mkdir()
    (outdir / "notes.txt").write_text("kept")
    (outdir / "uncited.yaml").write_text("the last backup's\n")
    original, written = Path.write_text, []

    def full(path, text, **kwargs):
        if written:  # the first file fits; the second finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        return original(path, text, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OSError, match="No space left on device"):
        call_command("export_fixtures", str(outdir), stdout=StringIO())
    monkeypatch.undo()
    assert written
    assert sorted(path.name for path in tmp_path.iterdir()) == ["backup"]  # no hidden folder left
    assert {path.name: path.read_text() for path in outdir.iterdir()} == {
        "notes.txt": "kept",
        "uncited.yaml": "the last backup's\n",
    }


def test_state_helper_sees_differences():
    call_command("import_fixtures", str(VALID), stdout=StringIO())
    before = comparable_state()
    models.Program.objects.filter(slug="alibaba-air").update(name_en="Changed")
    assert comparable_state() != before
