"""A Doc's token attributes as plain lists, for rules that read many words of a Doc.

`doc[i]` makes a Token object per access, which cost more than the rules that read it;
`Doc.to_array` reads a column for every token in one call. Shared by the people and
commitment extractors.
"""
from __future__ import annotations

import bisect
import re
from functools import cached_property

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, IDX, IS_ALPHA, IS_SPACE, LENGTH, POS, SPACY
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc, Span, Token

from pipeline.extensions import sentences_of, text_of

_IOB = ("", "I", "O", "B")
_POS = {int(k): v for k, v in POS_NAMES.items()}


class Tokens:
    """A Doc's token attributes as plain lists, read in bulk once per call of a component: `doc[i]`
    makes a Token object per access, which cost more than the rules that read it. Each list is
    built on first use (`lower[i]` is `doc[i].lower_`, ...); indexing or slicing reaches the Doc
    itself. Build it after the last change to the Doc it reads (entities, sentence starts)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.length = len(doc)
        self.tagged = doc.has_annotation("TAG")
        self.sentenced = doc.has_annotation("SENT_START")

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: int | slice) -> Token | Span:
        return self.doc[key]

    @cached_property
    def doc_text(self) -> str:
        return text_of(self.doc)

    @cached_property
    def text(self) -> list[str]:
        """Cut from the Doc's text between token offsets: no look-up in the string store per word."""
        text = self.doc_text
        offsets = self.doc.to_array([IDX, LENGTH])
        ends = (offsets[:, 0] + offsets[:, 1]).tolist()
        return [text[start:end] for start, end in zip(self.idx, ends)]

    @cached_property
    def lower(self) -> list[str]:
        """`token.lower_`: the lexeme's lower form, which spaCy sets as `str.lower()` of its text."""
        return [text.lower() for text in self.text]

    @cached_property
    def ent_type(self) -> list[str]:
        ids = self.doc.to_array(ENT_TYPE).tolist()
        strings = self.doc.vocab.strings
        labels = {i: strings[i] for i in set(ids)}
        return [labels[i] for i in ids]

    @cached_property
    def ent_iob(self) -> list[str]:
        return [_IOB[i] for i in self.doc.to_array(ENT_IOB).tolist()]

    @cached_property
    def pos(self) -> list[str]:
        return [_POS[i] for i in self.doc.to_array(POS).tolist()]

    @cached_property
    def is_alpha(self) -> list[bool]:
        return self.doc.to_array(IS_ALPHA).astype(bool).tolist()

    @cached_property
    def spaces(self) -> list[bool]:
        """Whether a space follows the token (`token.whitespace_` is that space or nothing)."""
        return self.doc.to_array(SPACY).astype(bool).tolist()

    @cached_property
    def idx(self) -> list[int]:
        return self.doc.to_array(IDX).tolist()

    @cached_property
    def sent_starts(self) -> list[int]:
        return [s.start for s in sentences_of(self.doc)] if self.sentenced else [0]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of every sentence, in order."""
        starts = self.sent_starts
        return list(zip(starts, [*starts[1:], self.length]))

    def sent_start(self, i: int) -> int:
        """First token of the sentence holding token i; 0 when the Doc has no sentence boundaries."""
        starts = self.sent_starts
        return starts[bisect.bisect_right(starts, i) - 1]

    def sent_end(self, i: int) -> int:
        """End of the sentence holding token i; the Doc's end when it has no sentence boundaries."""
        starts = self.sent_starts
        n = bisect.bisect_right(starts, i)
        return starts[n] if n < len(starts) else self.length

    @cached_property
    def is_space(self) -> list[bool]:
        return self.doc.to_array(IS_SPACE).astype(bool).tolist()

    @cached_property
    def dep(self) -> list[int]:
        """`token.dep` (the label's string id)."""
        return self.doc.to_array(DEP).tolist()

    def end_char(self, i: int) -> int:
        """`token.idx + len(token)`: where the next token starts, less the space after this one."""
        start = self.idx[i + 1] if i + 1 < self.length else len(self.doc_text)
        return start - self.spaces[i]

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text`, cut from the Doc's text."""
        if end <= start:
            return ""
        return self.doc_text[self.idx[start]:self.idx[end - 1] + len(self.text[end - 1])]

    def join(self, tokens: list[int]) -> str:
        """Text of possibly discontinuous tokens, keeping the document's spacing where they touch
        (each run of adjacent tokens is cut from the text), one space where they do not."""
        runs: list[str] = []
        first = 0
        for n in range(1, len(tokens) + 1):
            if n == len(tokens) or tokens[n] != tokens[n - 1] + 1:
                runs.append(self.doc_text[self.idx[tokens[first]]: self.end_char(tokens[n - 1])])
                first = n
        return re.sub(r"\s+", " ", " ".join(runs)).strip()
