"""Annotate an article: the registry's records it mentions and the new names it proposes.

    python manage.py annotate_source ARTICLE.txt --json
    python manage.py annotate_source SOURCE_SLUG --json
    python manage.py annotate_source ARTICLE.html --fixture proposals.yaml

FILE is read as the workspace reads an upload (.txt, .md or .html; UTF-8, UTF-16, GB18030 or
Big5); SOURCE_SLUG names a stored source with a text. `--json` prints
{"mentions": [{"type", "slug", "text", "start", "end", "draft"}, ...], "proposals": [{"type",
"name", "kind", "sentence", "start", "end", "similar": [slugs], ...}]}, offsets into the decoded text.
`--fixture OUT.yaml` writes the proposals as a fixture file that `import_fixtures` accepts: draft
records citing their sentences, and the source (a new draft one for FILE). Reads only; OUT must
not exist yet. Without either option, prints counts.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from programs.curation.workspace.annotation import annotate
from programs.curation.workspace.decoding import TextError, text_of_path
from programs.curation.workspace.fixture import new_source, proposals_fixture, stored_source
from programs.models import Source


class Command(BaseCommand):
    help = "Find the registry's records an article mentions and the new names it proposes."

    def add_arguments(self, parser):
        parser.add_argument("target", help="an article file (.txt, .md, .html), or the slug of a stored source")
        parser.add_argument("--json", action="store_true", help="print the mentions and proposals as JSON")
        parser.add_argument("--fixture", type=Path, metavar="OUT.yaml", help="write the proposals as a fixture file")

    @no_translations  # messages for maintainers, in the code's language
    def handle(self, *args, target, json: bool, fixture: Path | None, **options):
        if fixture is not None and fixture.exists():
            raise CommandError(f"{fixture} exists already; name a new file.")
        text, source, dismissed = self.read(target)
        annotation = annotate(text, dismissed=dismissed)
        if json:
            self.stdout.write(dumps(annotation.as_json()))
        if fixture is not None:
            fields = stored_source(source) if source else new_source(text, Path(target).stem)
            fixture.write_text(proposals_fixture(annotation, fields), encoding="utf-8")
            self.stderr.write(f"Wrote {fixture}.")
        if not json and fixture is None:
            self.stdout.write(f"{len(annotation.mentions)} mentions, {len(annotation.proposals)} proposals.")

    def read(self, target: str):
        """(text, stored source or None, its dismissed proposals) of a file or a source's slug."""
        path = Path(target)
        if path.is_file():
            try:
                return text_of_path(path), None, frozenset()
            except TextError as error:
                raise CommandError(f"{target}: {error.message}") from None
        source = Source.objects.filter(slug=target).first()
        if source is None:
            raise CommandError(f"{target} is neither a file nor the slug of a source.")
        if not source.text:
            raise CommandError(f"The source {target} has no text: paste or upload it in its article workspace.")
        return source.text, source, frozenset(source.dismissed_proposals)


def dumps(content) -> str:
    return json.dumps(content, ensure_ascii=False, indent=2)
