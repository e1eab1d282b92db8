"""Fixture files uploaded in the admin: checked, imported by editors only, size-limited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from programs import models
from tests.helpers import AIR, ANT, database_state

pytestmark = pytest.mark.django_db


def upload(*files):
    return [
        SimpleUploadedFile(name, content.encode("utf-8"), content_type="application/yaml") for name, content in files
    ]


@pytest.fixture
def url():
    with translation.override("en"):
        return reverse("admin:fixture_import")


def test_check_shows_what_would_change_and_writes_nothing(editor_client, url):
    response = editor_client.post(url, {"files": upload(("a-air.yaml", AIR), ("b-ant.yaml", ANT)), "check": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check passed: this is what an import would change." in page
    assert "+ programme program/alibaba-air" in page
    assert response.context["counts"]["programmes"]["created"] == 3
    assert models.Program.objects.count() == 0


def test_import_writes_and_records_the_editor_in_history(editor_client, editor, url):
    response = editor_client.post(url, {"files": upload(("a-air.yaml", AIR), ("b-ant.yaml", ANT)), "import": "1"})
    assert "Imported." in response.content.decode()
    air = models.Program.objects.get(slug="alibaba-air")
    record = air.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "fixture upload: a-air.yaml, b-ant.yaml"

    again = editor_client.post(url, {"files": upload(("a-air.yaml", AIR), ("b-ant.yaml", ANT)), "import": "1"})
    assert "Nothing to do: the database already matches the files." in again.content.decode()


def test_problems_are_listed_and_nothing_is_written(editor_client, url):
    editor_client.post(url, {"files": upload(("a-air.yaml", AIR), ("b-ant.yaml", ANT)), "import": "1"})
    before = database_state()
    broken = AIR.replace("kind: research_fund", "kind: laboratory").replace("start_year: 2017", "start_year: 二〇一七")
    response = editor_client.post(url, {"files": upload(("a-air.yaml", broken), ("b-ant.yaml", ANT)), "import": "1"})
    problems = [str(problem) for problem in response.context["problems"]]
    assert problems == [
        "a-air.yaml: program/alibaba-air: kind: 'laboratory' is not one of: joint_lab, research_fund, award, "
        "scholarship, postdoc_station, internship, talent_program, training_base, alliance, competition, "
        "open_platform, other",
        "a-air.yaml: program/alibaba-air: start_year: expected a whole number",
    ]
    assert "2 problems: nothing was imported." in response.content.decode()
    assert database_state() == before


def test_payloads_in_files_are_shown_escaped(editor_client, url):
    hostile = AIR.replace("name: 阿里巴巴创新研究计划", "name: <script>alert(1)</script>").replace(
        "kind: research_fund", "kind: <img src=x onerror=alert(1)>"
    )
    page = editor_client.post(url, {"files": upload(("a-air.yaml", hostile)), "check": "1"}).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_oversized_files_are_refused(editor_client, url, settings):
    settings.FIXTURE_UPLOAD_MAX_BYTES = 1000
    response = editor_client.post(url, {"files": upload(("a-air.yaml", AIR)), "import": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert models.Program.objects.count() == 0


def test_no_file_is_a_form_error(editor_client, url):
    response = editor_client.post(url, {"import": "1"})
    assert response.context["form"].errors["files"]


def test_only_editors_may_import(curator_client, client, url):
    assert curator_client.get(url).status_code == 403
    assert curator_client.post(url, {"files": upload(("a-air.yaml", AIR)), "import": "1"}).status_code == 403
    assert models.Program.objects.count() == 0
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_link_shown_on_the_sources_list_to_editors_only(editor_client, curator_client, url):
    with translation.override("en"):
        sources = reverse("admin:programs_source_changelist")
    assert url in editor_client.get(sources).content.decode()
    assert url not in curator_client.get(sources).content.decode()
