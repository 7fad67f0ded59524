"""Turn a processed Doc into table rows, filling the provenance the components leave open.

Components fill `sentence`, `start`, `end` and `rule`; this module adds `doc_id` and
`sent_id` (the sentence holding the record's start), so every row can be joined to
`documents` and `sentences`.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.extensions import doc_id_of, records_of, text_of
from pipeline.records import RECORD_TABLES, Document, Entity, Record, Row, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class DocMeta:
    """What the reader and cleaner know about a document before the model sees it."""

    source: str
    path: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source_name: str | None = None
    byline: str | None = None
    language: str | None = None


def stripped_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of text[start:end] without its surrounding white space."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    return start, start + len(piece.strip())


def sentence_rows(doc: Doc, doc_id: str) -> list[Sentence]:
    rows = []
    text = text_of(doc)
    for sent in doc.sents:
        start, end = stripped_bounds(text, sent.start_char, sent.end_char)
        if start < end:
            rows.append(Sentence(doc_id=doc_id, sent_id=len(rows), start=start, end=end, text=text[start:end]))
    return rows


class SentenceIndex:
    """Find the sentence holding a character offset in O(log n)."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.starts = [s.start for s in sentences]

    def sent_id(self, offset: int) -> int:
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)


def entity_rows(doc: Doc, doc_id: str, index: SentenceIndex, model_rule: str) -> list[Entity]:
    return [
        Entity(
            doc_id=doc_id, sent_id=index.sent_id(ent.start_char), start=ent.start_char, end=ent.end_char,
            text=ent.text, label=ent.label_, rule=ent.ent_id_ or model_rule,
        )
        for ent in doc.ents
    ]


def with_provenance(record: Record, doc_id: str, index: SentenceIndex) -> Record:
    return record.model_copy(update={"doc_id": doc_id, "sent_id": index.sent_id(record.start)})


def document_rows(doc: Doc, meta: DocMeta, model_rule: str) -> dict[str, list[Row]]:
    """Every row one document contributes, by table name."""
    text = text_of(doc)
    doc_id = doc_id_of(text)
    sentences = sentence_rows(doc, doc_id)
    index = SentenceIndex(sentences)
    document = Document(
        doc_id=doc_id, source=meta.source, path=meta.path, title=meta.title, published=meta.published,
        url=meta.url, source_name=meta.source_name, byline=meta.byline, language=meta.language,
        text=text, n_chars=len(text), n_words=len(doc) - int(doc.to_array("IS_SPACE").sum()),
        n_sentences=len(sentences),
    )
    rows: dict[str, list[Row]] = {
        "documents": [document],
        "sentences": list(sentences),
        "entities": list(entity_rows(doc, doc_id, index, model_rule)),
    }
    for table in RECORD_TABLES:
        rows[table] = [with_provenance(r, doc_id, index) for r in records_of(doc, table)]
    return rows
