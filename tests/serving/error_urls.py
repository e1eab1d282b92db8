"""The project's URLs plus a view that fails, to test what a server error sends."""

from django.urls import path

from tracker.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure.")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
