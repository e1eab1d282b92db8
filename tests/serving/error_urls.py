"""The project's URLs plus a view that fails and one that waits on the database, to test what a server
error and a statement past its timeout send."""

from django.db import connections
from django.http import HttpResponse
from django.urls import path

from programs.serving.routing import read_database
from tracker.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure.")


def slow(request):
    """Runs a statement of `seconds` (PostgreSQL's pg_sleep) where the request reads."""
    with connections[read_database()].cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET["seconds"])])
    return HttpResponse("done")


urlpatterns = [path("fail/", fail, name="fail"), path("slow/", slow, name="slow"), *project_urlpatterns]
