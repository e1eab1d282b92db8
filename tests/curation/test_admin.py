"""Every admin page renders for staff, is closed to the anonymous, and publishing is guarded."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from programs import models
from tests import factories as f
from tests.helpers import ADMIN_MODELS as MODELS
from tests.helpers import FACTORIES, admin_url

pytestmark = pytest.mark.django_db


def test_every_model_is_registered():
    """The curated models, and the suggestions' inbox (tests/curation/test_suggestions_inbox.py)."""
    registered = {model for model in admin.site._registry if model._meta.app_label == "programs"}
    assert registered == {*MODELS, models.Suggestion}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_pages_render_for_staff(staff_client, model):
    record = FACTORIES[model]()
    for url in [
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=1",
        admin_url(model, "add"),
        admin_url(model, "change", record.pk),
        admin_url(model, "history", record.pk),
    ]:
        response = staff_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_pages_redirect_the_anonymous(client, model):
    record = FACTORIES[model]()
    for url in [admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", record.pk)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_changelist_search_matches_chinese_english_and_aliases(staff_client):
    f.ProgramFactory(name="清华大学-谷歌人工智能联合实验室", name_en="Tsinghua-Google AI Joint Lab")
    f.ProgramFactory(name="阿里巴巴创新研究计划", name_en="Alibaba Innovative Research", aliases=["AIR"])
    url = admin_url(models.Program, "changelist")
    for query, expected in [
        ("谷歌", "Tsinghua-Google"),
        ("google", "Tsinghua-Google"),
        ("AIR", "阿里巴巴创新研究计划"),
    ]:
        response = staff_client.get(url, {"q": query})
        assert expected in response.content.decode(), query


def test_admin_is_translated(staff_client):
    chinese = staff_client.get(admin_url(models.Program, "changelist"))
    assert '<html lang="zh-hans"' in chinese.content.decode()
    assert "选择" in chinese.content.decode()
    with translation.override("en"):
        english = staff_client.get(admin_url(models.Program, "changelist"))
    assert '<html lang="en"' in english.content.decode()
    assert "Select programme to change" in english.content.decode()


def make_staff(django_user_model, *codenames):
    user = django_user_model.objects.create_user("curator", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="programs", codename__in=codenames))
    return user


def test_publish_action_needs_the_publish_permission(client, django_user_model):
    draft = f.ProgramFactory(status=models.Status.DRAFT)
    client.force_login(make_staff(django_user_model, "view_program", "change_program"))
    url = admin_url(models.Program, "changelist")

    page = client.get(url)
    assert 'value="publish"' not in page.content.decode()
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == models.Status.DRAFT


def test_publish_action_publishes_and_keeps_history(client, django_user_model):
    drafts = f.ProgramFactory.create_batch(2, status=models.Status.DRAFT)
    client.force_login(make_staff(django_user_model, "view_program", "change_program", "publish_program"))
    with translation.override("en"):
        url = admin_url(models.Program, "changelist")
    response = client.post(url, {"action": "publish", "_selected_action": [p.pk for p in drafts]}, follow=True)
    assert "2 records changed." in [str(message) for message in response.context["messages"]]
    for program in drafts:
        program.refresh_from_db()
        assert program.status == models.Status.PUBLISHED
        assert program.published_at is not None
        assert program.history.first().status == models.Status.PUBLISHED


def test_curator_sees_status_read_only(client, django_user_model):
    program = f.ProgramFactory(status=models.Status.DRAFT)
    client.force_login(make_staff(django_user_model, "view_program", "change_program"))
    page = client.get(admin_url(models.Program, "change", program.pk)).content.decode()
    assert 'name="status"' not in page

    client.force_login(make_staff_editor(django_user_model))
    page = client.get(admin_url(models.Program, "change", program.pk)).content.decode()
    assert 'name="status"' in page


def make_staff_editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_program", "change_program", "publish_program"])
    )
    return user


def test_program_change_page_has_curator_inlines(staff_client):
    program = f.ProgramFactory()
    f.ParticipationFactory(program=program)
    f.EditionFactory(program=program)
    f.InvolvementFactory(program=program)
    f.CitationFactory(record=program)
    page = staff_client.get(admin_url(models.Program, "change", program.pk)).content.decode()
    for prefix in ["participations-TOTAL_FORMS", "editions-TOTAL_FORMS", "involvements-TOTAL_FORMS"]:
        assert prefix in page
    assert "programs-citation-content_type-object_id-TOTAL_FORMS" in page


def test_curators_read_distinct_translated_labels(staff_client, client):
    program = f.ProgramFactory()
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert "收录的记录" in index and ">Programs<" not in index
    for url in (admin_url(models.Program, "changelist"), admin_url(models.Program, "change", program.pk)):
        page = staff_client.get(url).content.decode()
        assert "发布状态" in page and "运行状态" in page, url  # publication and lifecycle, told apart
        assert "收录的记录" in page, url  # the breadcrumbs
    assert "运行状态" in client.get(reverse("programs:program-list")).content.decode()
