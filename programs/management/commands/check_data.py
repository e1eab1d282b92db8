"""Check the published data as a curator would before trusting it.

    python manage.py check_data

Reports, as `check: record: message`, every published record without an English name, years or
participants; every quote that does not name the record it supports; every name no quote gives
that is not flagged as descriptive; organizations spelled two ways; editions whose counts
contradict their programme or the records listed in them. Exit status 1 when it finds anything,
0 when the data passes. Reads only; the admin shows the same report (Programmes › Data check).
"""

from django.core.management.base import BaseCommand, CommandError, no_translations

from programs.curation.data_checks import data_check, grouped


class Command(BaseCommand):
    help = "Check the published data for gaps and inconsistencies; exit status 1 when there are any."

    @no_translations  # messages for maintainers, in the code's language
    def handle(self, *args, **options):
        findings = data_check()
        for check, check_findings in grouped(findings):
            self.stdout.write(self.style.MIGRATE_HEADING(f"{check.title} ({len(check_findings)})"))
            for finding in check_findings:
                self.stdout.write(f"  {finding}")
        if findings:
            raise CommandError(f"{len(findings)} problem(s) found.")
        self.stdout.write(self.style.SUCCESS("No problems found."))
