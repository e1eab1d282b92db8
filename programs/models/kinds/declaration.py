"""What a kind's declaration is made of: its items (fields, references, nested rows), the outputs
that carry each, and each output's order.

An item says which outputs carry it; an output gives a kind's items in the order they are
declared, unless the kind gives that output an order of its own (`orders`): the outputs' orders
are published (CSV columns, the keys of JSON and YAML objects) and grew apart, so where one
differs from the declaration it is written out, and checked to name exactly the items that
output carries.
"""

import enum
import functools
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models import UniqueConstraint

from programs.models.base import CitableModel, Qualifier
from programs.models.search_keys import KEYS

# The languages of a bilingual pair: the field itself (Simplified Chinese) and its `_en` twin.
ZH, EN = "zh-Hans", "en"


class Output(enum.Enum):
    """Where a record's fields go out (and, for fixture files, come in)."""

    FIXTURE = "fixture"  # the YAML fixture files (programs/fixtures_io/schema.py)
    RELEASE = "release"  # data releases and the changes feed (programs/opendata/records.py)
    API = "api"  # the REST API's answers (programs/api/serializers.py)
    EXPORT = "export"  # a public list's CSV and JSON download (programs/opendata/exports.py)


class Api(enum.IntEnum):
    """How far into the API an item goes: each level is in the levels after it too."""

    SUMMARY = 1  # wherever the record is named inside another one
    LIST = 2  # a row of its list
    DETAIL = 3  # its own answer only


@dataclass(frozen=True)
class Field:
    """A value of the record. `description` is what the data release's README says of it, where
    "{choices}" stands for its choices' values ("a, b or c"); `brief` is the shorter phrase used
    where several fields are described in one sentence."""

    name: str
    description: str = ""
    fixture: bool = True
    release: bool = True
    api: Api | None = Api.LIST
    export: bool | str = False  # True, or the download's name for the column when it is not the field's
    language: str = ""  # ZH or EN in a bilingual pair
    brief: str = ""

    def carried_by(self, output: Output) -> bool:
        if output is Output.API:
            return self.api is not None
        return bool(getattr(self, output.value))

    @property
    def column(self) -> str:
        """Its name in a list download."""
        return self.export if isinstance(self.export, str) else self.name


@dataclass(frozen=True)
class Ref(Field):
    """A record this one names by slug (a foreign key). `public`: the row is public only when that
    record is (a project's programme, a link's records), so its slug needs no check of its own."""

    target: str = ""  # the kind named
    public: bool = False


@dataclass(frozen=True)
class Refs(Field):
    """Records this one names by slugs (a many-to-many field): a list in a fixture file and the
    API, rows of their own in a data release."""

    target: str = ""


@dataclass(frozen=True)
class Links(Field):
    """The rows of a link kind nested under the record (a programme's participants)."""

    kind: "Kind | None" = None


def bilingual(name: str, chinese: str, english: str, **carriers) -> tuple[Field, Field]:
    """A text in Simplified Chinese and its English twin `<name>_en` (blank where the sources give none)."""
    return Field(name, chinese, language=ZH, **carriers), Field(f"{name}_en", english, language=EN, **carriers)


def api_only(*names: str, level: Api = Api.DETAIL) -> tuple[Field, ...]:
    """What only the API nests or counts (a programme's editions, an organization's units…):
    its serializer says how."""
    return tuple(Field(name, fixture=False, release=False, api=level) for name in names)


def export_only(*names: str) -> tuple[Field, ...]:
    """Columns only a list download computes (programs/opendata/exports.py says how)."""
    return tuple(Field(name, fixture=False, release=False, api=None, export=True) for name in names)


def choice_list(values, conjunction: str = "or") -> str:
    """Values as a sentence lists them: "a, b or c"."""
    values = [str(value) for value in values]
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} {conjunction} {values[-1]}"


# Fields of every record that no output carries: its key, when it was first published, its search keys.
BOOKKEEPING = ("id", "published_at", *KEYS)

# How a count or amount is qualified, with each value's symbol: "at_least (≥) or about (≈)".
QUALIFIERS = choice_list(f"{qualifier.value} ({qualifier.symbol})" for qualifier in Qualifier)


@dataclass(frozen=True, eq=False)
class Kind:
    """A kind of record: its model, its items and the outputs that carry each.

    `private` names the model's fields that no output carries (curators see them in the admin);
    with the items, the owners' keys and `BOOKKEEPING`, every field of the model is accounted for
    (tests/models/test_kinds.py), so that a new field is declared one way or the other.
    """

    name: str  # how the outputs name one: program, research_area
    model: type
    items: tuple[Field, ...]
    plural: str = ""  # a release's files and a fixture file's sections: programs, research_areas
    description: str = ""  # what the release's README says of the kind
    orders: dict[Output, tuple[str, ...]] = field(default_factory=dict)
    private: tuple[str, ...] = ()
    status: str = "status"  # where a record's publication is read (an edition's is its programme's)
    per_owner: bool = False  # a link kind under several kinds: a release has a file per owner

    def __post_init__(self):
        for output, order in self.orders.items():
            carried = [item.name for item in self.items if item.carried_by(output)]
            if sorted(order) != sorted(carried):
                raise ImproperlyConfigured(
                    f"The {output.value} order of {self.name} must name each item it carries once: "
                    f"missing {sorted(set(carried) - set(order))}, not carried {sorted(set(order) - set(carried))}, "
                    f"repeated {sorted({name for name in order if order.count(name) > 1})}."
                )

    def __repr__(self):
        return f"<Kind {self.name}>"

    @property
    def citable(self) -> bool:
        """Whether sources support its records through citations."""
        return issubclass(self.model, CitableModel)

    @property
    def key(self) -> tuple[str, ...]:
        """The fields that identify a row: those of the model's unconditional unique constraint."""
        return next(
            tuple(constraint.fields)
            for constraint in self.model._meta.constraints
            if isinstance(constraint, UniqueConstraint) and constraint.condition is None
        )

    @functools.cached_property
    def by_name(self) -> dict[str, Field]:
        return {item.name: item for item in self.items}

    def item(self, name: str) -> Field:
        if name not in self.by_name:
            raise LookupError(f"{self.name} declares no {name}")
        return self.by_name[name]

    def carried(self, output: Output) -> tuple[Field, ...]:
        """The items `output` carries, in its order."""
        if output in self.orders:
            return tuple(self.item(name) for name in self.orders[output])
        return tuple(item for item in self.items if item.carried_by(output))

    def names(self, output: Output) -> tuple[str, ...]:
        return tuple(item.name for item in self.carried(output))

    def api_fields(self, level: Api, *, without=(), nested: bool = True) -> list[str]:
        """The names of an API answer at `level`, in order: all but `without` (the record a nested
        row is shown under), and without what the API nests in it unless `nested`."""
        return [
            item.name
            for item in self.carried(Output.API)
            if item.api <= level and item.name not in without and (nested or self.is_value(item))
        ]

    def is_value(self, item: Field) -> bool:
        """Whether the item is a value of the record itself, not rows or records nested in it."""
        return type(item) in (Field, Ref) and item.name in {f.name for f in self.model._meta.concrete_fields}

    def pair(self, name: str) -> tuple[str, str]:
        """A bilingual pair's fields: the one in Simplified Chinese (`name`), then its English twin."""
        chinese, english = self.by_name.get(name), self.by_name.get(f"{name}_en")
        if chinese is None or english is None or (chinese.language, english.language) != (ZH, EN):
            raise LookupError(f"{self.name}.{name} is not a bilingual pair")
        return chinese.name, english.name

    def describe(self, item: Field, **context) -> str:
        """The item's description, "{choices}" filled in from its model field's choices."""
        if "{choices}" in item.description:
            choices = self.model._meta.get_field(item.name).choices
            context["choices"] = choice_list(value for value, _label in choices)
        return item.description.format(**context)
