"""Where batches are processed: in this process, a local process pool, or a Dask cluster.

Every engine maps `process_batch` over batches and yields results in input order, keeping
only a few batches in flight so memory does not grow with the corpus.
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Protocol

from pipeline.process import Job, TableRows, process_batch


class Engine(Protocol):
    def map_batches(self, batches: Iterable[list[Job]]) -> Iterator[list[TableRows]]: ...

    def close(self) -> None: ...


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
    """Pool initializer: load the pipeline once per worker process."""
    from pipeline.nlp import get_nlp

    get_nlp(model, rules_dirs)


class PoolEngine:
    """Batches spread over `n_process` worker processes, each loading the pipeline once."""

    def __init__(self, model: str, rules_dirs: tuple[str, ...], batch_size: int, n_process: int) -> None:
        context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.pool = context.Pool(n_process, initializer=_warm_up, initargs=(model, rules_dirs))
        self.work = partial(process_batch, model=model, rules_dirs=rules_dirs, batch_size=batch_size)
        self.in_flight = 2 * n_process

    def map_batches(self, batches: Iterable[list[Job]]) -> Iterator[list[TableRows]]:
        pending: deque = deque()
        for batch in batches:
            pending.append(self.pool.apply_async(self.work, (batch,)))
            if len(pending) >= self.in_flight:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
