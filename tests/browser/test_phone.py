"""At a phone's width (390 px) no public page scrolls sideways, and nothing runs off the screen.

Every kind of page, in both languages: the overview, each list and record page, the insights,
a list with a notice, a page not found. The browser and the catalogue come from conftest.py.
"""

import pytest

from programs import models
from tests import factories as f
from tests.helpers import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a live server and chromium

# Elements running past the screen's right edge, or scrolling sideways inside it. Whatever an
# ancestor clips (text for screen readers only) is out of sight, and the skip link waits left of
# the screen until it has the focus.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const clipped = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'hidden' || overflow === 'clip') return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      found.push('scrolls sideways: ' + name(el));
    } else if (box.right > width + 1 && !clipped(el)) {
      found.push('off the screen: ' + name(el) + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    }
  }
  return {document: document.documentElement.scrollWidth, found};
}"""


def public_pages(catalogue) -> list[str]:
    project = f.ProjectFactory(
        program=catalogue["lab"],
        title="面向大规模预训练模型的高效推理系统研究",
        title_en="Efficient inference systems for large pre-trained models",
        slug="efficient-inference",
    )
    organization = models.Organization.objects.get(slug="tsinghua")
    pages = [
        "/",
        "/programs/",
        "/programs/?kind=spaceship&page=999",
        catalogue["lab"].get_absolute_url(),
        "/organizations/",
        organization.get_absolute_url(),
        "/people/",
        catalogue["person"].get_absolute_url(),
        "/projects/",
        project.get_absolute_url(),
        "/sources/",
        catalogue["source"].get_absolute_url(),
        "/insights/",
        "/no-such-page/",
    ]
    return pages + ["/en" + page for page in pages]


def test_no_page_is_wider_than_a_phone(live_server, page, catalogue, screenshot):
    page.set_viewport_size(PHONE)
    problems = {}
    for path in public_pages(catalogue):
        page.goto(live_server.url + path)
        result = page.evaluate(OVERFLOWING)
        if result["document"] > PHONE["width"] or result["found"]:
            problems[path] = result
    screenshot(page, "phone-every-page-last")
    assert problems == {}
