"""The Python API: one text in, typed records out, same stages as `pipeline run`."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline import Extraction, extract
from pipeline.api import ExtractionError
from pipeline.records import Commitment, Person


def test_extract_returns_typed_records_with_provenance() -> None:
    text = (
        "Chinese President Xi Jinping held talks with Kazakh President Kassym-Jomart Tokayev in Astana "
        "on Wednesday. Both sides agreed to raise two-way trade to US$40 billion by 2030."
    )
    result = extract(text, published=dt.date(2024, 7, 3), title="Talks in Astana")
    assert isinstance(result, Extraction)
    assert result.document.title == "Talks in Astana"
    names = {p.name for p in result.people}
    assert {"Xi Jinping", "Kassym-Jomart Tokayev"} <= names
    assert all(isinstance(p, Person) for p in result.people)
    (claim,) = [c for c in result.numeric_claims if c.unit == "USD"]
    assert claim.value == 40e9
    assert result.commitments and isinstance(result.commitments[0], Commitment)
    for record in [*result.people, *result.numeric_claims, *result.commitments, *result.events]:
        assert record.doc_id == result.document.doc_id
        assert result.text[record.start:record.end]
        assert record.sentence == result.sentences[record.sent_id].text
        assert record.rule


def test_extract_accepts_an_iso_string_date() -> None:
    result = extract("Last year, two-way trade reached US$41 billion.", published="2024-07-02")
    assert [c.period for c in result.numeric_claims] == ["2023"]


def test_without_a_date_relative_periods_stay_null() -> None:
    result = extract("Last year, two-way trade reached US$41 billion.")
    assert [c.period for c in result.numeric_claims] == [None]


def test_empty_text_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        extract("   \n ")
