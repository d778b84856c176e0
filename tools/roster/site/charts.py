"""SVG charts drawn in Python: no script, no web font, readable without colour (values printed).

Each chart is a horizontal bar chart with a ``<title>`` and ``<desc>``; the page shows the same
figures as a table next to it for screen readers (GB/T 37668).
"""

from __future__ import annotations

from collections.abc import Sequence

from .markup import esc

__all__ = ["bar_chart"]

# Drawn at the width of a phone (390 px less the page margins), so that text is 14 px there and is never
# scaled down; each label stands on its own line above its bar, so long names need no room beside it.
WIDTH = 360
ROW = 46
PAD = 8
FONT = 14
BAR_COLOUR = "#1f5fa8"  # contrast 6.3:1 on white
TEXT_COLOUR = "#1a1a1a"


def bar_chart(title: str, items: Sequence[tuple[str, int]], *, unit: str = "人") -> str:
    """A complete SVG document: one bar per (label, value), the label above it and the value at its end."""
    height = PAD * 2 + 30 + ROW * max(len(items), 1)
    top = max((v for _, v in items), default=0) or 1
    span = WIDTH - PAD * 2 - 60
    desc = "；".join(f"{name} {value} {unit}" for name, value in items) or "无数据"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="t d" font-family="system-ui, sans-serif" font-size="{FONT}">',
        f'<title id="t">{esc(title)}</title><desc id="d">{esc(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{PAD}" y="{PAD + 18}" font-size="{FONT + 2}" font-weight="bold" fill="{TEXT_COLOUR}">{esc(title)}</text>',
    ]
    for n, (name, value) in enumerate(items):
        y = PAD + 30 + n * ROW
        length = round(span * value / top)
        parts.append(f'<text x="{PAD}" y="{y + 16}" fill="{TEXT_COLOUR}">{esc(name)}</text>')
        parts.append(f'<rect x="{PAD}" y="{y + 22}" width="{max(length, 1) if value else 0}" height="16" fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{PAD + length + 6}" y="{y + 35}" fill="{TEXT_COLOUR}">{value} {esc(unit)}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)
