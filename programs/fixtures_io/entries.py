"""What planning an import works on: each record, link and citation of the files as an Entry, the
Plan they make up, and the Planning state that the passes of programs.fixtures_io.plan share.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.validators import slug_re
from django.db import models as djmodels
from django.utils.translation import gettext as _

from programs.fixtures_io.errors import FileProblems, Problems
from programs.fixtures_io.reader import Document
from programs.fixtures_io.schema import SECTIONS_BY_TYPE, Section

CREATE, UPDATE, UNCHANGED = "created", "updated", "unchanged"
CHUNK = 2000  # values per IN (...) query: well under every database's parameter limit


def chunked(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def slug_chunks(slugs):
    """The slugs that could be stored, in chunks for `slug__in` lookups.

    Others cannot name a stored record, and some (a NUL) PostgreSQL cannot even compare:
    they are reported by validation, or as references to no record.
    """
    return chunked(slug for slug in slugs if slug_re.fullmatch(slug))


def mappings(value) -> list[dict]:
    """The mappings of a list (a value of another shape is reported where it is read)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def is_missing(value) -> bool:
    """A required value left out: null, an empty or blank text, an empty list."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def unknown_field_message(allowed) -> str:
    return _("unknown field; expected one of: %(fields)s") % {"fields": ", ".join(sorted(allowed))}


@dataclass
class Entry:
    """One record, link or citation of the files, as it will be written."""

    instance: djmodels.Model
    report: FileProblems
    label: str  # the record, as messages name it: program/alibaba-air
    field_prefix: str = ""  # for links: participants[0].
    action: str = CREATE
    changed: set[str] = field(default_factory=set)
    document: Document | None = None
    item: dict | None = None  # the mapping the file gives for it
    owner: djmodels.Model | None = None  # for a citation: the record it cites
    failed: set[str] = field(default_factory=set)  # fields already reported: not validated again

    @property
    def changed_fields(self) -> list[str]:
        return sorted(self.changed)

    def describe(self) -> str:
        """What the entry is, for listings: `participation program/alibaba-air participants[0]`."""
        where = f" {self.field_prefix.rstrip('.')}" if self.field_prefix else ""
        return f"{type(self.instance)._meta.verbose_name} {self.label}{where}"

    def problem(self, field_name, message):
        self.failed.add(field_name)
        if field_name in (None, "-"):
            field_name = self.field_prefix.rstrip(".") or "-"
        else:
            field_name = f"{self.field_prefix}{field_name}"
        self.report.add(self.label, field_name, message)

    def assign(self, name, value, compare):
        """Set a field; on an existing row, note it as changed when the value differs."""
        if self.action != CREATE and compare != value:
            self.changed.add(name)
        setattr(self.instance, name, value)

    def check_keys(self, mapping: dict, allowed, where: str = "") -> None:
        """Report each key of `mapping` that is not one of `allowed`."""
        for name in mapping:
            if name not in allowed:
                self.problem(where + str(name), unknown_field_message(allowed))

    def require(self, mapping: dict, names) -> None:
        """Report each of `names` that `mapping` leaves out or leaves blank."""
        for name in names:
            if is_missing(mapping.get(name)):
                self.problem(name, _("this field is required"))


@dataclass
class Plan:
    """Everything an import would write, in write order, and what it changes."""

    records: dict[type, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    links: dict[type, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    citations: list[Entry] = field(default_factory=list)
    # Many-to-many fields the files set and change: (entry, field name, target instances).
    m2m: list[tuple[Entry, str, list]] = field(default_factory=list)

    def all_entries(self):
        for entries in (*self.records.values(), *self.links.values(), self.citations):
            yield from entries

    def counts(self) -> dict[str, Counter]:
        counts = {}
        for entries in (*self.records.values(), *self.links.values(), self.citations):
            if entries:
                model = type(entries[0].instance)
                counts[str(model._meta.verbose_name_plural)] = Counter(
                    {CREATE: 0, UPDATE: 0, UNCHANGED: 0} | Counter(entry.action for entry in entries)
                )
        return counts

    @property
    def changes(self) -> bool:
        return any(entry.action != UNCHANGED for entry in self.all_entries())


@dataclass
class Planning:
    """What the passes share: the files, the problems found so far, the plan being built, and
    every record the files define or refer to, by (record type, slug)."""

    documents: list[Document]
    problems: Problems
    plan: Plan = field(default_factory=Plan)
    records: list[tuple[Section, Entry]] = field(default_factory=list)  # the files' records, in file order
    defined: dict[tuple[str, str], Entry] = field(default_factory=dict)
    referenced: dict[tuple[str, str], djmodels.Model] = field(default_factory=dict)  # stored, not in the files
    file_sources: dict[str, Entry] = field(default_factory=dict)  # file name -> its `source:` record
    stored_citations: dict = field(default_factory=dict)  # (record identity, source identity) -> Citation
    cited: dict = field(default_factory=dict)  # the same keys -> where the files cite it first

    def resolve(self, record_type: str, slug):
        """The instance a slug names, from the files or the database, or None."""
        if not isinstance(slug, str):
            return None
        entry = self.defined.get((record_type, slug))
        return entry.instance if entry else self.referenced.get((record_type, slug))

    def reference(self, entry: Entry, name: str, record_type: str, value, problem_name=None):
        """The instance named by a reference field, reporting a dangling or malformed one."""
        problem_name = problem_name or name
        if not isinstance(value, str):
            entry.problem(problem_name, _("expected the slug of a %(type)s (text)") % {"type": record_type})
            return None
        target = self.resolve(record_type, value)
        if target is None:
            entry.problem(
                problem_name,
                _("no %(type)s with slug %(slug)r in the files or the database") % {"type": record_type, "slug": value},
            )
        return target

    def load(self, record_type: str, slugs) -> None:
        """Read the stored records of `record_type` that `slugs` name and the files do not define."""
        missing = [slug for slug in slugs if (record_type, slug) not in self.defined]
        model = SECTIONS_BY_TYPE[record_type].model
        for chunk in slug_chunks(missing):
            for instance in model.objects.filter(slug__in=chunk):
                self.referenced[(record_type, instance.slug)] = instance

    def cited_entries(self) -> list[Entry]:
        """The records and links of the files: what may carry a `quote` or a `citations` list."""
        return [entry for _section, entry in self.records] + [e for es in self.plan.links.values() for e in es]
