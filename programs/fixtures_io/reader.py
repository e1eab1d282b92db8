"""Reading fixture files: bytes → UTF-8 → YAML → the expected shape, with every problem reported."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml_rs
from django.utils.translation import gettext as _

from programs.fixtures_io.errors import Problems
from programs.fixtures_io.schema import SECTIONS_BY_NAME, TOP_LEVEL_KEYS


@dataclass
class Document:
    """One parsed file: its source record (if any) and its sections as lists of mappings."""

    path: Path
    name: str  # how messages name the file
    source: dict | None = None
    sections: dict[str, list] = field(default_factory=dict)
    citations: list = field(default_factory=list)


def fixture_paths(paths) -> list[Path]:
    """The YAML files named, folders expanded to their *.yaml / *.yml files, in name order."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
        else:
            found.append(path)
    return found


def read_document(path: Path, name: str, problems: Problems, data: bytes | None = None) -> Document | None:
    """Parse one file into a Document, or add its problems and return None."""
    report = problems.for_file(name)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            report.add("-", "-", _("cannot read the file: %(error)s") % {"error": error.strerror})
            return None
    content = parse(data, report)
    if content is None:
        return None
    document = Document(path=path, name=name)
    for key, value in content.items():
        add_section(document, key, value, report)
    if document.source is None and "source" not in content and _cites(document):
        report.add("-", "source", _("this file quotes records but has no source to quote"))
    return document


def parse(data: bytes, report) -> dict | None:
    """The file's bytes as a mapping of sections, or None with the reason reported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        report.add(
            "-",
            "-",
            _("not UTF-8 text (byte 0x%(byte)02x at position %(position)d); save the file as UTF-8")
            % {"byte": data[error.start], "position": error.start},
        )
        return None
    try:
        content = yaml_rs.loads(text)
    except ValueError as error:  # YAMLDecodeError: syntax, a key given twice, an alias bomb, deep nesting
        report.add("-", "-", _("YAML syntax error: %(reason)s") % {"reason": yaml_problem(error)})
        return None
    if content is None:
        report.add("-", "-", _("the file is empty"))
        return None
    if not isinstance(content, dict):
        report.add("-", "-", _("the file must be a mapping of sections (source:, programs:, …), not a list or text"))
        return None
    return content


def add_section(document: Document, key, value, report) -> None:
    """Put one top-level section of a file into its Document, or report why it does not fit."""
    if key not in TOP_LEVEL_KEYS:
        message = _("unknown section; expected one of: %(sections)s") % {"sections": ", ".join(TOP_LEVEL_KEYS)}
        report.add("-", str(key), message)
    elif key == "source":
        if isinstance(value, dict):
            document.source = value
        else:
            report.add("source", "-", _("the source must be a mapping of fields"))
    elif not isinstance(value, list):
        report.add("-", key, _("a section must be a list of records"))
    elif key == "citations":
        document.citations = value
    else:
        document.sections[key] = value


def yaml_problem(error: ValueError) -> str:
    """The parser's message on one line, without the source excerpt it draws under it."""
    lines = [line.strip() for line in str(error).splitlines()]
    message = [line for line in lines if line and not line.startswith("|") and not line[0].isdigit()]
    return ": ".join(message)


def _cites(document: Document) -> bool:
    return bool(document.citations) or any(
        isinstance(record, dict) and "quote" in record
        for name, records in document.sections.items()
        if name in SECTIONS_BY_NAME
        for record in records
    )
