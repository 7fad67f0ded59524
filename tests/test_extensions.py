"""Per-Doc caches the components share: they must agree with spaCy's own answers and keep
the Doc serialisable."""
from __future__ import annotations

import spacy
from spacy.tokens import Doc

from pipeline.extensions import DocEntities, entity_of, sentence_at, sentences_of, span_text, text_of, word_table

TEXT = ("The two ministers met in Astana on 3 March. They signed a memorandum on transport. "
        "Both sides agreed to meet again in 2025.")


def sentenced_doc() -> Doc:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(TEXT)


def test_sentences_of_matches_doc_sents() -> None:
    doc = sentenced_doc()
    assert [(s.start, s.end) for s in sentences_of(doc)] == [(s.start, s.end) for s in doc.sents]
    assert len(sentences_of(doc)) == 3


def test_sentence_at_matches_token_sent() -> None:
    doc = sentenced_doc()
    for token in doc:
        assert (sentence_at(doc, token.i).start, sentence_at(doc, token.i).end) == (token.sent.start, token.sent.end)


def test_caches_keep_the_doc_serialisable() -> None:
    doc = sentenced_doc()
    text_of(doc), sentences_of(doc)
    restored = Doc(doc.vocab).from_bytes(doc.to_bytes())
    assert restored.text == TEXT
    assert [s.text for s in sentences_of(restored)] == [s.text for s in doc.sents]


def test_span_text_is_the_span_s_text() -> None:
    doc = spacy.blank("en")("China and  Kazakhstan agreed.\n\nThey will build a road.")
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            assert span_text(doc[start:end]) == doc[start:end].text


def test_entity_of_a_token_is_its_entity_in_doc_ents(nlp):
    doc = nlp("President Joe Biden met Prime Minister Kishida in Washington, D.C. on 10 April 2024.")
    for tok in doc:
        expected = next(((e.start, e.end, e.label_) for e in doc.ents if e.start <= tok.i < e.end), None)
        ent = entity_of(tok)
        assert (None if ent is None else (ent.start, ent.end, ent.label_)) == expected, tok.text


def test_doc_entities_answer_as_span_ents(nlp):
    doc = nlp("President Joe Biden met Prime Minister Kishida in Washington, D.C. on 10 April 2024.")
    entities = DocEntities(doc)
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            assert entities.within(doc[start:end]) == list(doc[start:end].ents)
        assert entities.before(start) == tuple(e for e in doc.ents if e.end <= start)


def test_word_table_flags_every_token_by_its_text() -> None:
    doc = sentenced_doc()
    table = word_table(doc, lambda text: (text.istitle(), text.endswith(".")))
    assert table.tolist() == [[t.text.istitle(), t.text.endswith(".")] for t in doc]
    assert word_table(spacy.blank("en")(""), lambda text: (bool(text), True)).shape == (0, 2)
