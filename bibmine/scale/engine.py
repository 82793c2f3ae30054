"""Where partition tasks run: in this process (``local``) or on a Dask cluster (``dask``).

Both engines run the same task function over the same parts of a Parquet dataset
(:mod:`bibmine.corpus.parquet`) and hand the results back *in part order*, so whatever the caller
combines (counts, assignments) is combined in the same order whichever engine ran the tasks.

>>> with open_engine("local") as engine:
...     list(engine.map(pow, [2, 3], 2))
[(2, 4), (3, 9)]

Without ``scheduler`` the Dask engine starts a ``dask.distributed.LocalCluster`` of ``workers``
single-threaded worker processes (the tasks hold the GIL: processes, not threads, scale them);
with ``scheduler`` (``tcp://host:8786``) it joins an existing cluster, whose workers must have
bibmine installed and see the dataset folder (a shared filesystem).  Large read-only objects such
as a rubric model are sent once per worker with :meth:`DaskEngine.broadcast`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

ENGINES = ("local", "dask")


class LocalEngine:
    """Runs each task here, one after the other."""

    name = "local"
    workers = 1

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def broadcast(self, obj: Any) -> Any:
        return obj

    def map(self, func: Callable, items: Iterable, *args, **kwargs) -> Iterator[tuple[Any, Any]]:
        """``(item, func(item, *args, **kwargs))`` for each item, in order."""
        for item in items:
            yield item, func(item, *args, **kwargs)

    def worker_memory(self) -> dict[str, int]:
        return {"local": peak_rss()}


class DaskEngine:
    """Runs tasks on a Dask cluster; see the module docstring."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, memory_limit: str = "auto"):
        self.scheduler = scheduler
        self.n_workers = workers
        self.memory_limit = memory_limit
        self.client = None
        self.cluster = None

    def __enter__(self) -> DaskEngine:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is a declared dependency
            raise ImportError("--engine dask needs dask[distributed] (pip install 'dask[distributed]')") from exc
        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            n = self.n_workers or max(1, (os.cpu_count() or 1))
            # silence_logs: the cluster's own chatter (heartbeats at shutdown); a failing task
            # still raises here with its exception (see map)
            self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                        memory_limit=self.memory_limit, dashboard_address=None,
                                        silence_logs=logging.CRITICAL)
            self.client = Client(self.cluster)
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info()["workers"])

    def broadcast(self, obj: Any):
        """Send ``obj`` to every worker once; tasks that take the returned future get the worker's copy."""
        return self.client.scatter(obj, broadcast=True, hash=False)

    def map(self, func: Callable, items: Iterable, *args, **kwargs) -> Iterator[tuple[Any, Any]]:
        """Submit one task per item and yield ``(item, result)`` in item order as results arrive.

        A task's result is released on the cluster once it is handed back, so memory holds only
        the results not yet consumed.  A failing task raises its exception here, naming the item.
        """
        items = list(items)
        futures = [self.client.submit(func, item, *args, pure=False, **kwargs) for item in items]
        try:
            for item, future in zip(items, futures, strict=True):
                try:
                    result = future.result()
                except Exception as exc:
                    raise RuntimeError(f"task {func.__name__}({item!r}) failed on the cluster: {exc}") from exc
                future.release()
                yield item, result
        finally:
            for future in futures:
                future.cancel()

    def worker_memory(self) -> dict[str, int]:
        """Peak resident memory (bytes) of each worker process so far."""
        return self.client.run(peak_rss)


def peak_rss() -> int:
    """Peak resident set size of this process in bytes (Linux reports KiB, macOS bytes)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def open_engine(name: str = "local", scheduler: str | None = None, workers: int | None = None):
    """An engine by name; use as a context manager."""
    if name not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {name!r}")
    if name == "local":
        if scheduler:
            raise ValueError("--scheduler is for --engine dask")
        return LocalEngine()
    return DaskEngine(scheduler=scheduler, workers=workers)
