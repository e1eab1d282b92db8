"""Every change to every curated record is kept: who, when, which fields; revert and restore work."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst

from programs import models
from tests import factories as f
from tests.factories import identifiers as ids
from tests.helpers import ADMIN_MODELS as MODELS
from tests.helpers import FACTORIES, admin_url, form_data

pytestmark = pytest.mark.django_db

# For each model, a field an edit changes and its new value.
EDITS = {
    models.ResearchArea: ("name_en", "Renamed area"),
    models.Organization: ("name_en", "Renamed organization"),
    models.Program: ("name_en", "Renamed programme"),
    models.Participation: ("note", "A corrected note"),
    models.Edition: ("label_en", "Second round"),
    models.Person: ("name_en", "Renamed person"),
    models.Affiliation: ("note", "A corrected note"),
    models.Involvement: ("note", "A corrected note"),
    models.Project: ("title_en", "Renamed project"),
    models.ProjectMember: ("role", models.MemberRole.LEAD),
    models.Source: ("title_en", "Renamed article"),
    models.Citation: ("locator", "Section 2"),
    models.Identifier: ("value", ids.ror(99)),
}


def model_ids(model):
    return model._meta.model_name


def en_url(model, view, *args):
    with translation.override("en"):
        return admin_url(model, view, *args)


def edit(client, model, record):
    field, value = EDITS[model]
    url = en_url(model, "change", record.pk)
    response = client.post(url, {**form_data(client.get(url)), field: value})
    assert response.status_code == 302
    return field, value


def test_every_model_has_an_edit():
    assert set(EDITS) == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_an_admin_edit_records_who_when_and_what(editor_client, model):
    record = FACTORIES[model]()
    field, value = EDITS[model]
    old_value = getattr(record, field)

    edit(editor_client, model, record)

    created, changed = record.history.order_by("history_date")
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert changed.history_user.username == "editor"
    assert changed.history_date > created.history_date
    assert getattr(changed, field) == value
    delta = changed.diff_against(created)
    assert delta.changed_fields == [field]

    page = editor_client.get(en_url(model, "history", record.pk)).content.decode()
    assert "editor" in page
    verbose_name = capfirst(model._meta.get_field(field).verbose_name)
    with translation.override("en"):
        assert f"<strong>{verbose_name}:</strong> {old_value} &rarr; {value}" in page


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_revert_restores_an_earlier_version(curator_client, model):
    record = FACTORIES[model]()
    field, _ = EDITS[model]
    old_value = getattr(record, field)
    first_version = record.history.get()
    edit(curator_client, model, record)

    url = en_url(model, "simple_history", record.pk, first_version.history_id)
    page = curator_client.get(url)
    assert page.status_code == 200
    assert curator_client.post(url, form_data(page)).status_code == 302

    record.refresh_from_db()
    assert getattr(record, field) == old_value
    latest = record.history.first()
    assert (latest.history_type, latest.history_user.username) == ("~", "curator")
    assert record.history.count() == 3


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_deleting_keeps_the_history_and_lists_the_record(editor_client, curator_client, model):
    record = FACTORIES[model]()
    pk = record.pk
    edit(editor_client, model, record)
    with translation.override("en"):  # the deleted records page below is the English one
        label = str(model.objects.get(pk=pk))
    assert editor_client.post(en_url(model, "delete", pk), {"post": "yes"}).status_code == 302
    assert not model.objects.filter(pk=pk).exists()

    history = model.history.filter(id=pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert history.last().history_user.username == "editor"

    page = curator_client.get(en_url(model, "history", pk))
    assert page.status_code == 200
    assert "Deleted" in page.content.decode()

    deleted = curator_client.get(en_url(model, "deleted")).content.decode()
    assert label in deleted
    assert f'href="{en_url(model, "history", pk)}"' in deleted


@pytest.mark.parametrize("model", MODELS, ids=model_ids)
def test_a_deleted_record_is_restored_from_its_history(editor_client, model):
    record = FACTORIES[model]()
    pk = record.pk
    last_version = record.history.get()
    record.delete()

    url = en_url(model, "simple_history", pk, last_version.history_id)
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302

    restored = model.objects.get(pk=pk)
    assert str(restored) == str(record)
    assert restored.history.first().history_type == "+"
    deleted = editor_client.get(en_url(model, "deleted")).content.decode()
    assert f'href="{en_url(model, "history", pk)}"' not in deleted


def test_a_curator_restores_a_deleted_record_as_a_draft(curator_client):
    program = f.ProgramFactory(status=models.Status.PUBLISHED)
    pk, version = program.pk, program.history.get()
    program.delete()

    url = en_url(models.Program, "simple_history", pk, version.history_id)
    assert curator_client.post(url, form_data(curator_client.get(url))).status_code == 302
    assert models.Program.objects.get(pk=pk).status == models.Status.DRAFT


def test_deleted_records_list_only_records_still_deleted(editor_client):
    kept, deleted, restored = f.OrganizationFactory.create_batch(3)
    deleted.delete()
    version = restored.history.get()
    restored.delete()
    restored_pk = version.id
    version.instance.save()

    page = editor_client.get(en_url(models.Organization, "deleted")).content.decode()
    assert deleted.name in page
    assert kept.name not in page
    assert models.Organization.objects.filter(pk=restored_pk).exists()
    assert restored.name not in page


def test_deleted_records_need_the_view_permission(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", password="pw", is_staff=True))
    assert client.get(en_url(models.Program, "deleted")).status_code == 403
    client.logout()
    assert client.get(en_url(models.Program, "deleted")).status_code == 302


def test_changelist_links_to_deleted_records(curator_client):
    page = curator_client.get(en_url(models.Program, "changelist")).content.decode()
    assert f'href="{en_url(models.Program, "deleted")}"' in page


def test_revert_restores_the_research_areas_of_the_version(editor_client):
    first, second = f.ResearchAreaFactory.create_batch(2)
    program = f.ProgramFactory()
    program.research_areas.set([first])
    version = program.history.first()
    assert [row.researcharea_id for row in version.research_areas.all()] == [first.pk]
    edit_url = en_url(models.Program, "change", program.pk)
    editor_client.post(edit_url, {**form_data(editor_client.get(edit_url)), "research_areas": [second.pk]})
    assert list(program.research_areas.all()) == [second]

    url = en_url(models.Program, "simple_history", program.pk, version.history_id)
    page = editor_client.get(url)
    assert page.context["adminform"].form["research_areas"].value() == [first.pk]
    assert editor_client.post(url, form_data(page)).status_code == 302
    assert list(program.research_areas.all()) == [first]


def test_history_pages_are_closed_to_the_anonymous():
    program = f.ProgramFactory()
    client = Client()
    for url in [
        en_url(models.Program, "history", program.pk),
        en_url(models.Program, "simple_history", program.pk, program.history.get().history_id),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def staff_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user("limited", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="programs", codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_who_may_only_view_sees_versions_but_cannot_revert(editor_client, django_user_model):
    program = f.ProgramFactory()
    first_version = program.history.get()
    edit(editor_client, models.Program, program)
    client = staff_with(django_user_model, "view_program")

    url = en_url(models.Program, "simple_history", program.pk, first_version.history_id)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, form_data(editor_client.get(url))).status_code == 403
    program.refresh_from_db()
    assert program.name_en == EDITS[models.Program][1]


def test_restoring_a_deleted_record_needs_the_add_permission(editor_client, django_user_model):
    program = f.ProgramFactory()
    pk, version = program.pk, program.history.get()
    program.delete()
    client = staff_with(django_user_model, "view_program", "change_program")

    url = en_url(models.Program, "simple_history", pk, version.history_id)
    assert client.post(url, form_data(editor_client.get(url))).status_code == 403
    assert not models.Program.objects.filter(pk=pk).exists()


def history_models() -> list:
    """The records' history models (not the history of a programme's research areas, which is its programme's)."""
    return [model for model in apps.get_app_config("programs").get_models() if hasattr(model, "history_date")]


def walk_indexes(history_model) -> int:
    """How many indexes a history table has on (history_date, history_id), the changes feed's order."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, history_model._meta.db_table)
    return sum(found["index"] and found["columns"] == ["history_date", "history_id"] for found in constraints.values())


def test_every_history_table_is_indexed_once_in_the_order_the_changes_feed_walks_it():
    assert len(history_models()) == 13
    assert {model.__name__: walk_indexes(model) for model in history_models()} == {
        model.__name__: 1 for model in history_models()
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_history_table_altered_by_a_migration_keeps_its_walk_index():
    # SQLite alters a column by making the table again, with the indexes its model declares only.
    history = models.Source.history.model
    old = history._meta.get_field("title")
    name, _path, args, kwargs = old.deconstruct()
    new = old.__class__(*args, **{**kwargs, "max_length": old.max_length + 1})
    new.set_attributes_from_name(name)
    new.model = history
    with connection.schema_editor() as editor:
        editor.alter_field(history, old, new)
    try:
        assert walk_indexes(history) == 1
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(history, new, old)
