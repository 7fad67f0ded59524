"""Incremental runs: unchanged documents are skipped, changed ones replace their rows."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.run import RunOptions, run
from pipeline.writer import table_path
from tests.outputs import assert_same_tables

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"
NAMES = ["us-readout-biden-xi-lima-2024-11.txt", "voa-djibouti-free-trade-zone-2018-07.txt"]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def test_unchanged_documents_are_not_processed_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run(RunOptions(inputs=[corpus], out=out))
    assert (first.processed, first.unchanged) == (2, 0)
    snapshot = tmp_path / "snapshot"
    shutil.copytree(out, snapshot)
    second = run(RunOptions(inputs=[corpus], out=out))
    assert (second.processed, second.unchanged) == (0, 2)
    assert_same_tables(snapshot, out)


def test_a_changed_document_replaces_its_rows(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(RunOptions(inputs=[corpus], out=out))
    changed = corpus / NAMES[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBoth sides agreed to meet again next year.\n")
    summary = run(RunOptions(inputs=[corpus], out=out))
    assert (summary.processed, summary.unchanged) == (1, 1)
    documents = pd.read_parquet(table_path(out, "documents"))
    assert sorted(documents.source) == sorted(NAMES)
    live = set(documents.doc_id)
    for table in ("sentences", "entities", "commitments"):
        rows = pd.read_parquet(table_path(out, table))
        assert set(rows.doc_id) <= live, f"orphans in {table}"
    fresh = tmp_path / "fresh"
    run(RunOptions(inputs=[corpus], out=fresh))
    assert_same_tables(fresh, out)


def test_force_and_changed_rules_reprocess_everything(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(RunOptions(inputs=[corpus], out=out))
    assert run(RunOptions(inputs=[corpus], out=out, force=True)).processed == 2
    rules = tmp_path / "rules"
    (rules / "entities").mkdir(parents=True)
    (rules / "entities" / "extra.jsonl").write_text(
        '{"id": "entity.test.apec", "label": "ORG", "pattern": "APEC"}\n'
    )
    summary = run(RunOptions(inputs=[corpus], out=out, rules_dirs=(str(rules),)))
    assert summary.processed == 2


def test_an_unchanged_rerun_does_not_load_the_model(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run(RunOptions(inputs=[corpus], out=out))
    import pipeline.run as run_module

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was loaded although nothing changed")

    monkeypatch.setattr(run_module, "get_nlp", refuse)
    summary = run(RunOptions(inputs=[corpus], out=out))
    assert (summary.processed, summary.unchanged) == (0, 2)


def test_an_unchanged_rerun_does_not_import_spacy(corpus: Path, tmp_path: Path) -> None:
    """Importing spaCy and the components costs more than reusing a few hundred documents'
    rows, so the command that finds nothing to do must not pay it."""
    out = tmp_path / "out"
    run(RunOptions(inputs=[corpus], out=out))
    probe = (
        "import sys\n"
        "from pipeline.cli import app\n"
        f"try:\n    app([\"run\", {str(corpus)!r}, \"--out\", {str(out)!r}, \"--quiet\"])\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith('pipeline.components')))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr
