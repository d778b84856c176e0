"""SVG charts drawn in Python: no script, no web font, readable without colour (values printed).

Each chart is a horizontal bar chart with a ``<title>`` and ``<desc>``; the page shows the same
figures as a table next to it for screen readers (GB/T 37668).
"""

from __future__ import annotations

from collections.abc import Sequence

from .markup import esc

__all__ = ["bar_chart"]

WIDTH = 640
ROW = 30
LABEL_WIDTH = 190
PAD = 12
BAR_COLOUR = "#1f5fa8"  # contrast 6.3:1 on white
TEXT_COLOUR = "#1a1a1a"


def bar_chart(title: str, items: Sequence[tuple[str, int]], *, unit: str = "人") -> str:
    """A complete SVG document: one bar per (label, value), values written at the bar's end."""
    height = PAD * 2 + 28 + ROW * max(len(items), 1)
    top = max((v for _, v in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - PAD - 70
    desc = "；".join(f"{name} {value} {unit}" for name, value in items) or "无数据"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="t d" font-family="system-ui, sans-serif" font-size="14">',
        f'<title id="t">{esc(title)}</title><desc id="d">{esc(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{PAD}" y="{PAD + 16}" font-size="16" font-weight="bold" fill="{TEXT_COLOUR}">{esc(title)}</text>',
    ]
    for n, (name, value) in enumerate(items):
        y = PAD + 28 + n * ROW
        length = round(span * value / top)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 19}" text-anchor="end" fill="{TEXT_COLOUR}">{esc(name)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{max(length, 1) if value else 0}" height="{ROW - 10}" fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 19}" fill="{TEXT_COLOUR}">{value} {esc(unit)}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)
