"""Validators shared by models, forms and views."""

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

CURRENCY_MESSAGE = _("Use a three-letter ISO 4217 code, e.g. CNY.")
FIXTURE_TOO_LARGE = _("The file is %(size)s; fixture files may be %(limit)s at most.")
UPLOAD_TOO_LARGE = _("The file is %(size)s; uploaded files may be %(limit)s at most.")


def refuse_large(file, message) -> None:
    """Refuse an uploaded file larger than `FIXTURE_UPLOAD_MAX_BYTES`, the limit of every upload form."""
    limit = settings.FIXTURE_UPLOAD_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            message,
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )


# Words a list's own addresses use after its path (`/programs/feed/`): no record may take them as its slug.
RESERVED_SLUGS = frozenset({"feed"})
RESERVED_SLUG = _("“%(slug)s” is part of the site's own addresses; choose another slug.")


def validate_slug_not_reserved(slug) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(RESERVED_SLUG, code="reserved_slug", params={"slug": slug})


def validate_currency(code) -> None:
    """Refuse anything but a current ISO 4217 currency code (CNY, not RMB)."""
    currency = pycountry.currencies.get(alpha_3=code) if isinstance(code, str) and len(code) == 3 else None
    if currency is None or currency.alpha_3 != code:  # pycountry ignores case; the code is upper case
        raise ValidationError(CURRENCY_MESSAGE, code="invalid_currency")


def validate_fixture_upload(file) -> None:
    refuse_large(file, FIXTURE_TOO_LARGE)


def validate_upload(file) -> None:
    refuse_large(file, UPLOAD_TOO_LARGE)
