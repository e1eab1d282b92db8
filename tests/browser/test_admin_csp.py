"""Django's admin works in a real browser under the site's Content-Security-Policy.

Drives Debian's chromium through Playwright: signs in, uses the list (bulk selection), the change
form (an inline row added, an organization picked by autocomplete, the slug prepopulated), the
history and revert pages, as a superuser and as a curator, and fails on any console error, CSP
violations included. The browser and the skip rules come from tests/browser/conftest.py.
"""

import pytest

from programs import models
from programs.curation.roles import CURATORS, role_groups_sync, user_set_role
from tests import factories as f

PASSWORD = "a-long-browser-password"

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a live server and chromium


@pytest.fixture
def records(transactional_db, django_user_model):
    role_groups_sync()  # the live server's database is flushed between tests, groups included
    django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    user_set_role(user=django_user_model.objects.create_user("curator", password=PASSWORD), role=CURATORS)
    program = f.ProgramFactory(name="清华大学联合实验室", name_en="Tsinghua Joint Lab")
    f.ParticipationFactory(program=program)
    f.EditionFactory(program=program)
    f.InvolvementFactory(program=program)
    f.CitationFactory(record=program)
    f.OrganizationFactory(name="阿里巴巴集团", name_en="Alibaba Group", kind=models.OrganizationKind.COMPANY)
    return {"program": program}


@pytest.fixture
def page(open_live_page):
    return open_live_page(failed_answers=True)


def visit(page, path):
    response = page.goto(path)
    assert response.status == 200, path
    assert "Content-Security-Policy" in {name.title() for name in response.headers}, path


def sign_in(page, username):
    visit(page, "/en/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/en/admin/")


def test_admin_works_for_a_superuser(page, records):
    program = records["program"]
    sign_in(page, "admin")

    visit(page, "/en/admin/programs/program/")
    page.check("#action-toggle")
    assert page.inner_text(".action-counter").startswith("1 of 1 selected")

    visit(page, f"/en/admin/programs/program/{program.pk}/change/")
    assert page.locator("#participations-group .form-row.has_original").count() == 1
    page.click("#participations-group .add-row a")
    row = page.locator("#participations-group tr.dynamic-participations").last
    row.locator(".select2-selection").click()
    page.fill(".select2-dropdown .select2-search__field", "Alibaba")
    page.click(".select2-results__option >> text=阿里巴巴集团")
    row.locator("select[name$='-role']").select_option("partner")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert program.participations.filter(organization__name="阿里巴巴集团").exists()

    visit(page, "/en/admin/programs/organization/add/")
    page.locator("#id_name_en").press_sequentially("Peking University Shenzhen")
    assert page.input_value("#id_slug") == "peking-university-shenzhen"

    visit(page, f"/en/admin/programs/program/{program.pk}/history/")
    page.click("#change-history tbody tr:last-child a")
    page.wait_for_selector("input[name=_save]")

    assert page.problems == []


def test_admin_works_for_a_curator(page, records):
    program = records["program"]
    sign_in(page, "curator")
    for path in [
        "/en/admin/",
        "/en/admin/programs/program/",
        f"/en/admin/programs/program/{program.pk}/change/",
        f"/en/admin/programs/program/{program.pk}/history/",
        "/en/admin/programs/program/deleted/",
        "/en/admin/programs/citation/",
    ]:
        visit(page, path)
    assert page.problems == []


def test_the_public_overview_loads_cleanly(page, records):
    visit(page, "/")
    visit(page, "/en/programs/")
    assert page.problems == []


def test_record_pages_with_inlines_fit_the_screen(page, records):
    """Every inline table (editions, involvements, career steps, members, citations) fits 1280 px."""
    program = records["program"]
    person = f.AffiliationFactory().person
    project = f.ProjectMemberFactory().project
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "admin")
    for prefix in ("", "/en"):
        for record in (program, person, project):
            visit(page, f"{prefix}/admin/programs/{record._meta.model_name}/{record.pk}/change/")
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280, (prefix, record)
    assert page.problems == []
