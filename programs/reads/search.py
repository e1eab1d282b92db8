"""How a search is read, matched and ranked: one understanding for every list, export, feed, API list
and name matcher (programs/reconcile/matching.py).

A query is folded as records' search keys are (programs/models/text.py: full-width → half-width,
case, accents, traditional → simplified, punctuation; Fei-Fei → feifei) and split into at most
`MAX_TERMS` words. A record matches when each word is in its searched text (`LIKE '%word%'`, which a
trigram index serves on PostgreSQL): its names in every form (pinyin joined and spaced, initials, a
person's name in either order), its other searched fields, and the names of its organizations.

Typo tolerance: a word of Latin letters that no word of the list's names contains (the listing's
vocabulary, `search_words`) also matches the closest such words, at most `MAX_CORRECTIONS` of them
within 1 edit (Levenshtein) up to 6 letters, 2 beyond. The vocabulary is read through `LIKE`
conditions that every word so close must meet — with k edits, one of k + 1 pieces of the query's
word is intact: the first as a prefix, the last as a suffix, a middle one anywhere — so PostgreSQL
reads a few words through a trigram index, SQLite the list's, and Python decides the same on both.

Relevance (`rank()`), best first, ties in the list's name order then id:

0. a name, in one of its forms, is the query (an exact name, alias, pinyin, initials);
1. a form of a name starts with the query;
2. every word is in the names;
3. every word is in the searched text (other fields, organizations' names);
4-6. as 0-2 with each typo read as its closest correction (4, 5) or any of them (6);
7. the rest: some word found only as a correction, outside the names.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models import IntegerField as Integer
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import Levenshtein

from programs.models import text
from programs.models.base import localized
from programs.models.listings import maintained
from programs.models.search_keys import SPECS
from programs.reads.facets import listing_sizes
from programs.reads.read_model.schema import PREFIX_LENGTH

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
MAX_CORRECTIONS = 3  # words a typo may stand for


@dataclass(frozen=True)
class SearchQuery:
    """A query as search reads it: the folded phrase, its words, and the words each may be a typo of."""

    phrase: str
    terms: tuple[str, ...]
    corrections: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def alternatives(self, term: str) -> tuple[str, ...]:
        return (term, *self.corrections.get(term, ()))


def read_query(value: str, length: int = MAX_QUERY_LENGTH) -> SearchQuery:
    """The phrase and words of a query cut to `length` characters, without corrections (`corrected()`
    adds them for a list): the whole phrase is compared with names, its first MAX_TERMS words matched."""
    phrase = text.search_fold(value[:length])
    return SearchQuery(phrase, tuple(dict.fromkeys(phrase.split()))[:MAX_TERMS])


# Typo tolerance


def correctable(term: str) -> bool:
    return text.TYPO_MIN_LENGTH <= len(term) <= text.TYPO_MAX_LENGTH and term.isascii() and term.isalnum()


def pieces(term: str) -> list[str]:
    """The k + 1 consecutive pieces of `term` (k its typo distance), middle ones of 3 letters or more."""
    count = text.typo_distance(term) + 1
    sizes = [len(term) // count] * count
    for index in [count // 2, *range(count)][: len(term) % count]:  # the middle piece first
        sizes[index] += 1
    starts = [sum(sizes[:index]) for index in range(count)]
    return [term[start : start + size] for start, size in zip(starts, sizes, strict=True)]


def may_be_close(term: str) -> list[tuple[str, str]]:
    """(how, piece) conditions one of which every word within the term's distance meets, and every
    word containing it: ("in", term), ("start", first piece), ("in", middle), ("end", last)."""
    parts = pieces(term)
    return [("in", term), ("start", parts[0]), *(("in", part) for part in parts[1:-1]), ("end", parts[-1])]


def meets(word: str, how: str, piece: str) -> bool:
    return word.startswith(piece) if how == "start" else word.endswith(piece) if how == "end" else piece in word


def closest(term: str, words) -> tuple[str, ...]:
    """The words `term` may be a typo of: none when some word contains it, else the closest few."""
    if any(term in word for word in words):
        return ()
    bound = text.typo_distance(term)
    near = []
    for word in words:
        distance = Levenshtein.distance(term, word, score_cutoff=bound)
        if distance <= bound:
            near.append((distance, word))
    return tuple(word for _distance, word in sorted(near)[:MAX_CORRECTIONS])


def vocabulary(rows, terms: list[str]) -> set[str]:
    """The words of the names of `rows` (a listing's, or a table's) that may be close to one of `terms`:
    read from the counts PostgreSQL keeps of a listing's words, or from the rows themselves."""
    conditions = [condition for term in terms for condition in may_be_close(term)]
    if maintained(rows.db) and not getattr(rows.model, "live", True):
        return kept_words(rows, conditions)
    words = {word for line in rows.values_list("search_words", flat=True) for word in line.split()}
    return {word for word in words if any(meets(word, how, piece) for how, piece in conditions)}


PATTERNS = {"start": "{}%", "end": "%{}", "in": "%{}%"}


def kept_words(rows, conditions: list[tuple[str, str]]) -> set[str]:
    """The words of a listing meeting one of `conditions`, from the counts PostgreSQL keeps of them
    (programs/reads/read_model/postgresql.py; a trigram index serves the LIKEs)."""
    where = " OR ".join(["value LIKE %s"] * len(conditions))
    params = [PATTERNS[how].format(escape_like(piece)) for how, piece in conditions]
    with connections[rows.db].cursor() as cursor:
        sql = "SELECT value FROM programs_facet_count WHERE listing = %s AND facet = 'word' AND n > 0 AND "
        sql += f"({where})"
        cursor.execute(sql, [rows.model.listing, *params])
        return {row[0] for row in cursor.fetchall()}


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def corrected(query: SearchQuery, rows) -> SearchQuery:
    """`query` with the corrections of its words that no name of `rows` contains."""
    return corrected_all([query], rows)[0]


def corrected_all(queries: list[SearchQuery], rows) -> list[SearchQuery]:
    """`corrected()` of each of `queries` (a batch of names to match), the vocabulary read once."""
    wanted = sorted({term for query in queries for term in query.terms if correctable(term)})
    if not wanted:
        return queries
    words = vocabulary(rows.order_by(), wanted)
    found = {term: closest(term, words) for term in wanted}
    return [
        SearchQuery(query.phrase, query.terms, {term: found[term] for term in query.terms if found.get(term)})
        for query in queries
    ]


# Matching and ranking


def all_in(column: str, words_of) -> Q:
    """Every word of the query in `column`: `words_of(term)` gives the spellings accepted for each."""
    condition = Q()
    for alternatives in words_of:
        condition &= Q(*(Q(**{f"{column}__contains": word}) for word in alternatives), _connector=Q.OR)
    return condition


class SearchChars(Func):
    """A listing's `search_chars` column on PostgreSQL: the Chinese characters of its `search_text`,
    indexed (programs/reads/read_model/schema.py), which the models do not declare. Written as the
    table's (aliased) `search_text` column renamed, so that it names the right table inside
    subqueries too."""

    output_field = ArrayField(TextField())

    def __init__(self):
        super().__init__(F("search_text"))

    def as_sql(self, compiler, connection, **extra_context):
        column = self.get_source_expressions()[0]  # resolved: a Col carrying the query's alias
        return f"{compiler.quote_name_unless_alias(column.alias)}.{connection.ops.quote_name('search_chars')}", []


def matching(rows, query: SearchQuery):
    """The rows whose searched text holds every word of `query` (or a correction of it).

    On PostgreSQL a trigram index serves words of three characters or more; a shorter Chinese word
    also requires its characters from the index of Chinese characters, so that it too is found
    without reading every row.
    """
    rows = rows.filter(all_in("search_text", [query.alternatives(term) for term in query.terms]))
    short = sorted({char for term in query.terms if len(term) < 3 and all(map(text.is_han, term)) for char in term})
    if short and indexed(rows):
        rows = rows.alias(search_chars=SearchChars()).filter(search_chars__contains=short)
    return rows


def tiers(phrase: str, words) -> list[Q]:
    """Exact, prefix, in the names, anywhere: the conditions of the tiers of one spelling."""
    return [
        Q(search_names__contains=f"\n{phrase}\n"),
        Q(search_names__contains=f"\n{phrase}"),
        all_in("search_names", words),
        all_in("search_text", words),
    ]


def corrected_phrase(query: SearchQuery) -> str:
    """The phrase with each typo read as its closest correction."""
    return " ".join(query.corrections.get(word, (word,))[0] for word in query.phrase.split())


def tier_conditions(query: SearchQuery) -> list[Q]:
    """The conditions of the tiers the module's docstring lists, best first (a row's tier is the first it meets)."""
    conditions = tiers(query.phrase, [(term,) for term in query.terms])
    if query.corrections:
        conditions += tiers(corrected_phrase(query), [query.alternatives(term) for term in query.terms])[:3]
    return conditions


def rank(query: SearchQuery) -> Case:
    """The relevance tier of a matching row (0 best), as the module's docstring lists them."""
    whens = [When(condition, then=Value(tier)) for tier, condition in enumerate(tier_conditions(query))]
    return Case(*whens, default=Value(len(whens)), output_field=Integer())


# Relevance order, bounded: a page of a broad search reads about a page's worth of rows, not every match.

RANK_WHOLE = 2_000  # a list of at most this many rows is ranked whole, in one statement
WINDOW = 4  # a broader list's window at the start of its order holds about WINDOW × the rows asked for


class OfNames(Func):
    """An indexed function of a listing row's names on PostgreSQL (programs/reads/read_model/schema.py):
    the prefixes of their forms, their Chinese characters, or their pairs of adjacent ones."""

    output_field = ArrayField(TextField())

    def __init__(self, function: str):
        super().__init__(F("search_names"), function=function)


def with_name_characters(rows, query: SearchQuery):
    """`rows` that also hold the query's Chinese words' pairs of adjacent characters in their names (or
    its characters, for a word of one): on PostgreSQL, read from the index of them, as no trigram
    index serves a word of one or two characters."""
    if not indexed(rows):
        return rows
    pairs = sorted({term[i : i + 2] for term in query.terms for i in range(len(term) - 1) if han_pair(term[i : i + 2])})
    if pairs:
        return rows.alias(name_pairs=OfNames("programs_cjk_bigrams")).filter(name_pairs__contains=pairs)
    chars = sorted({char for term in query.terms for char in term if text.is_han(char)})
    if chars:
        return rows.alias(name_chars=OfNames("programs_cjk_chars")).filter(name_chars__contains=chars)
    return rows


def han_pair(pair: str) -> bool:
    return all(map(text.is_han, pair))


def indexed(rows) -> bool:
    """Whether `rows` are a maintained listing on PostgreSQL, which indexes its names' prefixes."""
    return connections[rows.db].vendor == "postgresql" and not getattr(rows.model, "live", True)


def starting(rows, phrase: str):
    """The rows with a form of a name starting with `phrase`: on PostgreSQL, read from the index of
    name prefixes."""
    if indexed(rows):
        prefixes = OfNames("programs_name_prefixes")
        rows = rows.alias(name_prefixes=prefixes).filter(name_prefixes__contains=[phrase[:PREFIX_LENGTH]])
    return rows.filter(search_names__contains=f"\n{phrase}")


def ranked_ids(rows, unsearched, query: SearchQuery, order: list, stop: int, count: int) -> list[int]:
    """The ids of the first `stop` of `rows` (unordered, matching `query`; `count` of them, or more)
    in order of relevance, then `order` (a key and "id", as an index of the listing holds them).
    `unsearched`: the rows of every filter but the search.

    A list of at most RANK_WHOLE rows is ranked whole. A broader one reads two bounded sets: the
    rows with a name starting with the query (tiers 0 and 1; an index of name prefixes on
    PostgreSQL), then, if they are fewer than `stop`, the rows with every word in their names
    (tier 2) in the list's order within a window at its start where about WINDOW × `stop` rows
    match. Both sets match the search by definition, so neither reads the searched text. Their
    first `stop` rows are the list's. If there are fewer (a search found mostly outside names), a
    query without corrections reads its named rows, then the others (`named_first`); a query with
    corrections, whose tiers go further, is ranked whole.
    """
    if count > RANK_WHOLE and (window := window_end(rows, order, stop, count)):
        head = starting(unsearched, query.phrase).annotate(tier=rank(query)).order_by("tier", *order)
        best = list(head.values_list("id", flat=True)[:stop])
        if len(best) < stop:
            best += [pk for pk in named_in(unsearched, query, order, window)[: stop + len(best)] if pk not in best]
        if len(best) >= stop:
            return best[:stop]
    if count > RANK_WHOLE and not query.corrections:
        return named_first(rows, unsearched, query, order, stop)
    return list(rows.order_by(rank(query), *order).values_list("id", flat=True)[:stop])


def in_names(query: SearchQuery) -> Q:
    """Every word of `query`, as typed, in the names (relevance's tiers 0-2)."""
    return all_in("search_names", [(term,) for term in query.terms])


def named_first(rows, unsearched, query: SearchQuery, order: list, stop: int) -> list[int]:
    """The first `stop` ids of `rows` in order of relevance, for a query without corrections, whose
    tiers 0-2 are the rows with every word in their names: those ranked (few, when the window at the
    start of the list held too few of them; read from `unsearched`, as every word of a name is in
    the searched text, through the trigram index of names on PostgreSQL), then the others (tier 3)
    in the list's order, as an index of the listing holds them."""
    named = in_names(query)
    ranked = with_name_characters(unsearched.filter(named), query).order_by(rank(query), *order)
    best = list(ranked.values_list("id", flat=True)[:stop])
    if len(best) < stop:
        best += rows.exclude(named).order_by(*order).values_list("id", flat=True)[: stop - len(best)]
    return best


def named_in(rows, query: SearchQuery, order: list, window: tuple):
    """The ids of `rows` with every word of `query` in their names up to the row `window` (key, id)
    of `order`, in that order."""
    key, (end, last) = order[0], window
    named = rows.filter(in_names(query))
    before = Q(**{f"{key}__lt": end}) | Q(**{key: end, "id__lte": last})
    return named.filter(before).order_by(*order).values_list("id", flat=True)


def window_end(rows, order: list, stop: int, count: int) -> tuple | None:
    """The (key, id) of the last row of a window at the start of the listing's `order` (a key and
    "id", ascending) where about WINDOW × `stop` of the `count` rows are expected; None when the
    window would be the whole listing, or the order is not one a window can follow."""
    if not (isinstance(order[0], str) and list(order[1:]) == ["id"] and not order[0].startswith("-")):
        return None
    listing = rows.model
    size = listing_sizes(rows.db)[listing.listing]
    length = -(-WINDOW * stop * size // max(count, 1))
    if length >= size:
        return None
    ends = listing.objects.using(rows.db).order_by(*order).values_list(order[0], "id")[length - 1 : length]
    return next(iter(ends), None)


# What a row matched, for the page


NAME_HINTS = {
    "name": _("Matched its Chinese name"),
    "name_en": _("Matched its English name"),
    "title": _("Matched its Chinese title"),
    "title_en": _("Matched its English title"),
    "short_name": _("Matched its short name"),
}
PINYIN_HINT = _("Matched the pinyin of its name")
ALIAS_HINT = _("Matched its other name “%(alias)s”")
OTHER_HINT = _("Matched its description")
ORGANIZATION_HINT = _("Matched the name of %(organization)s")
CORRECTED_HINT = _("Showing results for “%(words)s”")


def contains_all(text_: str, words: tuple[tuple[str, ...], ...]) -> bool:
    return all(any(word in text_ for word in alternatives) for alternatives in words)


def _matches(value: str, words, *, person: bool) -> str:
    """ "name" when `value` itself holds `words`, "form" when another of its forms does, "" otherwise
    (its other forms, pinyin among them, computed only then)."""
    if contains_all(text.search_fold(value), words):
        return "name"
    variants = text.name_variants(value, person=person)
    return "form" if any(contains_all(variant, words) for variant in variants[1:]) else ""


def _name_hint(record, words) -> str | None:
    """The hint of the first name field holding `words` ("" for the name shown), None if none does
    (read first from the record's stored forms of its names, which hold every form of every name)."""
    if not contains_all(record.search_names, words):
        return None
    spec = SPECS[record._meta.model_name]
    for name in spec.names:
        values = getattr(record, name)
        for value in values if isinstance(values, list) else [values]:
            how = _matches(value or "", words, person=spec.person)
            if how:
                return _described(record, name, value, how)
    return None


def _described(record, field_name: str, value: str, how: str) -> str:
    """What a row says of a match in `value` of its field `field_name` (`how`: "name" or another "form")."""
    if how == "name" and value == localized(record, record.name_field):
        return ""
    if how == "form" and any(text.is_han(char) for char in value):
        return str(PINYIN_HINT)
    return str(NAME_HINTS[field_name]) if field_name in NAME_HINTS else str(ALIAS_HINT % {"alias": value})


def organizations_of(record) -> list:
    """The organizations a row shows (a programme's participants, a person's career), as loaded for lists."""
    if hasattr(record, "linked_participations"):
        return [participation.organization for participation in record.linked_participations]
    if hasattr(record, "career"):
        return [step.organization for step in record.career()]
    return []


def _other_hint(record, words) -> str | None:
    """The hint of the other searched fields or an organization holding `words`, None if none does."""
    spec = SPECS[record._meta.model_name]
    other = " ".join(text.search_fold(getattr(record, name) or "") for name in spec.other)
    if contains_all(other, words):
        return str(OTHER_HINT)
    for organization in organizations_of(record):
        names = [organization.name, organization.name_en]
        if any(_matches(name, words, person=False) for name in names if name):
            return str(ORGANIZATION_HINT % {"organization": organization.display_name})
    return None


def _field_hint(record, words) -> str | None:
    found = _name_hint(record, words)
    return found if found is not None else _other_hint(record, words)


def hint(record, query: SearchQuery) -> str:
    """Why `record` matched `query` when its name as shown does not say it ("Matched its English
    name", "Matched the name of Ant Group"), or the corrected spelling it was found under; "" when
    the name shown holds the words, or no one field holds them all."""
    if not query:
        return ""
    found = _field_hint(record, tuple((term,) for term in query.terms))
    if found is not None or not query.corrections:
        return found or ""
    if _field_hint(record, tuple(query.alternatives(term) for term in query.terms)) is None:
        return ""
    words = [query.corrections.get(term, (term,))[0] for term in query.terms]
    return str(CORRECTED_HINT % {"words": " ".join(words)})
