"""Statement timeouts (programs/serving/timeouts.py): a public request's statements are cancelled past
their bound and answered 503; a curator's and an export's run under the longer bound; the bound
is the transaction's own, so nothing of it outlives the request (behind PgBouncer in transaction
pooling, where CI runs this, a session's SET would reach other clients' transactions).

PostgreSQL only: SQLite has no statement timeout. The requests wait on `pg_sleep`.
"""

import logging

import pytest
from django.db import connection
from django.test import Client

from programs import models
from programs.reads.chunks import chunks

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement timeout"),
    # No transaction around the test: the request's own is the outermost, as in production.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def bounds(settings):
    settings.ROOT_URLCONF = "tests.serving.error_urls"
    settings.STATEMENT_TIMEOUT_SECONDS = 0.2
    settings.LONG_STATEMENT_TIMEOUT_SECONDS = 5


def session_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_a_public_statement_past_its_bound_is_cancelled_and_answered_503(client, bounds, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/slow/?seconds=3", REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "本页从数据库读取的时间过长" in response.content.decode()
    logged = [record for record in caplog.records if record.name == "programs.serving.outages"]
    assert [record.getMessage() for record in logged] == [
        "Statement timeout for GET /slow/?seconds=3 from 192.0.2.9: canceling statement due to statement timeout"
    ]
    assert all(record.exc_info is None for record in caplog.records)


def test_a_public_statement_within_its_bound_runs(client, bounds):
    assert client.get("/slow/?seconds=0.05").content == b"done"


def test_a_curator_has_the_longer_bound(client, bounds, admin_user):
    client.force_login(admin_user)
    assert client.get("/slow/?seconds=0.5").status_code == 200
    assert Client().get("/slow/?seconds=0.5").status_code == 503  # the same, for the public


def test_the_bound_ends_with_the_request(client, bounds):
    before = session_timeout()
    client.get("/slow/?seconds=0.01")
    client.get("/slow/?seconds=1")  # cancelled
    assert session_timeout() == before


def test_an_exports_rows_are_read_under_the_longer_bound(bounds):
    models.Program.objects.create(name="一", slug="one")
    seen = [session_timeout() for _chunk in chunks(models.Program.objects.all(), 1)]
    assert seen == ["5s"]
    assert session_timeout() == "0"
