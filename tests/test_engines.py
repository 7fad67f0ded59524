"""Every engine writes the same tables as the in-process one, record for record."""
from __future__ import annotations

from pathlib import Path

from pipeline.run import RunOptions, run
from tests.outputs import assert_same_tables

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_two_processes_equal_one(sample_output: Path, tmp_path: Path) -> None:
    summary = run(RunOptions(inputs=[SAMPLE], out=tmp_path, n_process=2, batch_size=2))
    assert summary.processed == 8
    assert_same_tables(sample_output, tmp_path)


def test_dask_engine_equals_local_engine(sample_output: Path, tmp_path: Path) -> None:
    summary = run(RunOptions(inputs=[SAMPLE], out=tmp_path, engine="dask", batch_size=2))
    assert summary.processed == 8
    assert_same_tables(sample_output, tmp_path)
