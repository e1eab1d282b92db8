"""The admin, with the curation site as its default site (`admin.site`)."""

from django.contrib.admin.apps import AdminConfig


class CurationAdminConfig(AdminConfig):
    default_site = "programs.curation.site.CurationSite"
