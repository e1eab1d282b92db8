"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against live_server.

Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI sets it), which turns the
skip into a failure. Screenshots go to artifacts/screenshots/.
"""

import os
from pathlib import Path

import pytest

from programs import models
from tests import factories as f
from tests.helpers import DESKTOP

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls are in
# another thread, but pytest-django's setup and the tests' own ORM calls happen here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def console_error(message) -> bool:
    """A console error of the page's own (the admin asks for a favicon the site does not have)."""
    return message.type == "error" and "favicon.ico" not in (message.location or {}).get("url", "")


@pytest.fixture
def open_live_page(browser, live_server):
    """New pages on the live server, each in a browser of its own (a visitor, a curator), that note
    every console error and script error in `page.problems`, and with `failed_answers` every answer
    of status 400 or more too; a test asserts that none came."""
    contexts = []

    def new_page(*, failed_answers: bool = False):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.problems = []
        page.on(
            "console",
            lambda message: (
                console_error(message)
                and page.problems.append(f"{message.text} ({(message.location or {}).get('url')})")
            ),
        )
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        if failed_answers:
            page.on(
                "response",
                lambda response: response.status >= 400 and page.problems.append(f"{response.status} {response.url}"),
            )
        return page

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def catalogue(transactional_db):
    """A small published catalogue, plus a draft that must never show."""
    tencent = f.CompanyFactory(name="腾讯", name_en="Tencent", slug="tencent")
    alibaba = f.CompanyFactory(name="阿里巴巴集团", name_en="Alibaba Group", slug="alibaba-group")
    tsinghua = f.OrganizationFactory(name="清华大学", name_en="Tsinghua University", slug="tsinghua")
    zju = f.OrganizationFactory(name="浙江大学", name_en="Zhejiang University", slug="zju")
    ai = f.ResearchAreaFactory(name="人工智能", name_en="Artificial intelligence", slug="ai")
    lab = f.ProgramFactory(
        name="腾讯-清华大学联合实验室",
        name_en="Tencent-Tsinghua Joint Lab",
        slug="tencent-tsinghua-lab",
        summary="腾讯与清华大学共建的联合实验室，研究大模型与机器学习。",
        summary_en="A joint lab of Tencent and Tsinghua University on large models and machine learning.",
        start_year=2017,
    )
    lab.research_areas.add(ai)
    other_lab = f.ProgramFactory(
        name="阿里巴巴-浙江大学前沿技术联合研究中心",
        name_en="Alibaba-Zhejiang University Joint Lab of Frontier Technologies",
        slug="azft",
        start_year=2013,
    )
    fund = f.ProgramFactory(
        name="阿里巴巴创新研究计划",
        name_en="Alibaba Innovative Research (AIR)",
        slug="alibaba-air",
        kind=models.ProgramKind.RESEARCH_FUND,
        start_year=2017,
    )
    f.ParticipationFactory(program=lab, organization=tencent)
    f.ParticipationFactory(program=lab, organization=tsinghua, role=models.ParticipationRole.PARTNER)
    f.ParticipationFactory(program=other_lab, organization=alibaba)
    f.ParticipationFactory(program=other_lab, organization=zju, role=models.ParticipationRole.PARTNER)
    f.ParticipationFactory(program=fund, organization=alibaba)
    f.ParticipationFactory(program=fund, organization=zju, role=models.ParticipationRole.PARTNER)
    person = f.PersonFactory(name="李四", name_en="Li Si", slug="li-si", headline="清华大学教授")
    f.AffiliationFactory(person=person, organization=tencent, title="研究员", start_year=2012, end_year=2018)
    f.AffiliationFactory(person=person, organization=tsinghua, title="教授", start_year=2019, is_current=True)
    edition = f.EditionFactory(program=lab, year=2022, label="第一届", label_en="First round")
    f.InvolvementFactory(person=person, program=lab, edition=edition, role=models.InvolvementRole.LEAD)
    source = f.SourceFactory(title="校企合作的新模式", title_en="New models of partnership", slug="new-models")
    f.CitationFactory(record=lab, source=source, quote="腾讯与清华大学宣布共建联合实验室。")
    f.ProgramFactory(name="草稿保密实验室", name_en="Secret draft lab", status=models.Status.DRAFT)
    return {"lab": lab, "other_lab": other_lab, "fund": fund, "person": person, "source": source}
