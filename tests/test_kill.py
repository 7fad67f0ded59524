"""A run killed with SIGKILL never leaves half-written tables; rerunning completes the job."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from pipeline.run import RunOptions, run
from pipeline.writer import table_path
from tests.outputs import assert_same_tables

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


def build_corpus(folder: Path, copies: int) -> Path:
    """Distinct documents: each sample text, repeated with a numbered first line."""
    folder.mkdir(parents=True)
    for i in range(copies):
        for source in sorted(SAMPLE.glob("*.txt")):
            text = source.read_text(encoding="utf-8")
            body = text.split("---", 2)[-1]  # drop the front matter, keep the body
            (folder / f"{i}-{source.name}").write_text(f"Copy {i} of the corpus.\n\n{body}", encoding="utf-8")
    return folder


def wait_until_writing(out: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the run has opened its temporary tables (it then processes documents)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(out.glob(".documents.parquet.tmp-*")):
            return
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "run ended early"
        time.sleep(0.1)
    raise AssertionError("the run never started writing")


def test_killed_run_leaves_the_previous_tables_and_a_rerun_completes(tmp_path: Path) -> None:
    staged = build_corpus(tmp_path / "staged", copies=2)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(staged.iterdir())[:4]:
        shutil.move(path, corpus / path.name)
    out = tmp_path / "out"
    run(RunOptions(inputs=[corpus], out=out))
    for path in sorted(staged.iterdir()):  # the corpus grows, then a run over it is killed
        shutil.move(path, corpus / path.name)
    before = pd.read_parquet(table_path(out, "documents")).doc_id.tolist()

    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--batch-size", "1", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    wait_until_writing(out, proc)
    time.sleep(3)  # a few documents in: the whole run takes several times longer
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # the published tables are still the complete earlier ones
    assert pd.read_parquet(table_path(out, "documents")).doc_id.tolist() == before

    summary = run(RunOptions(inputs=[corpus], out=out))
    assert summary.processed + summary.unchanged == 16
    assert summary.unchanged == 4
    assert not list(out.glob(".*tmp*"))
    reference = tmp_path / "reference"
    run(RunOptions(inputs=[corpus], out=reference))
    assert_same_tables(reference, out)
    assert pd.read_parquet(table_path(out, "documents")).doc_id.is_unique
