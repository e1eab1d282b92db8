"""Property-based tests of the API against its own live OpenAPI schema (schemathesis).

Schemathesis loads /api/schema/ from the app (in process, through every middleware), then for
each operation generates requests from the schema, valid ones and invalid ones, and fails on any
5xx, any status code, content type, header or body the schema does not declare, and any invalid
request that is not refused with a 4xx. Generated slugs name nothing (404s, 400s for filters), so
`test_real_records_match_the_schema` also requests every detail and filter with slugs that exist.

Bounded: at most MAX_EXAMPLES requests per operation and mode (valid, invalid), derandomized so
that a run is repeatable. The `positive_data_acceptance` check is left out (see EXCLUDED_CHECKS).
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import identifiers as ids

# Enough to run in about half a minute per database on a 2-core machine; set API_FUZZ_EXAMPLES
# higher for a longer search (e.g. 500 before a release).
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES") or 25)

# Every check but one: a "valid" generated slug in a filter names no record, and the FilterSet
# refuses it (400) as it should; schemathesis would read that as valid data refused.
EXCLUDED_CHECKS = [positive_data_acceptance]

pytestmark = pytest.mark.slow  # about half a minute


@pytest.fixture
def in_process(settings):
    """The app called in this thread and its test transaction, as Django's test client does it.

    Each request would otherwise close the connection at its end, inside the test's transaction;
    the throttles and the suggestions' limits are set out of reach of a few hundred requests.
    """
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    settings.SUGGESTION_RATE = settings.SUGGESTION_GLOBAL_RATE = "100000/minute"
    cache.clear()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    cache.clear()


@pytest.fixture
def api_schema(in_process, catalogue, drafts):
    return schemathesis.openapi.from_wsgi(
        "/api/schema/", in_process, headers={"Accept": "application/vnd.oai.openapi+json"}
    )


ENDPOINTS = ["programs", "organizations", "people", "projects", "editions", "research-areas", "sources"]
OPERATIONS = [
    *(("GET", f"/api/{name}/") for name in ENDPOINTS),
    *(("GET", f"/api/{name}/{{slug}}/") for name in ENDPOINTS),
    ("GET", "/api/partnerships/{first}/{second}/"),
    ("GET", "/api/changes/"),
    ("POST", "/api/suggestions/"),
]


def test_every_operation_of_the_schema_is_tested(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert sorted(f"{operation.method.upper()} {operation.path}" for operation in operations) == sorted(
        f"{method} {path}" for method, path in OPERATIONS
    )


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_matches_its_schema(api_schema, method, path):
    """Valid requests, then invalid ones, generated from the schema for one operation."""
    operation = api_schema[path][method]
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)

        call()


DETAILS = {
    "/api/programs/{slug}/": ["tencent-tsinghua-lab", "young-scholars", "rhino-bird"],
    "/api/organizations/{slug}/": ["tencent", "tsinghua", "tsinghua-sz"],
    "/api/people/{slug}/": ["li-si"],
    "/api/projects/{slug}/": ["llm-inference"],
    "/api/editions/{slug}/": ["lab-2022"],
    "/api/research-areas/{slug}/": ["ai"],
    "/api/sources/{slug}/": ["new-models"],
}
FILTERED_LISTS = {
    "/api/programs/": {"sponsor": "tencent", "partner": "tsinghua", "research_area": "ai", "kind": "joint_lab"},
    "/api/organizations/": {"program": "tencent-tsinghua-lab", "sort": "programs", "identifier": f"ror:{ids.ror(1)}"},
    "/api/people/": {"organization": "tsinghua", "program": "tencent-tsinghua-lab", "sector": "industry"},
    "/api/projects/": {"program": "tencent-tsinghua-lab", "year_min": "2022"},
    "/api/editions/": {"program": "tencent-tsinghua-lab", "sort": "-year"},
    "/api/research-areas/": {"q": "intelligence"},
    "/api/sources/": {"language": "zh-Hans"},
}


def test_real_records_match_the_schema(api_schema):
    """Every detail with a slug that exists, and every list filtered by records that exist."""
    checked = 0
    for path, slugs in DETAILS.items():
        for slug in slugs:
            case = api_schema[path]["GET"].Case(path_parameters={"slug": slug})
            response = case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)
            assert response.status_code == 200, (path, slug)
            checked += 1
    for path, query in FILTERED_LISTS.items():
        response = api_schema[path]["GET"].Case(query=query).call_and_validate()
        assert response.status_code == 200, (path, response.text[:300])
        assert response.json()["count"] > 0, path
    assert checked == sum(len(slugs) for slugs in DETAILS.values())
    for first, second in (("tencent", "tsinghua"), ("tsinghua", "tencent")):
        case = api_schema["/api/partnerships/{first}/{second}/"]["GET"].Case(
            path_parameters={"first": first, "second": second}
        )
        response = case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)
        assert response.status_code == 200 and response.json()["program_count"] == 1
    # A cursor walk and the changes feed, followed from their first answer.
    walk = api_schema["/api/programs/"]["GET"].Case(query={"cursor": "*", "page_size": "1"}).call_and_validate()
    assert walk.status_code == 200 and walk.json()["next"]
    changes = api_schema["/api/changes/"]["GET"].Case(query={"page_size": "3"}).call_and_validate()
    assert changes.status_code == 200 and changes.json()["results"]
