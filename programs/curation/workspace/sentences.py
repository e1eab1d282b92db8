"""Sentences of an article, Chinese and English, as offsets into its text.

A sentence ends at 。！？；… or ! ? ; (a run of them counts once), at an English full stop (a
"." before a space, not after an abbreviation or an initial), and at a line break. Brackets and
quotes are respected: a stop inside “…” or （…） ends nothing, unless the closing marks follow
it directly (“……的限制。” is one sentence, its closing quote included). A sentence longer than
MAX_SENTENCE_CHARS (a page without punctuation, or an unclosed quote) is cut at its last comma
or space before the limit, so that a quote stays a sentence and not a page.
"""

import re
from dataclasses import dataclass

TERMINATORS = frozenset("。！？；…!?;")
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "[": "]", "《": "》"}
OPENERS = frozenset(PAIRS)
CLOSERS = frozenset(PAIRS.values())
MAX_SENTENCE_CHARS = 1000
CUT_AT = "，,、 ：:"
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "st", "jr", "sr", "vs", "no"})
WORD_BEFORE = re.compile(r"([A-Za-z]+)$")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    cut: bool = False  # ends where a too long sentence was cut


def is_full_stop(text: str, index: int) -> bool:
    """Whether the "." at `index` ends an English sentence."""
    following = text[index + 1 : index + 2]
    if following and not (following.isspace() or following in CLOSERS):
        return False
    word = WORD_BEFORE.search(text[max(0, index - 12) : index])
    if word is None:  # after a number or a bracket: "in 2019. He left"
        return True
    letters = word.group(1)
    return letters.lower() not in ABBREVIATIONS and not (len(letters) == 1 and letters.isupper())


def stop_end(text: str, index: int, depth: int) -> int | None:
    """Where the sentence whose stop is at `index` ends (after further stops and the closing
    marks that bring the bracket depth to zero), or None when the stop is inside brackets."""
    end = index + 1
    while end < len(text) and (text[end] in TERMINATORS or text[end] == "."):
        end += 1
    while depth and end < len(text) and text[end] in CLOSERS:
        depth -= 1
        end += 1
    return end if depth == 0 else None


def boundaries(text: str):
    """(start, end) of each stretch between sentence ends, blank ones included."""
    start, depth, index = 0, 0, 0
    while index < len(text):
        char = text[index]
        if char == "\n":
            yield start, index
            start, depth = index + 1, 0
        elif char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(0, depth - 1)
        elif char in TERMINATORS or (char == "." and is_full_stop(text, index)):
            end = stop_end(text, index, depth)
            if end is not None:
                yield start, end
                start, depth, index = end, 0, end
                continue
        index += 1
    yield start, len(text)


def pieces(text: str, start: int, end: int):
    """(start, end, cut) of a stretch, cut into pieces of at most MAX_SENTENCE_CHARS."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(char, start + MAX_SENTENCE_CHARS // 2, limit) for char in CUT_AT)
        piece_end = cut + 1 if cut > start else limit
        yield start, piece_end, True
        start = piece_end
    yield start, end, False


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, in order, trimmed of white space; blank stretches are skipped."""
    sentences = []
    for stretch_start, stretch_end in boundaries(text):
        for start, end, cut in pieces(text, stretch_start, stretch_end):
            stripped = text[start:end]
            left = len(stripped) - len(stripped.lstrip())
            right = len(stripped.rstrip())
            if right > left and any(char.isalnum() for char in stripped):
                sentences.append(Sentence(len(sentences), start + left, start + right, cut))
    return sentences
