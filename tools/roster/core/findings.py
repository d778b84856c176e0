"""Findings are data: every check yields them, reporters only format them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    record: str | None = field(default=None, compare=False)
    citation: str | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def at(self, path: str) -> Finding:
        """The same finding reported against another display path."""
        return Finding(path, self.line, self.col, self.severity, self.rule, self.message, self.record, self.citation)


def error(path: str, line: int, col: int, rule: str, message: str, *, record: str | None = None,
          citation: str | None = None) -> Finding:
    return Finding(path, line, col, "error", rule, message, record, citation)


def warning(path: str, line: int, col: int, rule: str, message: str, *, record: str | None = None,
            citation: str | None = None) -> Finding:
    return Finding(path, line, col, "warning", rule, message, record, citation)


def finding_lines(findings: list[Finding]) -> list[str]:
    """Findings as staff read them on a terminal: ``path:line:col: 错误: message [rule]`` and the clause."""
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.col}: {SEVERITY_LABEL[f.severity]}: {f.message} [{f.rule}]")
        if f.citation:
            lines.append(f"    依据：{f.citation}")
    return lines
