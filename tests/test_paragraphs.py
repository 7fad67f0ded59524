"""Sentence boundaries: at every line break, and never inside a clause."""
from __future__ import annotations

import pytest
from spacy.language import Language


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Readout of the Call\nPresident Joseph R. Biden, Jr. spoke today with Prime Minister Narendra Modi.",
         ["Readout of the Call", "President Joseph R. Biden, Jr. spoke today with Prime Minister Narendra Modi."]),
        ("Joint Statement\n\nKenya and Japan signed an agreement on ports. It enters into force in May.",
         ["Joint Statement", "Kenya and Japan signed an agreement on ports.", "It enters into force in May."]),
        ("The U.S. side said so. \"We will go.\" Talks ended!  Then officials left.",
         ["The U.S. side said so.", "\"We will go.\"", "Talks ended!", "Then officials left."]),
        ("A heading without a stop\nA second paragraph without one either\nAnd a third.",
         ["A heading without a stop", "A second paragraph without one either", "And a third."]),
    ],
)
def test_sentences(nlp: Language, text: str, sentences: list[str]) -> None:
    assert [s.text.strip() for s in nlp(text).sents] == sentences


def test_rules_only_mode_keeps_paragraph_boundaries() -> None:
    from pipeline.nlp import build_nlp

    nlp = build_nlp("blank", extractors=[])
    doc = nlp("Title line\nKenya and Japan signed. It is new.")
    assert [s.text.strip() for s in doc.sents] == ["Title line", "Kenya and Japan signed.", "It is new."]


def test_empty_text_has_no_sentences(nlp: Language) -> None:
    assert list(nlp("").sents) == []


def test_start_values_token_by_token() -> None:
    """The array rules, one token at a time: a line break starts a sentence; only a word after
    final punctuation (or after a quote or bracket closing one) is left to the parser."""
    import spacy

    from pipeline.components.paragraphs import FREE, INSIDE, START, sentence_starts

    doc = spacy.blank("en")('Talks ended. "Good." Next\n\nNew para')
    assert [t.text for t in doc] == ["Talks", "ended", ".", '"', "Good", ".", '"', "Next", "\n\n", "New", "para"]
    assert sentence_starts(doc).tolist() == [
        START, INSIDE, INSIDE, FREE, FREE, INSIDE, FREE, FREE, INSIDE, START, INSIDE,
    ]
