"""The API's addresses, under /api/ (outside the language prefixes: one API for both languages)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from programs.api import views
from programs.api.changes import ChangesView
from programs.api.docs import ApiDocsView
from programs.api.errors import not_found
from programs.api.partnerships import PartnershipView
from programs.api.suggestions import SuggestionView

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("programs", views.ProgramViewSet, basename="program")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("editions", views.EditionViewSet, basename="edition")
router.register("research-areas", views.ResearchAreaViewSet, basename="research-area")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("partnerships/<slug:first>/<slug:second>/", PartnershipView.as_view(), name="partnership"),
    path("changes/", ChangesView.as_view(), name="changes"),
    path("suggestions/", SuggestionView.as_view(), name="suggestions"),
    path("", include(router.urls)),
    re_path(r"", not_found),
]
