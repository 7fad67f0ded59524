"""`pipeline explain`: each record of one text with the rule that made it; user rules change it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.tools.explain import explain
from pipeline.tools.rules_cmd import rules_in_file
from pipeline.rules.loader import MODELS_DIR

runner = CliRunner()
TEXT = (
    "The two foreign ministers met in Astana on Tuesday.\n"
    "China will open a consulate general in Aktobe next year, Foreign Minister Wang Yi said."
)
FORUM_PATTERN = '{"id": "entity.event.central_asia_media_forum", "label": "EVENT", "pattern": "Central Asia Media Forum"}\n'
FORUM_TEXT = "Delegates from 12 countries attended the Central Asia Media Forum in Bishkek."


@pytest.fixture(scope="module")
def records(nlp: Language) -> list:
    return explain(TEXT, published="2024-05-14", entities=True)


def test_every_record_names_a_rule_and_its_span(records: list) -> None:
    assert records
    for record in records:
        assert record.span and record.span in TEXT  # offsets point into the cleaned text
        assert record.end - record.start == len(record.span)
        assert record.rule
        assert record.span in record.sentence


def test_commitment_names_a_rule_of_the_commitments_file(records: list) -> None:
    (commitment,) = [r for r in records if r.table == "commitments"]
    assert commitment.rule in rules_in_file(MODELS_DIR / "rules" / "commitments.yaml")
    assert commitment.sentence.startswith("China will open a consulate general")
    assert commitment.attributes["modality"] == "will"
    assert "doc_id" not in commitment.attributes and "sentence" not in commitment.attributes


def test_model_entities_name_the_model(records: list) -> None:
    astana = [r for r in records if r.table == "entities" and r.span == "Astana"]
    assert astana and astana[0].rule.startswith("model:")


def test_a_line_in_a_user_rule_file_changes_the_output(nlp: Language, tmp_path: Path) -> None:
    before = {r.rule for r in explain(FORUM_TEXT, entities=True)}
    assert "entity.event.central_asia_media_forum" not in before
    (tmp_path / "entities").mkdir()
    (tmp_path / "entities" / "forums.jsonl").write_text(FORUM_PATTERN, encoding="utf-8")
    after = [r for r in explain(FORUM_TEXT, entities=True, rules_dirs=(str(tmp_path),))
             if r.rule == "entity.event.central_asia_media_forum"]
    assert [(r.span, r.attributes["label"]) for r in after] == [("Central Asia Media Forum", "EVENT")]


def test_command_prints_records_with_rules(nlp: Language) -> None:
    result = runner.invoke(app, ["explain", TEXT, "--published", "2024-05-14"])
    assert result.exit_code == 0, result.output
    assert "commitments 'will open a consulate general in Aktobe next year'" in result.output
    assert "rule commitments.will.v1" in result.output
    assert "sentence: China will open a consulate general in Aktobe next year, Foreign Minister Wang Yi said." in result.output


def test_command_json_and_stdin(nlp: Language) -> None:
    result = runner.invoke(app, ["explain", "-", "--json", "--entities"], input=FORUM_TEXT)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {"table", "span", "start", "end", "rule", "sentence", "attributes"} <= set(rows[0])
    assert any(r["table"] == "numeric_claims" and r["span"] == "12" for r in rows)


@pytest.mark.parametrize(("args", "message"), [
    (["explain", "   "], "empty"),
    (["explain", TEXT, "--published", "14 May 2024"], "not an ISO date"),
])
def test_command_usage_errors_exit_2(nlp: Language, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
