"""The data check in the admin: the report of `manage.py check_data`, each finding linked to its record.

Anyone who may view every curated model may see it: the report names drafts and published
records alike, as the admin lists do.
"""

from django.contrib.auth import get_permission_codename
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from programs.curation.data_checks import data_check, grouped
from programs.curation.roles import APP_LABEL, curated_models
from programs.curation.site import Tool

LISTED_FINDINGS = 200  # findings listed per check on the page; the heading counts all of them


def can_check(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and user.has_perms(f"{APP_LABEL}.{get_permission_codename('view', model._meta)}" for model in curated_models())
    )


def change_url(record, site_name: str) -> str:
    opts = record._meta
    try:
        return reverse(f"{site_name}:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:  # a model without an admin of its own
        return ""


def data_check_view(request, site):
    """The findings of every check, grouped by check, or a line saying the data passes."""
    site_name = site.name
    findings = data_check()
    groups = [
        (
            check,
            len(check_findings),
            [(finding, change_url(finding.record, site_name)) for finding in check_findings[:LISTED_FINDINGS]],
            max(0, len(check_findings) - LISTED_FINDINGS),
        )
        for check, check_findings in grouped(findings)
    ]
    return site.tool_page(
        request, "admin/programs/data_check.html", DATA_CHECK.title, groups=groups, count=len(findings)
    )


DATA_CHECK = Tool("check/", "data_check", _("Data check"), data_check_view, can_check)
