"""Fixture files uploaded in the admin: checked first (a dry run), imported on request.

The same importer as `manage.py import_fixtures`: every problem listed, nothing written unless
all files are valid, history records the signed-in user. Importing publishes and changes any
record, so it needs an editor's permissions on every model.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.curation.roles import EDITORS, curated_models
from programs.curation.site import Tool
from programs.fixtures_io import FixtureError, fixtures_import_uploads
from programs.fixtures_io.entries import CREATE, UPDATE
from programs.models.validators import validate_fixture_upload

LISTED_CHANGES = 200  # changes listed on the page; the counts cover all of them


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FixtureFilesField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": ".yaml,.yml"})

    def clean(self, data, initial=None):
        # Each file is cleaned (and size-checked) on its own; none at all is "required".
        files = list(data) if isinstance(data, list | tuple) and data else [data or None]
        return [super(FixtureFilesField, self).clean(file, initial) for file in files]


class FixtureUploadForm(forms.Form):
    files = FixtureFilesField(
        label=_("Fixture files"),
        help_text=_("One or more YAML files in the format of docs/fixtures.md."),
        validators=[validate_fixture_upload],
    )


def can_import(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and user.has_perms(f"programs.{codename}" for codename in EDITORS.codenames(curated_models()))
    )


def fixture_import_view(request, site):
    """Upload fixture files: "Check" shows what would change, "Import" writes it."""
    form = FixtureUploadForm(request.POST or None, request.FILES if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        context |= import_files(form.cleaned_data["files"], dry_run="import" not in request.POST, user=request.user)
    return site.tool_page(request, "admin/programs/fixture_import.html", FIXTURE_IMPORT.title, **context)


def import_files(files, *, dry_run: bool, user) -> dict:
    """Check (or import) the uploaded files; what the page shows of it: the problems, or the plan and its changes."""
    names = ", ".join(file.name for file in files)
    try:
        plan = fixtures_import_uploads(
            files=[(file.name, file.read()) for file in files],
            dry_run=dry_run,
            user=user,
            reason=f"fixture upload: {names}"[:100],
        )
    except FixtureError as error:
        return {"problems": list(error.problems)}
    changes = [entry for entry in plan.all_entries() if entry.action in (CREATE, UPDATE)]
    return {
        "plan": plan,
        "dry_run": dry_run,
        "counts": plan.counts(),
        "changes": changes[:LISTED_CHANGES],
        "more_changes": max(0, len(changes) - LISTED_CHANGES),
    }


FIXTURE_IMPORT = Tool("import/", "fixture_import", _("Import fixture files"), fixture_import_view, can_import)
