"""Admin sign-in throttling: a username is paused from one address after repeated failures, no one else."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from programs.serving.security import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-correct-password"


@pytest.fixture
def login_url():
    with translation.override("en"):
        return reverse("admin:login") + "?next=" + reverse("admin:index")


@pytest.fixture
def staff(django_user_model):
    return [django_user_model.objects.create_user(name, password=PASSWORD, is_staff=True) for name in ("zhang", "li")]


def sign_in(login_url, username, password, address="203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(login_url, {"username": username, "password": password})


def fail(login_url, username, times, address="203.0.113.7"):
    for _ in range(times):
        response = sign_in(login_url, username, "wrong-password", address)
    return response


def test_a_correct_password_signs_in(login_url, staff):
    assert sign_in(login_url, "zhang", PASSWORD).status_code == 302


def test_failures_below_the_limit_leave_the_form(login_url, staff):
    response = fail(login_url, "zhang", settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert sign_in(login_url, "zhang", PASSWORD).status_code == 302


def test_the_limit_of_failures_pauses_that_username_from_that_address(login_url, staff):
    response = fail(login_url, "zhang", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert f"after {settings.AXES_FAILURE_LIMIT} wrong passwords" in page
    assert "Try again in 15 minutes" in page

    # Even the right password is refused until the pause is over.
    assert sign_in(login_url, "zhang", PASSWORD).status_code == 429


def test_a_pause_does_not_lock_out_other_users_or_addresses(login_url, staff):
    fail(login_url, "zhang", settings.AXES_FAILURE_LIMIT)
    assert sign_in(login_url, "li", PASSWORD).status_code == 302
    assert sign_in(login_url, "zhang", PASSWORD, address="198.51.100.2").status_code == 302


def test_sign_in_works_again_after_the_cool_off(login_url, staff):
    fail(login_url, "zhang", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert sign_in(login_url, "zhang", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(login_url, staff):
    fail(login_url, "zhang", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(login_url, "zhang", PASSWORD).status_code == 302
    assert fail(login_url, "zhang", settings.AXES_FAILURE_LIMIT - 1).status_code == 200


def test_guessing_unknown_usernames_is_paused_too(login_url):
    assert fail(login_url, "admin", settings.AXES_FAILURE_LIMIT).status_code == 429


def test_the_lockout_page_is_in_chinese_by_default(staff):
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("admin:login")
    assert url == "/admin/login/"
    response = fail(url, "zhang", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert '<html lang="zh-hans"' in response.content.decode()


def test_client_ip_is_the_remote_address_without_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


def test_client_ip_behind_proxies_ignores_what_the_client_forwards(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(spoofed) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(spoofed) == "1.2.3.4"
    direct = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    assert client_ip(direct) == "10.0.0.1"


def test_addresses_behind_a_proxy_are_counted_apart(login_url, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def through_proxy(client_address, password):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client_address)
        return client.post(login_url, {"username": "zhang", "password": password})

    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = through_proxy("203.0.113.7", "wrong-password")
    assert response.status_code == 429
    assert through_proxy("198.51.100.2", PASSWORD).status_code == 302
