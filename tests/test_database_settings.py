"""Settings the migrations give the PostgreSQL database itself, which every new session inherits."""

import psycopg
import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_new_sessions_run_without_jit_compilation():
    with psycopg.connect(**connection.get_connection_params()) as session:
        assert session.execute("SHOW jit").fetchone() == ("off",)
