"""Sentence boundaries set before the parser: always at a line break, never mid-clause.

The parser respects boundaries already set. Two kinds are set here:
- the first token after a line break starts a sentence, so no sentence crosses a paragraph;
- a token that does not follow sentence-final punctuation cannot start one. Left free, the
  small English model splits paragraphs that follow an unpunctuated title line into
  fragments ("President" | "Joseph R. Biden, Jr. spoke ..."; "Kenya" | "and" | "Japan
  signed ..."); well-edited press text only ends sentences at `.`, `!`, `?`, so the parser
  keeps its say exactly where a boundary is plausible ("Jr." or "R." inside a name).
The boundaries are computed from token offsets and written in one `Doc.from_array` call:
building a Token object per position cost as much as a statistical component.
"""
from __future__ import annotations

import numpy
from spacy.attrs import DEP, HEAD, IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_FINAL = (".", "!", "?", "…")
CLOSERS = frozenset({'"', "'", "”", "’", ")", "]", "»"})
START, INSIDE, FREE = 1, -1, 0


def sentence_starts(text: str, offsets: list[tuple[int, int]]) -> list[int]:
    """SENT_START values (1 start, -1 inside, 0 for the parser to decide) from token offsets."""
    values = [START] if offsets else []
    last_word = ""
    previous_final = False
    for n in range(1, len(offsets)):
        start, length = offsets[n]
        prev_start, prev_length = offsets[n - 1]
        prev_text = text[prev_start: prev_start + prev_length]
        if not prev_text.isspace():
            previous_final = prev_text.endswith(SENTENCE_FINAL) or (prev_text in CLOSERS and last_word.endswith(SENTENCE_FINAL))
            last_word = prev_text
        gap = text[prev_start + prev_length: start]
        token_text = text[start: start + length]
        if "\n" in gap or (prev_text.isspace() and "\n" in prev_text):
            values.append(START)
        elif token_text.isspace() or not previous_final:
            values.append(INSIDE)
        else:
            values.append(FREE)
    return values


@Language.component("diplo_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break; forbid starts that follow no final punctuation."""
    if not len(doc):
        return doc
    offsets = [(int(i), int(n)) for i, n in doc.to_array([IDX, LENGTH])]
    values = numpy.asarray(sentence_starts(doc.text, offsets), dtype="int64")
    earlier = doc.to_array(SENT_START).astype("int64")  # a sentencizer's decisions stand where we have none
    values = numpy.where(values == FREE, earlier, values)
    return doc.from_array([SENT_START], values.reshape(-1, 1).astype("uint64"))


@Language.component("diplo_flat_tree", assigns=["token.head"])
def flat_tree(doc: Doc) -> Doc:
    """Rules-only mode: give every token itself as head, with consistent tree edges.

    Without a parser, spaCy leaves some tokens (white space, tokenizer special cases) with
    edges of 0, and `Token.lefts`/`rights`/`children` then walk outside the Doc and crash the
    process. Writing heads with a placeholder label makes spaCy compute the edges; the label
    and the sentence starts are then restored, so the Doc still reads as unparsed.
    """
    if not len(doc) or doc.has_annotation("DEP"):
        return doc
    starts = doc.to_array(SENT_START).astype("int64")
    heads = numpy.zeros(len(doc), dtype="int64")
    placeholder = numpy.full(len(doc), doc.vocab.strings.add("dep"), dtype="uint64")
    doc.from_array([HEAD, DEP], numpy.stack([heads.astype("uint64"), placeholder], axis=1))
    unset = numpy.zeros(len(doc), dtype="uint64")
    return doc.from_array([DEP, SENT_START], numpy.stack([unset, starts.astype("uint64")], axis=1))
