"""Score the output tables against gold files written to the annotation guide.

The matching rules are those of the annotation guide ("Scoring"), so the figures here are
the figures the project is judged by: text compared after NFKC, case folding, straight
quotes and dashes, collapsed white space and a dropped leading "the"; people match on a
name or alias; agreements and projects on equal names first, then on containment when the
shorter name has at least half the longer's words; the other types on the sentence (plus
the value for figures and the type for events); commitments count once per sentence.
Each gold record matches at most one system record, greedily in file order.

Unlike a bare score, the report also keeps the missed (gold, unmatched) and spurious
(system, unmatched) records with their sentences, so an analyst sees what to fix.
"""
from __future__ import annotations

import json
import math
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape

from pipeline.cli import ModelOpt, RulesOpt, fail, out, setup_errors
from pipeline.nlp import DEFAULT_MODEL
from pipeline.records import RECORD_TABLES
from pipeline.writer import table_path

TYPES: tuple[str, ...] = tuple(RECORD_TABLES)
#: Attributes scored over matched pairs, per record type (annotation guide, "Scoring").
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "people": ("country", "role"),
    "agreements": ("kind", "status"),
    "projects": ("kind", "status"),
    "numeric_claims": ("unit", "qualifier", "period"),
    "events": ("date_start",),
    "commitments": ("modality", "actor"),
}
#: Types matched by name; the others are matched by sentence.
NAMED_TYPES = frozenset({"people", "agreements", "projects"})
#: Relative tolerance on a figure's value: 0.5 %.
VALUE_TOLERANCE = 0.005
_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-",
})
_SPACES = re.compile(r"\s+")

Record = dict[str, Any]


class GoldFileError(ValueError):
    """A gold file that cannot be read; the message names the file."""


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def normalise(value: object) -> str:
    """The comparison form of a text: NFKC, straight quotes, casefold, one space, no leading 'the'."""
    if _is_missing(value):
        return ""
    text = unicodedata.normalize("NFKC", str(value)).translate(_TYPOGRAPHY).casefold()
    text = _SPACES.sub(" ", text).strip()
    return text[4:] if text.startswith("the ") else text


def _as_set(value: object) -> set[str]:
    """A list-valued attribute (actor) as a set of normalised items; a bare string is one item."""
    if _is_missing(value):
        return set()
    items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return {normalise(item) for item in items}


def attribute_equal(attribute: str, gold: object, pred: object) -> bool:
    if attribute == "actor":
        return _as_set(gold) == _as_set(pred)
    return normalise(gold) == normalise(pred)


def _names(gold: Record) -> list[str]:
    return [gold.get("name"), *(gold.get("aliases") or [])]


def names_overlap(a: object, b: object) -> bool:
    """Equal names, or one inside the other with the shorter holding at least half the words."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return shorter == longer or (shorter in longer and 2 * len(shorter.split()) >= len(longer.split()))


def _same_sentence(gold: Record, pred: Record) -> bool:
    snippet = normalise(gold.get("sentence"))
    return bool(snippet) and snippet in normalise(pred.get("sentence"))


def _close_values(gold: Record, pred: Record) -> bool:
    try:
        expected, found = float(gold["value"]), float(pred.get("value"))  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return False
    return abs(expected - found) <= VALUE_TOLERANCE * max(abs(expected), 1e-9)


def matches(kind: str, gold: Record, pred: Record, exact_names: bool) -> bool:
    """Does `pred` match `gold`? `exact_names` restricts named types to equal names (first pass)."""
    if kind == "people" or (kind in NAMED_TYPES and exact_names):
        return any(normalise(name) == normalise(pred.get("name")) for name in _names(gold))
    if kind in NAMED_TYPES:
        return any(names_overlap(name, pred.get("name")) for name in _names(gold))
    if not _same_sentence(gold, pred):
        return False
    if kind == "numeric_claims":
        return _close_values(gold, pred)
    if kind == "events":
        return normalise(gold.get("type")) == normalise(pred.get("type"))
    return True


def one_per_sentence(records: Iterable[Record]) -> list[Record]:
    """Commitments: keep the first record of each sentence (the guide allows one per sentence)."""
    seen: set[str] = set()
    kept = []
    for record in records:
        key = normalise(record.get("sentence"))
        if key not in seen:
            seen.add(key)
            kept.append(record)
    return kept


@dataclass
class Miss:
    """A record left unmatched: a gold record missed, or a system record not in the gold."""

    source: str
    record: Record

    def label(self) -> str:
        """What to show of the record: its name or figure, else its type or modality."""
        for key in ("name", "text", "type", "modality"):
            if not _is_missing(self.record.get(key)) and self.record.get(key) != "":
                return str(self.record[key])
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "label": self.label(), "sentence": self.record.get("sentence"),
                "record": _jsonable(self.record)}


@dataclass
class TypeScore:
    """Counts of one record type; figures are derived, never stored."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [correct, compared]
    missed: list[Miss] = field(default_factory=list)
    spurious: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def attribute_accuracy(self) -> dict[str, float | None]:
        return {name: (ok / n if n else None) for name, (ok, n) in self.attributes.items()}


@dataclass
class Report:
    types: dict[str, TypeScore]
    missing_documents: list[str]

    @property
    def micro(self) -> TypeScore:
        total = TypeScore()
        for score in self.types.values():
            total.gold += score.gold
            total.pred += score.pred
            total.matched += score.matched
        return total

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        """The report as JSON-ready data, figures rounded to 3 places like the reference scorer."""
        types = {}
        for kind, s in self.types.items():
            types[kind] = {
                "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
                "gold": s.gold, "pred": s.pred, "matched": s.matched,
                "attributes": {a: None if v is None else round(v, 3) for a, v in s.attribute_accuracy().items()},
            }
            if errors:
                types[kind]["missed"] = [m.to_dict() for m in s.missed]
                types[kind]["spurious"] = [m.to_dict() for m in s.spurious]
        m = self.micro
        return {
            "missing_documents": self.missing_documents,
            "types": types,
            "micro": {"precision": round(m.precision, 3), "recall": round(m.recall, 3), "f1": round(m.f1, 3)},
        }


def _jsonable(value: Any) -> Any:
    """Parquet values (numpy arrays and scalars, dates, NaN) as plain JSON values."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if _is_missing(value):
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    """Every `*.json` gold file of a folder, in name order; a broken file is an error naming it."""
    if not gold_dir.is_dir():
        raise GoldFileError(f"{gold_dir}: not a folder of gold files")
    golds = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise GoldFileError(f"{path}: not readable JSON: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("source"), str):
            raise GoldFileError(f"{path}: expected an object with a 'source' file name")
        for kind in TYPES:
            if not isinstance(data.get(kind, []), list) or not all(isinstance(r, dict) for r in data.get(kind, [])):
                raise GoldFileError(f"{path}: '{kind}' must be a list of records")
        golds.append(data)
    if not golds:
        raise GoldFileError(f"{gold_dir}: no *.json gold files")
    return golds


def load_predictions(pred_dir: Path) -> dict[str, dict[str, list[Record]]]:
    """{source file name: {record type: records}} from the tables of one output folder."""
    import pandas as pd  # here, not at the top: every `pipeline run` imports this module and never needs pandas

    documents = table_path(pred_dir, "documents")
    if not documents.exists():
        raise FileNotFoundError(f"{pred_dir}: no documents.parquet (run `pipeline run ... --out {pred_dir}` first)")
    docs = pd.read_parquet(documents, columns=["doc_id", "source"])
    source_of = {doc_id: Path(str(source)).name for doc_id, source in zip(docs["doc_id"], docs["source"])}
    by_source: dict[str, dict[str, list[Record]]] = {s: {k: [] for k in TYPES} for s in source_of.values()}
    for kind in TYPES:
        path = table_path(pred_dir, kind)
        if not path.exists():
            continue
        for record in pd.read_parquet(path).to_dict("records"):
            source = source_of.get(record.get("doc_id"))
            if source is not None:
                by_source[source][kind].append(record)
    return by_source


def _score_type(kind: str, source: str, golds: list[Record], preds: list[Record], score: TypeScore) -> None:
    """Greedy one-to-one matching: exact names first, so containment cannot steal an exact match."""
    if kind == "commitments":
        preds = one_per_sentence(preds)
    score.gold += len(golds)
    score.pred += len(preds)
    pred_used: set[int] = set()
    gold_done: set[int] = set()
    for exact_names in (True, False):
        for gi, gold in enumerate(golds):
            if gi in gold_done:
                continue
            pi = next((i for i, p in enumerate(preds) if i not in pred_used and matches(kind, gold, p, exact_names)), None)
            if pi is None:
                continue
            pred_used.add(pi)
            gold_done.add(gi)
            score.matched += 1
            for attribute in ATTRIBUTES[kind]:
                if attribute in gold:
                    tally = score.attributes.setdefault(attribute, [0, 0])
                    tally[0] += attribute_equal(attribute, gold[attribute], preds[pi].get(attribute))
                    tally[1] += 1
    score.missed += [Miss(source, g) for i, g in enumerate(golds) if i not in gold_done]
    score.spurious += [Miss(source, p) for i, p in enumerate(preds) if i not in pred_used]


def score(
    gold_dir: Path, pred_dir: Path, only: Optional[set[str]] = None, types: Sequence[str] = TYPES
) -> Report:
    """Score the tables in `pred_dir` against the gold files in `gold_dir`.

    `only` restricts the documents (by source name); `types` the record types, for gold files
    annotated for some types only (a type left out of a gold file counts as "no records").
    """
    unknown = sorted(set(types) - set(TYPES))
    if unknown:
        raise ValueError(f"unknown record types {', '.join(unknown)} (known: {', '.join(TYPES)})")
    predictions = load_predictions(pred_dir)
    report = Report(types={k: TypeScore(attributes={a: [0, 0] for a in ATTRIBUTES[k]}) for k in TYPES if k in types},
                    missing_documents=[])
    for gold in load_gold(gold_dir):
        source = gold["source"]
        if only and source not in only:
            continue
        if source not in predictions:
            report.missing_documents.append(source)
        system = predictions.get(source, {})
        for kind in report.types:
            _score_type(kind, source, gold.get(kind, []), system.get(kind, []), report.types[kind])
    return report


def evaluate(
    *,
    gold: Path,
    pred: Optional[Path] = None,
    inputs: Sequence[str] = (),
    model: str = DEFAULT_MODEL,
    rules_dirs: Sequence[str] = (),
    only: Optional[set[str]] = None,
    types: Sequence[str] = TYPES,
) -> Report:
    """Score existing tables (`pred`) or, given `inputs`, process them first into a temporary folder."""
    if (pred is None) == (not inputs):
        raise ValueError("give either a folder of tables (pred) or inputs to process, not both")
    if pred is not None:
        return score(gold, pred, only, types)
    from pipeline.run import RunOptions, run

    with tempfile.TemporaryDirectory(prefix="pipeline-eval-") as tmp:
        run(RunOptions(inputs=list(inputs), out=Path(tmp), model=model, rules_dirs=tuple(rules_dirs)))
        return score(gold, Path(tmp), only, types)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_report(report: Report, show_errors: bool = False, echo: Callable[..., None] = out.print) -> None:
    """Plain aligned columns (like the reference scorer), readable in a pipe and easy to grep."""
    def line(text: str) -> None:
        echo(text, markup=False, highlight=False, soft_wrap=True)

    line(f"{'type':16}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}{'matched':>9}  attribute accuracy")
    for kind, s in report.types.items():
        attrs = ", ".join(f"{a}={_pct(v)}" for a, v in s.attribute_accuracy().items() if v is not None)
        line(f"{kind:16}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.gold:6}{s.pred:6}{s.matched:9}  {attrs}")
    m = report.micro
    echo(f"micro F1 {m.f1:.3f} (P {m.precision:.3f}, R {m.recall:.3f})")
    if report.missing_documents:
        echo(f"[yellow]no output for:[/] {escape(', '.join(report.missing_documents))}", markup=True)
    if not show_errors:
        return
    for kind, s in report.types.items():
        for heading, misses in (("missed", s.missed), ("spurious", s.spurious)):
            if misses:
                echo(f"\n[bold]{kind}: {heading} ({len(misses)})[/]", markup=True)
            for miss in misses:
                sentence = miss.record.get("sentence")
                where = f'  "{sentence}"' if isinstance(sentence, str) and sentence else ""
                line(f"  {miss.source}: {miss.label()}{where}")


def eval_command(
    gold: Annotated[Path, typer.Option("--gold", "-g", help="Folder of gold JSON files (annotation guide format).")],
    inputs: Annotated[
        Optional[list[str]],
        typer.Argument(help="Texts to process and score (instead of --pred): files, folders or globs."),
    ] = None,
    pred: Annotated[Optional[Path], typer.Option("--pred", "-p", help="Folder of tables written by `pipeline run`.")] = None,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List missed and spurious records with their sentences.")] = False,
    json_file: Annotated[Optional[Path], typer.Option("--json", help="Also write the report (with the errors) to this JSON file.")] = None,
    docs: Annotated[Optional[str], typer.Option(help="Comma-separated source names to score (default: every gold file).")] = None,
    types: Annotated[Optional[str], typer.Option(help="Comma-separated record types to score, for gold files annotated for some types only.")] = None,
    model: ModelOpt = DEFAULT_MODEL,
    rules: RulesOpt = None,
) -> None:
    """Score output tables against gold files: per-type precision, recall, F1 and attribute accuracy.

    Example: pipeline eval --gold tests/gold --pred data/processed --show-errors
    Example: pipeline eval --gold my_gold/ my_texts/ --rules my_rules/ --types commitments
    """
    if (pred is None) == (not inputs):
        raise typer.BadParameter("give either --pred DIR or INPUT files to process, not both")
    only = set(docs.split(",")) if docs else None
    kinds = [t.strip() for t in types.split(",")] if types else list(TYPES)
    if not set(kinds) <= set(TYPES):
        raise typer.BadParameter(f"--types takes record types among {', '.join(TYPES)}")
    try:
        with setup_errors():
            report = evaluate(gold=gold, pred=pred, inputs=inputs or (), model=model,
                              rules_dirs=[str(r) for r in rules or ()], only=only, types=kinds)
    except (GoldFileError, FileNotFoundError) as exc:
        raise fail(str(exc), 2) from None
    print_report(report, show_errors)
    if json_file is not None:
        json_file.write_text(json.dumps(report.to_dict(errors=True), indent=2, ensure_ascii=False), encoding="utf-8")
