"""Run one function in a forked child process while this one goes on (the site build's second core).

The child inherits the parent's memory (the loaded registry is not copied or pickled); only the
result comes back, pickled through a pipe. Where ``fork`` does not exist, where this process runs
other threads (a forked child could inherit a lock one of them holds, e.g. a preview server's), or
when the child dies without a result, :meth:`Background.result` runs the function here instead: the
answer never depends on the child, only the time does.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["Background"]

T = TypeVar("T")


def _child(fn: Callable[..., Any], args: tuple[Any, ...], conn: Connection) -> None:
    try:
        conn.send((True, fn(*args)))
    except BaseException:  # anything goes back to the parent, which decides
        conn.send((False, traceback.format_exc()))
    finally:
        conn.close()


class Background(Generic[T]):
    """``fn(*args)`` started in a forked child; :meth:`result` waits for it (or computes it here)."""

    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        self.fn, self.args = fn, args
        self.process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
            return
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        try:
            self.process = context.Process(target=_child, args=(fn, args, send), daemon=True)
            self.process.start()
        except OSError:  # no process to be had (limits): compute it in result()
            self.process = None
        finally:
            send.close()

    def result(self) -> T:
        if self.process is None:
            return self.fn(*self.args)
        try:
            ok, value = self.receive.recv()
        except EOFError:  # the child died (killed, out of memory): do the work here
            ok, value = False, None
        finally:
            self.receive.close()
            self.process.join()
        if ok:
            return value
        return self.fn(*self.args)  # an exception in the child: raise it here, with its own traceback

    def cancel(self) -> None:
        """Stop the child (the build failed before it needed the answer)."""
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.receive.close()
            self.process = None
