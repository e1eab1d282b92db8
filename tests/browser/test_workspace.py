"""The article workspace in Debian's chromium: a curator opens a source, creates a draft from a
proposal, cites a sentence, and sees the coverage move; no console error, no CSP violation."""

from pathlib import Path

import pytest

from programs import models
from programs.curation.roles import CURATORS, role_groups_sync, user_set_role
from tests import factories as f

PASSWORD = "a-long-browser-password"
NJU = (Path(__file__).resolve().parents[1] / "curation" / "workspace_texts" / "nju-traditional.txt").read_text(
    encoding="utf-8"
)

pytestmark = pytest.mark.browser


@pytest.fixture
def source(transactional_db, django_user_model):
    role_groups_sync()  # the live server's database is flushed between tests, groups included
    user_set_role(user=django_user_model.objects.create_user("curator", password=PASSWORD), role=CURATORS)
    f.CompanyFactory(name="华为", slug="huawei")
    f.OrganizationFactory(name="南京大学", slug="nju")
    return f.SourceFactory(title="南京大学引进人才", slug="nju-talent", text=NJU)


@pytest.fixture
def page(open_live_page):
    return open_live_page()


def test_a_curator_curates_from_the_workspace(page, source, screenshot):
    page.goto("/en/admin/login/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/en/admin/")

    page.goto(f"/en/admin/programs/source/{source.pk}/change/")
    page.click("a.workspace-link")
    assert page.locator("mark.mention").first.inner_text() == "華為"
    before = page.locator("#coverage progress").get_attribute("value")
    assert before == "0"

    proposal = page.locator(".proposal", has=page.locator(".proposal-name", has_text="张振宇"))
    proposal.locator("button", has_text="Create a draft").click()
    assert "is created, citing the sentence" in page.locator(".messagelist").inner_text()
    assert models.Person.objects.get(name="张振宇").status == models.Status.DRAFT

    sentence = page.locator("#s-0")
    sentence.locator("select[name=record]").select_option("organization/nju")
    sentence.locator("button", has_text="Cite this sentence").click()
    assert "The sentence is cited on 南京大学." in page.locator(".messagelist").inner_text()
    assert page.locator("#s-0.cited").count() == 1
    assert int(page.locator("#coverage progress").get_attribute("value")) > int(before)
    screenshot(page, "workspace")
    assert page.problems == []
