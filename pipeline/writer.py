"""Stream rows into Parquet tables and publish them atomically.

Rows are buffered per table and flushed as row groups, so memory stays flat however many
documents pass. Each table is written to a hidden temporary file in the output folder and
moved into place with `os.replace` only when the run completes; the manifest goes last.
A run killed midway leaves the previous tables untouched (and a stray temporary file that
the next run removes).
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.records import TABLES, Row, arrow_schema

MANIFEST = "manifest.json"
TMP_MARK = ".tmp-"


def table_path(out_dir: Path, table: str) -> Path:
    return out_dir / f"{table}.parquet"


def remove_stale_temporaries(out_dir: Path) -> None:
    """Delete temporary files a killed run left behind."""
    for path in out_dir.glob(f".*{TMP_MARK}*"):
        path.unlink(missing_ok=True)


def write_json_atomic(path: Path, data: object) -> None:
    tmp = path.with_name(f".{path.name}{TMP_MARK}{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)


class TableWriter:
    """One streaming Parquet writer per table, published together by `commit()`."""

    def __init__(self, out_dir: Path, row_group_size: int = 5000) -> None:
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out_dir)
        self.row_group_size = row_group_size
        self.token = uuid.uuid4().hex[:8]
        self.schemas = {name: arrow_schema(model) for name, model in TABLES.items()}
        self.buffers: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.writers = {name: pq.ParquetWriter(self._tmp_path(name), schema) for name, schema in self.schemas.items()}
        self.counts: dict[str, int] = {name: 0 for name in TABLES}

    def _tmp_path(self, table: str) -> Path:
        return self.out_dir / f".{table}.parquet{TMP_MARK}{self.token}"

    def add(self, table: str, rows: Iterable[Row]) -> None:
        buffer = self.buffers[table]
        buffer.extend(row.model_dump() for row in rows)
        if len(buffer) >= self.row_group_size:
            self._flush(table)

    def _flush(self, table: str) -> None:
        buffer = self.buffers[table]
        if buffer:
            self.writers[table].write_table(pa.Table.from_pylist(buffer, schema=self.schemas[table]))
            self.counts[table] += len(buffer)
            buffer.clear()

    def copy_rows(self, table: str, source: Path, doc_ids: set[str]) -> None:
        """Carry over, batch by batch, the rows of an earlier table whose doc_id is kept."""
        if not doc_ids or not source.exists():
            return
        keep = pa.array(sorted(doc_ids), type=pa.string())
        schema = self.schemas[table]
        for batch in pq.ParquetFile(source).iter_batches(batch_size=self.row_group_size):
            kept = pa.Table.from_batches([batch]).filter(pc.is_in(batch.column("doc_id"), value_set=keep))
            if kept.num_rows:
                self._flush(table)
                self.writers[table].write_table(kept.select(schema.names).cast(schema))
                self.counts[table] += kept.num_rows

    def commit(self, manifest: dict) -> dict[str, int]:
        """Close every table, move it into place, then write the manifest."""
        for table, writer in self.writers.items():
            self._flush(table)
            writer.close()
        for table in TABLES:
            os.replace(self._tmp_path(table), table_path(self.out_dir, table))
        write_json_atomic(self.out_dir / MANIFEST, {**manifest, "counts": dict(self.counts)})
        return dict(self.counts)

    def abort(self) -> None:
        """Drop the temporary files; earlier tables stay as they were."""
        for writer in self.writers.values():
            writer.close()
        for table in TABLES:
            self._tmp_path(table).unlink(missing_ok=True)
