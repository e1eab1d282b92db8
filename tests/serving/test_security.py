"""Security headers on every kind of page, no inline code in the admin, request size limits."""

import logging
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from programs import models
from programs.models.validators import validate_fixture_upload
from tests import factories as f
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_security_headers(response):
    csp = csp_directives(response)
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def published_program():
    return f.ProgramFactory(status=models.Status.PUBLISHED)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/programs/", 200),
        ("/en/programs/", 200),
        ("/organizations/", 200),
        ("/programs/no-such-programme/", 404),
        ("/en/no-such-page/", 404),
    ],
)
def test_public_pages_send_the_security_headers(client, published_program, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert_security_headers(response)


def test_public_detail_page_sends_the_security_headers(client, published_program):
    response = client.get(published_program.get_absolute_url())
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("view", ["index", "programs_program_changelist", "programs_program_add"])
def test_admin_pages_send_the_security_headers(staff_client, view):
    response = staff_client.get(reverse(f"admin:{view}"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_admin_login_page_sends_the_security_headers(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_server_error_page_sends_the_security_headers(settings):
    settings.ROOT_URLCONF = "tests.serving.error_urls"
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    assert_security_headers(response)


def test_csrf_failure_page_sends_the_security_headers():
    response = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_security_headers(response)


def test_bad_host_page_sends_the_security_headers(client):
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/", "/programs/?kind=award", "/en/programs/", "/api/programs/", "/admin/"])
def test_a_foreign_host_is_refused_in_one_log_line(client, caplog, path):
    with caplog.at_level(logging.INFO):
        response = client.get(path, headers={"host": "evil.example"})
    assert response.status_code == 400
    assert [(record.name, record.levelname) for record in caplog.records] == [
        ("django.security.DisallowedHost", "ERROR")
    ]
    assert "Invalid HTTP_HOST header: 'evil.example'" in caplog.records[0].getMessage()
    assert "Traceback" not in caplog.text
    assert caplog.records[0].exc_info is None


def test_hsts_on_https_with_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_security_headers(response)


INLINE_CODE = [
    re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),  # an inline script
    re.compile(r"\sstyle\s*=", re.IGNORECASE),  # a style attribute
    re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),  # an event handler attribute
    re.compile(r"javascript:", re.IGNORECASE),
    re.compile(r"<style", re.IGNORECASE),  # a style block
]


def inline_code(html: str) -> list[str]:
    """Inline scripts, styles and event handlers: what the policy would block."""
    return [match.group(0) for pattern in INLINE_CODE for match in pattern.finditer(html)]


def admin_pages(program):
    version = program.history.first()
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["programs"]),
        admin_url(models.Program, "changelist"),
        admin_url(models.Program, "changelist") + "?q=%3Cscript%3E",
        admin_url(models.Program, "add"),
        admin_url(models.Program, "change", program.pk),
        admin_url(models.Program, "history", program.pk),
        admin_url(models.Program, "simple_history", program.pk, version.history_id),
        admin_url(models.Program, "deleted"),
        admin_url(models.Organization, "changelist"),
        admin_url(models.Citation, "changelist"),
        reverse("admin:password_change"),
        reverse("admin:auth_user_changelist"),
    ]


def test_admin_pages_have_no_inline_code_for_a_superuser(staff_client):
    program = f.ProgramFactory()
    f.ParticipationFactory(program=program)
    f.EditionFactory(program=program)
    f.CitationFactory(record=program)
    for url in [*admin_pages(program), admin_url(models.Program, "delete", program.pk)]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url


def test_admin_pages_have_no_inline_code_for_a_curator(curator_client):
    program = f.ProgramFactory()
    f.ParticipationFactory(program=program)
    for url in admin_pages(program)[:-1]:
        response = curator_client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url


def test_admin_login_and_popups_have_no_inline_code(client, staff_client):
    assert inline_code(client.get(reverse("admin:login")).content.decode()) == []
    url = admin_url(models.Organization, "add") + "?_to_field=id&_popup=1"
    page = staff_client.get(url)
    assert inline_code(page.content.decode()) == []
    data = {**form_data(page), "name": "新机构", "slug": "popup-org", "kind": "company", "_popup": "1"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "popup_response" in response.templates[0].name
    assert inline_code(response.content.decode()) == []


# Request sizes.


def test_request_size_settings_are_deliberate():
    assert settings.FIXTURE_UPLOAD_MAX_BYTES == 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.FIXTURE_UPLOAD_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 5000
    assert settings.REQUEST_MAX_BYTES == settings.FIXTURE_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_request_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    with translation.override("en"):
        url = reverse("admin:login")
    small = SimpleUploadedFile("data.yaml", b"x" * 500)
    assert client.post(url, {"file": small}).status_code == 200

    large = SimpleUploadedFile("data.yaml", b"x" * 1001)
    response = client.post(url, {"file": large})
    assert response.status_code == 413
    assert "1000 bytes at most" in response.content.decode()
    assert_security_headers(response)


def test_a_fixture_file_at_the_limit_is_accepted_and_one_byte_more_refused():
    limit = settings.FIXTURE_UPLOAD_MAX_BYTES
    validate_fixture_upload(SimpleUploadedFile("ok.yaml", b"x" * limit))
    with pytest.raises(ValidationError) as error:
        validate_fixture_upload(SimpleUploadedFile("big.yaml", b"x" * (limit + 1)))
    assert error.value.code == "file_too_large"
    with translation.override("en"):
        assert "2.0\xa0MB at most" in error.value.messages[0]


def test_too_many_fields_are_refused(client):
    response = client.post(reverse("admin:login"), {f"field{n}": "x" for n in range(5001)})
    assert response.status_code == 400
