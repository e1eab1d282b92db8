"""Data releases: numbered, dated, checksummed files of every published record, and reading them back.

`release_write()` writes one release into an empty or absent folder: a JSON Lines and a CSV file
per kind of record (programs/opendata/records.py), a CSV file per kind of link row and one of citations,
`README.md` (licence, how to cite, every field), `manifest.json`, `SHA256SUMS` and, against a
previous release, `CHANGES.csv`. The same data gives byte-identical files: rows come in slug
order, and the release's time is the latest change among its records, not the clock. Everything
is written into a hidden folder beside the target and renamed into place at the end, so a run
that fails or is killed leaves no half-written release. Rows stream a chunk at a time: memory
stays bounded however large the data.

`releases_in()` reads the releases of a folder for the /data/ page.
"""

import csv
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from programs.opendata import records
from programs.opendata.exports import csv_cell

FORMAT = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
CHANGES = "CHANGES.csv"
README = "README.md"
DIGESTS = ".digests.sqlite3"
CITATIONS = "citations"
# A release's folder name, as /data/ addresses it.
RELEASE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class ReleaseError(Exception):
    """A release cannot be written (or a previous one cannot be read); nothing was written."""


class HashedFile:
    """A file written as UTF-8 text, counting its bytes and their SHA-256 as it goes."""

    def __init__(self, path: Path):
        self.name = path.name
        self.file = path.open("wb")
        self.digest = hashlib.sha256()
        self.size = 0
        self.rows = 0

    def write(self, text: str) -> None:
        data = text.encode()
        self.digest.update(data)
        self.size += len(data)
        self.file.write(data)

    def close(self) -> dict:
        self.file.close()
        return {"name": self.name, "bytes": self.size, "sha256": self.digest.hexdigest(), "rows": self.rows}


class CsvFile(HashedFile):
    """A CSV file (with a byte-order mark, for spreadsheet programs) of one header and its rows."""

    def __init__(self, path: Path, header: list[str]):
        super().__init__(path)
        self.writer = csv.writer(self)
        self.write("\ufeff")
        self.writer.writerow(header)

    def row(self, values) -> None:
        self.writer.writerow([cell(value) for value in values])
        self.rows += 1


def cell(value):
    """A value as a CSV cell (exports.csv_cell), with booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def json_line(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


def line_digest(line: str) -> str:
    return hashlib.sha256(line.encode()).hexdigest()


@dataclass
class Progress:
    """Rows written so far, reported on `report` (stderr) with the rate."""

    report: Callable[[str], None]
    started: float
    rows: int = 0

    def add(self, label: str, rows: int) -> None:
        self.rows += rows
        self.report(f"{label}: {self.rows:,} rows, {self.rate:,.0f} rows/s")

    @property
    def rate(self) -> float:
        return self.rows / max(time.monotonic() - self.started, 1e-6)


def release_write(*, outdir: Path, previous: Path | None = None, report: Callable[[str], None] = print) -> dict:
    """Write a release of the published records into `outdir` (absent or empty); return its manifest.

    Numbered after `previous` (a release folder, whose checksums are verified first), or 1.
    """
    outdir = Path(outdir)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        raise ReleaseError(f"{outdir} exists and is not an empty folder.")
    if not outdir.parent.is_dir():
        raise ReleaseError(f"{outdir.parent} is not a folder.")
    before = release_read(previous) if previous is not None else None
    progress = Progress(report, time.monotonic())
    work = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.partial-"))
    try:
        manifest = _write(work, before, progress)
        for path in work.iterdir():
            path.chmod(0o644)
        work.chmod(0o755)
        os.rename(work, outdir)  # replaces an empty folder; atomic on one file system
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report(f"{progress.rows:,} rows in {time.monotonic() - progress.started:,.1f} s ({progress.rate:,.0f} rows/s)")
    return manifest


def _write(work: Path, before: dict | None, progress: Progress) -> dict:
    digests = sqlite3.connect(work / DIGESTS)  # the rows' digests, on disk, for CHANGES.csv
    digests.execute("CREATE TABLE current (file TEXT, slug TEXT, digest TEXT, PRIMARY KEY (file, slug))")
    citations = CsvFile(
        work / f"{CITATIONS}.csv", ["record_type", "record", *(f.name for f in records.CITATION_FIELDS)]
    )
    files, counts, latest = [], {}, ""
    for entity in records.ENTITIES:
        written, counts[entity.file], last = _write_entity(work, entity, citations, digests, progress)
        files += written
        latest = max(latest, last)
    files.append(citations.close())
    manifest = _manifest(files, counts, latest, before)
    # The manifest lists every file: the data's, then those below (its `files` is this list).
    if before:
        manifest["changes"] = _write_changes(work, before, digests)
        files.append(manifest["changes"].pop("file"))
    digests.close()
    (work / DIGESTS).unlink()
    files.append(_write_readme(work, manifest))
    files.sort(key=lambda f: f["name"])
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (work / MANIFEST).write_text(text, encoding="utf-8")
    sums = {f["name"]: f["sha256"] for f in files} | {MANIFEST: hashlib.sha256(text.encode()).hexdigest()}
    (work / CHECKSUMS).write_text("".join(f"{sums[name]}  {name}\n" for name in sorted(sums)), encoding="utf-8")
    return manifest


def _write_entity(work: Path, entity, citations: CsvFile, digests, progress: Progress) -> tuple[list[dict], int, str]:
    """One kind of record's files (JSON Lines, CSV, a CSV per kind of link row) and its rows' digests;
    returns the files, the number of records and the latest change among them."""
    jsonl = HashedFile(work / f"{entity.file}.jsonl")
    table = CsvFile(work / f"{entity.file}.csv", entity.columns)
    linked = {
        links.name: CsvFile(work / f"{links.file}.csv", [links.owner, *(f.name for f in links.fields)])
        for links in entity.links
    }
    latest = ""
    for chunk in records.rows(entity, entity.published().order_by("slug")):
        batch = []
        for _pk, row in chunk:
            line = json_line(row)
            jsonl.write(line)
            jsonl.rows += 1
            batch.append((entity.file, row["slug"], line_digest(line)))
            table.row(row[name] for name in entity.columns)
            latest = max(latest, row["updated_at"])
            _write_links(entity, row, linked, citations)
        digests.executemany("INSERT INTO current VALUES (?, ?, ?)", batch)
        progress.add(entity.file, len(chunk))
    return [jsonl.close(), table.close(), *(f.close() for f in linked.values())], jsonl.rows, latest


def _manifest(files: list[dict], counts: dict, latest: str, before: dict | None) -> dict:
    """The release's manifest; its data version is the digest of the data files' checksums."""
    files.sort(key=lambda f: f["name"])
    data_version = hashlib.sha256("".join(f"{f['sha256']}  {f['name']}\n" for f in files).encode()).hexdigest()
    return {
        "format": FORMAT,
        "release": before["release"] + 1 if before else 1,
        "date": latest[:10],
        "time": latest or None,
        "data_version": data_version,
        "licence": settings.DATA_LICENSE,
        "records": counts,
        "previous": {"release": before["release"], "data_version": before["data_version"]} if before else None,
        "files": files,
    }


def _write_readme(work: Path, manifest: dict) -> dict:
    readme = HashedFile(work / README)
    context = {
        "manifest": manifest,
        "entities": records.ENTITIES,
        "citation_fields": records.CITATION_FIELDS,
        "citations_description": records.CITATIONS_DESCRIPTION,
    }
    readme.write(render_to_string("releases/README.md", context))
    return readme.close()


def _write_links(entity, row: dict, linked: dict, citations: CsvFile) -> None:
    """A record's link rows into their CSV files, and its and their citations into citations.csv."""
    slug = row["slug"]
    for links in entity.links:
        for nested in row[links.name]:
            values = {links.fields[0].name: nested} if links.flat else nested
            linked[links.name].row([slug, *(values[f.name] for f in links.fields)])
            for citation in nested.get("citations", []) if not links.flat else []:
                key = " | ".join(cell(slug if name == links.owner else values[name]) for name in links.key)
                citations.row([links.record_type, key, *citation.values()])
    for citation in row.get("citations", []):
        citations.row([entity.name, slug, *citation.values()])


def _write_changes(work: Path, before: dict, digests) -> dict:
    """CHANGES.csv: each record added, changed or removed since the previous release, by file and slug."""
    digests.execute("CREATE TABLE previous (file TEXT, slug TEXT, digest TEXT, PRIMARY KEY (file, slug))")
    folder = Path(before["folder"])
    for entity in records.ENTITIES:
        path = folder / f"{entity.file}.jsonl"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as lines:
            batch = []
            for line in lines:
                batch.append((entity.file, json.loads(line)["slug"], line_digest(line)))
                if len(batch) >= records.CHUNK_SIZE:
                    digests.executemany("INSERT INTO previous VALUES (?, ?, ?)", batch)
                    batch = []
            digests.executemany("INSERT INTO previous VALUES (?, ?, ?)", batch)
    changes = CsvFile(work / CHANGES, ["file", "slug", "change"])
    summary = {"added": 0, "changed": 0, "removed": 0}
    query = """
        SELECT c.file, c.slug, CASE WHEN p.slug IS NULL THEN 'added' ELSE 'changed' END
        FROM current c LEFT JOIN previous p ON p.file = c.file AND p.slug = c.slug
        WHERE p.slug IS NULL OR p.digest <> c.digest
        UNION ALL
        SELECT p.file, p.slug, 'removed'
        FROM previous p LEFT JOIN current c ON c.file = p.file AND c.slug = p.slug
        WHERE c.slug IS NULL
        ORDER BY 1, 2
    """
    for file, slug, change in digests.execute(query):
        changes.row([file, slug, change])
        summary[change] += 1
    return {**summary, "file": changes.close()}


# Reading releases back


MANIFEST_ERRORS = (OSError, ValueError, KeyError, TypeError)


def manifest_of(folder: Path) -> dict:
    """The manifest of the release in `folder`, its number an int; one of MANIFEST_ERRORS when it has none."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return {**manifest, "release": int(manifest["release"])}


def release_read(folder: Path) -> dict:
    """A release's manifest, with `folder`, once every file matches SHA256SUMS; ReleaseError otherwise."""
    folder = Path(folder)
    try:
        manifest = manifest_of(folder)
        sums = (folder / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    except MANIFEST_ERRORS as error:
        raise ReleaseError(f"{folder} is not a release: {error}") from None
    for line in sums:
        digest, _, name = line.partition("  ")
        if not RELEASE_NAME.match(name) or file_sha256(folder / name) != digest:
            raise ReleaseError(f"{folder / name} does not match {CHECKSUMS}.")
    return {**manifest, "folder": str(folder)}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while block := file.read(1 << 20):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def releases_in(root: Path) -> list[dict]:
    """The releases in `root` (each a folder with a manifest), newest first, without verifying them:
    the page lists them with their checksums for visitors to verify."""
    found = []
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        if not RELEASE_NAME.match(folder.name) or not folder.is_dir():
            continue
        try:
            manifest = manifest_of(folder)
        except MANIFEST_ERRORS:
            continue
        found.append({**manifest, "name": folder.name})
    return sorted(found, key=lambda m: (m["release"], m["name"]), reverse=True)


def release_file(root: Path, name: str, filename: str) -> Path | None:
    """The path of a file listed in release `name`'s checksums, or None: nothing else is served."""
    if not RELEASE_NAME.match(name) or not RELEASE_NAME.match(filename):
        return None
    folder = root / name
    try:
        listed = {line.partition("  ")[2] for line in (folder / CHECKSUMS).read_text(encoding="utf-8").splitlines()}
    except OSError:
        return None
    if filename not in listed | {CHECKSUMS}:
        return None
    path = folder / filename
    return path if path.is_file() else None
