"""`pipeline rules check` and `pipeline rules list`: every error named by file and entry; counts from a run."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pydantic import Field
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.rules.loader import Rule, RuleFile
from pipeline.rules.registry import RULE_SCHEMAS, SchemaNotInstalled, schema_for
from pipeline.tools import rules_cmd
from pipeline.tools.rules_cmd import check_file, check_rules, list_rules, token_pattern_problems

runner = CliRunner()


class DemoRule(Rule):
    phrases: list[str] = Field(min_length=1)
    pattern: list[dict] | None = None


class DemoFile(RuleFile):
    rules: list[DemoRule] = Field(default_factory=list)


@pytest.fixture
def demo_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """'demo.yaml' validated by DemoFile, every other name as registered."""
    real = rules_cmd.schema_for
    monkeypatch.setattr(rules_cmd, "schema_for", lambda name: DemoFile if name == "demo" else real(name))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


DEMO_HEADER = "description: Demo rules for the test.\nrules:\n"


@pytest.mark.parametrize(
    ("body", "entry", "reason"),
    [
        ("  - id: demo.a.v1\n    phrases: [will]\n    phrasse: [shall]\n", "rules[0] (id=demo.a.v1).phrasse", "Extra inputs"),
        ("  - id: demo.a.v1\n    phrases: []\n", "rules[0] (id=demo.a.v1).phrases", "at least 1 item"),
        ("  - id: Demo A\n    phrases: [will]\n", "rules[0] (id=Demo A).id", "should match pattern"),
        ("  - id: demo.a.v1\n    phrases: [will]\n  - id: demo.a.v1\n    phrases: [shall]\n", "id=demo.a.v1", "duplicate rule id"),
        ("  - id: demo.a.v1\n    phrases: [will]\n    pattern: [{LOWR: will}]\n", "id=demo.a.v1 pattern", "LOWR"),
        ("  - id: demo.a.v1\n    phrases: [will]\n    pattern: [{RIGHT_ID: trigger, RIGHT_ATTRS: {LEMA: go}}]\n",
         "id=demo.a.v1 pattern", "node trigger"),
        ("  - id: demo.a.v1\n    phrases: [will\n", "file", "not valid YAML"),
    ],
)
def test_yaml_problems_name_file_and_entry(tmp_path: Path, demo_schema: None, body: str, entry: str, reason: str) -> None:
    path = write(tmp_path / "demo.yaml", DEMO_HEADER + body)
    (problem,) = check_file(path)
    assert problem.path.endswith("demo.yaml")
    assert problem.entry == entry
    assert reason in problem.reason


def test_valid_yaml_with_patterns_passes(tmp_path: Path, demo_schema: None) -> None:
    body = (
        "  - id: demo.a.v1\n    phrases: [will]\n    pattern: [{LOWER: {IN: [will, shall]}}, {POS: VERB, OP: '?'}]\n"
        "  - id: demo.b.v1\n    phrases: [agree]\n"
        "    pattern: [{RIGHT_ID: trigger, RIGHT_ATTRS: {LEMMA: agree}},"
        " {LEFT_ID: trigger, REL_OP: '>', RIGHT_ID: object, RIGHT_ATTRS: {DEP: xcomp}}]\n"
    )
    assert check_file(write(tmp_path / "demo.yaml", DEMO_HEADER + body)) == []


@pytest.mark.parametrize(
    ("line", "entry", "reason"),
    [
        ('{"id": "entity.x", "label": "ORG", "pattern": [{"LOWR": "x"}]}', "line 1 (id=entity.x)", "LOWR"),
        ('{"id": "entity.x", "label": "ORG", "pattern": [{"LOWER": {"IN": "x"}}]}', "line 1 (id=entity.x)", "valid list"),
        ('{"label": "ORG", "pattern": "Arctic Council"}', "line 1", "missing id"),
        ('{"id": "entity.x", "label": "ORG", "pattern": "X", "lable": "GPE"}', "line 1 (id=entity.x)", "unknown keys lable"),
        ('{"id": "entity.x", "label": "ORG", "pattern": "X"', "line 1", "not valid JSON"),
        ('{"id": "entity.x", "label": "ORG", "pattern": 5}', "line 1 (id=entity.x)", "string or a list"),
    ],
)
def test_entity_pattern_problems(tmp_path: Path, line: str, entry: str, reason: str) -> None:
    problems = check_file(write(tmp_path / "entities" / "mine.jsonl", line + "\n"))
    assert problems and all(p.entry == entry for p in problems), problems
    assert any(reason in p.reason for p in problems), problems


def test_valid_entity_patterns_pass(tmp_path: Path) -> None:
    path = write(tmp_path / "entities" / "mine.jsonl", "\n".join([
        '{"id": "entity.org.arctic_council", "label": "ORG", "pattern": "Arctic Council"}',
        '{"id": "entity.org.arctic_council", "label": "ORG", "pattern": [{"LOWER": "arctic"}, {"LOWER": "council"}]}',
    ]) + "\n")
    assert check_file(path) == []


def test_unknown_rule_file_name_is_an_error(tmp_path: Path) -> None:
    (problem,) = check_file(write(tmp_path / "commitment.yaml", "description: typo in the name\n"))
    assert problem.entry == "file"
    assert "no schema is registered for 'commitment.yaml'" in problem.reason
    assert "commitments.yaml" in problem.reason  # the known names are listed


def test_schema_not_installed_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RULE_SCHEMAS, "ghost", "pipeline.components.ghost:GhostFile")
    with pytest.raises(SchemaNotInstalled, match="pipeline.components.ghost:GhostFile is not installed"):
        schema_for("ghost")
    monkeypatch.setitem(RULE_SCHEMAS, "ghost", "pipeline.rules.loader:NoSuchClass")
    with pytest.raises(SchemaNotInstalled, match="no class NoSuchClass"):
        schema_for("ghost")


@pytest.mark.parametrize(("pattern", "ok"), [
    ("any phrase", True),
    ([{"LOWER": "belt"}, {"IS_PUNCT": True, "OP": "?"}], True),
    ([{"TEXT": {"REGEX": "^[A-Z]"}}], True),
    ([{"LENGTH": "long"}], False),
    ([{"OP": "+++"}], False),
    ({"LOWER": "x"}, False),
])
def test_token_pattern_validation(pattern: object, ok: bool) -> None:
    assert (token_pattern_problems(pattern) == []) is ok


def test_shipped_rule_files_pass() -> None:
    files, problems = check_rules()
    assert problems == []
    assert {f.name for f in files} >= {"people.yaml", "commitments.yaml", "organisations.jsonl"}


def test_check_command_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good"
    write(good / "entities" / "mine.jsonl", '{"id": "entity.org.arctic_council", "label": "ORG", "pattern": "Arctic Council"}\n')
    result = runner.invoke(app, ["rules", "check", "--rules", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")

    bad = tmp_path / "bad"
    write(bad / "entities" / "mine.jsonl", '{"id": "entity.x", "label": "ORG", "pattern": [{"LOWR": "x"}]}\n')
    result = runner.invoke(app, ["rules", "check", "--rules", str(bad)])
    assert result.exit_code == 1
    assert "mine.jsonl: line 1 (id=entity.x):" in result.output
    assert "LOWR" in result.output

    result = runner.invoke(app, ["rules", "check", "--rules", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_build_step_reports_what_only_a_component_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.rules import RuleFileError

    def broken_build(model: str, rules_dirs: list[str]) -> None:
        raise RuleFileError("events.yaml", "triggers (id=events.x.v1)", "invalid pattern: E098")

    monkeypatch.setattr("pipeline.nlp.build_nlp", broken_build)
    assert [str(p) for p in rules_cmd.build_problems([])] == ["events.yaml: triggers (id=events.x.v1): invalid pattern: E098"]


@pytest.fixture
def run_tables(tmp_path: Path) -> Path:
    """A run's tables: two entity rows and a commitment row, plus a model-made entity."""
    pred = tmp_path / "pred"
    pred.mkdir()
    pd.DataFrame({"rule": ["entity.org.arctic_council", "entity.org.arctic_council", "model:en_core_web_sm-3.8.0"],
                  "doc_id": ["d", "d", "d"]}).to_parquet(pred / "entities.parquet")
    pd.DataFrame({"rule": ["commitments.will.v1"], "doc_id": ["d"]}).to_parquet(pred / "commitments.parquet")
    pd.DataFrame({"rule": ["agreements.x.v1+agreements.status.signed.v1", "agreements.x.v1"], "doc_id": ["d", "d"]}
                 ).to_parquet(pred / "agreements.parquet")
    return pred


def test_list_counts_records_per_rule(tmp_path: Path, run_tables: Path) -> None:
    mine = tmp_path / "mine"
    write(mine / "entities" / "arctic.jsonl", "\n".join([
        '{"id": "entity.org.arctic_council", "label": "ORG", "pattern": "Arctic Council"}',
        '{"id": "entity.org.arctic_council", "label": "ORG", "pattern": "the Arctic Council"}',
        '{"id": "entity.org.barents_council", "label": "ORG", "pattern": "Barents Euro-Arctic Council"}',
    ]) + "\n")
    infos = {i.id: i for i in list_rules(run_tables, [mine])}
    assert (infos["entity.org.arctic_council"].records, infos["entity.org.arctic_council"].type) == (2, "entities")
    assert infos["entity.org.arctic_council"].file.endswith("entities/arctic.jsonl")
    assert infos["entity.org.barents_council"].records == 0
    assert infos["commitments.will.v1"].records == 1
    assert infos["commitments.will.v1"].file.endswith("models/rules/commitments.yaml")
    assert (infos["agreements.x.v1"].records, infos["agreements.status.signed.v1"].records) == (2, 1)  # joined ids
    model = infos["model:en_core_web_sm-3.8.0"]
    assert (model.file, model.type, model.records) == ("-", "entities", 1)
    assert sum(1 for i in list_rules(run_tables, [mine]) if i.id == "entity.org.arctic_council") == 1


def test_list_without_a_run_has_no_counts(tmp_path: Path) -> None:
    infos = list_rules(tmp_path / "nothing-here")
    assert infos and all(i.records is None for i in infos)


def test_list_command_filters_and_json(run_tables: Path) -> None:
    result = runner.invoke(app, ["rules", "list", "--pred", str(run_tables), "--type", "commitments", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all(r["type"] == "commitments" for r in rows)
    (will,) = [r for r in rows if r["id"] == "commitments.will.v1"]
    assert (will["file"].endswith("models/rules/commitments.yaml"), will["records"]) == (True, 1)
    unused = runner.invoke(app, ["rules", "list", "--pred", str(run_tables), "--type", "commitments", "--unused", "--json"])
    assert "commitments.will.v1" not in unused.output
    table = runner.invoke(app, ["rules", "list", "--pred", str(run_tables), "--type", "commitments"])
    assert "commitments.will.v1" in table.output


@pytest.mark.parametrize("command", ["list", "check"])
def test_subcommands_have_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, ["rules", command, "--help"])
    assert result.exit_code == 0
    assert f"Example: pipeline rules {command}" in result.output


def test_check_reports_every_schema_error_of_a_file(tmp_path: Path, demo_schema: None) -> None:
    body = "  - id: demo.a.v1\n    phrase: [will]\n  - id: demo.b.v1\n    phrases: [shall]\n    exampels: []\n"
    problems = check_file(write(tmp_path / "demo.yaml", DEMO_HEADER + body))
    assert [(p.entry, p.reason) for p in problems] == [
        ("rules[0] (id=demo.a.v1).phrases", "Field required"),
        ("rules[0] (id=demo.a.v1).phrase", "Extra inputs are not permitted"),
        ("rules[1] (id=demo.b.v1).exampels", "Extra inputs are not permitted"),
    ]


def test_a_user_yaml_file_where_no_loader_looks_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "rules" / "commitments.yaml", "description: one folder too deep\ntriggers: []\n")
    _, problems = check_rules([tmp_path], build=False)
    (problem,) = [p for p in problems if "not read from here" in p.reason]
    assert problem.path.endswith("rules/commitments.yaml")
    assert problem.reason.endswith(f"put it at {tmp_path / 'commitments.yaml'}")


def test_a_user_copy_of_a_shipped_only_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "countries.yaml", "description: my aliases\n")
    _, problems = check_rules([tmp_path], build=False)
    assert any(p.path.endswith("countries.yaml") and "edit the shipped file" in p.reason for p in problems)
