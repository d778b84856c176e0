"""A function mapped over items in forked worker processes, which inherit this process's memory (loaded
schemas, records) instead of receiving it pickled; only each result comes back.

The answer never depends on the workers, only the time does: with one worker the items are done here,
and when a worker dies (killed, out of memory) the items it had not returned are done here too.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["map_forked"]

T = TypeVar("T")
R = TypeVar("R")


def map_forked(fn: Callable[[T], R], items: list[T], workers: int) -> Iterator[R]:
    """fn(item) for each item, in order. `fn` must be a module-level function (the workers look it up
    by name) that reads what it needs from module state set before this call. The workers are forked
    here, before the caller starts anything else (a progress bar's thread must not be forked)."""
    if workers <= 1:
        return map(fn, items)
    from concurrent.futures import ProcessPoolExecutor  # only a large registry needs it (20 ms of imports)

    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        futures = [pool.submit(fn, item) for item in items]
    except OSError:  # no process to be had (limits)
        return map(fn, items)
    return _results(pool, futures, fn, items)


def _results(pool: ProcessPoolExecutor, futures: list[Future[R]], fn: Callable[[T], R], items: list[T]) -> Iterator[R]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        for item, future in zip(items, futures, strict=True):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield fn(item)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
