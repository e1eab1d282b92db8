"""Proposals: the names an article gives that the registry does not hold yet, each with its type, a
guessed kind, the sentence it stands in, the organization that likely runs it (for a programme)
and the registry's nearest records, so that a curator sees a possible duplicate before creating one.

The phrases come from programs/curation/workspace/phrases.py. A name the registry already holds
(any of its names, folded) is a mention, not a proposal; so is a phrase inside a mention. Each name
is proposed once, at its first place, with the number of times it occurs. Names a curator
dismissed for the source are left out. The nearest records are the reconciliation service's
candidates (programs.reconcile.matching), asked in batches as the service asks them.
"""

from bisect import bisect_right
from dataclasses import dataclass, field

from programs.curation.workspace.matcher import Mention, Record, Registry
from programs.curation.workspace.phrases import Phrase, phrases
from programs.curation.workspace.reading import Reading, clean, folded_name, is_repaired
from programs.curation.workspace.sentences import Sentence
from programs.reconcile.matching import MAX_QUERY_LENGTH, TYPES, Query, candidates_of_batch, normal
from programs.reconcile.protocol import MAX_BATCH

SIMILAR = 3  # nearest records listed per proposal


@dataclass
class Proposal:
    type: str
    name: str
    kind: str
    start: int
    end: int
    sentence: Sentence
    sponsor: Record | None = None
    similar: list[str] = field(default_factory=list)  # "type/slug" of the nearest records
    occurrences: int = 1

    @property
    def key(self) -> str:
        """How a dismissal names it: type and name."""
        return f"{self.type}:{self.name}"

    def as_json(self, text: str) -> dict:
        sentence = self.sentence
        return {
            "type": self.type,
            "name": self.name,
            "kind": self.kind,
            "sentence": clean(text[sentence.start : sentence.end]),
            "quote_repaired": is_repaired(text[sentence.start : sentence.end]),
            "start": self.start,
            "end": self.end,
            "similar": [reference.split("/", 1)[1] for reference in self.similar],
            "sponsor": self.sponsor.slug if self.sponsor else None,
            "occurrences": self.occurrences,
        }


def covered(phrase: Phrase, mentions: list[Mention], starts: list[int]) -> bool:
    """Whether the phrase lies inside a mention (whose name the registry has), or runs on from a
    person's name (邰颖即, 徐科所: the name and the next word)."""
    index = bisect_right(starts, phrase.start) - 1
    while index >= 0 and mentions[index].end > phrase.start:
        mention = mentions[index]
        if mention.end >= phrase.end or mention.record.type == "person":
            return True
        index -= 1
    return False


def inside_another_person(phrase: Phrase, people: list[Phrase]) -> bool:
    return any(
        other.start <= phrase.start and phrase.end <= other.end and other != phrase
        for other in people
        if other.start <= phrase.start
    )


def new_phrases(reading: Reading, mentions: list[Mention], registry: Registry) -> list[tuple[Phrase, str]]:
    """(phrase, name) of every phrase whose name the registry does not have, in text order."""
    found = sorted(set(phrases(reading)), key=lambda phrase: (phrase.start, -phrase.end))
    people = [phrase for phrase in found if phrase.type == "person"]
    starts = [mention.start for mention in mentions]
    kept = []
    for phrase in found:
        name = clean(reading.original[phrase.start : phrase.end])
        if registry.knows(folded_name(name)) or covered(phrase, mentions, starts):
            continue
        if phrase.type == "person" and inside_another_person(phrase, people):
            continue
        kept.append((phrase, name))
    return kept


def sponsor_of(phrase: Phrase, sentence: Sentence, mentions: list[Mention]) -> Record | None:
    """The organization a programme names in itself, else the first its sentence names."""
    organizations = [
        mention
        for mention in mentions
        if mention.record.type == "organization" and sentence.start <= mention.start < sentence.end
    ]
    inside = [mention for mention in organizations if phrase.start <= mention.start < phrase.end]
    chosen = (inside or organizations or [None])[0]
    return chosen.record if chosen else None


def propose(
    reading: Reading, sentences: list[Sentence], mentions: list[Mention], registry: Registry, dismissed=frozenset()
) -> list[Proposal]:
    """The proposals of a text, in text order, without their nearest records (see `add_similar`)."""
    if not sentences:
        return []
    sentence_starts = [sentence.start for sentence in sentences]
    proposals: dict[str, Proposal] = {}
    for phrase, name in new_phrases(reading, mentions, registry):
        key = folded_name(name)
        if key in proposals:
            proposals[key].occurrences += 1
            continue
        sentence = sentences[max(0, bisect_right(sentence_starts, phrase.start) - 1)]
        proposal = Proposal(phrase.type, name, phrase.kind, phrase.start, phrase.end, sentence)
        if proposal.key in dismissed:
            continue
        if proposal.type == "program":
            proposal.sponsor = sponsor_of(phrase, sentence, mentions)
        proposals[key] = proposal
    return list(proposals.values())


def add_similar(proposals: list[Proposal]) -> None:
    """Each proposal's nearest records of its type (projects have none in the matcher)."""
    asked = [proposal for proposal in proposals if proposal.type in TYPES]
    for start in range(0, len(asked), MAX_BATCH):
        chunk = asked[start : start + MAX_BATCH]
        queries = [
            Query(text=normal(proposal.name)[:MAX_QUERY_LENGTH], types=(TYPES[proposal.type],), limit=SIMILAR)
            for proposal in chunk
        ]
        for proposal, candidates in zip(chunk, candidates_of_batch(queries), strict=True):
            proposal.similar = [candidate.id for candidate in candidates]
