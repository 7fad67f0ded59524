"""Sentence boundaries set before the parser: always at a line break, never mid-clause.

The parser respects boundaries already set. Two kinds are set here:
- the first token after a line break starts a sentence, so no sentence crosses a paragraph;
- a token that does not follow sentence-final punctuation cannot start one. Left free, the
  small English model splits paragraphs that follow an unpunctuated title line into
  fragments ("President" | "Joseph R. Biden, Jr. spoke ..."; "Kenya" | "and" | "Japan
  signed ..."); well-edited press text only ends sentences at `.`, `!`, `?`, so the parser
  keeps its say exactly where a boundary is plausible ("Jr." or "R." inside a name).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

SENTENCE_FINAL = (".", "!", "?", "…")
CLOSERS = frozenset({'"', "'", "”", "’", ")", "]", "»"})


def _breaks_line(token: Token) -> bool:
    return "\n" in token.whitespace_ or (token.is_space and "\n" in token.text)


def _ends_sentence(token: Token) -> bool:
    """Sentence-final punctuation, possibly followed by a closing quote or bracket."""
    if token.text.endswith(SENTENCE_FINAL):
        return True
    return token.text in CLOSERS and token.i > 0 and token.doc[token.i - 1].text.endswith(SENTENCE_FINAL)


@Language.component("diplo_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break; forbid starts that follow no final punctuation."""
    if not len(doc):
        return doc
    last_word = doc[0]
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if _breaks_line(prev):
            token.is_sent_start = True
        elif token.is_space or not _ends_sentence(last_word):
            token.is_sent_start = False
        if not token.is_space:
            last_word = token
    return doc
