"""Settings the migrations give the PostgreSQL database itself, which every new session inherits."""

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_new_sessions_of_the_database_run_without_jit_compilation():
    # Read from the catalogue rather than from a new connection: behind PgBouncer a "new"
    # connection may be a server session opened before the migration ran.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setconfig FROM pg_db_role_setting WHERE setrole = 0 "
            "AND setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        assert "jit=off" in cursor.fetchone()[0]
