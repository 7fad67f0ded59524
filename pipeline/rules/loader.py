"""Load and validate the rule files under `models/`.

Every rule file is YAML (or JSONL for spaCy pattern lists) validated by a pydantic model
with `extra="forbid"`, so a misspelt key fails at load time with the file and the entry
named, never a quiet fallback. A user's own rule folder (`--rules DIR`) is merged with
the shipped one through the same schema; a rule whose id already exists replaces it.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

#: The shipped rule folder: `models/` beside the package (overridable for tests and users).
MODELS_DIR = Path(os.environ.get("DIPLO_MODELS_DIR", Path(__file__).resolve().parents[2] / "models"))


class RuleFileError(ValueError):
    """A rule file that cannot be used; the message names the file and the entry."""

    def __init__(self, path: Path | str, entry: str, reason: str) -> None:
        self.path, self.entry, self.reason = str(path), entry, reason
        super().__init__(f"{path}: {entry}: {reason}")


class Rule(BaseModel):
    """One authored rule. `id` is stable and lands in the `rule` column of its records."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, pattern=r"^[a-z0-9_.\-]+$", description="Stable id, e.g. 'people.title.v1'.")
    examples: list[str] = Field(default_factory=list, description="Sentences the rule must fire on.")
    note: str | None = Field(None, description="Why the rule exists.")


class RuleFile(BaseModel):
    """Header every rule file shares: where its content comes from and when."""

    model_config = ConfigDict(extra="forbid")
    description: str = Field(description="What the file holds.")
    source: str | None = Field(None, description="Where the data comes from.")
    updated: str | None = Field(None, description="When the data was last checked (ISO date).")


F = TypeVar("F", bound=RuleFile)


def _entry_name(data: object, loc: tuple) -> str:
    """Name the failing entry by its list position and id, e.g. 'rules[3] (id=people.x)'."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
        else:
            parts.append(str(key))
        try:
            node = node[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(key, int) and isinstance(node, dict) and "id" in node:
            parts[-1] += f" (id={node['id']})"
    return ".".join(parts) or "file"


#: libyaml's safe loader when available (several times faster on the gazetteers); both are safe.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> object:
    """Safe YAML load: no Python object construction from rule files."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise RuleFileError(path, "file", f"not valid YAML: {exc}") from exc
    except OSError as exc:
        raise RuleFileError(path, "file", f"cannot be read: {exc.strerror}") from exc


def load_rule_file(path: Path, schema: type[F]) -> F:
    """Validate one YAML rule file against its schema and check ids are unique."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(path, "file", "expected a mapping at the top level")
    try:
        parsed = schema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RuleFileError(path, _entry_name(data, tuple(err["loc"])), err["msg"]) from exc
    seen: set[str] = set()
    for rule in iter_rules(parsed):
        if rule.id in seen:
            raise RuleFileError(path, f"id={rule.id}", "duplicate rule id")
        seen.add(rule.id)
    return parsed


def iter_rules(model: BaseModel) -> Iterator[Rule]:
    """Every `Rule` held anywhere in a parsed rule file (lists and mappings of rules)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items: Iterable = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Rule):
                yield item


def merge_rule_files(files: list[F]) -> F:
    """Merge a shipped file with user files of the same schema.

    Lists of rules: the same id replaces, a new id appends. Mappings: keys are added or
    replaced. Any other section a user file sets (a single settings block) replaces the
    shipped one; the header (`description`, `source`, `updated`) stays the shipped file's.
    The first file is copied rather than changed, unless it is the only one: then it is the result.
    """
    if len(files) == 1:  # the usual run, without user files: a deep copy would cost more than the merge
        return files[0]
    merged = files[0].model_copy(deep=True)
    for extra in files[1:]:
        for name in type(merged).model_fields:
            base, more = getattr(merged, name), getattr(extra, name)
            if isinstance(base, list):
                by_id = {getattr(r, "id", i): r for i, r in enumerate(base)}
                for r in more or []:
                    by_id[getattr(r, "id", len(by_id))] = r
                setattr(merged, name, list(by_id.values()))
            elif isinstance(base, dict):
                setattr(merged, name, {**base, **(more or {})})
            elif name in extra.model_fields_set and name not in RuleFile.model_fields:
                setattr(merged, name, more)
    return merged


def load_rules(name: str, schema: type[F], extra_dirs: Iterable[Path | str] = ()) -> F:
    """Load `models/rules/<name>.yaml` merged with `<dir>/<name>.yaml` of each user folder."""
    paths = [MODELS_DIR / "rules" / f"{name}.yaml"]
    paths += [Path(d) / f"{name}.yaml" for d in extra_dirs if (Path(d) / f"{name}.yaml").exists()]
    return merge_rule_files([load_rule_file(p, schema) for p in paths])


def rule_files(extra_dirs: Iterable[Path | str] = ()) -> list[Path]:
    """Every data file that shapes the output: shipped and user rule files."""
    roots = [MODELS_DIR, *map(Path, extra_dirs)]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in {".yaml", ".yml", ".jsonl", ".json"})


def rules_fingerprint(extra_dirs: Iterable[Path | str] = ()) -> str:
    """SHA-256 over the names and contents of all rule files: changes when any rule changes."""
    digest = hashlib.sha256()
    for path in rule_files(extra_dirs):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_jsonl(path: Path) -> list[dict]:
    """Read a JSONL pattern file; a broken line fails with its line number."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(path, f"line {n}", f"not valid JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise RuleFileError(path, f"line {n}", "expected a JSON object")
        rows.append(row)
    return rows
