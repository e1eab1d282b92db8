"""Check the records' search keys against their fields, or rewrite the stale ones.

    manage.py search_keys check     # exit 1, naming the records, when a stored key is not what its fields give
    manage.py search_keys rebuild   # rewrite the stale keys, in one transaction

Every write through the models keeps the keys (programs/models/search_keys.py); a write by raw SQL
cannot, and leaves a record found under its old names until `rebuild` runs.
"""

from django.core.management.base import BaseCommand, CommandError

from programs.models import search_keys

SHOWN_IDS = 10  # ids named per table; the count says how many more


class Command(BaseCommand):
    help = "Check the records' search keys against their fields (check), or rewrite the stale ones (rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "rebuild"])
        parser.add_argument("--database", default="default")

    def handle(self, *args, action, database, **options):
        models = search_keys.searchable_models()
        if action == "rebuild":
            written = search_keys.rebuild(models, database)
            total = sum(written.values())
            details = ", ".join(f"{table}: {count}" for table, count in written.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Rewrote the search keys of {total} record(s). {details}".strip()))
            return
        stale = search_keys.stale_records(models, database)
        if stale:
            raise CommandError(
                "Stale search keys (run `manage.py search_keys rebuild`):\n"
                + "\n".join(described(table, ids) for table, ids in stale.items())
            )
        self.stdout.write(self.style.SUCCESS("Every search key is what its record's fields give."))


def described(table: str, ids: list[int]) -> str:
    shown = ", ".join(map(str, ids[:SHOWN_IDS]))
    more = f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
    return f"{table}: {len(ids)} record(s), ids {shown}{more}"
