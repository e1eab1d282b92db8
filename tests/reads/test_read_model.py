"""The read model: exact after every kind of write, never holding a draft, and read the same way on both paths.

On PostgreSQL the listings are tables kept by triggers; their live views compute the same rows from
the curated tables when read (as SQLite always does). `read_model.differences()` compares the two,
and the lists, facets, totals and exports read from either must be identical.
"""

import pytest
from django.db import connection
from django.db.migrations import Migration
from django.db.migrations.operations import (
    AddIndex,
    AlterField,
    AlterModelOptions,
    CreateModel,
    RunPython,
    RunSQL,
)
from django.db.models import AutoField, Index, TextField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import models
from programs.models.bulk import insert_instances
from programs.reads import read_model
from tests import factories as f

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the maintained read model")


# Exact in the writing transaction, whatever the write


def publish(record):
    record.status = models.Status.PUBLISHED
    record.save()


def unpublish(record):
    record.status = models.Status.DRAFT
    record.save()


WRITES = {
    "a new programme with links": lambda w: f.ParticipationFactory(
        program=f.ProgramFactory(), organization=w["organizations"][0]
    ),
    "a programme renamed": lambda w: models.Program.objects.filter(pk=w["programs"][0].pk).update(name="改名的计划"),
    "a programme unpublished": lambda w: unpublish(w["programs"][1]),
    "a draft programme published": lambda w: publish(w["programs"][10]),
    "a programme deleted": lambda w: w["programs"][2].delete(),
    "a participation removed": lambda w: models.Participation.objects.filter(program=w["programs"][3]).delete(),
    "a participation's role changed": lambda w: models.Participation.objects.filter(
        program__in=w["programs"][:6]
    ).update(role="funder"),
    "an organization unpublished": lambda w: unpublish(w["organizations"][1]),
    "a draft organization published": lambda w: publish(w["organizations"][6]),
    "an organization's kind and country changed": lambda w: models.Organization.objects.filter(
        pk=w["organizations"][0].pk
    ).update(kind="company", country="DE"),
    "a research area unpublished": lambda w: unpublish(w["areas"][0]),
    "research areas of a programme replaced": lambda w: w["programs"][4].research_areas.set(w["areas"][1:3]),
    "a person's career changed": lambda w: models.Affiliation.objects.filter(person=w["people"][0]).update(
        start_year=None
    ),
    "a person unpublished": lambda w: unpublish(w["people"][1]),
    "an involvement added": lambda w: f.InvolvementFactory(person=w["people"][2], program=w["programs"][5]),
    "a project moved to a draft programme": lambda w: models.Project.objects.filter(pk=w["projects"][0].pk).update(
        program=w["programs"][10]
    ),
    "a source's language changed": lambda w: models.Source.objects.filter(pk=w["sources"][0].pk).update(language="en"),
    "raw SQL": lambda w: connection.cursor().execute("UPDATE programs_program SET lifecycle = 'ended'"),
    "a bulk insert": lambda w: insert_instances(
        models.Participation,
        [models.Participation(program=p, organization=f.CompanyFactory(), role="host") for p in w["programs"]],
    ),
}


@postgresql_only
@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_the_read_model_is_exact_after_every_kind_of_write(world, write):
    assert read_model.differences() == []
    write(world)
    assert read_model.differences() == []


@postgresql_only
def test_differences_are_found_and_a_rebuild_repairs_them(world):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM programs_program_listing WHERE id = %s", [world["programs"][0].pk])
        cursor.execute("UPDATE programs_facet_count SET n = n + 1 WHERE facet = 'kind'")
    problems = read_model.differences()
    assert any("programs_program_listing: 1 missing" in problem for problem in problems)
    assert any("programs_facet_count of program" in problem for problem in problems)
    read_model.rebuild()
    assert read_model.differences() == []


@postgresql_only
def test_a_session_can_switch_maintenance_off_for_a_bulk_load_and_rebuild(world):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL programs.reads.read_model = 'off'")
        cursor.execute("UPDATE programs_program SET kind = 'award'")
        assert read_model.differences()
        cursor.execute("SET LOCAL programs.reads.read_model = 'on'")
    read_model.rebuild()
    assert read_model.differences() == []


def test_career_moves_are_tokens_of_each_move():
    person = f.PersonFactory()
    company, university = f.CompanyFactory(), f.OrganizationFactory(kind=models.OrganizationKind.UNIVERSITY)
    f.AffiliationFactory(person=person, organization=company, start_year=2001)
    f.AffiliationFactory(person=person, organization=university, start_year=2010)
    f.AffiliationFactory(person=person, organization=company, start_year=2015, title="顾问")
    facets = models.PersonListing.objects.get(pk=person.pk).facets
    assert sorted(token for token in facets if token.startswith("move:")) == [
        "move:academia>industry",
        "move:industry>academia",
    ]


# Installation


def test_install_leaves_an_installed_read_model_alone_and_reinstalls_on_demand(world):
    assert read_model.install() is False
    before = list(models.ProgramListing.objects.order_by("id").values_list("id", "facets"))
    assert read_model.install(force=True) is True
    assert list(models.ProgramListing.objects.order_by("id").values_list("id", "facets")) == before
    assert read_model.differences() == []


def test_every_curated_table_reaches_the_read_model_or_bumps_the_version():
    """A table the listings read must be watched by the read model's triggers (PostgreSQL)."""
    from programs.reads.read_model import postgresql, schema

    read = {"programs_participation", "programs_program_research_areas", "programs_involvement"}
    read |= {"programs_affiliation", "programs_researcharea"} | {listing.table for listing in schema.LISTINGS}
    assert read <= set(postgresql.DEPENDENCIES)
    assert set(postgresql.DEPENDENCIES) <= set(read_model.VERSIONED_TABLES)


# Bad input costs no more than good


def test_thousands_of_repeated_values_are_refused_before_any_lookup(client):
    organization = f.OrganizationFactory()
    query = "&".join([f"sponsor={organization.slug}"] * 2000 + ["kind=award"] * 1000)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("programs:program-list") + "?" + query)
    assert page.status_code == 200
    assert "最多选择 20 个值" in page.content.decode()
    assert all(organization.slug not in query["sql"] for query in queries.captured_queries)
    api = client.get(reverse("api:program-list") + "?" + query)
    assert api.status_code == 400 and set(api.json()) == {"sponsor", "kind"}


def test_a_ten_thousand_character_search_is_cut_to_its_first_words(client):
    words = " ".join(f"词{i}" for i in range(2000))[:10_000]
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("programs:program-list"), {"q": words})
    assert page.status_code == 200
    longest = max(len(query["sql"]) for query in queries.captured_queries)
    assert longest < 20_000  # at most MAX_TERMS words of a search cut to MAX_QUERY_LENGTH characters
    assert client.get(reverse("api:program-list"), {"q": words}).status_code == 400


def migration(*operations):
    made = Migration("0999_test", "programs")
    made.operations = list(operations)
    return made


def test_migrations_drop_the_read_model_before_and_install_it_after(world):
    """Whatever a migration changes in the tables, the read model is made again from them after it."""
    index = AddIndex("program", Index(fields=["slug", "id"], name="programs_test_idx"))
    plan = [(migration(index, AlterField("program", "summary", TextField(blank=True))), False)]
    read_model.before_migrate(None, plan=plan)
    assert read_model.installed_fingerprint(connection) is None
    read_model.after_migrate(None, plan=plan)
    assert read_model.installed_fingerprint(connection) == read_model.fingerprint(connection)
    assert set(models.ProgramListing.objects.values_list("id", flat=True)) == {
        program.pk for program in world["programs"] if program.is_published
    }
    assert read_model.differences() == []


@postgresql_only
@pytest.mark.parametrize("backwards", [False, True])
def test_migrations_of_indexes_and_constraints_leave_a_maintained_read_model_in_place(world, backwards):
    index = AddIndex("program", Index(fields=["slug", "id"], name="programs_test_idx"))
    plan = [(migration(index, AlterModelOptions("program", {})), backwards)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid FROM programs_program_listing ORDER BY id")
        rows = cursor.fetchall()
        read_model.before_migrate(None, plan=plan)
        read_model.after_migrate(None, plan=plan)
        cursor.execute("SELECT ctid FROM programs_program_listing ORDER BY id")
        assert cursor.fetchall() == rows  # not one row written again
    assert read_model.installed_fingerprint(connection) == read_model.fingerprint(connection)


def noop(apps, schema_editor):
    pass


@pytest.mark.parametrize(
    ("operation", "alone"),
    [
        (AddIndex("program", Index(fields=["slug", "id"], name="programs_test_idx")), True),
        (CreateModel("Note", [("id", AutoField(primary_key=True))]), True),
        (RunPython(noop, hints={read_model.READ_MODEL_HINT: False}), True),
        (RunPython(noop), False),  # code that does not say what it writes may write anything
        (RunSQL("SELECT 1"), False),
        (AlterField("program", "summary", TextField(blank=True)), False),
    ],
    ids=["index", "new table", "code saying so", "code", "sql", "altered field"],
)
def test_what_a_migration_may_do_without_the_read_model_made_again(operation, alone):
    assert read_model.leaves_alone(operation) is alone


def test_the_installed_read_model_is_the_codes(world):
    """A change to the read model's definition reaches a database at its next migrate."""
    assert read_model.installed_fingerprint(connection) == read_model.fingerprint(connection)


def test_application_caches_switch_off_with_one_setting(client, settings, world):
    url = reverse("programs:program-list")
    client.get(url)
    assert not client.get(url).templates  # the second anonymous view comes from the page cache
    settings.APP_CACHES = False
    client.get(url)
    assert client.get(url).templates


@postgresql_only
def test_an_import_filling_a_database_rebuilds_the_read_model_once_and_exactly(monkeypatch):
    from programs.fixtures_io import writer
    from tests.helpers import VALID, run_import

    monkeypatch.setattr(writer, "BULK_AFTER", 1)
    rebuilt = []
    original = read_model.bulk_load

    def counted_bulk_load(*args, **kwargs):
        rebuilt.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(read_model, "bulk_load", counted_bulk_load)
    run_import(VALID)
    assert rebuilt == [True]
    assert models.ProgramListing.objects.count() == models.Program.objects.published().count() > 0
    assert read_model.differences() == []
