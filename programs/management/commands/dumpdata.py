"""Django's `dumpdata`, writing a backup that `loaddata` restores into any empty, migrated database.

Two defaults differ from Django's, both about the rows `migrate` makes from the code:
- references to content types, permissions, groups and users are written by natural key
  (`["programs", "program"]`, not a number), since another database numbers its content types
  and permissions in the order its migrations made them: a citation then still names the kind
  of record it cites (`--natural-foreign`, on unless `--numeric-foreign`);
- without app labels, the content types and permissions themselves are left out (the target's
  `migrate` made them), and so are sessions, which only live for a while.
The read model's models are never written (programs.models.routers); neither are the data
version and the read model's bookkeeping, which are no models.
"""

from django.core.management.commands import dumpdata

MADE_BY_MIGRATE = ("contenttypes", "auth.permission", "sessions")


class Command(dumpdata.Command):
    help = dumpdata.Command.help + " References are written by natural key; rows migrate makes are left out."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--numeric-foreign",
            action="store_false",
            dest="use_natural_foreign_keys",
            help="Write references as primary keys, as Django's dumpdata does by default.",
        )
        parser.set_defaults(use_natural_foreign_keys=True)

    def handle(self, *app_labels, **options):
        if not app_labels:
            options["exclude"] = [*options["exclude"], *MADE_BY_MIGRATE]
        return super().handle(*app_labels, **options)
