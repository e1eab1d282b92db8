"""The API's docs page (Swagger UI) works in a real browser under the site's Content-Security-Policy.

Fails on any console error (CSP violations included), page error or failed request: Swagger UI,
its styles and its start-up script all come from the site's static files.
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a live server and chromium


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("requestfailed", lambda request: page.problems.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda response: response.status >= 400 and page.problems.append(f"{response.status} {response.url}"),
    )
    yield page
    context.close()


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
