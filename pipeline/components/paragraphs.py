"""Sentence boundaries set before the parser: always at a line break, never mid-clause.

The parser respects boundaries already set. Two kinds are set here:
- the first token after a line break starts a sentence, so no sentence crosses a paragraph;
- a token that does not follow sentence-final punctuation cannot start one. Left free, the
  small English model splits paragraphs that follow an unpunctuated title line into
  fragments ("President" | "Joseph R. Biden, Jr. spoke ..."; "Kenya" | "and" | "Japan
  signed ..."); well-edited press text only ends sentences at `.`, `!`, `?`, so the parser
  keeps its say exactly where a boundary is plausible ("Jr." or "R." inside a name).
The boundaries are computed from token texts (once per distinct word) and written in one `Doc.from_array` call:
building a Token object per position cost as much as a statistical component.
"""
from __future__ import annotations

import numpy
from spacy.attrs import DEP, HEAD, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extensions import word_table

SENTENCE_FINAL = (".", "!", "?", "…")
CLOSERS = frozenset({'"', "'", "”", "’", ")", "]", "»"})
START, INSIDE, FREE = 1, -1, 0


def _token_flags(text: str) -> tuple[bool, bool, bool, bool]:
    """Is white space, holds a line break, ends in final punctuation, is a closer."""
    return text.isspace(), "\n" in text, text.endswith(SENTENCE_FINAL), text in CLOSERS


def sentence_starts(doc: Doc) -> numpy.ndarray:
    """SENT_START values (1 start, -1 inside, 0 for the parser to decide), by the two rules of
    the module docstring, as array operations: a Python step per token cost a third of a
    second per hundred documents."""
    space, breaks_in, final, closer = word_table(doc, _token_flags).T
    n = len(doc)
    index = numpy.arange(n)
    last_word = numpy.maximum.accumulate(numpy.where(space, -1, index))  # latest non-space token at or before i
    word_before = numpy.concatenate([[-1], last_word[:-1]])  # ... strictly before i
    # A word ends a sentence if it ends in final punctuation, or closes a quote/bracket after one.
    ends = final | (closer & numpy.where(word_before >= 0, final[numpy.maximum(word_before, 0)], False))
    previous_final = numpy.where(word_before >= 0, ends[numpy.maximum(word_before, 0)], False)
    # spaCy keeps at most one space between tokens, so a line break is always a white-space token.
    after_break = numpy.zeros(n, dtype=bool)
    after_break[1:] = space[:-1] & breaks_in[:-1]
    values = numpy.where(after_break, START, numpy.where(space | ~previous_final, INSIDE, FREE))
    values[0] = START
    return values


@Language.component("diplo_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break; forbid starts that follow no final punctuation."""
    if not len(doc):
        return doc
    values = sentence_starts(doc).astype("int64")
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
