"""One run: read → clean → NLP (in batches, on an engine) → rows → atomic Parquet tables.

The stages stream: documents are read and cleaned lazily, processed a batch at a time, and
their rows appended to the table writers, so memory stays flat whatever the corpus size.
A document whose cleaned text, model, rule files and package code are unchanged since the
last run into the same folder is not processed again; its earlier rows are carried over.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import itertools
import json
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.build import DocMeta
from pipeline.clean import clean_text, get_cleaner
from pipeline.engines import Engine, LocalEngine, PoolEngine
from pipeline.extensions import doc_id_of
from pipeline.nlp import BLANK, DEFAULT_MODEL, get_nlp, model_label
from pipeline.process import Job
from pipeline.readers import RawDocument, ReadError, iter_documents
from pipeline.records import TABLES, ErrorRow
from pipeline.rules import rules_fingerprint
from pipeline.writer import MANIFEST, TableWriter, table_path


#: Exit code of a run that finished but could not process some documents.
EXIT_PARTIAL = 3


class StrictModeError(RuntimeError):
    """Raised in --strict mode at the first document that cannot be processed."""


@dataclass(frozen=True)
class RunOptions:
    inputs: Sequence[str | Path]
    out: Path = Path("data/processed")
    model: str = DEFAULT_MODEL
    published: dt.date | None = None
    batch_size: int = 32
    n_process: int = 1
    rules_dirs: tuple[str, ...] = ()
    force: bool = False
    strict: bool = False
    engine: str = "local"
    scheduler: str | None = None


@dataclass
class RunSummary:
    processed: int = 0
    unchanged: int = 0
    failed: int = 0
    words: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[ErrorRow] = field(default_factory=list)
    warnings: list[ErrorRow] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every document was processed, else EXIT_PARTIAL (see README)."""
        return EXIT_PARTIAL if self.failed else 0


@dataclass(frozen=True)
class PreviousRun:
    """What an earlier run into the same folder already holds, if it is still valid."""

    doc_ids: frozenset[str]
    model_label: str

    @classmethod
    def load(cls, out: Path, model: str, fingerprint: str) -> PreviousRun | None:
        manifest_path = out / MANIFEST
        if not manifest_path.exists() or not all(table_path(out, t).exists() for t in TABLES):
            return None
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        if (manifest.get("pipeline_version"), manifest.get("code_fingerprint"), manifest.get("model_requested"),
                manifest.get("model_package_version"), manifest.get("rules_fingerprint")) != (
                __version__, code_fingerprint(), model, installed_version(model), fingerprint):
            return None
        ids = pq.read_table(table_path(out, "documents"), columns=["doc_id"]).column("doc_id").to_pylist()
        return cls(frozenset(ids), str(manifest.get("model")))


def installed_version(model: str) -> str | None:
    """Version of an installed model package, read without loading the model."""
    if model == BLANK:
        return None
    try:
        return importlib.metadata.version(model)
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the package's source: output made by other code is never reused."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare(raw: RawDocument, rules_dirs: tuple[str, ...] = ()) -> Job | ErrorRow:
    """Clean one document; an empty result is an error, not a silent drop."""
    try:
        cleaned = clean_text(raw.text, rules_dirs)
    except Exception as exc:  # cleaning is pure text work: any failure is reported, not fatal
        return ErrorRow(source=raw.source, stage="clean", error="clean_failed", message=f"{type(exc).__name__}: {exc}")
    if not cleaned.text.strip():
        return ErrorRow(source=raw.source, stage="clean", error="empty", message="no text left after cleaning")
    meta = DocMeta(
        source=raw.source, path=raw.path, title=raw.title, published=raw.published, url=raw.url,
        source_name=raw.source_name, byline=cleaned.byline or raw.byline, language=raw.language,
    )
    return Job(cleaned.text, meta)


def make_engine(opts: RunOptions) -> Engine:
    if opts.engine == "dask":
        from pipeline.dask_engine import DaskEngine

        return DaskEngine(opts.model, opts.rules_dirs, opts.batch_size, opts.scheduler)
    if opts.n_process > 1:
        return PoolEngine(opts.model, opts.rules_dirs, opts.batch_size, opts.n_process)
    return LocalEngine(opts.model, opts.rules_dirs, opts.batch_size)


def batched(jobs: Iterator[Job], size: int) -> Iterator[list[Job]]:
    while batch := list(itertools.islice(jobs, size)):
        yield batch


def run(opts: RunOptions, on_document: Callable[[int], None] | None = None) -> RunSummary:
    """Process `opts.inputs` into the tables in `opts.out`; see RunOptions for the knobs."""
    started = time.perf_counter()
    get_cleaner(opts.rules_dirs)
    fingerprint = rules_fingerprint(opts.rules_dirs)
    previous = None if opts.force else PreviousRun.load(opts.out, opts.model, fingerprint)
    if previous:  # same model, rules and code as a run that succeeded: load the model only if needed
        label = previous.model_label
    else:  # fail fast on a missing model or a broken rule file
        label = model_label(get_nlp(opts.model, opts.rules_dirs), opts.model)
    summary = RunSummary()
    writer = TableWriter(opts.out)
    kept: set[str] = set()
    seen: dict[str, str] = {}

    def record_error(error: ErrorRow) -> None:
        summary.failed += 1
        summary.errors.append(error)
        writer.add("errors", [error])
        if on_document:
            on_document(1)
        if opts.strict:
            raise StrictModeError(f"{error.source}: {error.stage}: {error.message}")

    def jobs() -> Iterator[Job]:
        for item in iter_documents(opts.inputs, default_published=opts.published):
            if isinstance(item, ReadError) and not item.fatal:  # metadata only: the document follows
                summary.warnings.append(item.row())
                writer.add("errors", [item.row()])
                continue
            prepared = item.row() if isinstance(item, ReadError) else prepare(item, opts.rules_dirs)
            if isinstance(prepared, ErrorRow):
                record_error(prepared)
                continue
            doc_id = doc_id_of(prepared.text)
            if doc_id in seen:
                record_error(ErrorRow(
                    source=prepared.meta.source, stage="read", error="duplicate",
                    message=f"same cleaned text as {seen[doc_id]}; processed once",
                ))
                continue
            seen[doc_id] = prepared.meta.source
            if previous and doc_id in previous.doc_ids:
                kept.add(doc_id)
                summary.unchanged += 1
                if on_document:
                    on_document(1)
                continue
            yield prepared

    engine = make_engine(opts)
    try:
        for results in engine.map_batches(batched(jobs(), opts.batch_size)):
            for rows in results:
                for table, table_rows in rows.items():
                    if table == "errors":
                        for error in table_rows:
                            record_error(error)  # type: ignore[arg-type]
                    else:
                        writer.add(table, table_rows)
                if "documents" in rows:
                    summary.processed += 1
                    summary.words += rows["documents"][0].n_words  # type: ignore[attr-defined]
                    if on_document:
                        on_document(1)
        for table in TABLES:
            if table != "errors":
                writer.copy_rows(table, table_path(opts.out, table), kept)
    except BaseException:
        writer.abort()
        raise
    finally:
        engine.close()
    summary.seconds = time.perf_counter() - started
    summary.counts = writer.commit(manifest(opts, nlp_label=label, fingerprint=fingerprint, summary=summary))
    return summary


def manifest(opts: RunOptions, *, nlp_label: str, fingerprint: str, summary: RunSummary) -> dict:
    """What produced these tables: enough to reproduce the run and to detect stale output."""
    return {
        "pipeline_version": __version__,
        "code_fingerprint": code_fingerprint(),
        "model_requested": opts.model,
        "model": nlp_label,
        "model_package_version": installed_version(opts.model),
        "rules_fingerprint": fingerprint,
        "rules_dirs": list(opts.rules_dirs),
        "inputs": [str(p) for p in opts.inputs],
        "default_published": opts.published.isoformat() if opts.published else None,
        "engine": opts.engine,
        "n_process": opts.n_process,
        "batch_size": opts.batch_size,
        "documents": {"processed": summary.processed, "unchanged": summary.unchanged, "failed": summary.failed},
        "words_processed": summary.words,
        "seconds": round(summary.seconds, 3),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
    }
