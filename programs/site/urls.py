from django.urls import path

from programs.site import data_views, feeds, identifier_views, partnership_views, suggestion_views, views

app_name = "programs"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("insights/", views.InsightsView.as_view(), name="insights"),
    path("data/", data_views.DataView.as_view(), name="data"),
    path("data/<str:release>/<str:filename>", data_views.data_file, name="data-file"),
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/feed/", feeds.PROGRAMS, name="program-feed"),
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/feed/", feeds.ORGANIZATIONS, name="organization-feed"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/feed/", feeds.PEOPLE, name="person-feed"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/feed/", feeds.PROJECTS, name="project-feed"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/feed/", feeds.SOURCES, name="source-feed"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("partners/<slug:first>/<slug:second>/", partnership_views.PartnershipView.as_view(), name="partnership"),
    path("id/<str:scheme>/<path:value>/", identifier_views.identifier_redirect, name="identifier"),
    path("suggestions/new/", suggestion_views.suggestion_new, name="suggestion-new"),
    path("suggestions/<str:token>/", suggestion_views.suggestion_status, name="suggestion-status"),
]
