"""seed_synthetic: the benchmark data set has the promised shape, and production code needs no test tools."""

import ast
import datetime
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from programs import models, synthetic
from tests.helpers import ROOT

DEVELOPMENT_ONLY = {"tests", "factory", "pytest", "pytest_django", "playwright", "schemathesis", "hypothesis"}


def test_production_code_imports_no_test_tools():
    imported = set()
    for path in [*ROOT.glob("programs/**/*.py"), *ROOT.glob("tracker/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {(alias.name.split(".")[0], path.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add((node.module.split(".")[0], path.name))
    assert {(name, file) for name, file in imported if name in DEVELOPMENT_ONLY} == set()


@pytest.mark.slow
def test_the_command_runs_without_the_development_requirements(tmp_path):
    blocked = ", ".join(f"{name!r}: None" for name in sorted(DEVELOPMENT_ONLY))  # None: the import fails
    script = (
        f"import sys; sys.modules.update({{{blocked}}}); import django; django.setup(); "
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "call_command('seed_synthetic', '--programs', '3')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "rows/s" in result.stdout


pytestmark = pytest.mark.django_db


def test_shape_of_the_synthetic_data():
    out = StringIO()
    call_command("seed_synthetic", "--programs", "90", stdout=out)
    assert "rows/s" in out.getvalue()

    assert models.Program.objects.count() == 90
    assert models.Organization.objects.count() == 30
    assert models.Person.objects.count() == 90
    assert models.Participation.objects.count() == 180
    assert models.Involvement.objects.count() == 90
    assert 90 <= models.Affiliation.objects.count() <= 180
    assert models.Project.objects.count() == 9
    assert models.ProjectMember.objects.count() == 18

    # Every record and link cites a source; names are Chinese with English counterparts.
    for model in [models.Organization, models.Program, models.Person, models.Participation, models.Involvement]:
        uncited = model.objects.annotate(n=Count("citations")).filter(n=0)
        assert not uncited.exists(), model
    program = models.Program.objects.first()
    assert any("\u4e00" <= char <= "\u9fff" for char in program.name)
    assert program.name_en.isascii()
    # Skewed like real data: the busiest sponsor runs far more than an even share.
    busiest = (
        models.Participation.objects.filter(role="sponsor")
        .values("organization")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest["n"] >= 90 / 30 * 3
    # Career moves between sectors exist.
    assert models.Affiliation.objects.filter(is_current=False).exists()


def test_records_are_stamped_as_a_registry_grows(monkeypatch):
    monkeypatch.setattr(synthetic, "CHUNK", 30)
    call_command("seed_synthetic", "--programs", "90", stdout=StringIO())
    stamps = list(models.Program.objects.order_by("pk").values_list("created_at", "updated_at"))
    assert all(created == updated for created, updated in stamps)
    moments = sorted({created for created, _updated in stamps})
    assert len(moments) == 3 and [created for created, _ in stamps] == sorted(created for created, _ in stamps)
    span = timezone.now() - synthetic.FIRST_RECORDED
    assert abs(moments[0] - (synthetic.FIRST_RECORDED + span / 3)) < datetime.timedelta(minutes=1)
    assert timezone.now() - moments[-1] < datetime.timedelta(minutes=1)  # the last chunk: just now


def test_same_seed_gives_the_same_data():
    call_command("seed_synthetic", "--programs", "20", "--seed", "5", stdout=StringIO())
    first = list(models.Program.objects.order_by("slug").values_list("name", "kind", "start_year"))
    models.Citation.objects.all().delete()
    for model in [
        models.ProjectMember,
        models.Project,
        models.Involvement,
        models.Affiliation,
        models.Person,
        models.Edition,
        models.Participation,
        models.Program,
        models.Organization,
        models.ResearchArea,
        models.Source,
    ]:
        model.objects.all().delete()
    call_command("seed_synthetic", "--programs", "20", "--seed", "5", stdout=StringIO())
    assert list(models.Program.objects.order_by("slug").values_list("name", "kind", "start_year")) == first


def test_refuses_a_database_with_synthetic_data_and_bad_sizes():
    call_command("seed_synthetic", "--programs", "5", stdout=StringIO())
    with pytest.raises(CommandError, match="already holds synthetic data"):
        call_command("seed_synthetic", "--programs", "5", stdout=StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_synthetic", "--programs", "0", stdout=StringIO())
