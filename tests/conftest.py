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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, no automatic ANALYZE of the test database's tables.

    Tests insert and roll back rows all the time: autovacuum then samples nearly empty tables at
    moments that depend on timing, and the planner may pick plans for empty tables that explode on
    a test's larger data (a facet query of a query-count test once ran for minutes in CI). Without
    statistics the planner estimates from each table's size on disk, the same way on every run.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in connection.introspection.table_names():
                    cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
