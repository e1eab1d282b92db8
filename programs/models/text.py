"""How the registry reads Chinese and Latin text, for search and for matching names: one place, with
the libraries made for it (OpenCC for traditional ↔ simplified, pypinyin for pinyin).

`fold()` is the form two spellings of one name share: Unicode compatibility forms (full-width
letters and digits become ASCII), case folded, traditional characters as simplified. Folding keeps
every character's place only when OpenCC converts character by character, which is not promised
(a phrase may become one of another length): code that needs offsets into the original text maps
each character with `simplified_char()`.
"""

import unicodedata
from functools import cache

import opencc
from pypinyin import Style, lazy_pinyin


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional Chinese characters and phrases as simplified (Hong Kong and Taiwan variants included)."""
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


@cache
def simplified_char(char: str) -> str:
    """One character as simplified, or itself when the conversion would not be one character."""
    converted = _converter("t2s").convert(char)
    return converted if len(converted) == 1 else char


@cache
def fold_char(char: str) -> str:
    """One character folded as `fold()` folds text, but alone: NFKC, case folded, simplified by
    `simplified_char()`. Usually one character; NFKC may give several (ﬁ → fi) or none.

    Text read character by character with this keeps each character's place in the original
    (programs/curation/workspace/reading.py)."""
    return "".join(map(simplified_char, unicodedata.normalize("NFKC", char).casefold()))


class _FoldTable(dict):
    """`str.translate`'s table for `fold_char`, filled as characters are met (C-speed lookups after)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_chars(text: str) -> str:
    """`text` folded character by character with `fold_char` (the same, far faster on many names)."""
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """NFKC (full-width → half-width), case folded, simplified: the form spellings of a name share."""
    return to_simplified(unicodedata.normalize("NFKC", text).casefold())


def is_han(char: str) -> bool:
    """Whether `char` is a CJK unified ideograph (the characters pinyin is given for)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\U00020000" <= char <= "\U0002ebef"


def pinyin(text: str) -> list[str]:
    """The toneless pinyin syllable of each Chinese character of `text` (other characters are skipped)."""
    han = "".join(char for char in fold(text) if is_han(char))
    return lazy_pinyin(han, errors="ignore") if han else []


def pinyin_initials(text: str) -> str:
    """The first letters of `text`'s pinyin syllables: 清华大学 → qhdx."""
    han = "".join(char for char in fold(text) if is_han(char))
    return "".join(lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore")) if han else ""
