"""The one error every registry-changing command raises for an expected problem."""

from __future__ import annotations

__all__ = ["EditError"]


class EditError(Exception):
    """An expected failure (bad input, a record in the wrong state, a file that cannot be edited safely).

    The message is one Chinese sentence naming the file (and line) or spreadsheet row, what is wrong
    and what is required. Whoever raises it has changed nothing on disk.
    """
