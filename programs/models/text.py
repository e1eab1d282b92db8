"""How the registry reads Chinese and Latin text, for search and for matching names: one place, with
the libraries made for it (OpenCC for traditional ↔ simplified, pypinyin for pinyin).

`fold()` is the form two spellings of one name share: Unicode compatibility forms (full-width
letters and digits become ASCII), case folded, traditional characters as simplified. Folding keeps
every character's place only when OpenCC converts character by character, which is not promised
(a phrase may become one of another length): code that needs offsets into the original text maps
each character with `simplified_char()`.
"""

import unicodedata
from functools import cache, lru_cache

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


# Search keys: what the registry's search and name matching compare (programs/models/search_keys.py
# stores them on each record; programs/reads/search.py reads queries the same way).

# Marks inside a word that spellings of one name keep or drop: Fei-Fei, Xi'an, JD.com, 杰克·唐家拉.
JOINERS = frozenset("-‐‑–'’.·・")


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))


def search_fold(text: str) -> str:
    """`fold()`, accents dropped and punctuation read as spaces, as search compares words: a mark
    between two letters or digits joins them (Fei-Fei → feifei, 杰克·唐家拉 → 杰克唐家拉); single spaces."""
    folded = _without_accents(fold(text))
    kept = []
    for index, char in enumerate(folded):
        if char.isalnum():
            kept.append(char)
        elif char in JOINERS and 0 < index < len(folded) - 1:
            kept.append("" if folded[index - 1].isalnum() and folded[index + 1].isalnum() else " ")
        else:
            kept.append(" ")
    return " ".join("".join(kept).split())


@lru_cache(maxsize=8192)  # names recur: a list's rows share organizations, a search's hints reread names
def name_variants(name: str, *, person: bool = False, searched: bool = False) -> tuple[str, ...]:
    """The forms under which a name is found, folded: itself, the pinyin of its Chinese characters
    (joined, spaced, and their initials), and for a person's Latin name the other order of its words
    (Fei-Fei Li and Li Fei-Fei). `searched`: only the forms a record's searched text needs, whose
    words a search looks for (the spaced pinyin's and the other order's words are in the others)."""
    folded = search_fold(name)
    if not folded:
        return ()
    variants = [folded, *pinyin_forms(name, spaced=not searched)]
    if person and not searched:
        variants += other_order(folded)
    return tuple(dict.fromkeys(variant for variant in variants if variant))


def pinyin_forms(name: str, *, spaced: bool) -> list[str]:
    """The pinyin of a name's Chinese characters joined, spaced (if `spaced`), and their initials."""
    syllables = pinyin(name)
    if not syllables:
        return []
    return ["".join(syllables), *([" ".join(syllables)] if spaced else []), pinyin_initials(name)]


def other_order(folded: str) -> list[str]:
    """A folded Latin name of several words with its last word first (li feifei → feifei li), if it is one."""
    words = folded.split()
    return [" ".join(words[-1:] + words[:-1])] if len(words) > 1 and all(map(str.isascii, words)) else []


TYPO_MIN_LENGTH = 5  # shorter words are too easily another word with one letter changed
TYPO_MAX_LENGTH = 40  # longer ones are no one's typing


def latin_words(text: str) -> list[str]:
    """The words of `text` that typo tolerance corrects towards: Latin letters and digits, folded,
    TYPO_MIN_LENGTH to TYPO_MAX_LENGTH of them."""
    return [
        word
        for word in search_fold(text).split()
        if TYPO_MIN_LENGTH <= len(word) <= TYPO_MAX_LENGTH and word.isascii() and word.isalnum()
    ]


def typo_distance(word: str) -> int:
    """The edits (Levenshtein) a word of this length may be away from the one meant: 1 up to 6 letters, 2 beyond."""
    return 1 if len(word) <= 6 else 2
