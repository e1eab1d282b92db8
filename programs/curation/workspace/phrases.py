"""Names an article gives that may be new to the registry, found by the words around them
(programs/curation/workspace/vocabulary.py): programme-like phrases, organizations and people.

Each rule yields `Phrase`s with offsets into the original text. Chinese rules read the folded text
(simplified, without pinyin noise: reading.py), English ones the original, whose capitals they need.

- A name ending in a programme or organization word (…联合实验室, …大学, … Award, … University) runs
  back from that word over characters a name holds (Chinese, Latin letters, digits, quotes, -·&)
  to a punctuation mark, a word no name spans (的, 宣布, 共建, …; vocabulary.STOP_*) or its
  longest length.
- 《…》 titles are works: projects when they end in 研究, programmes otherwise.
- Lists closed by a word for organizations (华为、腾讯、阿里等科技巨头) are organizations each.
- People: two or three Chinese characters beginning with a surname beside a title (教授, 院长, CEO…)
  or before a verb of speech (表示, 提到…); foreign names written with ·; in English, a capitalised
  name after Prof./Dr. or before ", CEO".
- Inside Chinese text, Latin proper names (ImageNet, GPT-3, DB-GPT) are programme-like: the
  essays name models, data sets and platforms this way.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from programs.curation.workspace import vocabulary as words
from programs.curation.workspace.reading import PINYIN_NOISE, Reading

MAX_NAME_CHARS = 24
HAN = "\u3400-\u9fff"
NAME_CHARS = re.compile(rf"[{HAN}a-z0-9“”\-·&]")
YEAR = re.compile(r"(?:19|20)\d\d(?!\d)(?:年(?:\d{1,2}月)?)?")
JOINING = re.compile("[与和-]")
CONNECTORS = "-·&"
LEADING = re.compile("|".join(words.LEADING_WORDS))
COUNTRY = re.compile("|".join(words.COUNTRIES))


@dataclass(frozen=True)
class Phrase:
    type: str  # program, organization, person, project
    kind: str  # a ProgramKind or OrganizationKind value, "" for people and projects
    start: int  # offsets into the original text
    end: int


def alternation(vocabulary) -> re.Pattern:
    """A pattern of any of the words, longest first (联合实验室 before 实验室)."""
    return re.compile("|".join(re.escape(word) for word in sorted(vocabulary, key=len, reverse=True)))


SUFFIXES = {
    **{suffix: ("organization", kind) for suffix, kind in words.ORGANIZATION_SUFFIXES.items()},
    **{suffix: ("program", kind) for suffix, kind in words.PROGRAM_SUFFIXES.items()},
}
SUFFIX = alternation(SUFFIXES)
# Short endings that are names only at a word's end (商汤科技, not 科技奖).
WEAK_SUFFIXES = frozenset({"科技", "部", "院", "所", "团队"})
# Characters a name needs before its ending, where the ending alone is a common word (获奖, 场所).
LEAST_BEFORE = {"奖": 2, "院": 2, "所": 2, "局": 3, "团队": 3}
STOP_WORD_ENDINGS = tuple(words.STOP_WORDS)


def run_start(text: str, end: int, limit: int = MAX_NAME_CHARS) -> int:
    """Where a name ending at `end` of the folded text starts: back over name characters to a
    stop character or word, at most `limit` characters, then past what a name does not begin with."""
    start = end
    while start > 0 and end - start < limit and is_name_char(text, start - 1):
        start -= 1
    return trimmed_start(text, start, end)


def is_name_char(text: str, index: int) -> bool:
    char = text[index]
    return (
        bool(NAME_CHARS.match(char))
        and char not in words.STOP_CHARS
        and not text.endswith(STOP_WORD_ENDINGS, 0, index + 1)
    )


def trimmed_start(text: str, start: int, end: int) -> int:
    """The start past leading words (与, 经, 联合…), a year (阿里巴巴集团2023“研究型实习生”计划: the
    name follows the year) and connectors."""
    while (leading := LEADING.match(text, start, end)) and leading.end() > start:
        start = leading.end()
    years = list(YEAR.finditer(text, start, end))
    start = years[-1].end() if years else start
    while start < end and text[start] in CONNECTORS:
        start += 1
    return start


def balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with its quotes paired: a name in quotes loses them (“泰坦计划” is 泰坦计划), a name
    with a quoted part keeps both (华为“天才少年计划”), an unpaired quote is dropped."""
    name = text[start:end]
    if name.count("“") > name.count("”"):
        if text[end : end + 1] == "”" and not name.startswith("“"):
            return start, end + 1
        start += name.index("“") + 1
    while text[start : start + 1] == "”" or text[start:end].count("”") > text[start:end].count("“"):
        start += text[start:end].index("”") + 1
    return start, end


WORD_AFTER = frozenset("和与及的等")


def is_weak_ending(text: str, match: re.Match) -> bool:
    """A short ending that goes on into a longer word (科技奖, 所在)."""
    following = text[match.end() : match.end() + 1]
    return match.group() in WEAK_SUFFIXES and bool(NAME_CHARS.match(following)) and following not in WORD_AFTER


def suffixed(reading: Reading) -> Iterator[Phrase]:
    """Chinese names ending in a programme or organization word."""
    text = reading.folded
    for match in SUFFIX.finditer(text):
        if is_weak_ending(text, match):
            continue
        start, end = balanced(text, run_start(text, match.start()), match.end())
        if match.start() - start < LEAST_BEFORE.get(match.group(), 1):
            continue
        type_, kind = SUFFIXES[match.group()]
        if match.group() == "实验室" and "联合" not in text[start:end]:
            type_, kind = "organization", words.ORGANIZATION_SUFFIXES["实验室"]
        yield Phrase(type_, kind, *reading.span(start, end))
        if type_ == "organization":
            for other_start in alternative_starts(text, start, match.start()):
                yield Phrase(type_, kind, *reading.span(other_start, end))


def alternative_starts(text: str, start: int, suffix_start: int) -> list[int]:
    """Other places an organization's name may start: after the last 与, 和 or - (学者与阿里巴巴集团,
    北京大学-微软亚洲研究院: a list of two as much as one name), after a country (新加坡南洋理工大学)."""
    starts = []
    joined = list(JOINING.finditer(text, start, suffix_start))
    if joined and suffix_start - joined[-1].end() >= 2:
        starts.append(joined[-1].end())
    country = COUNTRY.match(text, start, suffix_start)
    if country and suffix_start - country.end() >= 3:
        starts.append(country.end())
    return starts


TITLE = re.compile(r"《([^《》\n]{2,40})》")


def titles(reading: Reading) -> Iterator[Phrase]:
    """《…》: a project's title when it speaks of research or is long, else a programme (a textbook, a series)."""
    for match in TITLE.finditer(reading.folded):
        title = match.group(1)
        type_, kind = ("project", "") if "研究" in title or len(title) > 15 else ("program", "other")
        yield Phrase(type_, kind, *reading.span(*match.span()))


LIST_ITEM = rf"[{HAN}a-z0-9]{{2,12}}"
ORGANIZATION_LIST = re.compile(
    rf"((?:{LIST_ITEM}、)+{LIST_ITEM})等(?:多家|众多|一批|国内外)?({alternation(words.ORGANIZATION_GROUPS).pattern})"
)


def item_kind(item: str, group: str) -> str:
    """An item's kind: its own ending's (…大学), else the list's word's (…等科技巨头)."""
    ending = next((suffix for suffix in words.ORGANIZATION_SUFFIXES if item.endswith(suffix)), None)
    return words.ORGANIZATION_SUFFIXES[ending] if ending else words.ORGANIZATION_GROUPS[group]


ANY_LIST = re.compile(rf"(?:[{HAN}a-z0-9\-]{{2,14}}、)+[{HAN}a-z0-9\-]{{2,14}}")
ORGANIZATION_ENDING = re.compile(f"(?:{alternation(words.ORGANIZATION_SUFFIXES).pattern})$")
FROM = re.compile(rf"来自((?:[{HAN}a-z0-9\-]{{2,8}}、)*[{HAN}a-z0-9\-]{{2,8}}?)(?=的|[，,。、]|$)")
OWNER = re.compile(
    rf"(?<=[，,。、：:；\n“（(])([{HAN}a-z0-9]{{2,4}})的(?=[{HAN}a-z0-9“]{{2,12}}(?:奖|计划|基金|实验室|联盟))"
)


def list_items(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each item of a 、 list between start and end: the first one's lead-in words
    cut, the last one's end at its first stop character (旷视等全球…)."""
    position = start
    items = text[start:end].split("、")
    for number, item in enumerate(items):
        item_end = position + len(item)
        if number == len(items) - 1:
            item_end = next((position + i for i, char in enumerate(item) if char in words.STOP_CHARS), item_end)
        item_start = run_start(text, item_end, limit=len(item)) if number == 0 else position
        if item_end - item_start >= 2 and not words.STOP_CHARS.intersection(text[item_start:item_end]):
            yield item_start, item_end
        position = item_end + 1


def organization_lists(reading: Reading) -> Iterator[Phrase]:
    """Every item of a list one of whose items is an organization by its ending (京东、科大讯飞 in a
    list with 北京大学), and of a list after 来自; the owner of a prize (腾讯的科学探索奖)."""
    text = reading.folded
    for match in ANY_LIST.finditer(text):
        items = list(list_items(text, match.start(), match.end()))
        if len(items) > 1 and any(ORGANIZATION_ENDING.search(text, 0, end) for _start, end in items):
            for start, end in items:
                yield Phrase("organization", "company", *reading.span(start, end))
    for match in FROM.finditer(text):
        for start, end in list_items(text, match.start(1), match.end(1)):
            yield Phrase("organization", "company", *reading.span(start, end))
    for match in OWNER.finditer(text):
        if not words.STOP_CHARS.intersection(match.group(1)):
            yield Phrase("organization", "company", *reading.span(*match.span(1)))


def listed(reading: Reading) -> Iterator[Phrase]:
    """Each item of a list closed by a word for organizations."""
    text = reading.folded
    for match in ORGANIZATION_LIST.finditer(text):
        position = match.start(1)
        for item in match.group(1).split("、"):
            end = position + len(item)
            start = run_start(text, end, limit=len(item))
            if end - start >= 2:
                yield Phrase("organization", item_kind(item, match.group(2)), *reading.span(start, end))
            position = end + 1


TITLE_WORD = alternation(words.TITLES).pattern
SPEECH = alternation(words.SPEECH_VERBS + words.ACTION_VERBS).pattern
PERSON_BEFORE = re.compile(rf"(?=([{HAN}]{{2,3}}?)(?:{TITLE_WORD}|{SPEECH}))")
PERSON_AFTER = re.compile(rf"(?:{TITLE_WORD})([{HAN}]{{2,3}})(?=[、，,。：:；的等时也在和与及]|{SPEECH}|{TITLE_WORD})")
PERSON_LIST = re.compile(rf"(?:[{HAN}]{{2,3}}、)+[{HAN}]{{2,3}}(?![{HAN}])")
FOREIGN_NAME = re.compile(rf"[{HAN}]{{1,5}}·[{HAN}]{{1,6}}")


def person_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name in text[start:end] (two or three characters): the longest that begins with a surname."""
    for length in (3, 2):
        begin = end - length
        if begin < start or words.NOT_IN_NAMES.intersection(text[begin:end]):
            continue
        if text[begin] in words.SURNAMES or text[begin : begin + 2] in words.SURNAMES:
            return begin, end
    return None


def people(reading: Reading) -> Iterator[Phrase]:
    """Chinese names beside a title or before a verb of speech, and foreign names written with ·."""
    text = reading.folded
    for match in PERSON_BEFORE.finditer(text):
        found = person_name(text, match.start(1), match.end(1))
        if found:
            yield Phrase("person", "", *reading.span(*found))
    for match in PERSON_AFTER.finditer(text):
        found = person_name(text, match.start(1), match.end(1))
        if found and found[0] == match.start(1):
            yield Phrase("person", "", *reading.span(*found))
    for match in FOREIGN_NAME.finditer(text):
        yield Phrase("person", "", *reading.span(*match.span()))


def listed_people(reading: Reading, names: set[str]) -> Iterator[Phrase]:
    """The other names of a list (尤伟涛、李泽健) one of whose names is a person found elsewhere."""
    text = reading.folded
    for match in PERSON_LIST.finditer(text):
        items = match.group().split("、")
        if not names.intersection(items):
            continue
        position = match.start()
        for item in items:
            if person_name(text, position, position + len(item)) == (position, position + len(item)):
                yield Phrase("person", "", *reading.span(position, position + len(item)))
            position += len(item) + 1


CAPITALISED = r"[A-Z][A-Za-z0-9&'’\-]*"
ENGLISH_SUFFIXES = {
    **{suffix: ("organization", kind) for suffix, kind in words.ORGANIZATION_SUFFIXES_EN.items()},
    **{suffix: ("program", kind) for suffix, kind in words.PROGRAM_SUFFIXES_EN.items()},
}
ENGLISH_NAME = re.compile(
    rf"(?<![A-Za-z])(?:{CAPITALISED} (?:(?:and|of|for|the|&) )?){{0,6}}(?:{alternation(ENGLISH_SUFFIXES).pattern})"
    rf"(?: (?:of|for|in) (?:the )?{CAPITALISED}(?: {CAPITALISED}){{0,3}})?(?![A-Za-z])"
)
ENGLISH_PERSON = re.compile(
    rf"(?:(?<=Prof\. )|(?<=Professor )|(?<=Dr\. )){CAPITALISED}(?: {CAPITALISED}){{1,2}}"
    rf"|{CAPITALISED}(?: {CAPITALISED}){{1,2}}(?=, (?:{'|'.join(map(re.escape, words.ROLES_EN))}))"
)
LATIN_NAME = re.compile(rf"(?<![A-Za-z0-9])(?:{CAPITALISED}|[a-z]+[A-Z][A-Za-z0-9]*)(?:[ \-]{CAPITALISED})*")


def english(reading: Reading) -> Iterator[Phrase]:
    """English names ending in a programme or organization word, and people with their titles."""
    text = reading.original
    for match in ENGLISH_NAME.finditer(text):
        suffix = next(suffix for suffix in ENGLISH_SUFFIXES if re.search(rf"\b{re.escape(suffix)}", match.group()))
        type_, kind = ENGLISH_SUFFIXES[suffix]
        if match.group() != suffix:
            yield Phrase(type_, kind, *match.span())
    for match in ENGLISH_PERSON.finditer(text):
        yield Phrase("person", "", *match.span())


def is_proper_latin(name: str) -> bool:
    """A Latin word that names something: not a common abbreviation, not a lone short capital run."""
    if name in words.COMMON_LATIN or len(name) < 3:
        return False
    return not (name.isupper() and name.isalpha() and len(name) <= 3)


def latin_in_chinese(reading: Reading) -> Iterator[Phrase]:
    """Latin proper names standing between Chinese characters: models, data sets, platforms."""
    text = reading.original
    for match in LATIN_NAME.finditer(text):
        name = match.group().strip()
        before = PINYIN_NOISE.sub("", text[max(0, match.start() - 20) : match.start()]).rstrip()[-1:]
        after = PINYIN_NOISE.sub("", text[match.start() + len(name) : match.start() + len(name) + 20]).lstrip()[:1]
        if SUFFIX.match(text, match.start() + len(name)) or not is_proper_latin(name):
            continue  # a name with its suffix is an organization or programme of its own
        if is_han(before) or is_han(after) or before in "“（(《、-*•:：" or after in "”）)》、:：":
            yield Phrase("program", "open_platform", match.start(), match.start() + len(name))


def is_han(char: str) -> bool:
    return bool(char) and "\u3400" <= char <= "\u9fff"


def is_chinese(text: str) -> bool:
    """Whether a text is mostly Chinese (a fifth of its first thousand letters or more)."""
    sample = [char for char in text[:1000] if char.isalpha()]
    return bool(sample) and sum(map(is_han, sample)) * 5 >= len(sample)


def phrases(reading: Reading) -> Iterator[Phrase]:
    """Every phrase every rule finds, in no particular order, possibly overlapping."""
    yield from english(reading)
    if is_chinese(reading.original):
        for rule in (suffixed, titles, listed, organization_lists, latin_in_chinese):
            yield from rule(reading)
        found = list(people(reading))
        yield from found
        yield from listed_people(reading, {reading.folded_slice(phrase) for phrase in found})
