"""axe-core (shipped by axe-playwright-python) finds no serious or critical problem on the main pages."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a live server and chromium

PAGES = ["/", "/programs/", "/programs/?kind=joint_lab&q=%E8%85%BE", "/programs/tencent-tsinghua-lab/", "/insights/"]
PAGES += ["/organizations/", "/organizations/tencent/", "/people/li-si/", "/sources/new-models/"]
PAGES += ["/suggestions/new/?record=program:tencent-tsinghua-lab", "/suggestions/new/?type=organization"]


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["zh-hans", "en"])
def test_no_serious_accessibility_violations(live_server, page, catalogue, prefix):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = {}
    for path in PAGES:
        page.goto(live_server.url + prefix + path)
        results = axe.run(page)
        serious = [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}×)"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[prefix + path] = serious
    assert not problems
