"""Django's `loaddata`, loading a dump as it was: the dump's own history, and no history of the load.

A dump (`dumpdata`) holds every record's history as rows of its own. Loading it, Django saves
each record raw, which django-simple-history leaves alone, but sets its many-to-many links (a
programme's research areas) through the relation, for which it writes a history row dated now;
the restored site's changes feed and history would then show edits no one made. The whole load
runs with history off. The read model is kept by the database as rows arrive (PostgreSQL's
triggers), or computed when read (SQLite): nothing to rebuild.
"""

from django.core.management.commands import loaddata
from django.test import override_settings


class Command(loaddata.Command):
    help = loaddata.Command.help + " History is not written while loading: a dump brings its own."

    def loaddata(self, fixture_labels):
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            super().loaddata(fixture_labels)
