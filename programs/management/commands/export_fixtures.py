"""Write the database back to fixture files.

    python manage.py export_fixtures OUTDIR

One YAML file per source (plus uncited.yaml for records nobody cites), in the format that
import_fixtures reads: exporting, importing into an empty database and exporting again gives
identical files. Drafts are exported too, marked `status: draft`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.fixtures_io import fixtures_export


class Command(BaseCommand):
    help = "Write every record to OUTDIR as fixture files (one per source)."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path, help="folder to write the files to (created if missing)")

    def handle(self, *args, outdir, **options):
        if outdir.exists() and not outdir.is_dir():
            raise CommandError(f"{outdir} exists and is not a folder.")
        written = fixtures_export(outdir=outdir)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} file(s) to {outdir}."))
