"""Run a CPU-bound function over pages in worker processes (pebble), awaited from the reactor's event loop.

One page that crashes its worker, or runs past the timeout, fails alone: pebble replaces the worker
and every other page goes on. With no worker processes the function runs in the calling thread
(no timeout then), which gives the same results.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pebble import ProcessExpired, ProcessPool

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from pebble import ProcessFuture

Result = TypeVar("Result")


class WorkerFailed(Exception):
    """The function did not return for this page: ``kind`` is ``timeout``, ``crashed`` or ``error``."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def available_cores() -> int:
    """The number of cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class WorkerPool(Generic[Result]):
    """``await pool.run(*args)`` calls ``function(*args)`` in one of ``workers`` processes (0: in this thread)."""

    def __init__(self, function: Callable[..., Result], workers: int, timeout: float) -> None:
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, got {workers}")
        self.function = function
        self.workers = workers
        self.timeout = timeout
        # Workers are started fresh (spawn), not forked from a process running a reactor and threads.
        self._pool = (
            ProcessPool(max_workers=workers, context=multiprocessing.get_context("spawn"))
            if workers
            else None
        )

    async def run(self, *args: Any) -> Result:
        """The function's result for ``args``; raises ``WorkerFailed`` when it raised, crashed or timed out."""
        if self._pool is None:
            try:
                return self.function(*args)
            except Exception as error:
                raise WorkerFailed("error", f"{type(error).__name__}: {error}") from error
        future: ProcessFuture[Result] = self._pool.schedule(self.function, args, timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout as error:
            raise WorkerFailed("timeout", f"no result within {self.timeout:g} s") from error
        except ProcessExpired as error:
            raise WorkerFailed("crashed", f"worker exited with code {error.exitcode}") from error
        except Exception as error:
            raise WorkerFailed("error", f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        """Stop the worker processes (pending calls are cancelled)."""
        if self._pool is not None:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join(timeout=10)


class ArrivalOrder:
    """Lets concurrent tasks hand on their results in the order they started, whatever order they finish in."""

    def __init__(self) -> None:
        self._last: asyncio.Future[None] | None = None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """A context for one task: leaving it waits until every task that started earlier has left."""
        previous, mine = self._last, asyncio.get_running_loop().create_future()
        self._last = mine
        try:
            yield
        finally:
            try:
                if previous is not None:
                    await asyncio.shield(previous)
            finally:
                mine.set_result(None)
