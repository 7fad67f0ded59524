"""The rule loader: validation names the file and entry; user files merge by id."""
from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from pipeline.rules.loader import Rule, RuleFile, RuleFileError, load_rule_file, merge_rule_files


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    threshold: int = 1


class Demo(RuleFile):
    rules: list[Rule] = []
    words: dict[str, str] = {}
    settings: Settings = Settings()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_replaces_by_id_appends_new_ids_and_overrides_settings(tmp_path: Path) -> None:
    shipped = load_rule_file(write(tmp_path / "a.yaml", (
        "description: shipped\nrules: [{id: r.one.v1, note: old}, {id: r.two.v1}]\n"
        "words: {a: x}\nsettings: {threshold: 1}\n"
    )), Demo)
    user = load_rule_file(write(tmp_path / "b.yaml", (
        "description: mine\nrules: [{id: r.one.v1, note: new}, {id: r.three.v1}]\nwords: {b: y}\n"
        "settings: {threshold: 5}\n"
    )), Demo)
    merged = merge_rule_files([shipped, user])
    assert [(r.id, r.note) for r in merged.rules] == [("r.one.v1", "new"), ("r.two.v1", None), ("r.three.v1", None)]
    assert merged.words == {"a": "x", "b": "y"}
    assert merged.settings.threshold == 5
    assert merged.description == "shipped"


def test_a_user_file_without_settings_keeps_the_shipped_ones(tmp_path: Path) -> None:
    shipped = load_rule_file(write(tmp_path / "a.yaml", "description: s\nsettings: {threshold: 3}\n"), Demo)
    user = load_rule_file(write(tmp_path / "b.yaml", "description: u\nrules: [{id: r.x.v1}]\n"), Demo)
    assert merge_rule_files([shipped, user]).settings.threshold == 3


def test_an_empty_list_in_a_user_file_adds_nothing_and_removes_nothing(tmp_path: Path) -> None:
    shipped = load_rule_file(write(tmp_path / "a.yaml", "description: s\nrules: [{id: r.one.v1}]\nwords: {a: x}\n"), Demo)
    user = load_rule_file(write(tmp_path / "b.yaml", "description: u\nrules: []\nwords: {}\n"), Demo)
    merged = merge_rule_files([shipped, user])
    assert [r.id for r in merged.rules] == ["r.one.v1"] and merged.words == {"a": "x"}


def test_a_file_merged_alone_is_the_result_and_a_merge_leaves_the_shipped_file_unchanged(tmp_path: Path) -> None:
    shipped = load_rule_file(write(tmp_path / "a.yaml", "description: s\nrules: [{id: r.one.v1}]\n"), Demo)
    assert merge_rule_files([shipped]) is shipped
    user = load_rule_file(write(tmp_path / "b.yaml", "description: u\nrules: [{id: r.two.v1}]\n"), Demo)
    assert [r.id for r in merge_rule_files([shipped, user]).rules] == ["r.one.v1", "r.two.v1"]
    assert [r.id for r in shipped.rules] == ["r.one.v1"]


@pytest.mark.parametrize(
    "text, entry",
    [
        ("description: d\nrules: [{id: r.one.v1, nte: typo}]\n", "rules[0] (id=r.one.v1).nte"),
        ("description: d\nrules: [{id: r.one.v1}, {id: r.one.v1}]\n", "id=r.one.v1"),
        ("description: d\nrules: [{id: 'Bad Id'}]\n", "rules[0] (id=Bad Id).id"),
        ("rules: []\n", "description"),
        ("description: [unclosed\n", "file"),
    ],
)
def test_invalid_files_name_the_file_and_the_entry(tmp_path: Path, text: str, entry: str) -> None:
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path, Demo)
    assert info.value.path == str(path)
    assert info.value.entry == entry
