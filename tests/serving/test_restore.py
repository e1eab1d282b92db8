"""A restored backup and the shared cache: the restored database counts its writes again from the
dump's number, but a version is the count and the moment of the last write
(programs.serving.data_version), so nothing cached has to be flushed. A page cached under the
dumped version is served again while the restored data is the dumped data; after the restored
database's first write, which reaches a count the cache has seen with other data, the page shows
the new data. On PostgreSQL a real `pg_dump` and `pg_restore --clean` into the same database, too."""

import os
import shutil
import subprocess
import time

import pytest
from django.db import connection
from django.urls import reverse

from programs import models
from programs.serving.data_version import DATA_VERSION, Version, stored_version
from tests import factories as f

URL = reverse("programs:program-list")
POSTGRES = connection.vendor == "postgresql"


def page(client) -> tuple[str, bool]:
    """The list page's text, and whether it came from the page cache."""
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode(), getattr(response, "from_cache", False)


def cached_page(client) -> str:
    """The list page's text, computed and then served from the page cache."""
    text, _ = page(client)
    assert page(client) == (text, True)
    return text


def rename(program, name: str) -> None:
    models.Program.objects.filter(pk=program.pk).update(name=name)
    # SQLite notes moments to the millisecond: let the next write's be another.
    time.sleep(0.002)


def set_version(version: Version) -> None:
    """Set the version row as a restore of a dump taken at `version` does (no trigger on it fires)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {DATA_VERSION} SET version = %s, changed_at = %s WHERE id = 1",  # noqa: S608 - a constant
            [version.count, version.changed_at],
        )


@pytest.mark.django_db
def test_a_restored_database_serves_its_cached_pages_until_its_first_write(client):
    lab = f.ProgramFactory(name="甲实验室")
    time.sleep(0.002)
    dumped = stored_version("default")
    assert "甲实验室" in cached_page(client)  # under the dumped version

    rename(lab, "乙实验室")  # after the dump
    undone = stored_version("default")
    assert undone.count > dumped.count
    assert "乙实验室" in page(client)[0]  # cached under a count the restored database will reach again

    rename(lab, "甲实验室")  # the restore: the dumped data, and the dumped version
    set_version(dumped)
    text, from_cache = page(client)
    assert from_cache and "甲实验室" in text and "乙实验室" not in text

    while stored_version("default").count < undone.count:  # the restored database's own writes
        rename(lab, "丙实验室")
    assert stored_version("default").count == undone.count
    assert stored_version("default") != undone
    text, from_cache = page(client)
    assert not from_cache
    assert "丙实验室" in text and "乙实验室" not in text


def tool(name: str, *args: str) -> None:
    """Run PostgreSQL's `name` on the server itself, as an operator does: not through a pooler, which
    would hand the session settings a dump makes (an empty search_path) to the next client."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT host(inet_server_addr()), inet_server_port()")
        host, port = cursor.fetchone()
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    where = ["-h", host or settings["HOST"], "-p", str(port or settings["PORT"] or 5432), "-U", settings["USER"]]
    result = subprocess.run(
        [shutil.which(name) or name, *where, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not POSTGRES, reason="pg_dump and pg_restore need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_pg_restore_clean_into_the_same_database_needs_no_flush(client, tmp_path):
    lab = f.ProgramFactory(name="甲实验室")
    dumped = stored_version("default")
    assert "甲实验室" in cached_page(client)
    dump = tmp_path / "tracker.dump"
    tool("pg_dump", "--format=custom", f"--file={dump}", connection.settings_dict["NAME"])

    rename(lab, "乙实验室")
    undone = stored_version("default")
    assert "乙实验室" in page(client)[0]

    database = connection.settings_dict["NAME"]
    tool("pg_restore", "--clean", "--no-owner", "--exit-on-error", f"--dbname={database}", str(dump))
    assert stored_version("default") == dumped
    text, from_cache = page(client)
    assert from_cache and "甲实验室" in text and "乙实验室" not in text

    lab = models.Program.objects.get(pk=lab.pk)
    while stored_version("default").count < undone.count:
        rename(lab, "丙实验室")
    assert stored_version("default").count == undone.count
    text, from_cache = page(client)
    assert not from_cache
    assert "丙实验室" in text and "乙实验室" not in text
