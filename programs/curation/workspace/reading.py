"""An article's text read as a person reads it, with every character's place in the original kept.

`read(text)` gives the *folded* text the matcher and the proposals search — Unicode compatibility
forms, case, traditional characters as simplified (programs.models.text.fold_char), spacing made
uniform — and, for each folded character, the index of the original character it comes from.
What the folded text finds is reported in the original's offsets, which is what is stored.

Scraped Chinese pages run through a broken converter carry pinyin after characters, in ASCII
brackets: `國(guó)家` is 国家. Such a bracket holds one syllable with a tone mark and follows a
character directly; it is skipped, so 國(guó)家 reads as 国家, and a match over it spans it in the
original. Brackets without a tone mark (`(2025)`, `(NCSES)`) are text.

Spacing: a run of white space reads as one space, and as none beside a CJK character or
punctuation ("自 2017 年" reads as 自2017年), so that names match however a page spaced them; a
line break stays one, so that no name is found across two lines.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass

from programs.models.text import fold_chars, to_simplified

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_NOISE = re.compile(rf"(?<=\S)\((?=[a-zü{TONED}]*[{TONED}])[a-zü{TONED}]{{1,6}}\)")


def is_wide(char: str) -> bool:
    """CJK characters and punctuation (U+2E80 onwards; folded text has no full-width Latin left)."""
    return char >= "\u2e80"


@dataclass(frozen=True)
class Reading:
    original: str
    folded: str
    origin: list[int]  # origin[i]: index in `original` of the character folded[i] comes from

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the folded text's [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1

    def folded_slice(self, phrase) -> str:
        """The folded text of something with original offsets `start` and `end`."""
        return self.folded[self.position(phrase.start) : self.position(phrase.end)]

    def position(self, original_index: int) -> int:
        """The first folded index at or after an original index (for mapping sentences)."""
        return bisect_left(self.origin, original_index)


def noise_spans(text: str) -> list[tuple[int, int]]:
    """The original offsets of every bracketed pinyin syllable the converter left."""
    return [match.span() for match in PINYIN_NOISE.finditer(text)]


TOKEN = re.compile(r"\s+|\S+")


class Folder:
    """Builds the folded text and its origins token by token: a run of letters at C speed (each
    character folds to one, almost always), a run of white space as the spacing rule says once the
    next letter shows whether it is wide."""

    def __init__(self):
        self.parts: list[str] = []
        self.origin: list[int] = []
        self.last = ""  # the last folded character
        self.pending: tuple[str, int] | None = None  # a space or line break waiting for what follows

    def space(self, run: str, index: int) -> None:
        if "\n" in run:
            self.pending = ("\n", index + run.index("\n"))
        elif self.pending is None:
            self.pending = (" ", index)

    def letters(self, run: str, index: int) -> None:
        folded = fold_chars(run)
        self.flush(folded[:1])
        if len(folded) == len(run):
            self.parts.append(folded)
            self.origin.extend(range(index, index + len(run)))
        else:
            for offset, char in enumerate(run):
                part = fold_chars(char)
                self.parts.append(part)
                self.origin.extend([index + offset] * len(part))
        self.last = folded[-1:] or self.last

    def flush(self, following: str) -> None:
        """Write the waiting space or line break, now that the next character is known."""
        if self.pending is None or not self.last:
            self.pending = None
            return
        char, index = self.pending
        self.pending = None
        if char == "\n" or not (is_wide(self.last) or is_wide(following)):
            self.parts.append(char)
            self.origin.append(index)


def read(text: str) -> Reading:
    folder = Folder()
    position = 0
    for skip_start, skip_end in [*noise_spans(text), (len(text), len(text))]:
        for match in TOKEN.finditer(text, position, skip_start):
            (folder.space if match.group()[0].isspace() else folder.letters)(match.group(), match.start())
        position = skip_end
    return Reading(text, "".join(folder.parts), folder.origin)


SPACES = re.compile(r"\s+")
ODD_SPACES = re.compile(r" \s+|[^\S ]\s*")  # white space other than one space
# A space before or after a wide character (beginning with the space, for the regex engine's fast scan).
SPACE_BESIDE_WIDE = re.compile(" (?:(?=[\u2e80-\U0010ffff])|(?<=[\u2e80-\U0010ffff] ))")


def folded_name(name: str) -> str:
    """A record's name as `read()` reads it (names hold no line break and no pinyin noise), by a
    shorter path: the matcher folds every name of the registry."""
    folded = fold_chars(name)
    if not SPACES.search(folded):
        return folded
    return SPACE_BESIDE_WIDE.sub("", SPACES.sub(" ", folded).strip())


SEPARATOR = "\x00"  # in no name (PostgreSQL text cannot hold it), folded to itself, not a space


def folded_names(names: list[str]) -> list[str]:
    """`folded_name` of each name, all folded in one string: a few calls at C speed for a chunk of
    the registry instead of several per name."""
    folded = ODD_SPACES.sub(" ", fold_chars(SEPARATOR.join(names)))
    folded = folded.replace(" " + SEPARATOR, SEPARATOR).replace(SEPARATOR + " ", SEPARATOR).strip(" ")
    folded = SPACE_BESIDE_WIDE.sub("", folded)
    parts = folded.split(SEPARATOR)
    return parts if len(parts) == len(names) else [folded_name(name) for name in names]


def clean(text: str) -> str:
    """A piece of the original as a quote gives it (docs/fixtures.md): in simplified characters,
    the pinyin noise dropped, spacing trimmed."""
    return to_simplified(" ".join(PINYIN_NOISE.sub("", text).split()))


def is_repaired(text: str) -> bool:
    """Whether `clean(text)` drops scraping noise, so that the quote differs from the page as it
    reads (a citation's `quote_repaired`)."""
    return PINYIN_NOISE.search(text) is not None
