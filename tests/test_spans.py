"""Shared span helpers: the fast paths must give what the slow spaCy calls they replace gave."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.components import spans
from pipeline.components.phrase_matching import AnchoredMatcher


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.mark.parametrize("text, expected", [
    ("the nuclear power plant", [(2, "power"), (3, "plant")]),  # "nuclear power plant" over "power plant"
    ("the power plant", [(1, "power"), (2, "power")]),  # "power" alone heads too
    ("a plant", [(1, "power")]),  # "plant" of both keys: the first added wins
    ("the smart cities", [(2, "city")]),
    ("a Memorandum of Understanding", [(1, "mou")]),
    ("the power", [(1, "power")]),
])
def test_matched_heads_longest_term_then_first_added(nlp, text: str, expected: list[tuple[int, str]]):
    """Without a parse the head is the term's last word (the one before "of"); on a shared head the
    longest term wins, on equal length the key added first."""
    terms = {"power": ["power plant", "plant", "power"], "plant": ["plant", "nuclear power plant"],
             "mou": ["memorandum of understanding"], "city": ["smart city"]}
    matcher = AnchoredMatcher(nlp.vocab)
    for key, words in terms.items():
        matcher.add(key, [spans.term_patterns(t) for t in words])
    heads = spans.matched_heads(matcher, nlp.make_doc(text), {key: key for key in terms})
    assert [(head.i, rule) for head, rule in heads] == expected


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


def test_tokens_with_pos_and_lemma():
    """Only the nouns whose lower-case lemma is wanted: "Expansion" counts, the verb "expands" does not."""
    words = ["Expansion", "of", "the", "port", "expands", "the", "upgrade", "terminals"]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=["NOUN", "ADP", "DET", "NOUN", "VERB", "DET", "NOUN", "NOUN"],
              lemmas=["Expansion", "of", "the", "port", "expansion", "the", "upgrade", "terminal"])
    assert [t.i for t in spans.tokens_with_pos(doc, "NOUN", frozenset({"expansion", "upgrade"}))] == [0, 6]
    assert spans.tokens_with_pos(doc, "NOUN", frozenset()) == []
    assert spans.tokens_with_pos(doc, "NOUN", frozenset({"dam"})) == []

