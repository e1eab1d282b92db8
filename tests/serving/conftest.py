"""Fixtures the serving tests share."""

import pytest
from django.db import OperationalError

from programs.serving import caching
from programs.site import views


@pytest.fixture
def database_down(monkeypatch):
    """A switch: from its call on, the database refuses every connection, so that neither the data
    version nor any page's data can be read."""

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    def switch():
        monkeypatch.setattr(caching, "stored_version", down)
        for view in (views.ProgramListView, views.ProgramDetailView):
            monkeypatch.setattr(view, "get", down)

    return switch
