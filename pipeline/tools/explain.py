"""`pipeline explain "TEXT"`: run the pipeline on one text and show each record with its rule.

The quickest loop for a rule author: write a sentence, see which records come out, which
rule made each and with what attributes, change the rule file (or pass `--rules DIR`), run
again. Records come from `pipeline.api.extract`, so they are exactly what `pipeline run`
would write for the same text.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape

from pipeline.api import ExtractionError, extract
from pipeline.cli import ModelOpt, RulesOpt, fail, out, parse_date, setup_errors
from pipeline.nlp import DEFAULT_MODEL
from pipeline.records import RECORD_TABLES, Row

#: Provenance columns: shown apart from the attributes (doc_id/sent_id mean nothing for one text).
PROVENANCE = ("doc_id", "sent_id", "sentence", "start", "end", "rule")


@dataclass(frozen=True)
class Explained:
    """One record as the analyst reads it: what it covers, which rule fired, what it says."""

    table: str
    span: str
    start: int
    end: int
    rule: str
    sentence: str
    attributes: dict[str, Any]


def _attributes(row: Row) -> dict[str, Any]:
    """The record's own fields, without provenance and without empty values."""
    data = row.model_dump(mode="json", exclude=set(PROVENANCE))
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def explain(
    text: str,
    *,
    published: Optional[str] = None,
    title: Optional[str] = None,
    model: str = DEFAULT_MODEL,
    rules_dirs: tuple[str, ...] = (),
    entities: bool = False,
) -> list[Explained]:
    """Every record of `text`, table by table in pipeline order, each in text order."""
    result = extract(text, published=published, title=title, model=model, rules_dirs=rules_dirs)
    tables = [*RECORD_TABLES, *(["entities"] if entities else [])]
    sentences = {s.sent_id: s.text for s in result.sentences}
    explained = []
    for table in tables:
        for row in sorted(getattr(result, table), key=lambda r: (r.start, r.end)):
            sentence = getattr(row, "sentence", None) or sentences.get(row.sent_id, "")
            explained.append(Explained(table, result.text[row.start:row.end], row.start, row.end, row.rule,
                                       sentence, _attributes(row)))
    return explained


def _format_value(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def explain_command(
    text: Annotated[str, typer.Argument(help="The text to process; '-' reads it from standard input.")],
    published: Annotated[Optional[str], typer.Option(help="Publication date (YYYY-MM-DD), for relative dates.")] = None,
    title: Annotated[Optional[str], typer.Option(help="Title of the text.")] = None,
    model: ModelOpt = DEFAULT_MODEL,
    rules: RulesOpt = None,
    entities: Annotated[bool, typer.Option("--entities", help="Also show the named entities and their rules.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per record instead of text.")] = False,
) -> None:
    """Run the pipeline on one text and show each record with the rule that fired.

    Example: pipeline explain "China stands ready to deepen cooperation with Kazakhstan." --rules my_rules/
    """
    source = sys.stdin.read() if text == "-" else text
    parse_date(published)  # a bad date is a usage error before the model loads
    try:
        with setup_errors():
            records = explain(source, published=published, title=title, model=model,
                              rules_dirs=tuple(str(r) for r in rules or ()), entities=entities)
    except ExtractionError as exc:
        raise fail(escape(str(exc)), 2) from None
    if as_json:
        for record in records:
            typer.echo(json.dumps(asdict(record), ensure_ascii=False))
        return
    if not records:
        out.print("no records (try --entities to see what the model found)")
    for record in records:
        out.print(f"[bold]{record.table}[/] {escape(repr(record.span))} [{record.start}:{record.end}]"
                  f"  rule [cyan]{escape(record.rule)}[/]", soft_wrap=True, highlight=False)
        for key, value in record.attributes.items():
            out.print(f"    {key}: {escape(_format_value(value))}", soft_wrap=True, highlight=False)
        out.print(f"    sentence: {escape(record.sentence)}", soft_wrap=True, highlight=False)
