"""One error family: every expected failure of the library is a RosterError.

The message is one Chinese sentence naming the file (and line) or spreadsheet row, what is wrong and
what is required. Whoever raises it has changed nothing on disk. The command line maps the whole
family in one place (commands/common.py): `details` lines first, then “<label>：<message>” on stderr, then
`exit_code` (1 for a refused input or change, 2 for a usage problem). Anything else is a bug.
"""

from __future__ import annotations

__all__ = ["EditError", "RosterError", "TodayError", "UsageProblem"]


class RosterError(Exception):
    """An expected failure, said in one Chinese sentence; exit code 1."""

    exit_code = 1
    label = "错误"  # the word before the colon on stderr

    def details(self) -> list[str]:
        """Lines shown before the message (e.g. the findings that refused a change)."""
        return []


class EditError(RosterError):
    """A change to the registry refused: bad input, a record in the wrong state, a file that cannot be
    edited safely, or a registry that would not be valid afterwards."""


class UsageProblem(RosterError):
    """The command was used wrongly (missing answers and no terminal to ask them on, a bad --base): exit 2."""

    exit_code = 2


class TodayError(UsageProblem, ValueError):
    """``ROSTER_TODAY`` is set but is not a date: the run cannot know what day it is."""

    label = "用法错误"
