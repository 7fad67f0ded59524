"""Typed records: the single source of every output table's schema.

Each pydantic model below is one Parquet table. `arrow_schema()` turns a model into an
explicit pyarrow schema so that no column type is ever guessed from the data (an empty
table still has its full schema, and list columns stay lists).
"""
from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Literal, Optional

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

Role = Literal["head_of_state", "head_of_government", "minister", "diplomat", "official", "other"]
AgreementKind = Literal[
    "treaty", "convention", "agreement", "declaration", "joint_statement", "communique",
    "memorandum", "charter", "plan", "other",
]
AgreementStatus = Literal["signed", "adopted", "proposed", "negotiating", "in_force", "referenced"]
ProjectKind = Literal[
    "energy", "transport", "industry", "education", "culture", "health", "digital", "initiative", "other",
]
ProjectStatus = Literal["completed", "operating", "under_construction", "planned", "proposed", "mentioned"]
Qualifier = Literal["exact", "over", "under", "about", "up_to", "at_least"]
EventType = Literal["visit", "meeting", "summit", "signing", "ceremony", "call"]
EventStatus = Literal["past", "ongoing", "planned"]
Modality = Literal["will", "agree", "decide", "ready", "pledge", "announce", "need", "should", "hope", "support"]
Strength = Literal["firm", "soft"]


class Row(BaseModel):
    """Base of every table row: strict field names, so a typo fails loudly."""

    model_config = ConfigDict(extra="forbid")


class Document(Row):
    doc_id: str = Field(description="SHA-1 of the cleaned text: stable across runs and machines.")
    source: str = Field(description="Input file name; '#N' is appended for the Nth record of a JSONL file.")
    path: str = Field(description="Path of the input file as given on the command line.")
    title: Optional[str] = Field(None, description="Title from front matter, HTML or JSONL.")
    published: Optional[dt.date] = Field(None, description="Publication date; relative dates resolve against it.")
    url: Optional[str] = Field(None, description="Original URL, where known.")
    source_name: Optional[str] = Field(None, description="Publisher named in front matter or JSONL ('Xinhua').")
    byline: Optional[str] = Field(None, description="Trailing agency byline removed from the text ('Xinhua').")
    language: Optional[str] = Field(None, description="Language code from front matter, where given.")
    text: str = Field(description="The cleaned text; every offset in every table points into it.")
    n_chars: int = Field(description="Length of the cleaned text in characters.")
    n_words: int = Field(description="Number of non-space tokens.")
    n_sentences: int = Field(description="Number of sentences.")


class Sentence(Row):
    doc_id: str = Field(description="Document the sentence belongs to.")
    sent_id: int = Field(description="0-based position of the sentence in its document.")
    start: int = Field(description="Start offset into documents.text.")
    end: int = Field(description="End offset (exclusive) into documents.text.")
    text: str = Field(description="The sentence text, equal to documents.text[start:end].")


class Entity(Row):
    doc_id: str = Field(description="Document the entity belongs to.")
    sent_id: int = Field(description="Sentence holding the entity.")
    start: int = Field(description="Start offset into documents.text.")
    end: int = Field(description="End offset (exclusive) into documents.text.")
    text: str = Field(description="Surface text of the entity.")
    label: str = Field(description="Entity label (spaCy's PERSON, ORG, GPE ... or a domain label).")
    rule: str = Field(description="'model:NAME' for the statistical NER, else the id of the ruler pattern.")


class ErrorRow(Row):
    source: str = Field(description="Input that could not be processed (file name, '#N' for a JSONL line).")
    stage: str = Field(description="Stage that failed: read, decode, parse, clean, nlp, extract, write.")
    error: str = Field(description="Short machine-readable error kind ('binary_file', 'empty', ...).")
    message: str = Field(description="Readable explanation of what went wrong.")


class Record(Row):
    """Provenance shared by every extracted record."""

    doc_id: str = Field("", description="Document the record belongs to (documents.doc_id).")
    sent_id: int = Field(-1, description="Sentence holding the record (sentences.sent_id).")
    sentence: str = Field(description="Full text of the sentence holding the record.")
    start: int = Field(description="Start offset of the record's span in documents.text.")
    end: int = Field(description="End offset (exclusive) of the record's span in documents.text.")
    rule: str = Field(description="Id of the rule (or 'model:NAME') that produced the record.")


class Person(Record):
    name: str = Field(description="Most complete form of the name used in the document.")
    aliases: list[str] = Field(default_factory=list, description="Other forms the document uses for the person.")
    titles: list[str] = Field(default_factory=list, description="Titles and roles given in the text.")
    country: Optional[str] = Field(None, description="ISO 3166-1 alpha-3 of the country the person serves.")
    role: Role = Field("other", description="Coarse role derived from the titles.")
    mentions: int = Field(1, description="Number of mentions folded into this record.")


class Agreement(Record):
    name: str = Field(description="Name as in the text, most complete form, without a leading 'the'.")
    aliases: list[str] = Field(default_factory=list, description="Other forms the document uses.")
    kind: AgreementKind = Field(description="Kind, from the head noun.")
    status: AgreementStatus = Field(description="Status, from the governing verb.")
    parties: list[str] = Field(default_factory=list, description="ISO3 codes and/or organisation names.")
    date: Optional[str] = Field(None, description="ISO date of signing/adoption where stated.")


class Project(Record):
    name: str = Field(description="Name as in the text, without a leading 'the'.")
    aliases: list[str] = Field(default_factory=list, description="Other forms the document uses.")
    kind: ProjectKind = Field(description="Sector of the project.")
    status: ProjectStatus = Field(description="Stage of the project, from context.")
    countries: list[str] = Field(default_factory=list, description="ISO3 codes of the countries involved.")


class NumericClaim(Record):
    text: str = Field(description="Surface span of the figure with its qualifier ('over 60', 'US$41 billion').")
    value: float = Field(description="The number (lower bound for a range).")
    value_max: Optional[float] = Field(None, description="Upper bound when the figure is a range.")
    unit: Optional[str] = Field(None, description="ISO 4217 code, 'percent', or the counted noun, singular.")
    qualifier: Qualifier = Field("exact", description="Hedge on the figure ('over', 'about', ...).")
    subject: Optional[str] = Field(None, description="What is measured ('two-way trade').")
    period: Optional[str] = Field(None, description="ISO date, month, quarter or year the figure refers to.")


class Event(Record):
    type: EventType = Field(description="Kind of event.")
    trigger: str = Field(description="The words that signal the event ('paid a state visit').")
    participants: list[str] = Field(default_factory=list, description="Person names (as people.name) and/or ISO3.")
    location: Optional[str] = Field(None, description="Place name or ISO3.")
    date_start: Optional[str] = Field(None, description="ISO start date where stated or resolvable.")
    date_end: Optional[str] = Field(None, description="ISO end date for a span.")
    status: EventStatus = Field(description="Past, ongoing or planned, from tense and modals.")
    plover_event: str = Field(description="PLOVER event category (CONSULT, SUPPORT, AGREE ...).")
    plover_mode: Optional[str] = Field(None, description="PLOVER mode (visit, phone, multilateral, future ...).")


class Commitment(Record):
    actor: list[str] = Field(default_factory=list, description="ISO3 codes, person or organisation names.")
    modality: Modality = Field(description="Kind of commitment, from the trigger.")
    strength: Strength = Field(description="'firm' (will, agree, decide, pledge, announce) or 'soft'.")
    action: str = Field(description="Short verb phrase of what is committed.")
    counterparty: list[str] = Field(default_factory=list, description="Who the actor will act with or for.")
    due: Optional[str] = Field(None, description="ISO date or year by which the action is due.")
    negated: bool = Field(False, description="True for 'will not', 'never' ...")
    speaker: Optional[str] = Field(None, description="Who says it: spokesperson or article author.")
    trigger: str = Field(description="The words that signal the commitment ('stands ready to').")
    plover_event: str = Field(description="PLOVER event category (usually AGREE).")
    plover_mode: Optional[str] = Field(None, description="PLOVER mode (future, negated, hypothetical ...).")


TABLES: dict[str, type[Row]] = {
    "documents": Document,
    "sentences": Sentence,
    "entities": Entity,
    "errors": ErrorRow,
    "people": Person,
    "agreements": Agreement,
    "projects": Project,
    "numeric_claims": NumericClaim,
    "events": Event,
    "commitments": Commitment,
}
RECORD_TABLES: dict[str, type[Record]] = {
    name: model for name, model in TABLES.items() if issubclass(model, Record)
}

_SCALARS: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
}


def _arrow_type(annotation: object) -> tuple[pa.DataType, bool]:
    """Map a field annotation to (arrow type, nullable)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _arrow_type(inner)[0], True
    if origin is list:
        return pa.list_(_arrow_type(args[0])[0]), False
    if origin is Literal:
        return pa.string(), False
    return _SCALARS[annotation], False  # type: ignore[index]


def arrow_schema(model: type[Row]) -> pa.Schema:
    """Explicit Parquet schema of a record model, field descriptions kept as metadata."""
    fields = []
    for name, info in model.model_fields.items():
        arrow_type, nullable = _arrow_type(info.annotation)
        meta = {"description": info.description or ""}
        fields.append(pa.field(name, arrow_type, nullable=nullable, metadata=meta))
    return pa.schema(fields)
