"""Reporters: the same findings as text for people, annotations for GitHub, JSON for tools."""

from __future__ import annotations

import json
import os
from collections import Counter

from ..core.findings import SEVERITY_LABEL, Finding


def summary_line(findings: list[Finding], files: int) -> str:
    counts = Counter(f.severity for f in findings)
    verdict = "未通过" if counts["error"] else "通过"
    return f"{verdict}：检查了 {files} 个文件，{counts['error']} 个错误，{counts['warning']} 个警告。"


def as_text(findings: list[Finding], files: int) -> str:
    lines = []
    for f in findings:
        line = f"{f.path}:{f.line}:{f.col}: {SEVERITY_LABEL[f.severity]}: {f.message} [{f.rule}]"
        if f.citation:
            line += f"\n    依据：{f.citation}"
        lines.append(line)
    lines.append(summary_line(findings, files))
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding], files: int) -> str:
    """Workflow commands, so each finding shows on the pull request's changed line."""
    lines = []
    for f in findings:
        command = "error" if f.is_error else "warning"
        message = f.message + (f"（依据：{f.citation}）" if f.citation else "")
        props = f"file={_escape_property(f.path)},line={f.line},col={f.col},title={_escape_property(f.rule)}"
        lines.append(f"::{command} {props}::{_escape_data(message)}")
    lines.append(summary_line(findings, files))
    return "\n".join(lines)


def as_json(findings: list[Finding], files: int) -> str:
    counts = Counter(f.severity for f in findings)
    payload = {
        "valid": counts["error"] == 0,
        "files": files,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "findings": [
            {"path": f.path, "line": f.line, "column": f.col, "severity": f.severity, "rule": f.rule,
             "message": f.message, "record": f.record, "citation": f.citation}
            for f in findings
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def job_summary(findings: list[Finding], files: int) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: the verdict and a table of what to fix."""
    lines = [f"## 名册校验：{summary_line(findings, files)}", ""]
    if findings:
        lines += ["| 文件 | 行 | 级别 | 问题 | 规则 |", "|---|---|---|---|---|"]
        for f in findings[:500]:
            message = f.message.replace("|", "\\|") + (f"<br>依据：{f.citation}" if f.citation else "")
            lines.append(f"| `{f.path}` | {f.line} | {SEVERITY_LABEL[f.severity]} | {message} | `{f.rule}` |")
        if len(findings) > 500:
            lines.append(f"\n另有 {len(findings) - 500} 条未列出。")
    return "\n".join(lines) + "\n"


def write_job_summary(findings: list[Finding], files: int) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(job_summary(findings, files))


FORMATS = {"text": as_text, "github": as_github, "json": as_json}
