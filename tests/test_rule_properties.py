"""Property: any rule file the loader accepts gives a working pipeline; any it rejects is named.

Hypothesis mutates the shipped rule files (drops a key, adds an unknown one, swaps a value
for another type) and drops the result into a user rules folder, merged like `--rules DIR`.
"""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.nlp import build_nlp
from pipeline.rules import MODELS_DIR, RuleFileError

RULE_FILES = sorted(p.stem for p in (MODELS_DIR / "rules").glob("*.yaml"))
SENTENCE = "President Xi Jinping said China will build the Zhanatas wind farm with Kazakhstan by 2030."

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12), st.just([]), st.just({}))


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside a YAML structure."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:3]):
            found += paths(value, (*prefix, i))
    return found


@st.composite
def mutated_rule_file(draw: st.DrawFn) -> tuple[str, dict]:
    name = draw(st.sampled_from(RULE_FILES))
    data = yaml.safe_load((MODELS_DIR / "rules" / f"{name}.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    path = draw(st.sampled_from(paths(data)))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = draw(st.sampled_from(["drop", "replace", "unknown_key"]))
    if action == "drop":
        del parent[last]
    elif action == "replace":
        parent[last] = draw(scalars)
    elif isinstance(parent, dict):
        parent[f"x_{draw(st.text('abcdef', min_size=1, max_size=5))}"] = draw(scalars)
    else:
        parent[last] = draw(scalars)
    return name, data


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_rule_file())
def test_accepted_rule_files_work_and_rejected_ones_are_named(case: tuple[str, dict]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        try:
            nlp = build_nlp("blank", rules_dirs=(folder,))
        except RuleFileError as exc:
            assert exc.path == str(path) or str(path) in str(exc)
            assert exc.entry and exc.reason
            return
        doc = nlp(SENTENCE)
        assert doc.text == SENTENCE


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    """Rule YAML is loaded safely: no Python object is ever constructed from it."""
    path = tmp_path / "commitments.yaml"
    path.write_text("description: !!python/object/apply:os.system ['echo pwned']\n")
    try:
        build_nlp("blank", rules_dirs=(str(tmp_path),))
    except RuleFileError as exc:
        assert "not valid YAML" in exc.reason
    else:
        raise AssertionError("an unsafe YAML tag was accepted")
