"""Signed cursors: a position in a walk through a list that the API hands out and takes back.

A cursor is signed with the site's secret key (django.core.signing), for one list only: a client
cannot forge one or carry it to another list, and a cursor that was changed is refused with a 400
naming the parameter, never read.
"""

from django.core import signing
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

START = "*"  # the cursor that starts a walk
INVALID_CURSOR = _("This cursor was not given out by this list. Start a walk with cursor=* and follow “next”.")


def cursor_encode(scope: str, value) -> str:
    return signing.dumps(value, salt=f"programs.api.cursor:{scope}")


def cursor_decode(scope: str, raw: str, parameter: str = "cursor"):
    try:
        return signing.loads(raw, salt=f"programs.api.cursor:{scope}")
    except signing.BadSignature:
        raise ValidationError({parameter: [INVALID_CURSOR]}) from None
