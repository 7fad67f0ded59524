"""Where batches are processed: in this process, a local process pool, or a Dask cluster.

Every engine maps `process_batch` over batches and yields results in input order, keeping
only a few batches in flight so memory does not grow with the corpus.
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, Protocol

from pipeline.process import Job, TableRows, process_batch


class Engine(Protocol):
    def map_batches(self, batches: Iterable[list[Job]]) -> Iterator[list[TableRows]]: ...

    def close(self) -> None: ...


def in_order(
    batches: Iterable[list[Job]],
    submit: Callable[[list[Job]], Any],
    result: Callable[[Any], list[TableRows]],
    in_flight: int,
) -> Iterator[list[TableRows]]:
    """Submit batches to workers, at most `in_flight` ahead, and yield results in input order."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= in_flight:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class LocalEngine:
    """Batches processed one after another in this process."""

    def __init__(self, model: str, rules_dirs: tuple[str, ...], batch_size: int) -> None:
        self.work = partial(process_batch, model=model, rules_dirs=rules_dirs, batch_size=batch_size)

    def map_batches(self, batches: Iterable[list[Job]]) -> Iterator[list[TableRows]]:
        for batch in batches:
            yield self.work(batch)

    def close(self) -> None:
        pass


def _warm_up(model: str, rules_dirs: tuple[str, ...]) -> None:
    """Pool initializer: load the pipeline once per worker process (with the batch-job process
    settings, which a spawned worker does not inherit)."""
    from pipeline.nlp import get_nlp
    from pipeline.runtime import tune_for_batch_work

    tune_for_batch_work()
    get_nlp(model, rules_dirs)


class PoolEngine:
    """Batches spread over `n_process` worker processes, each loading the pipeline once."""

    def __init__(self, model: str, rules_dirs: tuple[str, ...], batch_size: int, n_process: int) -> None:
        context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.pool = context.Pool(n_process, initializer=_warm_up, initargs=(model, rules_dirs))
        self.work = partial(process_batch, model=model, rules_dirs=rules_dirs, batch_size=batch_size)
        self.part_size = max(1, batch_size // 4)
        self.in_flight = 8 * n_process

    def map_batches(self, batches: Iterable[list[Job]]) -> Iterator[list[TableRows]]:
        """Batches go out in quarters: a worker that finishes early takes the next quarter, so the
        workers end within a few documents of each other instead of a whole batch apart."""
        submit = partial(self.pool.apply_async, self.work)
        parts = (batch[i: i + self.part_size] for batch in batches for i in range(0, len(batch), self.part_size))
        return in_order(parts, lambda part: submit((part,)), lambda task: task.get(), self.in_flight)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
