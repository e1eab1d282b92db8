"""The database back to fixture files, in the format the importer reads.

Deterministic: records sorted by slug, links by their natural key, fields in the schema's order,
empty values and defaults left out. Exporting, importing into an empty database and exporting
again gives identical files.
"""

import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml_rs
from django.contrib.contenttypes.models import ContentType

from programs.fixtures_io.schema import (
    CITATION_VALUES,
    FIXTURE_DEFAULTS,
    SECTIONS,
    SOURCE,
    Link,
    Section,
    default_for,
    to_yaml,
)
from programs.models import Citation, Source

UNCITED = "uncited"


def dump(content: dict) -> str:
    # The parser the importer uses writes it too, so that every value reads back as written.
    return yaml_rs.dumps(content).removeprefix("---\n") + "\n"


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


class Exporter:
    def __init__(self):
        self.citations = defaultdict(list)  # (content type id, object id) -> citations in pk order
        for citation in Citation.objects.select_related("source").order_by("pk"):
            self.citations[(citation.content_type_id, citation.object_id)].append(citation)
        self.files = defaultdict(lambda: defaultdict(list))  # file key -> section name -> items
        self.sources = {source.pk: source for source in Source.objects.order_by("slug")}

    def export(self) -> dict[str, str]:
        """File name -> YAML text, one file per source plus uncited.yaml when needed."""
        for source in self.sources.values():
            self.files[source.slug]["source"] = self.fields(SOURCE, source)
        for section in SECTIONS:
            if not section.single:
                self.export_section(section)
        return {f"{key}.yaml": self.render(key, sections) for key, sections in sorted(self.files.items())}

    def render(self, key: str, sections) -> str:
        content = {}
        for section in SECTIONS:
            if sections.get(section.name):
                content[section.name] = sections[section.name]
        if sections.get("citations"):
            content["citations"] = sections["citations"]
        header = "# Written by `manage.py export_fixtures`; the format is described in docs/fixtures.md.\n"
        return header + dump(content)

    def export_section(self, section: Section):
        model = section.model
        content_type = ContentType.objects.get_for_model(model)
        records = model.objects.order_by("slug").select_related(*section.refs)
        for name in section.multi_refs:
            records = records.prefetch_related(name)
        links = {link: self.link_rows(link) for link in section.links}
        for record in records:
            citations = self.citations.get((content_type.pk, record.pk), [])
            key = self.sources[citations[0].source_id].slug if citations else UNCITED
            item = self.fields(section, record)
            for link, rows in links.items():
                items = [self.link_item(link, row, key) for row in rows.get(record.pk, [])]
                if items:
                    item[link.name] = items
            if citations:
                item.update(self.quote(citations[0]))
                for citation in citations[1:]:
                    source_key = self.sources[citation.source_id].slug
                    reference = {"record": f"{section.record_type}/{record.slug}", **self.quote(citation)}
                    self.files[source_key]["citations"].append(reference)
            self.files[key][section.name].append(item)

    def link_rows(self, link: Link):
        """A link's rows grouped by owner, in natural-key order."""
        content_type = ContentType.objects.get_for_model(link.model)
        rows = defaultdict(list)
        sort_keys = {}
        for row in link.model.objects.select_related(*link.refs):
            row.exported_citations = self.citations.get((content_type.pk, row.pk), [])
            rows[getattr(row, f"{link.owner}_id")].append(row)
            sort_keys[row.pk] = tuple(self.sort_value(link, row, name) for name in link.key)
        for owner_rows in rows.values():
            owner_rows.sort(key=lambda row: sort_keys[row.pk])
        return rows

    @staticmethod
    def sort_value(link: Link, row, name):
        if name in link.refs:
            target = getattr(row, name)
            return target.slug if target else ""
        return str(getattr(row, name) or "")

    def link_item(self, link: Link, row, file_key: str) -> dict:
        item = self.values(link.model, link.fields, link.refs, {}, row)
        others = []
        for citation in row.exported_citations:
            if self.sources[citation.source_id].slug == file_key:
                item.update(self.quote(citation))
            else:
                others.append({"source": self.sources[citation.source_id].slug, **self.quote(citation)})
        if others:
            item["citations"] = sorted(others, key=lambda citation: citation["source"])
        return item

    def fields(self, section: Section, record) -> dict:
        return self.values(section.model, section.fields, section.refs, section.multi_refs, record)

    @staticmethod
    def values(model, names, refs, multi_refs, record) -> dict:
        """The fields to write, in order: references as slugs, empty values and defaults left out."""
        item = {}
        for name in names:
            if name in refs:
                target = getattr(record, name)
                value = target.slug if target is not None else None
            elif name in multi_refs:
                value = sorted(target.slug for target in getattr(record, name).all())
            else:
                value = to_yaml(getattr(record, name))
                if value == to_yaml(FIXTURE_DEFAULTS.get(name, default_for(model, name))):
                    continue
            if not is_empty(value):
                item[name] = value
        return item

    def quote(self, citation) -> dict:
        """A citation's values (its quote, and its locator when it has one)."""
        return self.values(Citation, CITATION_VALUES, {}, {}, citation)


def export_files(outdir: Path) -> list[Path]:
    """Write the database to OUTDIR as fixture files; returns the paths written.

    Every file is written into a hidden folder beside OUTDIR first and moved into it once all are
    whole, so a run that fails (a full disk) leaves OUTDIR as it was, and no file half-written.
    """
    texts = Exporter().export()
    outdir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.partial-"))
    try:
        for name, text in texts.items():
            (work / name).write_text(text, encoding="utf-8")
        outdir.mkdir(exist_ok=True)
        written = []
        for name in texts:  # a rename needs no space: each file arrives whole
            os.replace(work / name, outdir / name)
            written.append(outdir / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return written
