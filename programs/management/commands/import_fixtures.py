"""Load curated fixture files into the database.

    python manage.py import_fixtures data/ [more files or folders] [--dry-run] [--user NAME]

Guarantees: every file is validated before anything is written (YAML syntax, UTF-8, fields,
types, choices, references across files and to the database, duplicate slugs, model validation);
any problem is reported as `file: record: field: message`, all of them, with exit status 1 and
the database untouched. Otherwise records are upserted by slug (links by natural key) in one
transaction, and each change is kept in history. Running it twice changes nothing the second time.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations

from programs.fixtures_io import FixtureError, fixtures_import
from programs.fixtures_io.entries import CREATE, UPDATE


class Command(BaseCommand):
    help = "Validate fixture files, then upsert them into the database in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="fixture files or folders of *.yaml files")
        parser.add_argument("--dry-run", action="store_true", help="validate and show what would change; write nothing")
        parser.add_argument("--user", help="username recorded in history as the author of the changes")

    @no_translations  # messages for maintainers, in the code's language
    def handle(self, *args, paths, dry_run, user, verbosity, **options):
        author = self.find_user(user)
        try:
            plan = fixtures_import(paths=paths, dry_run=dry_run, user=author, reason="import_fixtures")
        except FixtureError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} problem(s) found; nothing was imported. Fix them and run again."
            ) from None

        self.report(plan, listed=dry_run or verbosity > 1)
        if not plan.changes:
            self.stdout.write(self.style.SUCCESS("Nothing to do: the database already matches the files."))
        elif dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))

    def report(self, plan, *, listed: bool) -> None:
        """The counts of each kind of record, and when `listed` every record created or updated."""
        for entity, counts in plan.counts().items():
            self.stdout.write(
                f"{entity}: {counts[CREATE]} created, {counts[UPDATE]} updated, {counts['unchanged']} unchanged"
            )
        if not listed:
            return
        for entry in plan.all_entries():
            if entry.action == CREATE:
                self.stdout.write(f"  + {entry.describe()}")
            elif entry.action == UPDATE:
                self.stdout.write(f"  ~ {entry.describe()}: {', '.join(entry.changed_fields)}")

    def find_user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
