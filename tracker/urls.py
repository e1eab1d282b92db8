"""URLs: the site and the admin in Chinese at the root, in English under /en/; the API at /api/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from programs.site.service_views import healthz, robots_txt
from programs.site.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"}, name="sitemap-index"
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("programs.api.urls")),
    path("reconcile/", include("programs.reconcile.urls")),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("programs.site.urls")),
        prefix_default_language=False,
    ),
]
