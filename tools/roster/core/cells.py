"""Cells of a spreadsheet or CSV file that staff or the public open in Excel or WPS."""

from __future__ import annotations

__all__ = ["FORMULA_START", "spreadsheet_text"]

# A cell starting with one of these is run as a formula (or can be made into one) by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula: such a cell gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text
