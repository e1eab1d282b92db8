"""An article annotated: its sentences, the registry's records it mentions, and the new names it
proposes. What the workspace shows and `manage.py annotate_source` prints."""

from dataclasses import dataclass

from programs.curation.workspace.matcher import Mention, Registry, registry
from programs.curation.workspace.proposals import Proposal, add_similar, propose
from programs.curation.workspace.reading import read
from programs.curation.workspace.sentences import Sentence, split


@dataclass
class Annotation:
    text: str
    sentences: list[Sentence]
    mentions: list[Mention]
    proposals: list[Proposal]

    def as_json(self) -> dict:
        return {
            "mentions": [mention.as_json() for mention in self.mentions],
            "proposals": [proposal.as_json(self.text) for proposal in self.proposals],
        }


def annotate(text: str, *, dismissed=frozenset(), similar: bool = True, names: Registry | None = None) -> Annotation:
    """Read `text` against the registry (`names`, by default the database's, built once per state of
    its named records). `similar` asks the reconciliation matcher for each proposal's nearest records."""
    names = registry() if names is None else names
    reading = read(text)
    sentences = split(text)
    mentions = names.find(reading)
    proposals = propose(reading, sentences, mentions, names, dismissed)
    if similar:
        add_similar(proposals)
    return Annotation(text, sentences, mentions, proposals)
