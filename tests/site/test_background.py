"""The site build's second core: validation runs in a forked child while the pages are generated."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from roster.site.background import Background


def _pid_and_sum(*numbers: int) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def _fails(text: str) -> None:
    raise ValueError(text)


def test_the_work_is_done_in_another_process_and_its_answer_comes_back() -> None:
    pid, total = Background(_pid_and_sum, 1, 2, 3).result()
    assert total == 6
    assert pid != os.getpid()


def test_an_error_in_the_child_is_raised_here() -> None:
    with pytest.raises(ValueError, match="名册坏了"):
        Background(_fails, "名册坏了").result()


def _blocks_in_a_child(parent: int, fd: int) -> int:
    if os.getpid() != parent:
        os.read(fd, 1)  # nothing ever comes: the child waits until it is killed
    return os.getpid()


def test_a_child_that_dies_without_an_answer_is_replaced_by_doing_the_work_here() -> None:
    read, write = os.pipe()
    try:
        job = Background(_blocks_in_a_child, os.getpid(), read)
        os.kill(job.process.pid, signal.SIGKILL)
        assert job.result() == os.getpid()
    finally:
        os.close(read)
        os.close(write)


def test_a_cancelled_child_is_stopped() -> None:
    job = Background(_pid_and_sum, 1)
    process = job.process
    job.cancel()
    assert not process.is_alive()
    assert job.result() == (os.getpid(), 1)


def test_with_other_threads_running_the_work_is_done_here() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        job = Background(_pid_and_sum, 2, 3)
        assert job.process is None
        assert job.result() == (os.getpid(), 5)
    finally:
        stop.set()
        other.join()
