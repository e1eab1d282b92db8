"""The article workspace: an article's text read against the registry, and curated from it.

decoding.py    uploaded bytes → text (encodings, HTML reduced to text), and the checks a text must pass
reading.py     the text folded for matching (traditional → simplified, pinyin noise skipped), offsets kept
sentences.py   sentences, Chinese and English, as offsets
matcher.py     the registry's names in one Aho–Corasick automaton, built once per state of the records
vocabulary.py  the words proposals are found by; phrases.py the rules; proposals.py new names, with
               their sentence, sponsor and nearest records
annotation.py  a text annotated: sentences, mentions, proposals (the page and `annotate_source` use it)
page.py        what the workspace page shows: marked sentences, records, coverage
actions.py     what the workspace writes (citations, drafts, links, dismissals, the text)
forms.py, views.py   the pages under the Source admin; fixture.py the proposals as a fixture file
"""
