"""The read model: exact after every kind of write, never holding a draft, and read the same way on both paths.

On PostgreSQL the listings are tables kept by triggers; their live views compute the same rows from
the curated tables when read (as SQLite always does). `read_model.differences()` compares the two,
and the lists, facets, totals and exports read from either must be identical.
"""

import random

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
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import models
from programs.models.bulk import insert_instances
from programs.opendata import exports
from programs.reads import filters, read_model
from programs.reads.facets import count_rows
from programs.reads.lists import ListRows
from tests import factories as f

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the maintained read model")


@pytest.fixture
def world(db):
    """Programmes, organizations, people and projects linked every way the listings read, drafts included."""
    rng = random.Random(7)
    areas = [f.ResearchAreaFactory() for _ in range(4)] + [f.ResearchAreaFactory(status=models.Status.DRAFT)]
    organizations = [
        f.OrganizationFactory(kind=kind, country=country)
        for kind, country in [
            (models.OrganizationKind.UNIVERSITY, "CN"),
            (models.OrganizationKind.COMPANY, "CN"),
            (models.OrganizationKind.COMPANY, "US"),
            (models.OrganizationKind.RESEARCH_INSTITUTE, "HK"),
            (models.OrganizationKind.GOVERNMENT, ""),
            (models.OrganizationKind.UNIVERSITY, "SG"),
        ]
    ] + [f.OrganizationFactory(status=models.Status.DRAFT, country="JP")]
    programs = []
    for index in range(24):
        program = f.ProgramFactory(
            kind=rng.choice(list(models.ProgramKind)),
            lifecycle=rng.choice(list(models.Lifecycle)),
            start_year=rng.choice([None, 2005, 2012, 2019, 2023]),
            name=f"{rng.choice(['联合实验室', '奖学金', '科研基金'])}{index}",
            name_en=rng.choice(["", f"Joint Lab {index}", f"award {index}"]),
            status=models.Status.DRAFT if index % 11 == 10 else models.Status.PUBLISHED,
        )
        for organization in rng.sample(organizations, rng.randint(0, 3)):
            f.ParticipationFactory(
                program=program, organization=organization, role=rng.choice(list(models.ParticipationRole))
            )
        program.research_areas.add(*rng.sample(areas, rng.randint(0, 2)))
        programs.append(program)
    people = []
    for index in range(10):
        person = f.PersonFactory(status=models.Status.DRAFT if index == 9 else models.Status.PUBLISHED)
        for year, organization in enumerate(rng.sample(organizations, rng.randint(0, 3))):
            f.AffiliationFactory(person=person, organization=organization, start_year=rng.choice([None, 2000 + year]))
        for program in rng.sample(programs, rng.randint(0, 2)):
            f.InvolvementFactory(person=person, program=program, role=rng.choice(list(models.InvolvementRole)))
        people.append(person)
    projects = [f.ProjectFactory(program=rng.choice(programs), year=rng.choice([None, 2018, 2021])) for _ in range(8)]
    sources = [f.SourceFactory(language=language) for language in models.SourceLanguage]
    return {"programs": programs, "organizations": organizations, "areas": areas, "people": people,
            "projects": projects, "sources": sources}  # fmt: skip


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


def test_drafts_never_reach_a_listing(world):
    listed = set(models.ProgramListing.objects.values_list("id", flat=True))
    assert listed == {program.pk for program in world["programs"] if program.is_published}
    tokens = {token for facets in models.ProgramListing.objects.values_list("facets", flat=True) for token in facets}
    draft_organization, draft_area = world["organizations"][6], world["areas"][4]
    assert not {f"organization:{draft_organization.pk}", f"research_area:{draft_area.pk}", "country:JP"} & tokens
    assert world["people"][9].pk not in set(models.PersonListing.objects.values_list("id", flat=True))
    drafts_projects = {project.pk for project in world["projects"] if not project.program.is_published}
    assert not drafts_projects & set(models.ProjectListing.objects.values_list("id", flat=True))


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


# The same answers from the maintained tables and from the live views

QUERIES = [
    (filters.ProgramFilterSet, ""),
    (filters.ProgramFilterSet, "kind=award"),
    (filters.ProgramFilterSet, "kind=award&kind=joint_lab&sort=-start_year"),
    (filters.ProgramFilterSet, "country=CN"),
    (filters.ProgramFilterSet, "country=CN&country=US&lifecycle=active"),
    (filters.ProgramFilterSet, "organization_kind=company&start_year_min=2010&sort=start_year"),
    (filters.ProgramFilterSet, "q=实验室&sort=newest"),
    (filters.ProgramFilterSet, "q=joint+lab"),
    (filters.ProgramFilterSet, "q=奖"),
    (filters.ProgramFilterSet, "start_year_max=2015"),
    # A broad filter left alone for a facet: the facet is read from kept pairs
    (filters.ProgramFilterSet, "kind=award&country=CN"),
    (filters.ProgramFilterSet, "kind=award&kind=joint_lab&lifecycle=active"),
    (filters.ProgramFilterSet, "start_year_min=2010&start_year_max=2020&organization_kind=company"),
    (filters.ProgramFilterSet, "research_area={area}&sponsor={organization}"),
    (filters.ProgramFilterSet, "q=实验室&country=CN"),
    (filters.ProgramFilterSet, "sponsor={organization}&sort=newest"),
    (filters.ProgramFilterSet, "organization={organization}&research_area={area}"),
    (filters.PersonFilterSet, "organization={organization}"),
    (filters.OrganizationFilterSet, ""),
    (filters.OrganizationFilterSet, "kind=company&sort=programs"),
    (filters.OrganizationFilterSet, "country=CN&sort=newest"),
    (filters.PersonFilterSet, ""),
    (filters.PersonFilterSet, "sector=industry"),
    (filters.PersonFilterSet, "role=awardee"),
    (filters.PersonFilterSet, "role=awardee&role=lead"),
    (filters.ProjectFilterSet, "sort=-year"),
    (filters.ProjectFilterSet, "year_min=2019"),
    (filters.SourceFilterSet, "language=zh-Hans"),
    (filters.SourceFilterSet, "sort=name"),
]


LIVE = {
    models.ProgramListing: models.LiveProgramListing,
    models.OrganizationListing: models.LiveOrganizationListing,
    models.PersonListing: models.LivePersonListing,
    models.ProjectListing: models.LiveProjectListing,
    models.SourceListing: models.LiveSourceListing,
}


def answers(filterset_class, query: str, world, live=False) -> dict:
    """What a list shows for a query: its ids in order, its total and its facets."""
    query = query.format(organization=world["organizations"][0].slug, area=world["areas"][1].slug)
    listing = filterset_class._meta.model
    filterset = filterset_class(QueryDict(query), queryset=(LIVE[listing] if live else listing).objects.all())
    assert filterset.is_valid(), filterset.errors
    return {
        "ids": list(filterset.qs.values_list("id", flat=True)),
        "count": count_rows(filterset),
        "facets": filterset.facets(),
    }


@postgresql_only
@pytest.mark.parametrize(("filterset_class", "query"), QUERIES)
def test_tables_and_live_views_give_the_same_lists_totals_and_facets(world, filterset_class, query):
    kept = answers(filterset_class, query, world)
    computed = answers(filterset_class, query, world, live=True)
    assert kept == computed
    assert kept["count"] == len(kept["ids"])


@pytest.mark.parametrize(("filterset_class", "query"), QUERIES)
def test_the_size_counted_with_the_facets_is_the_lists(world, filterset_class, query, django_assert_num_queries):
    query = query.format(organization=world["organizations"][0].slug, area=world["areas"][1].slug)
    filterset = filterset_class(QueryDict(query))
    facets = filterset.facets()
    counted_with_facets = getattr(filterset, "row_count", None) is not None
    with django_assert_num_queries(0 if counted_with_facets else 1):
        size = count_rows(filterset)
    assert size == filterset.qs.count() == count_rows(filterset_class(QueryDict(query)))
    assert facets == filterset_class(QueryDict(query)).facets()


@pytest.mark.parametrize(("filterset_class", "query"), QUERIES)
def test_each_facet_value_counts_the_rows_its_link_would_list(world, filterset_class, query):
    """A facet value's count is the size of the list its link leads to: every other filter in
    force, and this facet set to the value alone (counted by the list itself, not by the facets)."""
    data = QueryDict(query.format(organization=world["organizations"][0].slug, area=world["areas"][1].slug))
    filterset = filterset_class(data)

    def linked_count(name, value):
        linked = data.copy()
        linked.setlist(name, [value])
        return filterset_class(linked).qs.count()

    for facet in filterset.facets():
        shown = {value.value: value.count for value in facet.values}
        choices = filterset.filters[facet.name].extra.get("choices")
        if isinstance(choices, list | tuple):  # a short list of choices: every value with rows is shown
            assert shown == {value: n for value, _label in choices if (n := linked_count(facet.name, value))}
        else:
            assert all(n == linked_count(facet.name, value) for value, n in shown.items()), facet.name


def test_a_search_is_counted_with_its_facets(world):
    filterset = filters.ProgramFilterSet(QueryDict("q=joint+lab&lifecycle=active"))
    filterset.facets()
    assert 0 < filterset.row_count == filterset.qs.count() < models.ProgramListing.objects.count()


@postgresql_only
@pytest.mark.parametrize(
    ("filterset_class", "export", "model"),
    [
        (filters.ProgramFilterSet, exports.PROGRAMS, models.Program),
        (filters.OrganizationFilterSet, exports.ORGANIZATIONS, models.Organization),
        (filters.PersonFilterSet, exports.PEOPLE, models.Person),
    ],
)
def test_tables_and_live_views_give_the_same_exports(rf, world, filterset_class, export, model):
    def download(listing):
        rows = ListRows.of(filterset_class(QueryDict("sort=newest"), queryset=listing.objects.all()), model.objects)
        response = exports.export_response(rows, export, rf.get("/"), fmt="csv", filename="x")
        return b"".join(response.streaming_content)

    listing = filterset_class._meta.model
    kept = download(listing)
    assert kept == download(LIVE[listing])
    assert kept.count(b"\n") > 2


def test_figures_agree_with_the_lists(world):
    kinds = {facet.name: facet for facet in filters.ProgramFilterSet(QueryDict("")).facets()}["kind"]
    for value in kinds.values:
        assert count_rows(filters.ProgramFilterSet(QueryDict(f"kind={value.value}"))) == value.count


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
