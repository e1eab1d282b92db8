"""What the workspace page shows of an annotated source: the article sentence by sentence with its
mentions and proposals marked, the records it mentions (with the ones it does not cite yet), the
proposals, and the coverage: how many sentences with mentions a citation of this source quotes.

A sentence counts as cited when a quote of this source holds it or it holds the quote (folded:
quotes are stored in simplified characters without the pinyin noise).
"""

from bisect import bisect_left
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from programs.curation.workspace.annotation import Annotation, annotate
from programs.curation.workspace.matcher import NAMED_TYPES, Mention
from programs.curation.workspace.proposals import Proposal
from programs.curation.workspace.reading import clean, folded_name
from programs.curation.workspace.sentences import Sentence
from programs.models import Citation, Source

MODELS = {named.id: named.model for named in NAMED_TYPES}


@dataclass
class Segment:
    text: str
    mark: str = ""  # "", "mention", "draft" or "proposal"
    title: str = ""


@dataclass
class SentenceView:
    sentence: Sentence
    quote: str
    segments: list[Segment]
    records: list = field(default_factory=list)  # the records its mentions name, in order, once each
    cited: bool = False

    @property
    def programs(self):
        return [record for record in self.records if record.workspace_type == "program"]

    @property
    def organizations(self):
        return [record for record in self.records if record.workspace_type == "organization"]


@dataclass
class Workspace:
    source: Source
    annotation: Annotation
    sentences: list[SentenceView]
    records: list  # every record mentioned, once
    uncited: list  # mentioned records this source does not cite
    proposals: list[Proposal]

    @property
    def with_mentions(self) -> list[SentenceView]:
        return [view for view in self.sentences if view.records]

    @property
    def cited_count(self) -> int:
        return sum(view.cited for view in self.with_mentions)

    @property
    def coverage(self) -> int:
        """The share (percent) of sentences with mentions that are cited."""
        total = len(self.with_mentions)
        return round(100 * self.cited_count / total) if total else 0


def mentioned_records(mentions: list[Mention]) -> dict[tuple[str, str], object]:
    """(type, slug) -> the record, for every record the mentions name: one query per type."""
    slugs: dict[str, set[str]] = {}
    for mention in mentions:
        for record in mention.records:
            slugs.setdefault(record.type, set()).add(record.slug)
    found = {}
    for type_, wanted in slugs.items():
        for record in MODELS[type_].objects.filter(slug__in=wanted):
            record.workspace_type = type_
            found[(type_, record.slug)] = record
    return found


def segments(text: str, sentence: Sentence, marks: list[tuple[int, int, str, str]]) -> list[Segment]:
    """The sentence's text cut at its marks (non-overlapping, in order)."""
    parts, position = [], sentence.start
    for start, end, mark, title in marks:
        if start < position or end > sentence.end:
            continue
        if start > position:
            parts.append(Segment(text[position:start]))
        parts.append(Segment(text[start:end], mark, title))
        position = end
    if position < sentence.end:
        parts.append(Segment(text[position : sentence.end]))
    return parts


def marks_of(mentions: list[Mention], proposals: list[Proposal], records: dict) -> list[tuple[int, int, str, str]]:
    """(start, end, mark, title) of the outer mentions, then of the proposals outside them."""
    marks, end = [], -1
    for mention in mentions:
        if mention.start >= end:
            record = records.get((mention.record.type, mention.record.slug))
            kind = "draft" if mention.record.draft else "mention"
            marks.append((mention.start, mention.end, kind, str(record or mention.record.slug)))
            end = mention.end
    taken = [(start, stop) for start, stop, _mark, _title in marks]
    for proposal in proposals:
        if not any(start < proposal.end and proposal.start < stop for start, stop in taken):
            marks.append((proposal.start, proposal.end, "proposal", proposal.name))
    return sorted(marks)


def is_cited(quote: str, quotes: list[str]) -> bool:
    folded = folded_name(quote)
    return any(folded in cited or cited in folded for cited in quotes if cited)


def sentence_views(annotation: Annotation, records: dict, quotes: list[str]) -> list[SentenceView]:
    """Each sentence with its marked text, the records its mentions name, and whether it is cited."""
    text = annotation.text
    marks = marks_of(annotation.mentions, annotation.proposals, records)
    starts = [mention.start for mention in annotation.mentions]
    views = []
    for sentence in annotation.sentences:
        inside = annotation.mentions[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]
        named = [records[key] for m in inside for key in [(m.record.type, m.record.slug)] if key in records]
        quote = clean(text[sentence.start : sentence.end])
        parts = segments(text, sentence, marks)
        views.append(SentenceView(sentence, quote, parts, list(dict.fromkeys(named)), is_cited(quote, quotes)))
    return views


def workspace(source: Source) -> Workspace:
    annotation = annotate(source.text, dismissed=frozenset(source.dismissed_proposals))
    records = mentioned_records(annotation.mentions)
    citations = list(Citation.objects.filter(source=source).values_list("content_type_id", "object_id", "quote"))
    quotes = [folded_name(quote) for _type, _id, quote in citations]
    cited_records = {(content_type, object_id) for content_type, object_id, _quote in citations}
    content_types = ContentType.objects.get_for_models(*MODELS.values())
    uncited = [r for r in records.values() if (content_types[type(r)].pk, r.pk) not in cited_records]
    views = sentence_views(annotation, records, quotes)
    return Workspace(source, annotation, views, list(records.values()), uncited, annotation.proposals)
