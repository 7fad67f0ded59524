"""Python API: the typed records of one text, with the same stages as `pipeline run`."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from pipeline.build import DocMeta
from pipeline.clean import clean_text
from pipeline.nlp import DEFAULT_MODEL
from pipeline.process import Job, process_batch
from pipeline.records import (
    Agreement, Commitment, Document, Entity, Event, NumericClaim, Person, Project, Sentence,
)


class ExtractionError(RuntimeError):
    """The text could not be processed (empty after cleaning, or a component failed)."""


class Extraction(BaseModel):
    """Everything extracted from one text; offsets point into `document.text`."""

    document: Document
    sentences: list[Sentence]
    entities: list[Entity]
    people: list[Person]
    agreements: list[Agreement]
    projects: list[Project]
    numeric_claims: list[NumericClaim]
    events: list[Event]
    commitments: list[Commitment]

    @property
    def text(self) -> str:
        return self.document.text


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def extract(
    text: str,
    *,
    published: dt.date | str | None = None,
    title: str | None = None,
    model: str | None = None,
    rules_dirs: tuple[str, ...] = (),
) -> Extraction:
    """Clean `text`, run the pipeline (loaded once per process) and return its records.

    >>> result = extract("President Xi Jinping will visit Kazakhstan.", published="2024-07-02")
    >>> [p.name for p in result.people]
    ['Xi Jinping']
    """
    cleaned = clean_text(text, rules_dirs)
    if not cleaned.text.strip():
        raise ExtractionError("the text is empty after cleaning")
    meta = DocMeta(source="<text>", path="<text>", title=title, published=_as_date(published), byline=cleaned.byline)
    (rows,) = process_batch([Job(cleaned.text, meta)], model or DEFAULT_MODEL, tuple(rules_dirs))
    if "documents" not in rows:
        raise ExtractionError(rows["errors"][0].message)  # type: ignore[attr-defined]
    fields = {name: rows.get(name, []) for name in Extraction.model_fields if name != "document"}
    return Extraction(document=rows["documents"][0], **fields)
