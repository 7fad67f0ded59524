"""`pipeline show DOC`: one processed document as HTML, every record's span highlighted by type.

Read from the tables of a run (never re-processed), so the page shows exactly what the
tables hold. Records overlap (a figure inside a commitment), which displaCy's entity
renderer cannot draw and its span renderer draws without per-record details, so the text
is cut at every record boundary and each piece is wrapped in one `<mark>` per record that
covers it, outermost the longest; hovering a mark shows the record's type, rule and
attributes (its `title`). Every piece of document text, attribute, rule id and file name
is HTML-escaped, and the page carries a Content-Security-Policy that forbids scripts, so a
document that contains markup shows it as text and can never run it.
"""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import pyarrow.parquet as pq
import typer
from rich.markup import escape

from pipeline.cli import fail, out
from pipeline.records import RECORD_TABLES
from pipeline.writer import table_path

#: Highlight colour per record type (displaCy's palette where it has one).
COLOURS: dict[str, str] = {
    "people": "#7aecec",
    "agreements": "#bfeeb7",
    "projects": "#feca74",
    "numeric_claims": "#ff9561",
    "events": "#aa9cfc",
    "commitments": "#ff8197",
    "entities": "#d9d9d9",
}
#: Columns that place a record rather than describe it: left out of the hover text.
PLACEMENT = ("doc_id", "sent_id", "start", "end", "sentence", "rule")
#: A doc_id prefix shorter than this is too likely to be ambiguous to accept.
MIN_ID_PREFIX = 6


class DocumentNotFound(LookupError):
    """No document, or several, answer to the name or id given."""


@dataclass(frozen=True)
class Highlight:
    """One record to draw: where it is, its type, rule and attributes."""

    number: int
    table: str
    start: int
    end: int
    rule: str
    attributes: dict[str, Any]

    def tooltip(self) -> str:
        lines = [f"{self.table} · rule {self.rule}"]
        lines += [f"{key}: {_text(value)}" for key, value in self.attributes.items()]
        return "\n".join(lines)


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        return ", ".join(map(str, items))
    return str(value)


def _empty(value: Any) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    if isinstance(value, str) or hasattr(value, "__len__"):
        return len(value) == 0
    return False


def find_document(pred: Path, key: str) -> dict[str, Any]:
    """The documents row whose doc_id, doc_id prefix, source, file name or file stem is `key`."""
    path = table_path(pred, "documents")
    if not path.exists():
        raise DocumentNotFound(f"{pred}: no documents.parquet (run `pipeline run ... --out {pred}` first)")
    rows = pq.read_table(path).to_pylist()

    def answers(row: dict[str, Any]) -> bool:
        source = str(row["source"])
        name = Path(source.split("#")[0]).name
        return key in (row["doc_id"], source, name, Path(name).stem, Path(source).name) or (
            len(key) >= MIN_ID_PREFIX and row["doc_id"].startswith(key)
        )

    found = [row for row in rows if answers(row)]
    if len(found) == 1:
        return found[0]
    if not found:
        sample = ", ".join(sorted(str(r["source"]) for r in rows)[:10])
        raise DocumentNotFound(f"no document '{key}' in {pred} (sources: {sample}{' ...' if len(rows) > 10 else ''})")
    names = ", ".join(f"{r['source']} ({r['doc_id'][:10]})" for r in found)
    raise DocumentNotFound(f"'{key}' names {len(found)} documents: {names}; give a doc_id")


def load_highlights(pred: Path, doc_id: str, tables: Sequence[str]) -> list[Highlight]:
    """Every record of one document in the given tables, longest first where they start together."""
    records = []
    for table in tables:
        path = table_path(pred, table)
        if not path.exists():
            continue
        for row in pq.read_table(path, filters=[("doc_id", "=", doc_id)]).to_pylist():
            attributes = {k: v for k, v in row.items() if k not in PLACEMENT and not _empty(v)}
            records.append((table, row, attributes))
    records.sort(key=lambda r: (r[1]["start"], -r[1]["end"]))
    return [Highlight(n, table, row["start"], row["end"], row["rule"], attrs)
            for n, (table, row, attrs) in enumerate(records)]


def _marked_text(text: str, highlights: Sequence[Highlight]) -> str:
    """The text cut at every record boundary, each piece inside the marks of the records covering it."""
    spans = [h for h in highlights if 0 <= h.start < h.end <= len(text)]
    cuts = sorted({0, len(text), *(h.start for h in spans), *(h.end for h in spans)})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        covering = sorted((h for h in spans if h.start <= a and b <= h.end), key=lambda h: (h.start - h.end, h.number))
        piece = html.escape(text[a:b])
        for h in reversed(covering):  # innermost first, so the longest record ends up outermost
            piece = (f'<mark class="rec rec-{h.table}" data-record="{h.number}" data-type="{h.table}"'
                     f' title="{html.escape(h.tooltip(), quote=True)}">{piece}</mark>')
        pieces.append(piece)
    return "".join(pieces)


def _legend(highlights: Sequence[Highlight], tables: Sequence[str]) -> str:
    items = []
    for table in tables:
        count = sum(1 for h in highlights if h.table == table)
        items.append(f'<li><mark class="rec rec-{table}">{html.escape(table)}</mark> {count}</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _record_rows(text: str, highlights: Sequence[Highlight]) -> str:
    rows = []
    for h in highlights:
        attributes = "; ".join(f"{k}: {_text(v)}" for k, v in h.attributes.items())
        rows.append(
            f'<tr id="record-{h.number}"><td><mark class="rec rec-{h.table}">{html.escape(h.table)}</mark></td>'
            f"<td>{html.escape(text[h.start:h.end])}</td><td><code>{html.escape(h.rule)}</code></td>"
            f"<td>{html.escape(attributes)}</td></tr>"
        )
    return "".join(rows)


STYLE = """
body { font: 16px/1.6 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; padding: 0 1em; }
header p { color: #555; margin: .2em 0; }
.doc { white-space: pre-wrap; border: 1px solid #ddd; padding: 1em 1.2em; border-radius: 6px; line-height: 2.1; }
mark.rec { padding: 0.1em 0; border-radius: 3px; color: inherit; }
mark.rec mark.rec { padding: 0.15em 0.1em; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1em; }
.legend mark { padding: 0.1em 0.5em; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
td, th { border-bottom: 1px solid #eee; padding: .3em .5em; text-align: left; vertical-align: top; }
"""


def _type_css(tables: Sequence[str]) -> str:
    return "".join(
        f".rec-{t} {{ background: {COLOURS.get(t, '#eeeeee')}99; border-bottom: 2px solid {COLOURS.get(t, '#999999')}; }}\n"
        for t in tables
    )


def render_html(document: dict[str, Any], highlights: Sequence[Highlight], tables: Sequence[str]) -> str:
    """A self-contained HTML page (no scripts, no external resources) for one document."""
    text = document["text"]
    published = document.get("published")
    meta = [f"source: {document['source']}", f"doc_id: {document['doc_id']}"]
    if isinstance(published, (dt.date, str)):
        meta.append(f"published: {published}")
    title = document.get("title") or document["source"]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{html.escape(str(title))}</title>
<style>{STYLE}{_type_css(tables)}</style>
</head>
<body>
<header>
<h1>{html.escape(str(title))}</h1>
{"".join(f"<p>{html.escape(m)}</p>" for m in meta)}
</header>
{_legend(highlights, tables)}
<p class="hint">Hover over a highlight to see its record: type, rule and attributes.</p>
<div class="doc">{_marked_text(text, highlights)}</div>
<h2>Records</h2>
<table class="records"><thead><tr><th>type</th><th>span</th><th>rule</th><th>attributes</th></tr></thead>
<tbody>{_record_rows(text, highlights)}</tbody></table>
</body>
</html>
"""


def show(key: str, *, pred: Path = Path("data/processed"), entities: bool = False) -> str:
    """The HTML page of the document named `key` (doc_id, its prefix, or source file name)."""
    document = find_document(pred, key)
    tables = [*RECORD_TABLES, *(["entities"] if entities else [])]
    return render_html(document, load_highlights(pred, document["doc_id"], tables), tables)


def show_command(
    key: Annotated[str, typer.Argument(metavar="SOURCE_OR_DOC_ID", help="File name (with or without extension), doc_id or doc_id prefix.")],
    pred: Annotated[Path, typer.Option("--pred", "-p", help="Folder of tables written by `pipeline run`.")] = Path("data/processed"),
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="HTML file to write (default: standard output).")] = None,
    entities: Annotated[bool, typer.Option("--entities", help="Also highlight the named entities.")] = False,
) -> None:
    """An HTML view of one processed document: records highlighted by type, details on hover.

    Example: pipeline show xi-signed-article-2024-07 --pred data/processed --out xi.html
    """
    try:
        page = show(key, pred=pred, entities=entities)
    except DocumentNotFound as exc:
        raise fail(escape(str(exc)), 2) from None
    if out_file is None:
        typer.echo(page, nl=False)
        return
    out_file.write_text(page, encoding="utf-8")
    out.print(f"wrote {escape(str(out_file))}", highlight=False)
