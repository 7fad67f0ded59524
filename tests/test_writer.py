"""Tables are streamed in row groups and published atomically."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.records import TABLES, ErrorRow, Sentence
from pipeline.writer import MANIFEST, TableWriter, table_path


def sentence(doc_id: str, i: int) -> Sentence:
    return Sentence(doc_id=doc_id, sent_id=i, start=i * 10, end=i * 10 + 5, text=f"s{i}")


def test_commit_writes_every_table_with_its_schema_even_when_empty(tmp_path: Path) -> None:
    writer = TableWriter(tmp_path, row_group_size=2)
    writer.add("sentences", [sentence("a", i) for i in range(5)])
    counts = writer.commit({"note": "test"})
    assert counts["sentences"] == 5
    for table in TABLES:
        frame = pd.read_parquet(table_path(tmp_path, table))
        assert list(frame.columns) == list(TABLES[table].model_fields)
    assert (tmp_path / MANIFEST).exists()
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_nothing_is_published_before_commit(tmp_path: Path) -> None:
    writer = TableWriter(tmp_path, row_group_size=1)
    writer.add("errors", [ErrorRow(source="x.txt", stage="read", error="empty", message="empty file")])
    assert not table_path(tmp_path, "errors").exists()
    writer.abort()
    assert not list(tmp_path.iterdir())


def test_abort_keeps_the_previous_tables(tmp_path: Path) -> None:
    first = TableWriter(tmp_path)
    first.add("sentences", [sentence("a", 0)])
    first.commit({})
    second = TableWriter(tmp_path)
    second.add("sentences", [sentence("b", 0), sentence("b", 1)])
    second.abort()
    assert pd.read_parquet(table_path(tmp_path, "sentences")).doc_id.tolist() == ["a"]


def test_copy_rows_keeps_only_the_named_documents(tmp_path: Path) -> None:
    first = TableWriter(tmp_path, row_group_size=2)
    first.add("sentences", [sentence(d, i) for d in "abc" for i in range(3)])
    first.commit({})
    second = TableWriter(tmp_path, row_group_size=2)
    second.copy_rows("sentences", table_path(tmp_path, "sentences"), {"a", "c"})
    second.add("sentences", [sentence("d", 0)])
    second.commit({})
    frame = pd.read_parquet(table_path(tmp_path, "sentences"))
    assert sorted(frame.doc_id.unique()) == ["a", "c", "d"]
    assert len(frame) == 7


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".people.parquet.tmp-deadbeef"
    stale.write_bytes(b"half a table")
    TableWriter(tmp_path).abort()
    assert not stale.exists()


@pytest.mark.parametrize("bad_table", ["nonexistent"])
def test_unknown_table_is_an_error(tmp_path: Path, bad_table: str) -> None:
    with pytest.raises(KeyError):
        TableWriter(tmp_path).add(bad_table, [])
