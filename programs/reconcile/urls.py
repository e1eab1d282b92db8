"""The reconciliation service, at /reconcile/ (outside the language prefixes, like the API)."""

from django.urls import path

from programs.reconcile import views

app_name = "reconcile"

urlpatterns = [
    path("", views.ReconcileView.as_view(), name="service"),
    path("properties/", views.ProposePropertiesView.as_view(), name="properties"),
    path("suggest/entity/", views.SuggestEntityView.as_view(), name="suggest-entity"),
    path("suggest/property/", views.SuggestPropertyView.as_view(), name="suggest-property"),
    path("suggest/type/", views.SuggestTypeView.as_view(), name="suggest-type"),
    path("preview/", views.preview, name="preview"),
    path("view/<str:kind>/<slug:slug>", views.view, name="view"),
]
