"""Compare two output folders table by table, independent of row order."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.records import TABLES
from pipeline.writer import table_path


def canonical(out: Path, table: str) -> pd.DataFrame:
    """A table with list columns as tuples and rows in a fixed order."""
    frame = pd.read_parquet(table_path(out, table))
    for column in frame.columns:
        frame[column] = frame[column].map(lambda v: tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True) if len(frame) else frame


def assert_same_tables(left: Path, right: Path, tables: tuple[str, ...] = tuple(TABLES)) -> None:
    for table in tables:
        pd.testing.assert_frame_equal(canonical(left, table), canonical(right, table), obj=table)
