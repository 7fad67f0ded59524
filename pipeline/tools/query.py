"""`pipeline query "SQL"`: DuckDB SQL over the output tables, each table a view named after it.

An analyst asks "which commitments did Kazakhstan make after 2020, with their sentences"
in SQL instead of Python:

    SELECT d.published, c.action, c.sentence
    FROM commitments c JOIN documents d USING (doc_id)
    WHERE list_contains(c.actor, 'KAZ') AND d.published > DATE '2020-12-31'

Views read the Parquet files in place (nothing is copied or loaded up front), so a query
over a large run costs what the query reads.
"""
from __future__ import annotations

import io
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import typer
from rich.markup import escape
from rich.table import Table

from pipeline.cli import fail, out
from pipeline.records import TABLES
from pipeline.writer import table_path


class QueryError(ValueError):
    """The SQL failed, or there are no tables to query; the message says which."""


class Format(str, Enum):
    table = "table"
    csv = "csv"
    parquet = "parquet"


def connect(tables_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table found in `tables_dir`."""
    found = {name: table_path(tables_dir, name) for name in TABLES if table_path(tables_dir, name).exists()}
    if not found:
        raise QueryError(f"{tables_dir}: no tables (run `pipeline run ... --out {tables_dir}` first)")
    con = duckdb.connect(":memory:")
    for name, path in found.items():
        literal = str(path.resolve()).replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{literal}')")
    return con


def query(sql: str, *, tables_dir: Path = Path("data/processed")) -> pa.Table:
    """Run one SQL statement over the tables of a run; the result as an Arrow table."""
    con = connect(tables_dir)
    try:
        relation = con.sql(sql)
        result = relation.to_arrow_table() if relation is not None else pa.table({})
    except duckdb.Error as exc:
        views = ", ".join(r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall())
        raise QueryError(f"{exc} (tables: {views})") from None
    finally:
        con.close()
    return result


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def print_table(result: pa.Table) -> None:
    table = Table(show_edge=False)
    for name in result.column_names:
        table.add_column(escape(name), overflow="fold")
    for row in result.to_pylist():
        table.add_row(*(escape(_cell(v)) for v in row.values()))
    out.print(table)
    out.print(f"({result.num_rows} row{'s' if result.num_rows != 1 else ''})", highlight=False)


def write_csv(result: pa.Table, target) -> None:
    """CSV with list columns joined by '; ' (CSV has no list type)."""
    columns = [
        pa.array([None if v is None else "; ".join(map(str, v)) for v in col.to_pylist()])
        if pa.types.is_list(col.type) else col
        for col in result.columns
    ]
    pacsv.write_csv(pa.table(columns, names=result.column_names), target)


def query_command(
    sql: Annotated[str, typer.Argument(help="One SQL statement; the tables are views named documents, sentences, entities, people, commitments ...")],
    tables_dir: Annotated[
        Path, typer.Option("--out", "--pred", "-o", help="Folder of tables written by `pipeline run --out`.")
    ] = Path("data/processed"),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table (terminal), csv, or parquet (needs --save).")] = Format.table,
    save: Annotated[Optional[Path], typer.Option("--save", "-s", help="Write the result to this file instead of the terminal.")] = None,
) -> None:
    """DuckDB SQL over the output tables (each table a view named after it).

    Example: pipeline query "SELECT d.published, c.action, c.sentence FROM commitments c JOIN documents d USING (doc_id) WHERE list_contains(c.actor, 'KAZ') AND d.published > DATE '2020-12-31'" --out data/processed
    """
    if fmt is Format.parquet and save is None:
        raise typer.BadParameter("--format parquet needs --save FILE.parquet")
    try:
        result = query(sql, tables_dir=tables_dir)
    except QueryError as exc:
        raise fail(escape(str(exc)), 2) from None
    if fmt is Format.parquet:
        pq.write_table(result, save)
    elif fmt is Format.csv and save is not None:
        write_csv(result, str(save))
    elif fmt is Format.csv:
        buffer = io.BytesIO()
        write_csv(result, buffer)
        typer.echo(buffer.getvalue().decode("utf-8"), nl=False)
    elif save is not None:
        save.write_text(result.to_pandas().to_string(index=False) + "\n", encoding="utf-8")
    else:
        print_table(result)
    if save is not None:
        out.print(f"wrote {result.num_rows} rows to {escape(str(save))}", highlight=False)
