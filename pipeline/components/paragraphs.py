"""Sentence boundaries at paragraph breaks, set before the parser so no sentence crosses one.

The parser (or the sentencizer in rules-only mode) respects boundaries already set, so
marking the first token after every line break as a sentence start is enough.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("diplo_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """Mark the token after any line break as a sentence start."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
    return doc
