"""Shared span helpers: the fast paths must give what the slow spaCy calls they replace gave."""
from __future__ import annotations

import random

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from pipeline.components import spans

TERMS = {
    "power": ["power plant", "plant", "power"],
    "plant": ["plant", "nuclear power plant"],  # shares terms with "power": ties broken by order added
    "mou": ["memorandum of understanding", "memorandum"],
    "city": ["city", "smart city"],
}
EXACT = {"start": ["New START", "START"]}


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def _patterns(nlp) -> list[tuple[str, list[list[dict]]]]:
    out = [(key, [spans.term_patterns(t) for t in terms]) for key, terms in TERMS.items()]
    return out + [(key, [[{"ORTH": t.text} for t in nlp.make_doc(term)] for term in terms]) for key, terms in EXACT.items()]


def test_term_matcher_gives_the_matchers_matches_in_its_order(nlp):
    matcher, terms = Matcher(nlp.vocab, validate=True), spans.TermMatcher(nlp.vocab)
    for key, patterns in _patterns(nlp):
        matcher.add(key, patterns)
        terms.add(key, patterns)
    words = [w for ts in (*TERMS.values(), *EXACT.values()) for t in ts for w in t.split()]
    pool = words + [w.title() for w in words] + ["plants", "cities", "memoranda", "the", "of", "."]
    rng = random.Random(7)
    docs = [Doc(nlp.vocab, words=[rng.choice(pool) for _ in range(rng.randint(0, 25))]) for _ in range(2000)]
    docs.append(nlp.make_doc("The nuclear power plant and the Smart Cities; a Memorandum of Understanding on New START."))
    for doc in docs:
        assert terms(doc) == [(nlp.vocab.strings[k], s, e) for k, s, e in matcher(doc)], doc.text


@pytest.mark.parametrize("pattern", [
    [],
    [{"LOWER": "a"}, {"ORTH": "b"}],
    [{"LEMMA": "plant"}],
    [{"LOWER": {"NOT_IN": ["a"]}}],
])
def test_term_matcher_refuses_what_is_not_a_word_sequence(nlp, pattern):
    with pytest.raises(ValueError):
        spans.TermMatcher(nlp.vocab).add("x", [pattern])


def test_has_blank_line_reads_the_span_text(nlp):
    doc = nlp.make_doc("One port.\n\nThe port opened.\nIt grew.\n\n\nThen it closed.")
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            assert spans.has_blank_line(doc, start, end) == ("\n\n" in doc[start:end].text), (start, end)


def test_tokens_with_pos_in_text_order():
    doc = Doc(spacy.blank("en").vocab, words=["the", "port", "opened", "its", "terminals"],
              pos=["DET", "NOUN", "VERB", "PRON", "NOUN"])
    assert [t.i for t in spans.tokens_with_pos(doc, "NOUN")] == [1, 4]
    assert spans.tokens_with_pos(doc, "ADJ") == []
