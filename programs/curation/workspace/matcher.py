"""Which records of the registry an article names: every name, English name, short name and alias
of its programmes, organizations, people and projects (drafts included), found at once.

One Aho–Corasick automaton (pyahocorasick) holds the first HEAD_CHARS characters of every folded name
(reading.folded_name), and a dict the whole names: a text is read once whatever the number of names,
instead of one query or one search per name, and where a name's head is found the names of each
length it begins are looked up. Heads keep the automaton small (a quarter of a million names have
eleven million characters, their heads half a million), which is most of the build's time and
memory; the rows are read as the database gives them and folded a chunk at a time. It is built
once per state of the named records and kept in the process: `registry()` compares a fingerprint
(`fingerprint()`: the names' version, which a trigger bumps on every write to the four tables, and
their latest changes — one query of indexed lookups, under a millisecond) with the one it was built
from, and rebuilds only when a record was added, changed or deleted, by any path. Citations and
other writes leave it as it is (the data version, which every write bumps, would rebuild it after
every citation).

Matches are chosen longest first and never overlap: 南京大学智能科学与技术学院 is one mention, not
also 南京大学. Inside a mention, the names of records of another type are mentions too: the two
organizations of 北京大学-微软亚洲研究院联合实验室 as well as the lab. A name in Latin letters must
stand as a word (AIR is not found in AIRPORT). A name shorter than two characters is not looked
for. A name several records share is one mention with each record as a candidate.
"""

import threading
from array import array
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick
from django.db import connections, router

from programs.curation.workspace.reading import Reading, folded_names
from programs.models import Organization, Person, Program, Project, Status
from programs.serving.data_version import NAMES_VERSION

MIN_NAME_CHARS = 2
HEAD_CHARS = 8  # the automaton holds each name's first characters; `keys` the whole names
CHUNK = 10_000


@dataclass(frozen=True)
class NamedType:
    id: str
    model: type
    names: tuple[str, ...]  # one name each
    lists: tuple[str, ...] = ()  # lines of names (aliases)


NAMED_TYPES = (
    NamedType("program", Program, ("name", "name_en"), ("aliases",)),
    NamedType("organization", Organization, ("name", "name_en", "short_name"), ("aliases",)),
    NamedType("person", Person, ("name", "name_en")),
    NamedType("project", Project, ("title", "title_en")),
)


class Record(NamedTuple):
    """A record a name belongs to (a tuple: the registry holds hundreds of thousands)."""

    type: str
    slug: str
    draft: bool


@dataclass(frozen=True)
class Mention:
    """A place where the text names records: offsets into the original text."""

    start: int
    end: int
    text: str
    records: tuple[Record, ...]  # the candidates: one unless the name is ambiguous

    @property
    def record(self) -> Record:
        return self.records[0]

    @property
    def ambiguous(self) -> bool:
        return len(self.records) > 1

    def as_json(self) -> dict:
        record = self.record
        found = {"type": record.type, "slug": record.slug, "text": self.text, "start": self.start, "end": self.end}
        found["draft"] = record.draft
        if self.ambiguous:
            found["candidates"] = [{"type": r.type, "slug": r.slug, "draft": r.draft} for r in self.records]
        return found


@dataclass
class Registry:
    """Every folded name, the records it names, and an automaton of the names' first characters.

    Held compactly, as the registry holds hundreds of thousands of records: a record is its slug
    plus a byte for its type and one for draft; a name maps to its first record (`first`) and, when
    several records share it, to the others (`more`)."""

    fingerprint: tuple = ()
    slugs: list[str] = field(default_factory=list)
    types: bytearray = field(default_factory=bytearray)  # record index -> index in NAMED_TYPES
    drafts: bytearray = field(default_factory=bytearray)
    keys: dict[str, int] = field(default_factory=dict)  # folded name -> key id
    first: array = field(default_factory=lambda: array("i"))  # key id -> record index
    more: dict[int, tuple[int, ...]] = field(default_factory=dict)  # key id -> the other records
    automaton: ahocorasick.Automaton | None = None

    def record(self, index: int) -> Record:
        return Record(NAMED_TYPES[self.types[index]].id, self.slugs[index], bool(self.drafts[index]))

    def add_record(self, type_index: int, slug: str, draft: bool) -> int:
        self.slugs.append(slug)
        self.types.append(type_index)
        self.drafts.append(draft)
        return len(self.slugs) - 1

    def add(self, record: Record, names) -> None:
        index = self.add_record(TYPE_ORDER[record.type], record.slug, record.draft)
        self.add_keys([index] * len(names), folded_names([name or "" for name in names]))

    def add_keys(self, owners, keys) -> None:
        """Name each record of `owners` by the folded name beside it."""
        first, more = self.first, self.more
        for index, key in zip(owners, keys, strict=True):
            if len(key) < MIN_NAME_CHARS:
                continue
            key_id = self.keys.setdefault(key, len(first))
            if key_id == len(first):
                first.append(index)
            elif first[key_id] != index and index not in more.get(key_id, ()):
                more[key_id] = (*more.get(key_id, ()), index)

    def compile(self) -> "Registry":
        """Order the candidates of shared names, and build the automaton of every name's head."""
        for key_id, others in self.more.items():
            first, *rest = sorted((self.first[key_id], *others), key=self.order)
            self.first[key_id], self.more[key_id] = first, tuple(rest)
        lengths: dict[str, set[int]] = {}
        for key in self.keys:
            lengths.setdefault(key[:HEAD_CHARS], set()).add(len(key))
        if lengths:
            self.automaton = ahocorasick.Automaton()
            for head, sizes in lengths.items():
                self.automaton.add_word(head, (len(head), tuple(sizes)))
            self.automaton.make_automaton()
        return self

    def records_of(self, key_id: int) -> tuple[Record, ...]:
        return tuple(map(self.record, (self.first[key_id], *self.more.get(key_id, ()))))

    def named(self, key: str) -> tuple[Record, ...]:
        """The records one of whose names is a folded name."""
        key_id = self.keys.get(key)
        return () if key_id is None else self.records_of(key_id)

    def knows(self, key: str) -> bool:
        """Whether a folded name is one of the registry's names."""
        return key in self.keys

    def order(self, index: int):
        """Candidates of an ambiguous name: published first, by type, then slug."""
        return self.drafts[index], self.types[index], self.slugs[index]

    def find(self, reading: Reading) -> list[Mention]:
        """The mentions in a text, longest first, without overlaps, in text order; and inside a
        mention, the names of records of another type it holds (北京大学 in 北京大学-微软亚洲研究院联合实验室)."""
        if self.automaton is None:
            return []
        mentions = []
        for start, end, records in self.choose(reading.folded):
            original_start, original_end = reading.span(start, end)
            text = reading.original[original_start:original_end]
            mentions.append(Mention(original_start, original_end, text, records))
        return sorted(mentions, key=lambda mention: (mention.start, -mention.end))

    def matches(self, text: str) -> list[tuple[int, int, int, int]]:
        """(-length, start, end, key id) of every name in the folded text that stands alone, longest
        first: where the automaton finds a name's head, the names of each length it begins."""
        found = []
        for last, (head_length, lengths) in self.automaton.iter(text):
            start = last + 1 - head_length
            for length in lengths:
                key_id = self.keys.get(text[start : start + length]) if start + length <= len(text) else None
                if key_id is not None and stands_alone(text, start, start + length):
                    found.append((-length, start, start + length, key_id))
        return sorted(found)

    def choose(self, text: str) -> list[tuple[int, int, tuple[Record, ...]]]:
        """(start, end, records) of the matches kept: outer ones, then those inside of another type."""
        owner = array("i", [-1]) * len(text)  # the outer mention each character belongs to
        inner = bytearray(len(text))
        chosen: list[tuple[int, int, tuple[Record, ...]]] = []
        for _length, start, end, key_id in self.matches(text):
            records = self.records_of(key_id)
            if max(owner[start:end]) < 0:
                owner[start:end] = array("i", [len(chosen)]) * (end - start)
                chosen.append((start, end, records))
            elif not any(inner[start:end]) and holds_other_type(chosen, owner, start, end, records):
                inner[start:end] = b"\x01" * (end - start)
                chosen.append((start, end, records))
        return chosen


def holds_other_type(chosen, owner, start: int, end: int, records) -> bool:
    """Whether [start, end) lies inside one longer mention, of another type than `records`."""
    container = owner[start]
    if container < 0 or owner[end - 1] != container:
        return False
    outer_start, outer_end, outer_records = chosen[container]
    types = {record.type for record in records}
    return outer_end - outer_start > end - start and not types & {record.type for record in outer_records}


TYPE_ORDER = {named.id: order for order, named in enumerate(NAMED_TYPES)}


def is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def stands_alone(text: str, start: int, end: int) -> bool:
    """A match that begins or ends with a Latin letter or digit must not continue a word."""
    if start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1]):
        return False
    return not (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))


def fingerprint() -> tuple:
    """What changes whenever a named record is added, changed or deleted, read in one query of
    indexed lookups: the names' version, which every write to the four tables bumps whatever makes
    it (programs.serving.data_version, migrations 0021 and 0022), and each table's latest change.
    The version's moment and the latest changes tell apart two states the same number of writes
    reached: a transaction rolled back takes its bump back with it, and the next one takes the same
    number; a restored backup counts again from the dump's."""
    connection = connections[router.db_for_read(Program)]
    tables = [connection.ops.quote_name(named.model._meta.db_table) for named in NAMED_TYPES]
    latest = ", ".join(f"(SELECT MAX(updated_at) FROM {table})" for table in tables)  # noqa: S608 - model meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT version FROM {NAMES_VERSION} WHERE id = 1), "  # noqa: S608 - names from model meta
            f"(SELECT changed_at FROM {NAMES_VERSION} WHERE id = 1), {latest}"
        )
        return tuple(cursor.fetchone())


def rows_of(named: NamedType, alias: str):
    """Chunks of (slug, status, names…, lines of names…) rows, as the database gives them: no
    model field's conversion, which would cost more than folding the names."""
    fields = [named.model._meta.get_field(name) for name in ("slug", "status", *named.names, *named.lists)]
    connection = connections[alias]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(named.model._meta.db_table)
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - names from model meta
        while rows := cursor.fetchmany(CHUNK):
            yield rows


def add_rows(registry: Registry, type_index: int, rows) -> None:
    """Add a chunk of one type's rows, their names folded together."""
    named = NAMED_TYPES[type_index]
    owners, names = [], []
    for slug, status, *texts in rows:
        index = registry.add_record(type_index, slug, status == Status.DRAFT)
        record_names = [*texts[: len(named.names)], *"\n".join(texts[len(named.names) :]).splitlines()]
        owners += [index] * len(record_names)
        names += record_names
    registry.add_keys(owners, folded_names([name or "" for name in names]))


def build(stamp: tuple = ()) -> Registry:
    """The registry of every named record in the database, drafts included."""
    registry = Registry(fingerprint=stamp)
    alias = router.db_for_read(Program)
    for type_index, named in enumerate(NAMED_TYPES):
        for rows in rows_of(named, alias):
            add_rows(registry, type_index, rows)
    return registry.compile()


_built: Registry | None = None
_building = threading.Lock()


def registry() -> Registry:
    """The registry as the database holds it now, rebuilt only when a named record changed."""
    global _built
    stamp = fingerprint()
    with _building:
        if _built is None or _built.fingerprint != stamp:
            _built = build(stamp)
        return _built
