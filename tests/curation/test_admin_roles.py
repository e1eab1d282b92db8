"""Each permission boundary of the roles in the admin: curators edit; editors also publish and delete.

Every refusal is tested through the pages a curator sees (no button, no action, read-only status)
and through forged requests that bypass them (a POST with status=published, an action POST).
"""

import pytest

from programs import models
from programs.curation.services import records_set_status
from programs.models.base import PublishableModel
from tests import factories as f
from tests.helpers import ADMIN_MODELS as MODELS
from tests.helpers import FACTORIES, admin_url, form_data

pytestmark = pytest.mark.django_db

PUBLISHABLE = [model for model in MODELS if issubclass(model, PublishableModel)]
DRAFT, PUBLISHED = models.Status.DRAFT, models.Status.PUBLISHED


def model_ids(model):
    return model._meta.model_name


def new_record_data(model) -> dict:
    """The fields an add form needs for each publishable model, beyond its defaults."""
    return {
        models.ResearchArea: lambda: {"name": "新领域", "slug": "new-area"},
        models.Organization: lambda: {"name": "新机构", "slug": "new-org", "kind": "company"},
        models.Program: lambda: {"name": "新计划", "slug": "new-program", "kind": "award", "lifecycle": "active"},
        models.Person: lambda: {"name": "新人", "slug": "new-person"},
        models.Project: lambda: {"title": "新项目", "slug": "new-project", "program": f.ProgramFactory().pk},
        models.Source: lambda: {"title": "新文章", "slug": "new-source", "language": "zh-Hans"},
    }[model]()


def post_change(client, model, record, **changes):
    url = admin_url(model, "change", record.pk)
    data = {**form_data(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    record.refresh_from_db()
    return response


# Publishing: the status field, the publish/unpublish actions, the add form and the revert view.


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_curator_sees_status_read_only_and_no_publish_actions(curator_client, model):
    record = FACTORIES[model](status=DRAFT)
    change_page = curator_client.get(admin_url(model, "change", record.pk)).content.decode()
    assert 'name="status"' not in change_page
    list_page = curator_client.get(admin_url(model, "changelist")).content.decode()
    assert 'value="publish"' not in list_page
    assert 'value="unpublish"' not in list_page


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_curator_can_change_but_a_forged_status_is_ignored(curator_client, model):
    record = FACTORIES[model](status=DRAFT)
    post_change(curator_client, model, record, slug="changed-by-curator", status=PUBLISHED)
    assert record.slug == "changed-by-curator"
    assert record.status == DRAFT
    assert record.published_at is None


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_curator_cannot_unpublish_by_a_forged_status(curator_client, model):
    record = FACTORIES[model](status=PUBLISHED)
    post_change(curator_client, model, record, status=DRAFT)
    assert record.status == PUBLISHED


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_editor_publishes_from_the_change_form(editor_client, model):
    record = FACTORIES[model](status=DRAFT)
    assert 'name="status"' in editor_client.get(admin_url(model, "change", record.pk)).content.decode()
    post_change(editor_client, model, record, status=PUBLISHED)
    assert record.status == PUBLISHED
    assert record.published_at is not None


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_curator_adds_drafts_only(curator_client, model):
    url = admin_url(model, "add")
    page = curator_client.get(url)
    assert 'name="status"' not in page.content.decode()
    data = {**form_data(page), **new_record_data(model), "status": PUBLISHED}
    response = curator_client.post(url, data)
    assert response.status_code == 302
    record = model.objects.get(slug=data["slug"])
    assert record.status == DRAFT
    assert record.history.get().history_user.username == "curator"


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_editor_may_add_a_published_record(editor_client, model):
    url = admin_url(model, "add")
    data = {**form_data(editor_client.get(url)), **new_record_data(model), "status": PUBLISHED}
    assert editor_client.post(url, data).status_code == 302
    assert model.objects.get(slug=data["slug"]).status == PUBLISHED


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_forged_publish_actions_change_nothing_for_a_curator(curator_client, model):
    draft, published = FACTORIES[model](status=DRAFT), FACTORIES[model](status=PUBLISHED)
    url = admin_url(model, "changelist")
    curator_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    curator_client.post(url, {"action": "unpublish", "_selected_action": [published.pk]})
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (DRAFT, PUBLISHED)


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_editor_publishes_and_unpublishes_in_bulk(editor_client, model):
    drafts = FACTORIES[model].create_batch(2, status=DRAFT)
    url = admin_url(model, "changelist")
    page = editor_client.get(url).content.decode()
    assert 'value="publish"' in page
    assert 'value="unpublish"' in page

    editor_client.post(url, {"action": "publish", "_selected_action": [r.pk for r in drafts]})
    assert set(model.objects.filter(pk__in=[r.pk for r in drafts]).values_list("status", flat=True)) == {PUBLISHED}
    editor_client.post(url, {"action": "unpublish", "_selected_action": [drafts[0].pk]})
    drafts[0].refresh_from_db()
    assert drafts[0].status == DRAFT
    assert drafts[0].history.first().history_user.username == "editor"


def revert(client, model, record, version):
    url = admin_url(model, "simple_history", record.pk, version.history_id)
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302
    record.refresh_from_db()


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_curator_cannot_publish_by_reverting_to_a_published_version(curator_client, model):
    record = FACTORIES[model](status=PUBLISHED)
    first_published = record.published_at
    published_version = record.history.get()
    records_set_status(records=model.objects.filter(pk=record.pk), status=DRAFT)

    page = curator_client.get(admin_url(model, "simple_history", record.pk, published_version.history_id))
    assert 'name="status"' not in page.content.decode()
    revert(curator_client, model, record, published_version)
    assert record.status == DRAFT
    assert record.published_at == first_published


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_curator_cannot_unpublish_by_reverting_to_a_draft_version(curator_client, model):
    record = FACTORIES[model](status=DRAFT)
    draft_version = record.history.get()
    records_set_status(records=model.objects.filter(pk=record.pk), status=PUBLISHED)
    first_published = model.objects.get(pk=record.pk).published_at

    revert(curator_client, model, record, draft_version)
    assert record.status == PUBLISHED
    assert record.published_at == first_published


@pytest.mark.parametrize("model", PUBLISHABLE, ids=model_ids)
def test_editor_may_publish_by_reverting(editor_client, model):
    record = FACTORIES[model](status=PUBLISHED)
    published_version = record.history.get()
    records_set_status(records=model.objects.filter(pk=record.pk), status=DRAFT)

    revert(editor_client, model, record, published_version)
    assert record.status == PUBLISHED


# Deleting: the delete page, the delete button, the "delete selected" action and inline rows.


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_curator_cannot_delete(curator_client, model):
    record = FACTORIES[model]()
    assert curator_client.get(admin_url(model, "change", record.pk)).status_code == 200
    assert 'class="deletelink"' not in curator_client.get(admin_url(model, "change", record.pk)).content.decode()
    assert 'value="delete_selected"' not in curator_client.get(admin_url(model, "changelist")).content.decode()

    assert curator_client.get(admin_url(model, "delete", record.pk)).status_code == 403
    assert curator_client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    curator_client.post(
        admin_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    )
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_editor_deletes_from_the_change_form(editor_client, model):
    record = FACTORIES[model]()
    assert 'class="deletelink"' in editor_client.get(admin_url(model, "change", record.pk)).content.decode()
    assert editor_client.get(admin_url(model, "delete", record.pk)).status_code == 200
    assert editor_client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_editor_deletes_in_bulk(editor_client, model):
    records = FACTORIES[model].create_batch(2)
    url = admin_url(model, "changelist")
    assert 'value="delete_selected"' in editor_client.get(url).content.decode()
    editor_client.post(url, {"action": "delete_selected", "_selected_action": [r.pk for r in records], "post": "yes"})
    assert not model.objects.filter(pk__in=[r.pk for r in records]).exists()


def test_curator_cannot_delete_inline_rows(curator_client, editor_client):
    program = f.ProgramFactory()
    participation = f.ParticipationFactory(program=program)
    f.CitationFactory(record=program)
    url = admin_url(models.Program, "change", program.pk)

    page = curator_client.get(url).content.decode()
    assert 'name="participations-0-DELETE"' not in page
    assert 'name="programs-citation-content_type-object_id-0-DELETE"' not in page
    post_change(curator_client, models.Program, program, **{"participations-0-DELETE": "on"})
    assert models.Participation.objects.filter(pk=participation.pk).exists()

    assert 'name="participations-0-DELETE"' in editor_client.get(url).content.decode()
    post_change(editor_client, models.Program, program, **{"participations-0-DELETE": "on"})
    assert not models.Participation.objects.filter(pk=participation.pk).exists()


def test_curator_adds_inline_rows(curator_client):
    program = f.ProgramFactory()
    organization = f.OrganizationFactory()
    url = admin_url(models.Program, "change", program.pk)
    data = form_data(curator_client.get(url))
    data.update(
        {
            "participations-TOTAL_FORMS": 1,
            "participations-0-organization": organization.pk,
            "participations-0-role": models.ParticipationRole.HOST,
            "participations-0-program": program.pk,
        }
    )
    assert curator_client.post(url, data).status_code == 302
    assert program.participations.get().organization == organization
