"""What PgBouncer's transaction pooling needs of the code: each transaction may run on another
server connection, so a server-side cursor must be declared and read inside one transaction.
(CI's PostgreSQL pass runs the whole suite through PgBouncer; bench/cluster_loadtest.py measures
an export's memory there.) These tests run in autocommit, as the site does outside the tests."""

import pytest
from django.db import connection

from programs.models.listings import ProgramListing
from programs.opendata import exports, records, releases
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # each test empties every table after it


@pytest.fixture
def statements():
    """Each statement run, with whether a transaction was open around it."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql, context["connection"].in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def test_an_export_reads_its_ids_from_a_cursor_inside_one_transaction(client, monkeypatch, statements):
    slugs = sorted(f.ProgramFactory().slug for _ in range(12))
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    response = client.get("/programs/?format=csv&sort=name")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert sorted(line.split(",")[0] for line in body.splitlines()[1:]) == slugs
    listing = [in_transaction for sql, in_transaction in statements if ProgramListing._meta.db_table in sql]
    assert listing and all(listing)
    assert not connection.in_atomic_block  # and the transaction ended with the download


def test_a_release_reads_its_records_inside_one_transaction(tmp_path, monkeypatch, statements):
    for _ in range(5):
        f.ProgramFactory()
    monkeypatch.setattr(records, "CHUNK_SIZE", 2)
    statements.clear()
    releases.release_write(outdir=tmp_path / "release", report=lambda line: None)
    programs = [in_transaction for sql, in_transaction in statements if 'FROM "programs_program"' in sql]
    assert programs and all(programs)
    assert (tmp_path / "release" / "programs.jsonl").read_text().count("\n") == 5
