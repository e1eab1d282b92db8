"""What several test modules share: paths, the drafts' secret words, admin forms
read back, fixture-file imports, database snapshots and worlds shared by a module's tests. Fixtures
(worlds, users) are in conftest.py; factories in factories.py."""

import contextlib
import re
from collections import deque
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django import forms
from django.apps import apps
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.urls import NoReverseMatch, reverse

from programs import models
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# Every draft's name holds one of these: no public page, download or API answer may.
SECRET = "机密草稿"
SECRET_EN = "SecretDraft"

# The sizes of the worlds the query-count tests compare: a page's count must not grow with the data.
WORLD_SIZES = [5, 50]
# The queries a request that reads the database adds to bound its statements, on PostgreSQL
# (programs.serving.timeouts): in a test, inside the test's transaction, the bound (in production
# the bound and the COMMIT of the transaction it begins).
BOUNDED_TRANSACTION = 1 if connection.vendor == "postgresql" else 0


# The admin.
FACTORIES = {
    models.ResearchArea: f.ResearchAreaFactory,
    models.Organization: f.OrganizationFactory,
    models.Program: f.ProgramFactory,
    models.Participation: f.ParticipationFactory,
    models.Edition: f.EditionFactory,
    models.Person: f.PersonFactory,
    models.Affiliation: f.AffiliationFactory,
    models.Involvement: f.InvolvementFactory,
    models.Project: f.ProjectFactory,
    models.ProjectMember: f.ProjectMemberFactory,
    models.Source: f.SourceFactory,
    models.Citation: f.CitationFactory,
    models.Identifier: f.IdentifierFactory,
}
ADMIN_MODELS = list(FACTORIES)


def admin_url(model, view, *args):
    return reverse(f"admin:programs_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """The data of the add, change or revert form on `response`: its fields and inline formsets.

    Read-only fields are not part of it, as in a browser; tests add or override what they change.
    """
    context = response.context
    all_forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        all_forms.append(inline.formset.management_form)
        all_forms.extend(inline.formset.forms)
    data = {}
    for form in all_forms:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
                continue
            if value is None:
                value = [] if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) else ""
            data[bound.html_name] = value
    return data


# Fixture files and what the database holds.
VALID = Path(__file__).resolve().parent / "fixtures_io" / "fixture_files" / "valid"
AIR = (VALID / "a-air.yaml").read_text(encoding="utf-8")
ANT = (VALID / "b-ant.yaml").read_text(encoding="utf-8")


PROGRAM_KIND = "    kind: research_fund\n"


def air_with(old: str, new: str) -> str:
    """The valid AIR fixture file with one change."""
    assert old in AIR, old
    return AIR.replace(old, new, 1)


def database_state():
    """Every row of the app's tables (history included), to prove a refused import wrote nothing.

    The read model's tables follow from them (tests/reads/test_read_model.py checks they always do)."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_app_config("programs").get_models()
        if model._meta.managed
    }


def read_only(build):
    """A module-scoped fixture of what `build()` makes, for tests that only read it.

    It is built once per test module, in a transaction rolled back after the module's last test.
    Each test still runs in a savepoint of its own inside it (pytest-django's `db`), so what a
    test writes goes with it, on SQLite and PostgreSQL alike; only the Python objects are shared,
    and a test must not change them. The data stays in the database until the module ends: a test
    of the module that makes data of its own finds the shared data beside it.
    """

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        outer = transaction.atomic()
        with django_db_blocker.unblock():
            outer.__enter__()
        try:
            with django_db_blocker.unblock():
                made = build()
            yield made
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return fixture


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def run_import(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("import_fixtures", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def export(outdir: Path) -> dict[str, str]:
    call_command("export_fixtures", str(outdir), stdout=StringIO())
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(outdir.iterdir())}


def flush():
    call_command("flush", "--noinput", verbosity=0)


# Crawling the public site, for what must never show on it.
LINK = re.compile(r"""(?:href|src)="([^"#]+)""")
MAX_PAGES = 600


def start_urls(catalogue) -> list[str]:
    """The pages a crawl of the public site starts from: every list, download and API list."""
    urls = ["/", "/en/", "/sitemap.xml", "/robots.txt"]
    for name in ("program", "organization", "person", "project", "source"):
        list_url = reverse(f"programs:{name}-list")
        urls += [list_url, f"{list_url}?format=csv", f"{list_url}?format=json", f"/en{list_url}?format=json"]
    urls += [reverse("programs:program-list") + f"?organization={catalogue['tencent'].slug}&sort=newest"]
    for name in ("program", "organization", "person", "project", "source", "edition", "research-area"):
        with contextlib.suppress(NoReverseMatch):  # before the API exists
            urls.append(reverse(f"api:{name}-list"))
    return urls


def crawl(client, urls: list[str]) -> dict[str, str]:
    """Every same-site page reachable from `urls` (outside the admin and static files): path -> body."""
    seen, pages = set(), {}
    queue = deque(urls)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (200, 404), (url, response.status_code)
        text = body.decode("utf-8-sig")
        pages[url] = text
        for link in LINK.findall(text.replace("&amp;", "&")) + re.findall(r"<loc>([^<]+)</loc>", text):
            target = urlsplit(urljoin("http://testserver" + url, link))
            if target.netloc != "testserver" or target.path.startswith(("/admin", "/en/admin", "/static")):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


# Browser viewports.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


# Database failures.


class Cancelled(Exception):
    """What psycopg raises for a statement cancelled by its timeout (SQLSTATE 57014)."""

    sqlstate = "57014"


def timed_out() -> OperationalError:
    """The error Django raises for a statement the server cancelled past its timeout."""
    error = OperationalError("canceling statement due to statement timeout")
    error.__cause__ = Cancelled()
    return error
