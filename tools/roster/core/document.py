"""A document as a list of blocks, before any file format: ("h", text), ("p", text), ("table", header,
rows), ("sign", names); plus its title, 文号, mark (内部资料) and sign-off.

The draw record (draw/record.py) builds one and renders it as Markdown or HTML; staff/documents.py lays
any of them out in Word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Document"]


@dataclass
class Document:
    title: str
    blocks: list[tuple[Any, ...]] = field(default_factory=list)
    reference: str | None = None  # 文号, under the title
    mark: str | None = None  # “内部资料 不得公开” in the header and footer
    sign_off: tuple[str, str] | None = None  # (issuer, date) at the bottom right
    landscape: bool = False
    body_size: float = 12  # points; a certificate is set larger

    def h(self, text: str) -> None:
        self.blocks.append(("h", text))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.blocks.append(("table", list(header), [[str(c) for c in row] for row in rows]))
