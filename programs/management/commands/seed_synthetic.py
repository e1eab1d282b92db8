"""Fill the database with a large, realistic synthetic data set, for benchmarks.

    python manage.py seed_synthetic --programs 100000 [--seed 1]

The shape (about N/3 organizations with a few very large sponsors, N people, 2N participations,
citations on everything, Chinese and English names) is described in programs/synthetic.py. Rows
are written in chunks with bounded memory, without history. Run it on an empty database.
"""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection

from programs.models import Program
from programs.synthetic import SyntheticData


class Command(BaseCommand):
    help = "Add a synthetic data set of N programmes (and their organizations, people, links)."

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, required=True, help="how many programmes (N)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")

    @no_translations
    def handle(self, *args, programs, seed, **options):
        if programs < 1:
            raise CommandError("--programs must be at least 1.")
        if Program.objects.filter(slug__startswith="syn-").exists():
            raise CommandError("This database already holds synthetic data; use an empty database.")

        report = SyntheticData(programs, seed, progress=lambda line: self.stdout.write(f"  {line}")).build()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics for the new rows
        for name, count in report.rows.items():
            self.stdout.write(f"{name}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.total:,} rows in {report.seconds:.1f} s ({report.total / report.seconds:,.0f} rows/s)."
            )
        )
