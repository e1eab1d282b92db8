"""What records say about their sources — descriptive names, qualified figures, gaps — on the pages, in the API
and in the database."""

import pytest
from django.db import IntegrityError, transaction

from programs import models
from tests import factories as f

pytestmark = pytest.mark.django_db

NOTE_EN = "Descriptive name, not an official title"
NOTE_ZH = "描述性名称，并非正式名称"


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def described():
    """A programme the sources describe without naming, run by a university they do not name either."""
    host = f.OrganizationFactory(
        name="某大学的三维视觉团队", name_en="A university's 3D vision team", name_is_descriptive=True
    )
    program = f.ProgramFactory(
        name="蚂蚁集团与北京大学开展的人才培养项目",
        name_en="Talent programmes of Ant Group with Peking University",
        name_is_descriptive=True,
        start_year=None,
        years_not_in_sources=True,
    )
    f.ParticipationFactory(program=program, organization=host)
    return program


@pytest.mark.parametrize(("prefix", "note"), [("", NOTE_ZH), ("/en", NOTE_EN)])
def test_a_descriptive_name_is_shown_as_a_description_with_a_note(client, described, prefix, note):
    page = text(client.get(prefix + described.get_absolute_url()))
    assert f'<h1 class="descriptive-name">{described.name_en if prefix else described.name}</h1>' in page
    assert f'<p class="name-note">{note}</p>' in page
    organization = described.participations.get().organization
    assert f'<p class="name-note">{note}</p>' in text(client.get(prefix + organization.get_absolute_url()))


def test_a_title_has_no_note(client, program):
    page = text(client.get(program.get_absolute_url()))
    assert f"<h1>{program.name}</h1>" in page
    assert "name-note" not in page


def test_descriptive_projects_and_sources_carry_the_note(client):
    project = f.ProjectFactory(title="甲与乙的合作研究", name_is_descriptive=True)
    source = f.SourceFactory(title="八位科研人才加盟某学院", name_is_descriptive=True)
    assert NOTE_ZH in text(client.get(project.get_absolute_url()))
    assert NOTE_ZH in text(client.get(source.get_absolute_url()))


def test_the_programme_list_sets_a_descriptive_name_apart_and_search_finds_it(client, described, program):
    page = text(client.get("/programs/?q=人才培养"))
    assert '<th scope="row" data-label="名称" class="descriptive-name">' in page
    assert described.get_absolute_url() in page and program.get_absolute_url() not in page
    assert described.get_absolute_url() in text(client.get("/en/programs/?q=talent+programmes"))


def test_years_and_participants_no_source_gives_say_so(client):
    program = f.ProgramFactory(start_year=None, years_not_in_sources=True, participants_not_in_sources=True)
    page = text(client.get("/en" + program.get_absolute_url()))
    assert '<dt>Years</dt><dd class="muted">not given by the sources</dd>' in page
    assert "No source names an organization taking part." in page
    project = f.ProjectFactory(year=None, years_not_in_sources=True)
    assert '<dd class="muted">来源未提供</dd>' in text(client.get(project.get_absolute_url()))


def test_unknown_years_without_the_flag_stay_unsaid(client):
    program = f.ProgramFactory(start_year=None)
    page = text(client.get("/en" + program.get_absolute_url()))
    assert "not given by the sources" not in page and "No organization recorded yet." in page


def test_editions_show_their_figures_with_qualifiers(client, program):
    f.EditionFactory(
        program=program,
        recipient_count=10,
        application_count=400,
        application_count_qualifier=models.Qualifier.AT_LEAST,
        project_count=15,
        project_count_qualifier=models.Qualifier.ABOUT,
        amount=200000,
        amount_qualifier=models.Qualifier.ABOUT,
        currency="CNY",
        amount_basis=models.AmountBasis.PER_PERSON,
    )
    page = text(client.get("/en" + program.get_absolute_url()))
    assert '<th scope="col" class="num">Applications</th>' in page
    assert 'data-label="Recipients" class="num">10</td>' in page
    assert 'data-label="Projects" class="num">≈ 15</td>' in page
    assert 'data-label="Applications" class="num">≥ 400</td>' in page
    assert "≈ 200,000 CNY per person" in page


def test_the_api_says_what_the_sources_leave_open(client, described):
    f.EditionFactory(program=described, slug="round", application_count=400, application_count_qualifier="at_least")
    body = client.get(f"/api/programs/{described.slug}/").json()
    assert (body["name_is_descriptive"], body["years_not_in_sources"], body["participants_not_in_sources"]) == (
        True,
        True,
        False,
    )
    assert body["participants"][0]["organization"]["name_is_descriptive"] is True
    [edition] = body["editions"]
    assert (edition["application_count"], edition["application_count_qualifier"]) == (400, "at_least")
    assert (edition["recipient_count"], edition["recipient_count_qualifier"]) == (None, "")
    edition = client.get("/api/editions/round/").json()
    assert edition["application_count_qualifier"] == "at_least" and edition["program"]["name_is_descriptive"]


def test_the_schema_names_the_qualifiers(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["components"]["schemas"]["QualifierEnum"]["enum"] == ["at_least", "about"]
    assert "participant" in schema["components"]["schemas"]["ParticipationRoleEnum"]["enum"]


@pytest.mark.parametrize(
    ("factory", "fields"),
    [
        (f.EditionFactory, {"recipient_count": None, "recipient_count_qualifier": "at_least"}),
        (f.EditionFactory, {"application_count": None, "application_count_qualifier": "about"}),
        (f.EditionFactory, {"amount": None, "amount_qualifier": "about"}),
        (f.ProgramFactory, {"amount": None, "amount_qualifier": "at_least"}),
        (f.ProgramFactory, {"start_year": 2020, "years_not_in_sources": True}),
        (f.ProjectFactory, {"year": 2020, "years_not_in_sources": True}),
    ],
)
def test_the_database_refuses_a_qualifier_without_its_figure_and_years_no_source_gives(factory, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


def test_qualified_figures_read_as_bounds():
    edition = f.EditionFactory.build(
        recipient_count=10, project_count=15, project_count_qualifier="about", application_count=None
    )
    assert (edition.recipients_display, edition.projects_display, edition.applications_display) == ("10", "≈ 15", "")
