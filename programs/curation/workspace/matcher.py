"""Which records of the registry an article names: every name, English name, short name and alias
of its programmes, organizations, people and projects (drafts included), found at once.

One Aho–Corasick automaton (pyahocorasick) holds every folded name (reading.folded_name): a text is
read once whatever the number of names, instead of one query or one search per name. It is built
once per state of the named records and kept in the process: `registry()` compares a fingerprint of
the four tables (rows, latest change) with the one it was built from — four indexed aggregates —
and rebuilds only when a record was added, changed or deleted. Citations and other writes leave it
as it is (the global data version, which every write bumps, would rebuild it after every citation).

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
from django.db.models import Count, Max

from programs.curation.workspace.reading import Reading, folded_name
from programs.models import Organization, Person, Program, Project, Status

MIN_NAME_CHARS = 2
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
    """The automaton of every name and, per name, the records it names."""

    fingerprint: tuple = ()
    records: list[Record] = field(default_factory=list)
    keys: dict[str, list[int]] = field(default_factory=dict)  # folded name -> record indexes
    automaton: ahocorasick.Automaton | None = None
    lengths: array = field(default_factory=lambda: array("I"))
    named_by: list[tuple[int, ...]] = field(default_factory=list)  # key id -> record indexes

    def add(self, record: Record, names) -> None:
        index = len(self.records)
        self.records.append(record)
        for name in names:
            key = folded_name(name) if name else ""
            if len(key) >= MIN_NAME_CHARS:
                indexes = self.keys.setdefault(key, [])
                if index not in indexes:
                    indexes.append(index)

    def compile(self) -> "Registry":
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key_id, (key, indexes) in enumerate(self.keys.items()):
            automaton.add_word(key, key_id)
            self.lengths.append(len(key))
            self.named_by.append(tuple(sorted(indexes, key=self.order)))
        self.keys = {}  # the automaton holds them now
        if len(automaton):
            automaton.make_automaton()
            self.automaton = automaton
        return self

    def named(self, key: str) -> tuple[Record, ...]:
        """The records one of whose names is a folded name."""
        if not self.knows(key):
            return ()
        return tuple(self.records[index] for index in self.named_by[self.automaton.get(key)])

    def knows(self, key: str) -> bool:
        """Whether a folded name is one of the registry's names."""
        return self.automaton is not None and self.automaton.exists(key)

    def order(self, index: int):
        """Candidates of an ambiguous name: published first, by type, then slug."""
        record = self.records[index]
        return record.draft, TYPE_ORDER[record.type], record.slug

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
        """(-length, start, end, key id) of every name in the folded text that stands alone, longest first."""
        return sorted(
            (start - end, start, end, key_id)
            for last, key_id in self.automaton.iter(text)
            for start, end in [(last + 1 - self.lengths[key_id], last + 1)]
            if stands_alone(text, start, end)
        )

    def choose(self, text: str) -> list[tuple[int, int, tuple[Record, ...]]]:
        """(start, end, records) of the matches kept: outer ones, then those inside of another type."""
        owner = array("i", [-1]) * len(text)  # the outer mention each character belongs to
        inner = bytearray(len(text))
        chosen: list[tuple[int, int, tuple[Record, ...]]] = []
        for _length, start, end, key_id in self.matches(text):
            records = tuple(self.records[index] for index in self.named_by[key_id])
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
    """What changes whenever a named record is added, changed or deleted: rows and latest change per table."""
    return tuple(
        tuple(named.model.objects.aggregate(rows=Count("pk"), latest=Max("updated_at")).values())
        for named in NAMED_TYPES
    )


def build(stamp: tuple = ()) -> Registry:
    """The registry of every named record in the database, drafts included."""
    registry = Registry(fingerprint=stamp)
    for named in NAMED_TYPES:
        columns = ("slug", "status", *named.names, *named.lists)
        rows = named.model.objects.order_by().values_list(*columns).iterator(chunk_size=CHUNK)
        for slug, status, *names in rows:
            single, lists = names[: len(named.names)], names[len(named.names) :]
            record = Record(named.id, slug, status == Status.DRAFT)
            registry.add(record, [*single, *(alias for aliases in lists for alias in aliases)])
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
