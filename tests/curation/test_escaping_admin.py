"""User-supplied text is always escaped in the admin: names, aliases, quotes, searches, history, messages."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from programs import models
from tests import factories as f
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = [SCRIPT, IMG]


def assert_escaped(html: str, *, expect=PAYLOADS):
    """No payload appears as markup; those in `expect` appear escaped (as text on the page)."""
    for payload in PAYLOADS:
        assert payload not in html
    assert "<img src=x" not in html
    assert "<script>alert" not in html
    for payload in expect:
        assert escape(payload) in html


@pytest.fixture
def hostile_records():
    """A record of each kind whose every text field a hostile curator or source filled with markup."""
    source = f.SourceFactory(title=SCRIPT, title_en=IMG, publisher=IMG)
    organization = f.OrganizationFactory(name=IMG, name_en=SCRIPT, short_name=SCRIPT, aliases=PAYLOADS, city=IMG)
    program = f.ProgramFactory(name=SCRIPT, name_en=IMG, aliases=PAYLOADS, summary=IMG)
    person = f.PersonFactory(name=IMG, name_en=SCRIPT, headline=SCRIPT)
    f.ParticipationFactory(program=program, organization=organization, note=SCRIPT)
    f.AffiliationFactory(person=person, organization=organization, title=IMG, note=SCRIPT)
    f.InvolvementFactory(person=person, program=program, note=IMG)
    f.EditionFactory(program=program, label=SCRIPT, notes=IMG)
    project = f.ProjectFactory(program=program, title=SCRIPT, summary=IMG)
    f.ProjectMemberFactory(project=project, person=person, organization=organization)
    f.CitationFactory(record=program, source=source, quote=SCRIPT + IMG, locator=IMG)
    return {"program": program, "organization": organization, "person": person, "project": project, "source": source}


@pytest.mark.parametrize(
    "model",
    [
        models.Program,
        models.Organization,
        models.Person,
        models.Project,
        models.Source,
        models.Participation,
        models.Affiliation,
        models.Involvement,
        models.Edition,
        models.ProjectMember,
        models.Citation,
    ],
    ids=lambda model: model._meta.model_name,
)
def test_lists_and_change_forms_escape_every_field(staff_client, hostile_records, model):
    list_page = staff_client.get(admin_url(model, "changelist")).content.decode()
    assert_escaped(list_page, expect=[])
    change_page = staff_client.get(admin_url(model, "change", model.objects.first().pk)).content.decode()
    assert_escaped(change_page, expect=[])
    assert_escaped(list_page + change_page)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_admin_search_escapes_the_query(staff_client, hostile_records, payload):
    for model in [models.Program, models.Organization, models.Citation, models.Person]:
        response = staff_client.get(admin_url(model, "changelist"), {"q": payload})
        assert response.status_code == 200
        assert_escaped(response.content.decode(), expect=[payload])


def test_history_diffs_escape_old_and_new_values(staff_client, hostile_records):
    program = hostile_records["program"]
    url = admin_url(models.Program, "change", program.pk)
    data = {**form_data(staff_client.get(url)), "name": IMG, "name_en": SCRIPT, "summary": SCRIPT}
    response = staff_client.post(url, data, follow=True)
    assert_escaped(response.content.decode(), expect=[IMG])  # the "changed successfully" message

    history = staff_client.get(admin_url(models.Program, "history", program.pk)).content.decode()
    assert_escaped(history)
    assert f"{escape(SCRIPT)} &rarr; {escape(IMG)}" in history

    version = program.history.last()
    revert_page = staff_client.get(admin_url(models.Program, "simple_history", program.pk, version.history_id))
    assert_escaped(revert_page.content.decode())


def test_delete_confirmation_and_deleted_records_escape_names(staff_client, hostile_records):
    confirmation = staff_client.get(admin_url(models.Person, "delete", hostile_records["person"].pk))
    assert_escaped(confirmation.content.decode())

    staff_client.post(admin_url(models.Project, "delete", hostile_records["project"].pk), {"post": "yes"})
    deleted = staff_client.get(admin_url(models.Project, "deleted")).content.decode()
    assert_escaped(deleted, expect=[SCRIPT])


def test_popup_response_escapes_the_new_records_name(staff_client):
    url = admin_url(models.Organization, "add") + "?_to_field=id&_popup=1"
    data = {**form_data(staff_client.get(url)), "name": IMG, "slug": "hostile", "kind": "company", "_popup": "1"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<img src=x" not in html
    assert IMG not in html


def test_autocomplete_returns_names_as_json_text(staff_client, hostile_records):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "programs", "model_name": "participation", "field_name": "organization"},
    )
    assert response["Content-Type"] == "application/json"
    assert {"id": str(hostile_records["organization"].pk), "text": IMG} in response.json()["results"]
