"""Doc extensions the components read and write; registered once, explicitly.

Components store typed records on the Doc (`doc._.people`, ...), so a spaCy user who adds
them to their own `nlp` gets the records without the rest of this package. Defaults are
None, never a shared mutable list; read them with `records_of(doc, name)`.

It also holds what every component reads of a Doc, done once: its text (`text_of`,
`span_text`), sentence boundaries (`sentences_of`, `sentence_at`), entities (`DocEntities`,
`entity_of`) and per-word flags (`word_table`). spaCy rebuilds each of these by walking the
tokens on every access, which made per-mention look-ups cost more than the model. spaCy itself
is imported only for type checking, so a run that reuses every row never loads it.
"""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy

if TYPE_CHECKING:  # spaCy is imported by the code that makes Docs: a rerun that reuses every row never loads it
    from spacy.tokens import Doc, Span, Token

from pipeline.records import RECORD_TABLES

#: Per-document metadata set before `nlp.pipe` (travels with the Doc across processes).
_TEXT_KEY = "diplo_text"
_SENT_STARTS_KEY = "diplo_sent_starts"
DOC_METADATA = ("published", "title", "source", "source_name", "speaker_map")


def doc_id_of(text: str) -> str:
    """Stable document id: SHA-1 of the cleaned text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def register_extensions() -> None:
    """Register every Doc extension this package uses. Safe to call repeatedly."""
    from spacy.tokens import Doc

    if not Doc.has_extension("doc_id"):
        Doc.set_extension("doc_id", getter=lambda doc: doc_id_of(doc.text))
    for name in (*DOC_METADATA, *RECORD_TABLES):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def text_of(doc: Doc) -> str:
    """`doc.text`, built once per Doc: spaCy joins every token on each access, which made
    per-mention look-ups quadratic in the document length."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def span_text(span: Span) -> str:
    """`span.text` cut from the Doc's text, read once per Doc (`Span.text` joins its tokens)."""
    return text_of(span.doc)[span.start_char:span.end_char]


class DocEntities:
    """`doc.ents` read once, with the look-ups components make per mention: `doc.ents` and
    `span.ents` rebuild every entity of the Doc on each access."""

    def __init__(self, doc: Doc) -> None:
        self.all: tuple[Span, ...] = tuple(doc.ents)
        self.starts = [e.start for e in self.all]
        self.ends = [e.end for e in self.all]

    def within(self, span: Span) -> list[Span]:
        """`span.ents`: the entities wholly inside the span, in order (entities do not overlap)."""
        first = bisect.bisect_left(self.starts, span.start)
        return list(self.all[first:bisect.bisect_right(self.ends, span.end, lo=first)])

    def before(self, i: int) -> tuple[Span, ...]:
        """The entities that end at or before token `i`, in order."""
        return self.all[:bisect.bisect_right(self.ends, i)]


def _span(doc: Doc, start: int, end: int) -> Span:
    """`doc[start:end]` for bounds known to be valid: a third of the cost, as slicing a Doc
    first normalises the slice in Python."""
    from spacy.tokens import Span

    return Span(doc, start, end)


def entity_of(token: Token) -> Span | None:
    """The entity of `doc.ents` that holds a token, read from the IOB tags around it, for code
    that asks about a few tokens only (no `DocEntities` to build)."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    if doc[start].ent_iob_ != "B" or not doc[start].ent_type_:
        return None
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    entity = _span(doc, start, end)
    entity.label_ = doc[start].ent_type_
    return entity


def word_table(doc: Doc, describe: Callable[[str], tuple[bool, ...]]) -> numpy.ndarray:
    """Per token, the flags `describe` gives its text (a boolean row per token), computed once
    per distinct word and spread back with numpy: a Token object per position costs more than
    the tests themselves."""
    words, where = numpy.unique(doc.to_array("ORTH"), return_inverse=True)
    strings = doc.vocab.strings
    rows = [describe(strings[w]) for w in words.tolist()]
    table = numpy.array(rows, dtype=bool).reshape(len(rows), len(describe("")))  # the width even with no words
    return table[where.reshape(-1)]


def _sentence_starts(doc: Doc) -> list[int]:
    """Token index of each sentence start, found once per Doc (plain ints, so the Doc still
    serialises): `doc.sents` walks every token on each access."""
    starts = doc.user_data.get(_SENT_STARTS_KEY)
    if starts is None:
        starts = doc.user_data[_SENT_STARTS_KEY] = [sent.start for sent in doc.sents]
    return starts


def sentences_of(doc: Doc) -> list[Span]:
    """`list(doc.sents)` from the cached boundaries; call once the sentence boundaries are final."""
    starts = _sentence_starts(doc)
    ends = [*starts[1:], len(doc)]
    return [_span(doc, start, end) for start, end in zip(starts, ends)]


def sentence_at(doc: Doc, i: int) -> Span:
    """The sentence holding token `i`: `token.sent` without walking the tokens around it."""
    starts = _sentence_starts(doc)
    n = bisect.bisect_right(starts, i) - 1
    return _span(doc, starts[n], starts[n + 1] if n + 1 < len(starts) else len(doc))


def records_of(doc: Doc, table: str) -> list:
    """Records a component stored on the Doc for one table (empty when it did not run)."""
    return list(getattr(doc._, table) or [])
