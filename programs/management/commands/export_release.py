"""Write a numbered, dated, checksummed data release of every published record.

    python manage.py export_release OUTDIR [--previous PREVIOUS_RELEASE_DIR]

OUTDIR must be absent or empty. The release is written into a hidden folder beside it and
renamed into place when complete, so an interrupted run leaves no half-written release (only,
if it was killed, a `.OUTDIR.partial-…` folder to delete). The same data gives byte-identical
files. With `--previous`, whose checksums are verified first, the release is numbered after it
and CHANGES.csv lists what was added, changed and removed since. Progress goes to stderr.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.opendata.releases import ReleaseError, release_write


class Command(BaseCommand):
    help = "Write a data release (JSON Lines, CSV, README, manifest, checksums) of the published records to OUTDIR."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path, help="folder to write the release to (absent or empty)")
        parser.add_argument(
            "--previous", type=Path, help="the previous release's folder, for its number and CHANGES.csv"
        )

    def handle(self, *args, outdir, previous, **options):
        try:
            manifest = release_write(outdir=outdir, previous=previous, report=self.stderr.write)
        except ReleaseError as error:
            raise CommandError(str(error)) from None
        total = sum(manifest["records"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote release {manifest['release']} ({total:,} records, {len(manifest['files'])} files) to {outdir}."
            )
        )
