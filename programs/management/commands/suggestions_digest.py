"""E-mail the reviewers the suggestions received since the last digest: `suggestions_digest`, daily from cron.

Guarantees: each suggestion is listed in one digest only (it is marked when the digest is sent, in
the same transaction, so a digest that cannot be sent lists it again next time); reviewers are the
active users with an e-mail address who may change suggestions; `--dry-run` sends and marks nothing.
When nothing arrived it sends nothing and says so.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.curation.suggestions.mail import digest


class Command(BaseCommand):
    help = "E-mail the reviewers the suggestions received since the last digest."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send and mark nothing.")
        parser.add_argument(
            "--site-url", default=settings.SITE_URL, help="The site's address, for the links (DJANGO_SITE_URL)."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The digest's language.",
        )

    def handle(self, *args, dry_run: bool, site_url: str, language: str, **options):
        if not site_url.startswith(("http://", "https://")):
            raise CommandError(f"--site-url must start with http:// or https://, not {site_url!r}.")
        count, addresses = digest(site_url=site_url.rstrip("/"), language=language, dry_run=dry_run)
        if not count:
            self.stdout.write("Nothing to do.")
            return
        if not addresses:
            raise CommandError(f"{count} suggestion(s) to list, but no reviewer has an e-mail address: nothing sent.")
        verb = "would go" if dry_run else "went"
        self.stdout.write(
            self.style.SUCCESS(f"{count} suggestion(s): the digest {verb} to {len(addresses)} reviewer(s).")
        )
