"""Progress bars: nothing unless a reporter is installed and the loop is long."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from roster.core import progress


def test_no_reporter_no_bar() -> None:
    assert list(progress.track(range(1000), "读取")) == list(range(1000))


def test_a_reporter_sees_long_loops_only() -> None:
    seen: list[tuple[str, int, int]] = []

    @contextmanager
    def reporter(label: str, total: int) -> Iterator[progress.Advance]:
        count = [0]

        def advance(n: int) -> None:
            count[0] += n

        yield advance
        seen.append((label, total, count[0]))

    with progress.reporting(reporter):
        assert sum(progress.track(list(range(progress.MIN_ITEMS)), "导出")) == sum(range(progress.MIN_ITEMS))
        list(progress.track(range(3), "短"))
        with progress.task("校验文件", total=1000) as advance:
            advance(600)
            advance(400)
    assert seen == [("导出", progress.MIN_ITEMS, progress.MIN_ITEMS), ("校验文件", 1000, 1000)]
    assert progress.installed() is None
