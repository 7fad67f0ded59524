"""Dask engine: batches processed on a Dask cluster (a LocalCluster when no address is given).

Each worker process loads the spaCy pipeline once (`get_nlp` is cached per process) and
returns rows; the client writes the tables exactly as the local engine does, so both
engines produce the same output. Needs the optional extra: `pip install -e ".[dask]"`;
on a remote cluster the workers need this package and the model installed too.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.engines import in_order
from pipeline.process import Job, TableRows, process_batch


class DaskEngine:
    def __init__(self, model: str, rules_dirs: tuple[str, ...], batch_size: int, scheduler: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            raise RuntimeError('the Dask engine needs dask[distributed]: pip install -e ".[dask]"') from exc
        self.cluster = None
        if scheduler is None:
            self.cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)
        from pipeline.runtime import tune_for_batch_work

        self.client.run(tune_for_batch_work)  # the batch-job process settings, on every worker
        self.kwargs = {"model": model, "rules_dirs": rules_dirs, "batch_size": batch_size}
        self.in_flight = 2 * max(len(self.client.scheduler_info().get("workers", {})), 1)

    def map_batches(self, batches: Iterable[list[Job]]) -> Iterator[list[TableRows]]:
        def submit(batch: list[Job]):
            return self.client.submit(process_batch, batch, pure=False, **self.kwargs)

        return in_order(batches, submit, lambda future: future.result(), self.in_flight)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
