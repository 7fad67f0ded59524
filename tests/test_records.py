"""The pydantic models are the single source of the Parquet schemas."""
from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline.records import RECORD_TABLES, TABLES, Commitment, Person, arrow_schema


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_field_has_a_description(table: str) -> None:
    model = TABLES[table]
    missing = [name for name, info in model.model_fields.items() if not info.description]
    assert missing == []


@pytest.mark.parametrize("table", sorted(RECORD_TABLES))
def test_record_tables_carry_provenance(table: str) -> None:
    names = arrow_schema(RECORD_TABLES[table]).names
    assert {"doc_id", "sent_id", "sentence", "start", "end", "rule"} <= set(names)


def test_list_columns_stay_lists_and_optionals_are_nullable() -> None:
    schema = arrow_schema(Person)
    assert schema.field("aliases").type == pa.list_(pa.string())
    assert schema.field("country").nullable
    assert not schema.field("name").nullable
    assert arrow_schema(Commitment).field("negated").type == pa.bool_()


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValueError):
        Person(name="Xi Jinping", sentence="s", start=0, end=1, rule="r", nmae="typo")
