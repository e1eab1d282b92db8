"""The API's docs page (Swagger UI) works in a real browser under the site's Content-Security-Policy.

Fails on any console error (CSP violations included), page error or failed request: Swagger UI,
its styles and its start-up script all come from the site's static files.
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a live server and chromium


@pytest.fixture
def page(open_live_page):
    page = open_live_page(failed_answers=True)
    page.on("requestfailed", lambda request: page.problems.append(f"failed: {request.url}"))
    return page


def test_the_docs_page_renders_and_runs_a_request(page, catalogue, screenshot):
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto("/api/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/programs/" in paths and "/api/sources/{slug}/" in paths
    assert page.locator(".info .title").inner_text().startswith("Partnership Program Tracker API")

    # Try the programme list: Swagger UI calls the API from the page (connect-src 'self').
    page.locator("#operations-programs-programs_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator("#operations-programs-programs_list .live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    body = page.locator("#operations-programs-programs_list .live-responses-table .microlight").first.inner_text()
    assert re.search(r'"slug": "tencent-tsinghua-lab"', body)
    assert "草稿保密实验室" not in body
    screenshot(page, "api-docs-desktop")
    assert page.problems == []
