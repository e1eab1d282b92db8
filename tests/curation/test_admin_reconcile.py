"""Matching a CSV of organization names in the admin: the file back with each row's best match."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programs import models
from tests import factories as f
from tests.helpers import database_state

pytestmark = pytest.mark.django_db

URL = "admin:match_names"


@pytest.fixture
def organizations():
    f.OrganizationFactory(slug="tsinghua", name="清华大学", name_en="Tsinghua University", aliases=["THU"])
    f.OrganizationFactory(slug="joint-cn", name="联合研究院", country="CN")
    f.OrganizationFactory(slug="joint-us", name="联合研究院", country="US")


def upload(client, content: bytes, name="names.csv"):
    with translation.override("en"):
        url = reverse(URL)
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_curators_get_the_file_back_with_the_best_matches(curator_client, organizations):
    text = "Name,Country\n清华大学,\ntsinghua university,CN\n联合研究院,\n联合研究院,US\n清华,\nnothing at all,\n,\n"
    before = database_state()
    response = upload(curator_client, ("\ufeff" + text).encode())
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert rows[0] == ["name", "country", "slug", "matched_name", "score", "matched"]
    assert rows[1] == ["清华大学", "", "tsinghua", "清华大学", "100", "true"]
    assert rows[2] == ["tsinghua university", "CN", "tsinghua", "清华大学", "100", "true"]
    assert rows[3][2] in ("joint-cn", "joint-us") and rows[3][5] == "false"  # namesakes: no certain match
    assert rows[4] == ["联合研究院", "US", "joint-us", "联合研究院", "100", "true"]
    assert rows[5][2] == "tsinghua" and rows[5][5] == "false" and float(rows[5][4]) < 100
    assert rows[6] == ["nothing at all", "", "", "", "", "false"]
    assert rows[7] == ["", "", "", "", "", "false"]
    assert database_state() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("名称\n清华大学\n".encode(), "“name”"),
        ("name\n清华大学\n".encode("gbk"), "not UTF-8 CSV"),
        (b"name,country\nTsinghua,XX\nPeking,CHN\n", "Row 2: “XX” is not an ISO 3166-1"),
        (b"name\n", "“name”"),
        (b"name\n\n", "“name”"),
        (("name\n" + "x\n" * 2001).encode(), "2001 rows; at most 2000"),
    ],
)
def test_bad_files_are_refused_with_every_problem(curator_client, organizations, content, message):
    with translation.override("en"):
        response = upload(curator_client, content)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    if "XX" in message:
        assert "Row 3: “CHN”" in response.content.decode()


def test_the_page_and_its_link(curator_client, client, organizations):
    with translation.override("en"):
        url = reverse(URL)
        changelist = curator_client.get(reverse("admin:programs_organization_changelist")).content.decode()
    assert url in changelist
    assert curator_client.get(url).status_code == 200
    assert client.get(url).status_code == 302  # the anonymous are sent to sign in
    assert models.Organization.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs a batch's lookups one by one")
def test_names_are_matched_in_batches_not_one_by_one(curator_client, organizations):
    def statements(names: int) -> int:
        content = ("name\n" + "".join(f"联合研究院{i}\n" for i in range(names))).encode()
        with CaptureQueriesContext(connection) as queries:
            assert upload(curator_client, content).status_code == 200
        return len(queries)

    # 250 names are three batches of at most 100: two statements more for each batch after the first
    assert statements(250) <= statements(1) + 2 * 2
