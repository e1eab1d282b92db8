"""Fixtures shared by the tests: users in each role, and the data worlds the tests read.

`catalogue` is a small published world with every relation the site and the API show (and
`listed_catalogue` the same, shared by a module's tests that only read it), `drafts` a
draft of every kind linked to it in every way, `catalogue_of_size(n)` a world with n related rows of
every kind for the query-count tests. Their slugs and names are fixed: tests assert them.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import connections
from django.test import Client
from django.utils import translation

from programs import models
from programs.curation.roles import CURATORS, EDITORS, user_set_role
from tests import factories as f
from tests.factories import identifiers as ids
from tests.helpers import SECRET, SECRET_EN, read_only

DRAFT = models.Status.DRAFT


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back transactions can repeat a data version."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_and_plain(settings):
    """A fast password hasher, and static files served without a collectstatic manifest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def program(db):
    return f.ProgramFactory()


def build_catalogue() -> dict:
    """A small published world in which every relation the site and the API show is present.

    Tencent sponsors the Tencent-Tsinghua joint lab (under the Rhino-Bird award, which Tencent also
    sponsors, and over a child programme) that Tsinghua hosts; Tsinghua has a unit; the lab has a
    research area, an edition, a project with a member, and a lead who moved from Tencent to
    Tsinghua; an article cites the lab, the lead, the edition and Tencent's sponsorship.
    """
    ai = f.ResearchAreaFactory(name="人工智能", name_en="Artificial intelligence", slug="ai")
    tencent = f.CompanyFactory(name="腾讯", name_en="Tencent", slug="tencent", aliases=["Tencent Holdings"])
    tsinghua = f.OrganizationFactory(name="清华大学", name_en="Tsinghua University", slug="tsinghua")
    school = f.OrganizationFactory(name="清华大学深圳研究生院", name_en="", slug="tsinghua-sz", parent=tsinghua)
    award = f.ProgramFactory(name="犀牛鸟奖", name_en="Rhino-Bird Award", slug="rhino-bird", kind="award")
    lab = f.ProgramFactory(
        name="腾讯-清华大学联合实验室",
        name_en="Tencent-Tsinghua Joint Lab",
        slug="tencent-tsinghua-lab",
        summary="研究大模型。",
        start_year=2017,
        amount=200000,
        currency="CNY",
        amount_basis="per_project",
        parent=award,
    )
    lab.research_areas.add(ai)
    child = f.ProgramFactory(name="青年学者计划", name_en="Young Scholars", slug="young-scholars", parent=lab)
    sponsorship = f.ParticipationFactory(program=lab, organization=tencent, role="sponsor")
    f.ParticipationFactory(program=lab, organization=tsinghua, role="host")
    f.ParticipationFactory(program=award, organization=tencent, role="sponsor")
    edition = f.EditionFactory(
        program=lab, year=2022, label="第一届", label_en="First round", slug="lab-2022", recipient_count=10
    )
    person = f.PersonFactory(name="李四", name_en="Li Si", slug="li-si", headline="清华大学教授")
    f.AffiliationFactory(person=person, organization=tencent, title="研究员", start_year=2012, end_year=2018)
    f.AffiliationFactory(person=person, organization=tsinghua, title="教授", start_year=2019, is_current=True)
    f.InvolvementFactory(person=person, program=lab, edition=edition, role="lead", year=2022)
    project = f.ProjectFactory(
        title="大模型推理", title_en="LLM inference", slug="llm-inference", program=lab, edition=edition, year=2022
    )
    f.ProjectMemberFactory(project=project, person=person, organization=tsinghua, role="lead")
    source = f.SourceFactory(title="校企合作的新模式", title_en="New models of partnership", slug="new-models")
    f.CitationFactory(record=lab, source=source, quote="腾讯与清华大学宣布共建联合实验室。", locator="第一段")
    f.CitationFactory(record=person, source=source, quote="李四教授牵头。", quote_repaired=True)  # noise repaired
    f.CitationFactory(record=edition, source=source, quote="第一届共十人。")
    f.CitationFactory(record=sponsorship, source=source, quote="出资。")
    f.IdentifierFactory(organization=tencent, value=ids.ror(1))
    f.IdentifierFactory(organization=None, person=person, scheme="orcid", value=ids.orcid(1))
    return {
        "ai": ai,
        "tencent": tencent,
        "tsinghua": tsinghua,
        "school": school,
        "award": award,
        "lab": lab,
        "child": child,
        "edition": edition,
        "person": person,
        "project": project,
        "source": source,
    }


@pytest.fixture
def catalogue(db):
    return build_catalogue()


listed_catalogue = read_only(build_catalogue)  # one catalogue for a module whose tests only read it


@pytest.fixture
def drafts(catalogue):
    """A draft of every kind, keyed by its API endpoint, linked to the catalogue in every way there is.

    Published records point at drafts (a parent, a partner, a research area, a career step, a
    member, a citing source) and drafts at published records; a published edition, project and
    child of the draft programme are hidden with it (`editions`, `hidden_project`, `hidden_child`).
    The draft organization is the only record in Japan: no country facet may offer JP.
    """
    lab, tencent, tsinghua, person = catalogue["lab"], catalogue["tencent"], catalogue["tsinghua"], catalogue["person"]
    records = {
        "programs": f.ProgramFactory(
            name=f"{SECRET}项目", name_en=f"{SECRET_EN} programme", summary=SECRET, status=DRAFT, parent=lab
        ),
        "organizations": f.CompanyFactory(
            name=f"{SECRET}机构", name_en=f"{SECRET_EN} organization", country="JP", status=DRAFT, parent=tencent
        ),
        "people": f.PersonFactory(name=f"{SECRET}人物", name_en=f"{SECRET_EN} person", status=DRAFT),
        "projects": f.ProjectFactory(title=f"{SECRET}课题", title_en=f"{SECRET_EN} project", program=lab, status=DRAFT),
        "research-areas": f.ResearchAreaFactory(name=f"{SECRET}领域", name_en=f"{SECRET_EN} area", status=DRAFT),
        "sources": f.SourceFactory(title=f"{SECRET}文章", title_en=f"{SECRET_EN} article", status=DRAFT),
    }
    program, organization, someone = records["programs"], records["organizations"], records["people"]
    lab.research_areas.add(records["research-areas"])
    f.ParticipationFactory(program=lab, organization=organization, role="funder")
    f.ParticipationFactory(program=program, organization=tencent)
    f.AffiliationFactory(person=person, organization=organization, title=f"{SECRET}职位", start_year=2010)
    f.AffiliationFactory(person=someone, organization=tsinghua)
    f.InvolvementFactory(person=someone, program=lab, edition=catalogue["edition"])
    f.InvolvementFactory(person=person, program=program)
    f.ProjectMemberFactory(project=catalogue["project"], person=someone, organization=tencent)
    f.ProjectMemberFactory(project=records["projects"], person=person)
    f.ProjectMemberFactory(
        project=f.ProjectFactory(slug="another-project", program=lab), person=person, organization=organization
    )
    f.OrganizationFactory(slug="unit-of-a-draft", parent=organization)
    hidden_child = f.ProgramFactory(slug="child-of-a-draft", parent=program)
    hidden_project = f.ProjectFactory(title=f"{SECRET}子课题", title_en=f"{SECRET_EN} sub-project", program=program)
    hidden_edition = f.EditionFactory(program=program, label=f"{SECRET}届", slug="edition-of-a-draft", year=2020)
    f.CitationFactory(record=lab, source=records["sources"], quote=f"{SECRET}引文")
    for record in [*records.values(), hidden_edition, models.Participation.objects.get(program=program)]:
        if not isinstance(record, models.Source):
            f.CitationFactory(record=record, source=catalogue["source"], quote=f"{SECRET}引文")
    return {**records, "editions": hidden_edition, "hidden_project": hidden_project, "hidden_child": hidden_child}


def build_catalogue_of_size(n: int) -> dict:
    """A programme, an organization, a person, a project and a source, each with n related rows of every kind."""
    area = f.ResearchAreaFactory()
    sponsor = f.CompanyFactory()
    program = f.ProgramFactory(parent=f.ProgramFactory())
    program.research_areas.add(area)
    person = f.PersonFactory()
    project = f.ProjectFactory(program=program)
    source = f.SourceFactory()
    f.IdentifierFactory(organization=sponsor)
    f.IdentifierFactory(organization=None, program=program, scheme="wikidata", value=ids.wikidata(n))
    for i in range(n):
        other = f.ProgramFactory(kind=models.ProgramKind.AWARD)
        other.research_areas.add(area)
        f.ParticipationFactory(program=other, organization=sponsor)
        university = f.OrganizationFactory(parent=sponsor if i % 2 else None)
        f.ParticipationFactory(program=program, organization=university, role=models.ParticipationRole.PARTNER)
        f.ParticipationFactory(program=other, organization=university, role=models.ParticipationRole.PARTNER)
        edition = f.EditionFactory(program=program, year=1950 + i)
        colleague = f.PersonFactory()
        f.IdentifierFactory(organization=university)
        f.IdentifierFactory(
            organization=None, person=person if i == 0 else colleague, scheme="orcid", value=ids.orcid(i)
        )
        f.AffiliationFactory(person=colleague, organization=university, start_year=2000)
        f.AffiliationFactory(person=colleague, organization=sponsor, start_year=2010)
        f.AffiliationFactory(person=person, organization=university, start_year=1950 + i)
        f.InvolvementFactory(person=colleague, program=program, edition=edition)
        f.InvolvementFactory(person=person, program=other)
        f.ProjectFactory(program=program, edition=edition)
        f.ProjectMemberFactory(project=project, person=colleague, organization=university)
        f.ProjectMemberFactory(project=f.ProjectFactory(program=other), person=person)
        f.ProgramFactory(parent=program)
        f.CitationFactory(record=program)
        f.CitationFactory(record=person)
        f.CitationFactory(record=university, source=source)
        f.CitationFactory(record=other, source=source)
        f.CitationFactory(record=colleague, source=source)
        f.CitationFactory(record=edition, source=source)
        f.CitationFactory(record=models.Participation.objects.filter(program=other).first(), source=source)
        f.CitationFactory(record=models.Affiliation.objects.filter(person=colleague).first(), source=source)
        f.CitationFactory(record=models.Involvement.objects.filter(person=colleague).first(), source=source)
        f.CitationFactory(record=models.ProjectMember.objects.filter(person=colleague).first(), source=source)
        f.CitationFactory(record=area if i == 0 else f.ResearchAreaFactory(), source=source)
        f.CitationFactory(record=f.ProjectFactory(program=other), source=source)
        f.SourceFactory()
    return {
        "program": program,
        "organization": sponsor,
        "partner": university,
        "person": person,
        "project": project,
        "source": source,
    }


@pytest.fixture
def catalogue_of_size(db):
    """`catalogue_of_size(n)`: a world whose every page and endpoint shows n related rows of each kind,
    for the query-count tests (the bound must not grow with n)."""
    return build_catalogue_of_size


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def curator(db, django_user_model):
    """A staff user in the curators group: adds and changes, cannot publish or delete."""
    user = django_user_model.objects.create_user("curator", password="curator-password")
    user_set_role(user=user, role=CURATORS)
    return user


@pytest.fixture
def editor(db, django_user_model):
    """A staff user in the editors group: also publishes, unpublishes and deletes."""
    user = django_user_model.objects.create_user("editor", password="editor-password")
    user_set_role(user=user, role=EDITORS)
    return user


@pytest.fixture
def curator_client(curator):
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def _back_to_the_default_language(**kwargs):
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test, and the test code after each request, runs in the default language (Chinese).

    A request under /en/ activates English in the thread that runs it, which in tests is the
    test's own thread: without this, a `reverse()` after an English request would give /en/ URLs.
    """
    translation.activate(settings.LANGUAGE_CODE)
    request_finished.connect(_back_to_the_default_language)
    yield
    request_finished.disconnect(_back_to_the_default_language)
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, no automatic ANALYZE of the test database's tables; and the test database
    dropped at the end even behind PgBouncer.

    Tests insert and roll back rows all the time: autovacuum then samples nearly empty tables at
    moments that depend on timing, and the planner may pick plans for empty tables that explode on
    a test's larger data (a facet query of a query-count test once ran for minutes in CI). Without
    statistics the planner estimates from each table's size on disk, the same way on every run.

    A pooler keeps its server connections to the test database open after the tests close theirs,
    and PostgreSQL refuses to drop a database in use: they are ended first, from another database.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in connection.introspection.table_names():
                    cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
    yield
    with django_db_blocker.unblock():
        for each in connections.all():
            if each.vendor == "postgresql" and not each.settings_dict["TEST"].get("MIRROR"):
                _end_other_sessions(each)


def _end_other_sessions(connection):
    import psycopg

    params = {**connection.get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
