"""The NLP stage: cleaned texts in, table rows out, for one batch of documents.

This function is what every engine runs (in-process, a process pool, or a Dask worker), so
the pipeline is loaded once per process (`get_nlp` caches it) and rows, not Docs, cross
process boundaries: typed records do not survive spaCy's msgpack serialisation, and
building rows where the Doc lives avoids shipping Docs at all.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.build import DocMeta, document_rows
from pipeline.extensions import doc_id_of
from pipeline.nlp import get_nlp, model_label
from pipeline.records import ErrorRow, Row

if TYPE_CHECKING:
    from spacy.language import Language

TableRows = dict[str, list[Row]]


@dataclass(frozen=True)
class Job:
    """One cleaned document waiting for the model."""

    text: str
    meta: DocMeta


class _FailureLog:
    """spaCy error handler: remember which document a component failed on, and why."""

    def __init__(self) -> None:
        self.failures: dict[str, tuple[str, str]] = {}

    def __call__(self, proc_name: str, proc: object, docs: list, exc: Exception) -> None:
        for doc in docs:
            self.failures[doc_id_of(doc.text)] = ("component_failed", f"{proc_name}: {type(exc).__name__}: {exc}")


def make_doc(nlp: Language, job: Job):
    """A tokenised Doc carrying the metadata the components read (publication date, title, publisher)."""
    doc = nlp.make_doc(job.text)
    doc._.published = job.meta.published
    doc._.title = job.meta.title
    doc._.source = job.meta.source
    doc._.source_name = job.meta.source_name
    return doc


def process_batch(
    jobs: Sequence[Job], model: str, rules_dirs: tuple[str, ...] = (), batch_size: int = 32
) -> list[TableRows]:
    """Run the pipeline over a batch; a document a component fails on becomes an error row."""
    nlp = get_nlp(model, rules_dirs)
    log = _FailureLog()
    # Plain-function components (ours) report through the default handler; spaCy's
    # `set_error_handler` is not used because its trainable pipes reject it.
    nlp.default_error_handler = log
    rule = f"model:{model_label(nlp, model)}"
    done: dict[int, TableRows] = {}
    for job in jobs:
        if len(job.text) > nlp.max_length:  # spaCy refuses it; the parser would need gigabytes
            log.failures[doc_id_of(job.text)] = (
                "too_long",
                f"too long for the model: {len(job.text):,} characters after cleaning, the limit is "
                f"{nlp.max_length:,} (split the document, or raise the limit with enough memory)",
            )
    pairs = ((make_doc(nlp, job), i) for i, job in enumerate(jobs) if len(job.text) <= nlp.max_length)
    for doc, i in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        try:
            done[i] = document_rows(doc, jobs[i].meta, rule)
        except Exception as exc:  # a record a component built wrongly: report, keep the run going
            log.failures[doc_id_of(doc.text)] = ("build_failed", f"{type(exc).__name__}: {exc}")
    results = []
    for i, job in enumerate(jobs):
        if i in done:
            results.append(done[i])
            continue
        kind, reason = log.failures.get(doc_id_of(job.text), ("dropped", "the document was dropped by the pipeline"))
        error = ErrorRow(source=job.meta.source, stage="nlp", error=kind, message=reason)
        results.append({"errors": [error]})
    return results
