"""Check the read model against the curated tables, or rebuild it from them.

    manage.py read_model check     # exit 1, naming each difference, when a listing or count is not exact
    manage.py read_model rebuild   # recompute every listing and count (PostgreSQL), in one transaction

The read model is kept exact by the database in every writing transaction; `check` proves it
(for monitoring, or after restoring a backup), `rebuild` repairs it should anything have written
around the triggers (e.g. a bulk load with `programs.reads.read_model` set to `off`).
"""

from django.core.management.base import BaseCommand, CommandError

from programs.reads import read_model


class Command(BaseCommand):
    help = "Check the read model against the curated tables (check), or rebuild it from them (rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "rebuild"])
        parser.add_argument("--database", default="default")

    def handle(self, *args, action, database, **options):
        if not read_model.maintained(database):
            self.stdout.write("This database computes the read model when it is read: nothing to check or rebuild.")
            return
        if action == "rebuild":
            read_model.rebuild(database)
            self.stdout.write(self.style.SUCCESS("Rebuilt the read model."))
            return
        problems = read_model.differences(database)
        if problems:
            raise CommandError("The read model differs from the curated tables:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS("The read model is exact."))
