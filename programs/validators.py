"""Validators shared by forms and views."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

FIXTURE_TOO_LARGE = _("The file is %(size)s; fixture files may be %(limit)s at most.")


def validate_fixture_upload(file) -> None:
    """Refuse an uploaded fixture file larger than `FIXTURE_UPLOAD_MAX_BYTES`."""
    limit = settings.FIXTURE_UPLOAD_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            FIXTURE_TOO_LARGE,
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
