"""Fixture files (data/*.yaml): parse, validate, upsert, export. The format: docs/fixtures.md.

fixtures_import(paths=[...])  validates every file, then writes everything or nothing
fixtures_export(outdir=...)   writes the database back in the same format
"""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from programs.fixtures_io.entries import Plan
from programs.fixtures_io.errors import FixtureError, Problem, Problems
from programs.fixtures_io.exporter import export_files
from programs.fixtures_io.plan import build_plan
from programs.fixtures_io.reader import fixture_paths, read_document
from programs.fixtures_io.writer import write_plan

__all__ = ["FixtureError", "Plan", "Problem", "fixtures_export", "fixtures_import", "fixtures_import_uploads"]


def fixtures_import(*, paths, dry_run: bool = False, user=None, reason: str = "import_fixtures") -> Plan:
    """Import the fixture files at `paths` (files or folders) and return the plan carried out.

    Raises FixtureError listing every problem, having written nothing, when any file is wrong.
    With `dry_run`, validates and plans without writing. History records each change with
    `user` and `reason`.
    """
    problems = Problems()
    files = fixture_paths(paths)
    if not files:
        problems.for_file(", ".join(map(str, paths)) or "-").add("-", "-", _("no .yaml fixture files found"))
        raise FixtureError(problems)
    documents = [read_document(path, str(path), problems) for path in files]
    return import_documents([document for document in documents if document], problems, dry_run, user, reason)


def fixtures_import_uploads(*, files, dry_run: bool = False, user=None, reason: str) -> Plan:
    """Import uploaded fixture files, given as (name, bytes) pairs; as `fixtures_import` otherwise."""
    problems = Problems()
    documents = [read_document(Path(name), name, problems, data=data) for name, data in files]
    return import_documents([document for document in documents if document], problems, dry_run, user, reason)


def import_documents(documents, problems: Problems, dry_run: bool, user, reason: str) -> Plan:
    """Plan, then write in one transaction unless there is a problem or nothing to do."""
    with transaction.atomic():
        # Planning reads what the files refer to; the same transaction keeps that view stable.
        plan = build_plan(documents, problems)
        if problems:
            raise FixtureError(problems)
        if plan.changes and not dry_run:
            write_plan(plan, user=user, reason=reason)
    return plan


def fixtures_export(*, outdir) -> list[Path]:
    """Write the whole database to `outdir` as fixture files; returns the files written."""
    return export_files(Path(outdir))
