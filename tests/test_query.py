"""`pipeline query`: DuckDB SQL over the output tables, each a view named after its table."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.tools.query import QueryError, query

runner = CliRunner()
KAZ_AFTER_2020 = (
    "SELECT d.source, c.action, c.sentence FROM commitments c JOIN documents d USING (doc_id) "
    "WHERE list_contains(c.actor, 'KAZ') AND d.published > DATE '2020-12-31' ORDER BY d.published, c.start"
)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three documents and their commitments: Kazakhstan acts in 2019, 2023 and (with China) 2024."""
    folder = tmp_path_factory.mktemp("it's quoted")  # a quote in the path must not break the views
    pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "source": ["mfa-2019.txt", "astana-2023.txt", "joint-2024.txt"],
        "published": [dt.date(2019, 4, 24), dt.date(2023, 3, 14), dt.date(2024, 7, 2)],
    }).to_parquet(folder / "documents.parquet")
    pd.DataFrame({
        "doc_id": ["a", "b", "b", "c"],
        "start": [0, 10, 50, 5],
        "actor": [["KAZ"], ["KAZ"], ["MNG"], ["CHN", "KAZ"]],
        "action": ["host the forum", "open a trade house", "expand cooperation", "build a logistics hub"],
        "sentence": ["Kazakhstan will host the forum.", "Kazakhstan will open a trade house.",
                     "Mongolia stands ready to expand cooperation.", "Both sides will build a logistics hub."],
    }).to_parquet(folder / "commitments.parquet")
    return folder


def test_join_across_two_tables(tables: Path) -> None:
    result = query(KAZ_AFTER_2020, tables_dir=tables).to_pylist()
    assert result == [
        {"source": "astana-2023.txt", "action": "open a trade house", "sentence": "Kazakhstan will open a trade house."},
        {"source": "joint-2024.txt", "action": "build a logistics hub", "sentence": "Both sides will build a logistics hub."},
    ]


def test_unknown_table_names_the_views(tables: Path) -> None:
    with pytest.raises(QueryError, match=r"(?s)nope.*tables: commitments, documents"):
        query("SELECT * FROM nope", tables_dir=tables)


def test_no_tables_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no tables"):
        query("SELECT 1", tables_dir=tmp_path)


def test_command_formats(tables: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", KAZ_AFTER_2020, "--out", str(tables), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        '"source","action","sentence"',
        '"astana-2023.txt","open a trade house","Kazakhstan will open a trade house."',
        '"joint-2024.txt","build a logistics hub","Both sides will build a logistics hub."',
    ]
    lists = runner.invoke(app, ["query", "SELECT actor FROM commitments WHERE doc_id = 'c'", "--pred", str(tables), "-f", "csv"])
    assert lists.output.splitlines() == ['"actor"', '"CHN; KAZ"']

    saved = tmp_path / "kaz.parquet"
    result = runner.invoke(app, ["query", KAZ_AFTER_2020, "--out", str(tables), "--format", "parquet", "--save", str(saved)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(saved).column("source").to_pylist() == ["astana-2023.txt", "joint-2024.txt"]

    table = runner.invoke(app, ["query", "SELECT source FROM documents ORDER BY source", "--out", str(tables)])
    assert "astana-2023.txt" in table.output and "(3 rows)" in table.output


@pytest.mark.parametrize("args", [
    ["query", "SELECT * FROM nope"],
    ["query", "SELECT 1", "--format", "parquet"],  # parquet needs --save
    ["query", "SELEC 1"],
])
def test_command_errors_exit_2(tables: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--out", str(tables)])
    assert result.exit_code == 2, result.output


@pytest.mark.slow
@pytest.mark.model
def test_join_on_a_real_run(sample_output: Path) -> None:
    """Every commitment joins its document and its sentence row; the sentence texts agree."""
    rows = query(
        "SELECT c.sentence AS record_sentence, s.text AS sentence_text, d.source "
        "FROM commitments c JOIN sentences s USING (doc_id, sent_id) JOIN documents d USING (doc_id)",
        tables_dir=sample_output,
    ).to_pylist()
    total = query("SELECT count(*) AS n FROM commitments", tables_dir=sample_output).to_pylist()[0]["n"]
    assert rows and len(rows) == total
    assert all(r["record_sentence"] == r["sentence_text"] for r in rows)
