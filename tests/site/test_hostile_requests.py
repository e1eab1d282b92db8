"""Hostile requests, one kind per row, across the pages, the downloads and the API: each is answered
below 500, and nothing it sends comes back as markup in an HTML page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
MARKUP = (SCRIPT, BREAKOUT, "<img src=x", "<script>")
LONG = "长" * 5000
REPEATED = "&".join(["kind=award"] * 3000)
TOO_MANY = "&".join(f"kind=k{i}" for i in range(6000))
LIST_PARAMETERS = ["q", "kind", "lifecycle", "sponsor", "partner", "organization", "organization_kind", "country"]
LIST_PARAMETERS += ["research_area", "start_year_min", "start_year_max", "sort", "page", "format"]

# name: (method, path, extra arguments of the test client)
HOSTILE = {
    "negative page": ("get", "/programs/?page=-1", {}),
    "page zero": ("get", "/en/organizations/?page=0", {}),
    "huge page": ("get", "/people/?page=99999999999999999999999", {}),
    "fractional page": ("get", "/projects/?page=1.5", {}),
    "page that is text": ("get", "/sources/?page=last%3Cb%3E", {}),
    "API negative page": ("get", "/api/programs/?page=-1", {}),
    "API negative page size": ("get", "/api/programs/?page_size=-5", {}),
    "API page size zero": ("get", "/api/organizations/?page_size=0", {}),
    "API huge page size": ("get", "/api/people/?page_size=10000000000000000000000", {}),
    "API fractional page size": ("get", "/api/projects/?page_size=2.5", {}),
    "huge year": ("get", "/programs/?start_year_min=99999999999999999999999", {}),
    "API huge year": ("get", "/api/editions/?year_min=99999999999999999999999", {}),
    "year that is not a number": ("get", "/en/projects/?year_min=NaN&year_max=Infinity", {}),
    "invalid UTF-8 in the query": ("get", "/programs/?q=%ff%fe%fd", {}),
    "invalid UTF-8 in the path": ("get", "/programs/%ff%fe/", {}),
    "invalid UTF-8 in the API": ("get", "/api/programs/?q=%c3%28&sort=%ff", {}),
    "NUL in the search": ("get", "/programs/?q=a%00b", {}),
    "NUL in a slug filter": ("get", "/people/?organization=a%00b", {}),
    "NUL in a record address": ("get", "/programs/a%00b/", {}),
    "NUL in an export": ("get", "/organizations/?q=%00&format=csv", {}),
    "NUL in the API": ("get", "/api/programs/?sponsor=x%00&q=%00", {}),
    "NUL in an API address": ("get", "/api/sources/a%00b/", {}),
    "path traversal": ("get", "/programs/../../../../etc/passwd", {}),
    "encoded path traversal": ("get", "/static/..%2f..%2ftracker%2fsettings.py", {}),
    "traversal as a slug": ("get", "/programs/%2e%2e%2f%2e%2e%2fetc%2fpasswd/", {}),
    "over-long search": ("get", f"/programs/?q={LONG}", {}),
    "over-long address": ("get", "/organizations/" + "a" * 4000 + "/", {}),
    "over-long API search": ("get", f"/api/programs/?q={LONG}", {}),
    "thousands of repeated parameters": ("get", f"/programs/?{REPEATED}", {}),
    "more parameters than accepted": ("get", f"/programs/?{TOO_MANY}", {}),
    "repeated parameters in an export": ("get", f"/programs/?{REPEATED}&format=json", {}),
    "unknown sort": ("get", f"/programs/?sort={SCRIPT}", {}),
    "API unknown sort": ("get", f"/api/programs/?sort={SCRIPT}", {}),
    "unknown format": ("get", f"/people/?format={SCRIPT}", {}),
    "API unknown format": ("get", "/api/programs/?format=xml", {}),
    "markup in every list parameter": ("get", "/programs/?" + "&".join(f"{p}={BREAKOUT}" for p in LIST_PARAMETERS), {}),
    "markup in every English list parameter": (
        "get",
        "/en/programs/?" + "&".join(f"{p}={SCRIPT}" for p in LIST_PARAMETERS),
        {},
    ),
    "markup in the other lists": ("get", f"/people/?q={SCRIPT}&sector={BREAKOUT}&role={SCRIPT}&program={SCRIPT}", {}),
    "markup in a download": ("get", f"/sources/?language={SCRIPT}&year={BREAKOUT}&format=csv", {}),
    "markup as a record address": ("get", "/programs/%3Cscript%3Ealert(1)%3C/script%3E/", {}),
    "markup in the API": ("get", f"/api/organizations/?kind={SCRIPT}&country={BREAKOUT}", {}),
    "markup in a page that does not exist": ("get", f"/nowhere/?q={SCRIPT}", {}),
    "foreign Host header": ("get", "/programs/", {"headers": {"host": "evil.example"}}),
    "foreign Host header on the API": ("get", "/api/programs/", {"headers": {"host": f"evil.example{SCRIPT}"}}),
    "POST to a page": ("post", "/programs/", {"data": {"q": SCRIPT}}),
    "PUT to the API": ("put", "/api/programs/", {"data": "{}", "content_type": "application/json"}),
    "DELETE on a record": ("delete", "/api/programs/tencent-tsinghua-lab/", {}),
    "PATCH on a page": ("patch", "/en/programs/tencent-tsinghua-lab/", {}),
    "TRACE": ("trace", "/", {}),
    "oversized body": ("post", "/programs/", {"data": "x" * (4 * 1024 * 1024), "content_type": "text/plain"}),
    "oversized form": ("post", "/api/programs/", {"data": {f"f{i}": "x" for i in range(6000)}}),
    "junk cookies": (
        "get",
        "/programs/",
        {"headers": {"cookie": f"sessionid={SCRIPT}; csrftoken=%00; django_language={BREAKOUT}"}},
    ),
    "junk Accept-Language": ("get", "/programs/", {"headers": {"accept-language": f"{SCRIPT};q=abc, *;q=NaN"}}),
    "over-long Accept-Language on the API": (
        "get",
        "/api/programs/?kind=spaceship",
        {"headers": {"accept-language": "en-" + "x" * 5000}},
    ),
    "junk Accept": ("get", "/api/programs/", {"headers": {"accept": f"text/{SCRIPT}"}}),
    "junk If-None-Match": ("get", "/api/programs/", {"headers": {"if-none-match": f'"{SCRIPT}", W/"\x00"'}}),
}


def test_the_table_covers_enough_kinds_of_hostile_request():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize(("method", "path", "extra"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_request_is_answered_calmly(listed_catalogue, method, path, extra):
    client = Client()
    response = getattr(client, method)(path, **extra)
    assert response.status_code < 500, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("text/html"):
        text = body.decode("utf-8", errors="replace")
        assert not [markup for markup in MARKUP if markup in text], text[:2000]
