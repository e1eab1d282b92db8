"""A visitor proposes a correction with its evidence; a curator accepts it, edits the change and saves it
(the record is published, so the save publishes it); the visitor's status page says "accepted" and
the record shows the new value. In Debian's chromium, failing on any console error (CSP included)."""

import re

import pytest

from programs import models
from programs.curation.roles import CURATORS, role_groups_sync, user_set_role

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-password"


def test_a_correction_from_a_visitor_to_the_public_page(
    open_live_page, catalogue, django_user_model, settings, screenshot
):
    settings.SUGGESTION_MIN_FILL_SECONDS = 1
    role_groups_sync()  # the live server's database is flushed between tests, groups included
    user_set_role(user=django_user_model.objects.create_user("curator", password=PASSWORD), role=CURATORS)
    lab = catalogue["lab"]

    # The visitor proposes a new English name from the record's page, with the evidence.
    visitor = open_live_page()
    visitor.goto(f"/en{lab.get_absolute_url()}")
    visitor.get_by_role("link", name="Suggest a correction").click()
    visitor.wait_for_url(re.compile(r"/en/suggestions/new/\?record=program"))
    assert visitor.locator("input[name=website]").is_hidden() is False  # in the page, out of sight
    assert visitor.locator(".trap").bounding_box()["x"] < 0
    visitor.select_option("select[name=field]", label="English name")
    visitor.fill("input[name=value]", "Tencent Tsinghua Joint Laboratory")
    visitor.fill("input[name=evidence_url]", "https://example.org/tencent-tsinghua")
    visitor.fill("textarea[name=quote]", "The Tencent Tsinghua Joint Laboratory opened in 2017.")
    visitor.fill("input[name=email]", "visitor@example.org")
    visitor.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    screenshot(visitor, "suggestion-form")
    visitor.get_by_role("button", name="Send the suggestion").click()
    visitor.wait_for_url(re.compile(r"/en/suggestions/[\w-]+\.[\w-]+/$"))
    status_url = visitor.url
    assert "State: received" in visitor.locator("[role=status]").inner_text()
    assert "Tencent Tsinghua Joint Laboratory" in visitor.content()
    assert "visitor@example.org" not in visitor.content()
    suggestion = models.Suggestion.objects.get()

    # The curator finds it in the inbox, compares, accepts, edits the change and saves.
    curator = open_live_page()
    curator.goto("/en/admin/login/")
    curator.fill("#id_username", "curator")
    curator.fill("#id_password", PASSWORD)
    curator.click("input[type=submit]")
    curator.wait_for_url("**/en/admin/")
    curator.goto("/en/admin/programs/suggestion/?state__exact=received")
    curator.get_by_role("link", name=f"#{suggestion.pk}").click()
    diff = curator.locator("table.suggestion-diff").inner_text()
    assert "Tencent-Tsinghua Joint Lab" in diff and "Tencent Tsinghua Joint Laboratory" in diff
    screenshot(curator, "suggestion-review")
    curator.get_by_role("button", name="Accept").click()
    curator.wait_for_url(re.compile(rf"/en/admin/programs/program/{lab.pk}/change/\?suggestion={suggestion.pk}"))
    assert curator.input_value("#id_name_en") == "Tencent Tsinghua Joint Laboratory"
    curator.fill("#id_name_en", "Tencent–Tsinghua Joint Laboratory")
    curator.click("input[name=_save]")
    curator.wait_for_url(re.compile(r"/en/admin/programs/program/(\?.*)?$"))
    assert "was changed successfully" in curator.locator(".messagelist").inner_text()

    # The visitor's status page says accepted, and the record shows the new value.
    visitor.goto(status_url)
    state = visitor.locator("[role=status]").inner_text()
    assert "State: accepted" in state and "The change is public" in state
    visitor.get_by_role("link", name="Tencent–Tsinghua Joint Laboratory").first.click()
    visitor.wait_for_url(re.compile(r"/en/programs/tencent-tsinghua-lab/$"))
    assert visitor.locator("h1").inner_text() == "Tencent–Tsinghua Joint Laboratory"
    history = models.Program.history.filter(id=lab.pk).first()
    assert history.history_change_reason == f"Suggestion #{suggestion.pk}"
    assert visitor.problems == [] and curator.problems == []
