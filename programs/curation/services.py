"""Write paths shared by the admin, the commands and the tests."""

from django.db import transaction

from programs.models import Status


def records_set_status(*, records, status: Status) -> int:
    """Publish or unpublish the given records, one save each so that history keeps every change.

    Returns how many records changed; records already in that status are left alone.
    """
    changed = 0
    with transaction.atomic():
        for record in records.exclude(status=status):
            record.status = status
            record.save(update_fields=["status", "updated_at"])
            changed += 1
    return changed
