"""A visitor's path through the site, checked at each step as a person would see it."""

import csv
import io
import re

import pytest

from tests.helpers import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a live server and chromium


def result_names(page) -> list[str]:
    return page.locator("table.records tbody th a").all_inner_texts()


def test_overview_filter_search_detail_english_csv(live_server, page, catalogue, screenshot, tmp_path):
    # The overview says what the tracker holds, in Chinese.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "校企合作项目追踪"
    assert "3\n项目" in page.locator(".stats").inner_text()
    assert "草稿保密实验室" not in page.content()

    # Filter by kind from the overview's entry points.
    page.get_by_role("link", name=re.compile("联合实验室")).first.click()
    page.wait_for_url(re.compile(r"/programs/\?kind=joint_lab"))
    assert page.locator("#results-heading").inner_text() == "共 2 条结果"
    assert sorted(result_names(page)) == ["腾讯-清华大学联合实验室", "阿里巴巴-浙江大学前沿技术联合研究中心"]
    assert page.locator('input[name="kind"][value="joint_lab"]').is_checked()

    # Search within the filtered list: the kind filter is kept.
    page.fill("#id_q", "腾讯")
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url(re.compile(r"q=%E8%85%BE%E8%AE%AF"))
    assert result_names(page) == ["腾讯-清华大学联合实验室"]
    chips = page.locator(".active-filters .chip").all_inner_texts()
    assert any("联合实验室" in chip for chip in chips) and any("腾讯" in chip for chip in chips)
    screenshot(page, "program-list-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "program-list-phone")
    page.set_viewport_size(DESKTOP)

    # Open the record: every relation is there, with its source.
    page.get_by_role("link", name="腾讯-清华大学联合实验室").click()
    page.wait_for_url(re.compile("/programs/tencent-tsinghua-lab/"))
    assert page.locator("h1").inner_text() == "腾讯-清华大学联合实验室"
    assert page.get_by_role("link", name="腾讯").first.is_visible()
    assert page.get_by_role("link", name="李四").is_visible()
    assert "腾讯与清华大学宣布共建联合实验室。" in page.locator(".citations").inner_text()
    assert page.locator(".breadcrumbs").inner_text().split("\n")[0] == "概览"
    screenshot(page, "program-detail-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "program-detail-phone")
    page.set_viewport_size(DESKTOP)

    # Switch to English: the same record, in English.
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile("/en/programs/tencent-tsinghua-lab/"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Tencent-Tsinghua Joint Lab"
    assert page.get_by_role("link", name="Tencent").first.is_visible()
    assert "Sponsor" in page.locator("#organizations-heading + h3").inner_text()

    # Back to the English list, filter by kind with a click (the form applies itself), download CSV.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    page.wait_for_url(re.compile("/en/programs/$"))
    assert page.locator("#results-heading").inner_text() == "3 results"
    page.get_by_label(re.compile("^Joint lab")).check()
    page.wait_for_url(re.compile(r"/en/programs/\?.*kind=joint_lab"))
    assert page.locator("#results-heading").inner_text() == "2 results"
    assert page.evaluate("document.activeElement.value") == "joint_lab"  # focus back on the box just ticked
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "programmes.csv"
    path = tmp_path / "programmes.csv"
    download.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert sorted(row["slug"] for row in rows) == ["azft", "tencent-tsinghua-lab"]
    assert {row["sponsors_en"] for row in rows} == {"Tencent", "Alibaba Group"}


def test_bad_query_shows_a_message_not_an_error(live_server, page, catalogue):
    page.goto(live_server.url + "/en/programs/?kind=spaceship&start_year_min=abc&page=999")
    alert = page.get_by_role("alert")
    assert "Some filters could not be read" in alert.inner_text()
    assert "Kind" in alert.inner_text() and "Started in or after" in alert.inner_text()


def test_insights_and_phone_layout(live_server, page, catalogue, screenshot):
    page.goto(live_server.url + "/insights/")
    assert page.locator("svg.chart").count() == 5
    page.goto(live_server.url + "/people/li-si/")
    assert "从企业转至大学" in page.locator(".timeline").inner_text()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/programs/")
    # On a phone the filters fold away and the table reads as cards: nothing wider than the screen.
    assert not page.locator("details.filter-panel").evaluate("d => d.open")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
