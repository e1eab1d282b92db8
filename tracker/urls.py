"""URLs: the site and the admin in Chinese at the root, in English under /en/; the API at /api/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("programs.api.urls")),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("programs.urls")),
        prefix_default_language=False,
    ),
]
