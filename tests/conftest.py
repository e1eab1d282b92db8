import pytest

from tests import factories


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
