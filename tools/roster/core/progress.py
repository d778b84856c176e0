"""Progress reporting for long loops, without the library importing click.

Library code wraps a loop that can take more than a second on a large registry::

    for item in progress.track(items, "校验文件"):
        ...

or, when the work is done in chunks (e.g. by worker processes)::

    with progress.task("校验文件", total=len(items)) as advance:
        for chunk in results:
            advance(len(chunk))

Nothing is shown unless a command installs a reporter (``commands/common.progress_bars()`` installs a
click progress bar on an interactive terminal) and the loop has at least `MIN_ITEMS` items, so
tests, CI logs and pipes see no bars. A reporter is any callable ``(label, total)`` that returns a
context manager yielding ``advance(n)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol, TypeVar

__all__ = ["MIN_ITEMS", "Advance", "Reporter", "installed", "reporting", "task", "track"]

T = TypeVar("T")
Advance = Callable[[int], None]

# below this many items a loop finishes in well under a second: a bar would only flicker
MIN_ITEMS = 200


class Reporter(Protocol):
    def __call__(self, label: str, total: int) -> AbstractContextManager[Advance]: ...


_reporter: Reporter | None = None


def installed() -> Reporter | None:
    return _reporter


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Use `reporter` for every task started inside the block (None: no bars)."""
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous


def _ignore(_: int) -> None:
    return None


@contextmanager
def task(label: str, total: int) -> Iterator[Advance]:
    """A unit of work of `total` steps; yields ``advance(n)``."""
    if _reporter is None or total < MIN_ITEMS:
        yield _ignore
        return
    with _reporter(label, total) as advance:
        yield advance


def track(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Yield `items`, advancing a bar by one per item (`total` defaults to ``len(items)``)."""
    if total is None:
        total = len(items) if isinstance(items, Sized) else 0
    with task(label, total) as advance:
        for item in items:
            yield item
            advance(1)
