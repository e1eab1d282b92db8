"""Write every public answer of the site to a folder, to compare two databases with `diff -r`.

manage.py snapshot_site /tmp/before      # then restore a backup, and
manage.py snapshot_site /tmp/after
diff -r /tmp/before /tmp/after           # nothing: both serve the same site
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.site.snapshot import Snapshot


class Command(BaseCommand):
    help = "Write every public page, download and API answer to FOLDER (one file per address), for diff -r."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--host",
            help="the host name the answers are asked for (default: the first of ALLOWED_HOSTS that names one)",
        )

    def handle(self, *args, folder, host, **options):
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty: the snapshot would mix with what is there.")
        folder.mkdir(parents=True, exist_ok=True)
        written = Snapshot(folder, host or self.default_host()).write_all()
        self.stdout.write(self.style.SUCCESS(f"Wrote {written} answers to {folder}."))

    @staticmethod
    def default_host() -> str:
        named = [host for host in settings.ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")]
        return named[0] if named else "localhost"
