import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.test import Client
from django.utils import translation

from programs.roles import CURATORS, EDITORS, user_set_role
from tests import factories


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
    return factories.ProgramFactory()


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
