"""`pipeline rules list` and `pipeline rules check`: the rule files seen from outside the code.

`list` names every rule (id, file, type) with the number of rows that carry its id in the
`rule` column of the last run's tables, so an analyst sees which rules fire and which never
do. `check` validates every rule file as the pipeline would load it (its pydantic schema,
found through `pipeline.rules.registry`), every spaCy token pattern with spaCy's own
validator, and finally builds the rules-only pipeline with the files, so a rule that only a
component can reject (a bad dependency pattern, a regex that does not compile) fails here
too, with the file and the entry named.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import pyarrow.parquet as pq
import typer
from pydantic import BaseModel, ValidationError
from rich.markup import escape

from pipeline.cli import RulesOpt, err, out
from pipeline.records import TABLES
from pipeline.rules.loader import MODELS_DIR, RuleFileError, load_rule_file, read_jsonl, read_yaml, rule_files
from pipeline.rules.loader import _entry_name as entry_name  # the loader's own naming of entries
from pipeline.rules.registry import ENTITY_FOLDER, SHIPPED_ONLY, SchemaNotInstalled, schema_for
from pipeline.writer import table_path

#: Tables whose rows name the rule (or model) that produced them.
RULE_TABLES = tuple(name for name, model in TABLES.items() if "rule" in model.model_fields)
#: Rule fields that hold spaCy Matcher or DependencyMatcher patterns.
PATTERN_FIELDS = ("pattern", "patterns")
#: Joins the ids of the rules that made one record together.
RULE_JOINER = "+"


@dataclass(frozen=True)
class Problem:
    """One reason a rule file cannot be used."""

    path: str
    entry: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.entry}: {self.reason}"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    file: str
    type: str
    records: Optional[int]  # None: no tables to count in


def display_path(path: Path) -> str:
    """A path relative to the working folder where possible: shorter, and what the user typed."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def is_entity_file(path: Path) -> bool:
    return path.suffix == ".jsonl" and path.parent.name == ENTITY_FOLDER


def rule_type(path: Path) -> str:
    """The type a rule file configures: its name, or 'entities' for the entity ruler's patterns."""
    return ENTITY_FOLDER if is_entity_file(path) else path.stem


# ------------------------------------------------------------------------------------- check

def token_pattern_problems(pattern: Any) -> list[str]:
    """spaCy's validation of a Matcher pattern, or of each node of a DependencyMatcher pattern."""
    from spacy.schemas import validate_token_pattern  # spaCy loads only for commands that need it

    if isinstance(pattern, str):
        return []  # a phrase pattern: any text is valid
    if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern):
        return ["a pattern is a string or a list of token objects"]
    if pattern and all("RIGHT_ID" in node for node in pattern):
        problems = []
        for node in pattern:
            problems += [f"node {node['RIGHT_ID']}: {p}" for p in validate_token_pattern([node.get("RIGHT_ATTRS", {})])]
        return problems
    return validate_token_pattern(pattern)


def _embedded_patterns(model: BaseModel, where: str = "") -> Iterator[tuple[str, Any]]:
    """(entry, pattern) for every pattern field held anywhere inside a parsed rule file."""
    label = f"id={model.id}" if getattr(model, "id", None) else where or "file"  # type: ignore[attr-defined]
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in PATTERN_FIELDS and value is not None:
            patterns = value if name == "patterns" else [value]
            for i, pattern in enumerate(patterns):
                yield (f"{label} {name}[{i}]" if name == "patterns" else f"{label} {name}"), pattern
            continue
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                yield from _embedded_patterns(item, f"{name}[{i}]")


def check_entity_file(path: Path) -> list[Problem]:
    problems = []
    for n, row in enumerate(read_jsonl(path), start=1):
        entry = f"line {n}" + (f" (id={row['id']})" if row.get("id") else "")
        missing = [key for key in ("id", "label", "pattern") if not row.get(key)]
        extra = sorted(set(row) - {"id", "label", "pattern"})
        if missing:
            problems.append(Problem(display_path(path), entry, f"missing {', '.join(missing)}"))
        if extra:
            problems.append(Problem(display_path(path), entry, f"unknown keys {', '.join(extra)}"))
        problems += [Problem(display_path(path), entry, p) for p in token_pattern_problems(row.get("pattern", ""))]
    return problems


def check_yaml_file(path: Path) -> list[Problem]:
    """Every schema error of the file at once (loading stops at the first), then its patterns."""
    try:
        schema = schema_for(path.stem)
    except SchemaNotInstalled as exc:
        return [Problem(display_path(path), "file", str(exc))]
    data = read_yaml(path)
    if isinstance(data, dict):
        try:
            schema.model_validate(data)
        except ValidationError as exc:
            return [Problem(display_path(path), entry_name(data, tuple(e["loc"])), e["msg"]) for e in exc.errors()]
    parsed = load_rule_file(path, schema)  # the file's shape and unique ids, as the pipeline loads it
    return [
        Problem(display_path(path), entry, f"invalid spaCy pattern: {p}")
        for entry, pattern in _embedded_patterns(parsed)
        for p in token_pattern_problems(pattern)
    ]


def check_file(path: Path) -> list[Problem]:
    """Every problem of one rule file (a file that cannot be read at all is one problem)."""
    try:
        if is_entity_file(path):
            return check_entity_file(path)
        if path.suffix in (".yaml", ".yml"):
            return check_yaml_file(path)
    except RuleFileError as exc:
        return [Problem(display_path(Path(exc.path)), exc.entry, exc.reason)]
    return [Problem(display_path(path), "file", f"not a rule file: expected <name>.yaml or {ENTITY_FOLDER}/*.jsonl")]


def build_problems(rules_dirs: Sequence[str]) -> list[Problem]:
    """Build the rules-only pipeline with these files: what only a component can reject."""
    from pipeline.nlp import BLANK, build_nlp

    try:
        build_nlp(BLANK, rules_dirs)
    except RuleFileError as exc:
        return [Problem(display_path(Path(exc.path)), exc.entry, exc.reason)]
    except (ValueError, KeyError, TypeError) as exc:  # spaCy's own pattern errors
        return [Problem("pipeline", "build", f"{type(exc).__name__}: {exc}")]
    return []


def misplaced(folder: Path) -> list[Problem]:
    """YAML files of a user folder that no loader reads (only `DIR/<name>.yaml`, `DIR/gazetteers/`)."""
    problems = []
    for path in sorted(folder.rglob("*.y*ml")):
        if path.stem in SHIPPED_ONLY:
            reason = f"{path.name} is read from {display_path(MODELS_DIR)} only: edit the shipped file"
        elif path.parent not in (folder, folder / "gazetteers"):
            reason = f"not read from here: put it at {display_path(folder / path.name)}"
        else:
            continue
        problems.append(Problem(display_path(path), "file", reason))
    return problems


def check_rules(rules_dirs: Sequence[str | Path] = (), build: bool = True) -> tuple[list[Path], list[Problem]]:
    """(files checked, problems): every shipped and user rule file, then the pipeline built with them."""
    dirs = [str(d) for d in rules_dirs]
    missing = [Problem(d, "folder", "does not exist") for d in dirs if not Path(d).is_dir()]
    found = [d for d in dirs if Path(d).is_dir()]
    files = rule_files(found)
    problems = missing + [p for d in found for p in misplaced(Path(d))]
    problems += [p for path in files for p in check_file(path)]
    if build and not problems:
        problems = build_problems(dirs)
    return files, problems


# -------------------------------------------------------------------------------------- list

def _ids_in(data: Any) -> Iterator[str]:
    """Every `id` of a mapping anywhere in a parsed YAML file, in file order."""
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            yield data["id"]
        for value in data.values():
            yield from _ids_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from _ids_in(item)


def rules_in_file(path: Path) -> list[str]:
    """Rule ids of one file, each once (several entity patterns may share an id)."""
    if is_entity_file(path):
        ids = [row.get("id") for row in read_jsonl(path) if isinstance(row.get("id"), str)]
    else:
        ids = list(_ids_in(read_yaml(path)))
    return list(dict.fromkeys(ids))


def rule_counts(pred: Path) -> tuple[Counter[str], dict[str, str]] | None:
    """(rows per rule id, table of each id) over the tables of a run; None when there is no run.

    A record that several rules made together names them all, joined by '+' (a head-noun rule
    and a status rule: 'agreements.head.treaty.v1+agreements.status.signed.v1'); it counts for
    each of them. Rule ids cannot contain '+', so the split is safe.
    """
    paths = {t: table_path(pred, t) for t in RULE_TABLES}
    if not any(p.exists() for p in paths.values()):
        return None
    counts: Counter[str] = Counter()
    tables: dict[str, str] = {}
    for table, path in paths.items():
        if path.exists():
            for value in pq.read_table(path, columns=["rule"]).column("rule").to_pylist():
                for rule in value.split(RULE_JOINER):
                    counts[rule] += 1
                    tables.setdefault(rule, table)
    return counts, tables


def list_rules(pred: Optional[Path] = Path("data/processed"), rules_dirs: Sequence[str | Path] = ()) -> list[RuleInfo]:
    """Every rule of every rule file, with its row count in `pred`; then producers found only in the tables."""
    found = rule_counts(pred) if pred is not None else None
    counts, tables = found if found else (Counter(), {})
    infos = []
    for path in rule_files(rules_dirs):
        for rule_id in rules_in_file(path):
            infos.append(RuleInfo(rule_id, display_path(path), rule_type(path), counts[rule_id] if found else None))
    listed = {info.id for info in infos}
    infos += [RuleInfo(r, "-", tables[r], n) for r, n in sorted(counts.items()) if r not in listed]
    return infos


# ----------------------------------------------------------------------------------- commands

rules_app = typer.Typer(help="List the rules and check the rule files.", no_args_is_help=True)
PredOpt = Annotated[
    Path, typer.Option("--pred", "-p", help="Folder of the last run's tables, for the record counts.")
]


@rules_app.command("list")
def list_command(
    pred: PredOpt = Path("data/processed"),
    rules: RulesOpt = None,
    type_: Annotated[Optional[str], typer.Option("--type", "-t", help="Only the rules of this type ('people', 'entities' ...).")] = None,
    unused: Annotated[bool, typer.Option("--unused", help="Only the rules that produced nothing in the last run.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line instead of a table.")] = False,
) -> None:
    """Every rule with its id, file, type and how many records it produced in the last run.

    Example: pipeline rules list --pred data/processed --type commitments
    """
    try:
        infos = list_rules(pred, [str(r) for r in rules or ()])
    except RuleFileError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))} (run `pipeline rules check`)", highlight=False)
        raise typer.Exit(1) from None
    infos = [i for i in infos if (type_ is None or i.type == type_) and (not unused or i.records == 0)]
    if as_json:
        for info in infos:
            typer.echo(json.dumps(asdict(info)))
        return
    rows = [("id", "file", "type", "records")]
    rows += [(i.id, i.file, i.type, "-" if i.records is None else str(i.records)) for i in infos]
    widths = [max(len(row[c]) for row in rows) for c in range(3)]
    for row in rows:  # plain aligned columns: never cut, easy to grep
        out.print("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + row[3].rjust(7),
                  markup=False, highlight=False, soft_wrap=True)
    if infos and infos[0].records is None:
        out.print(f"(no tables in {pred}: run `pipeline run ... --out {pred}` for the record counts)")


@rules_app.command("check")
def check_command(rules: RulesOpt = None) -> None:
    """Validate every rule file (pydantic schema, spaCy pattern validation, pipeline build); exit 1 on any error.

    Example: pipeline rules check --rules my_rules/
    """
    files, problems = check_rules([str(r) for r in rules or ()])
    for problem in problems:
        err.print(f"[bold red]error:[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    out.print(f"ok: {len(files)} rule files under {display_path(MODELS_DIR)}"
              + "".join(f" and {r}" for r in rules or ()), highlight=False)
