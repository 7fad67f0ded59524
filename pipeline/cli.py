"""Command line: a thin Typer layer over `pipeline.run` and friends.

Exit codes: 0 every document processed; 2 bad usage; 3 some documents could not be
processed (see the `errors` table); 4 the spaCy model is not installed; 5 a rule file is
invalid; 6 --strict stopped at the first failure.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.nlp import DEFAULT_MODEL, ModelNotFoundError
from pipeline.rules import RuleFileError

if TYPE_CHECKING:  # the runner is imported when `run` is called, keeping `--help` fast
    from pipeline.run import RunSummary

EXIT_NO_MODEL, EXIT_BAD_RULES, EXIT_STRICT = 4, 5, 6

app = typer.Typer(
    help="Extract leaders, agreements, projects, figures, events and commitments from diplomatic texts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

ModelOpt = Annotated[
    str,
    typer.Option(
        "--model", "-m",
        help=f"Any installed spaCy pipeline (default {DEFAULT_MODEL}); 'blank' runs rules only, without a statistical model.",
    ),
]
RulesOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--rules", help="Folder of your own rule files, merged with the shipped ones (repeatable)."),
]


def parse_date(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not an ISO date (YYYY-MM-DD)") from None


def fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@contextmanager
def setup_errors() -> Iterator[None]:
    """A missing model or a broken rule file: one clear line and its exit code, no traceback."""
    try:
        yield
    except ModelNotFoundError as exc:
        raise fail(escape(str(exc)), EXIT_NO_MODEL) from None
    except RuleFileError as exc:
        raise fail(escape(f"invalid rule file: {exc}"), EXIT_BAD_RULES) from None


@app.command()
def run(
    inputs: Annotated[
        Optional[list[str]],
        typer.Argument(help="Files, folders (searched recursively) or globs of .txt, .md, .html, .jsonl. Default: data/raw."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the Parquet tables.")] = Path("data/processed"),
    model: ModelOpt = DEFAULT_MODEL,
    published: Annotated[
        Optional[str], typer.Option(help="Publication date (YYYY-MM-DD) for documents that state none.")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per nlp.pipe batch.")] = 32,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes (one spaCy pipeline each).")] = 1,
    rules: RulesOpt = None,
    force: Annotated[bool, typer.Option(help="Reprocess every document, even unchanged ones.")] = False,
    strict: Annotated[bool, typer.Option(help="Stop at the first document that cannot be processed.")] = False,
    engine: Annotated[str, typer.Option(help="'local' (this machine) or 'dask' (a Dask cluster).")] = "local",
    scheduler: Annotated[
        Optional[str], typer.Option(help="Dask scheduler address; a LocalCluster is started when omitted.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Process a corpus into Parquet tables (documents, sentences, entities, errors and six record tables).

    Example: pipeline run data/raw --out data/processed --published 2024-07-02
    """
    from pipeline.run import RunOptions, StrictModeError, run as run_corpus
    from pipeline.runtime import tune_for_batch_work

    tune_for_batch_work()
    if engine not in ("local", "dask"):
        raise typer.BadParameter("--engine must be 'local' or 'dask'")
    opts = RunOptions(
        inputs=inputs or ["data/raw"], out=out_dir, model=model, published=parse_date(published),
        batch_size=batch_size, n_process=n_process, rules_dirs=tuple(str(r) for r in rules or ()),
        force=force, strict=strict, engine=engine, scheduler=scheduler,
    )
    progress = Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), console=err, disable=quiet, transient=True,
    )
    try:
        with setup_errors(), progress:
            task = progress.add_task("documents", total=None)
            summary = run_corpus(opts, on_document=lambda n: progress.advance(task, n))
    except StrictModeError as exc:
        raise fail(f"--strict: {exc}", EXIT_STRICT) from None
    if not quiet:
        print_summary(summary, out_dir)
    raise typer.Exit(summary.exit_code)


def print_summary(summary: RunSummary, out_dir: Path) -> None:
    table = Table(title=f"Tables written to {out_dir}", show_edge=False)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in summary.counts.items():
        table.add_row(name, str(count))
    out.print(table)
    rate = summary.words / summary.seconds if summary.seconds else 0.0
    out.print(
        f"{summary.processed} processed, {summary.unchanged} unchanged, {summary.failed} failed "
        f"in {summary.seconds:.1f} s ({rate:,.0f} words/s)"
    )
    for error in summary.errors[:10]:
        out.print(f"[yellow]skipped[/] {error.source} ({error.stage}: {error.error}): {error.message}")
    for warning in summary.warnings[:10]:
        out.print(f"[yellow]warning[/] {warning.source} ({warning.error}): {warning.message}; read without it")
    if len(summary.errors) > 10:
        out.print(f"... and {len(summary.errors) - 10} more in errors.parquet")

from pipeline.tools.evaluate import eval_command  # noqa: E402  (analyst commands register last)

app.command("eval")(eval_command)
from pipeline.tools.rules_cmd import rules_app  # noqa: E402

app.add_typer(rules_app, name="rules")
from pipeline.tools.explain import explain_command  # noqa: E402

app.command("explain")(explain_command)
from pipeline.tools.show import show_command  # noqa: E402

app.command("show")(show_command)
from pipeline.tools.query import query_command  # noqa: E402

app.command("query")(query_command)
