"""The next free id: one more than the highest, as wide as the registry writes them, by year where filed by year."""

from __future__ import annotations

from pathlib import Path

from roster.staff.ids import IdAllocator, next_id, record_path


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


def test_next_ids(tmp_path: Path) -> None:
    assert next_id(tmp_path, "expert") == "E0001"
    touch(tmp_path, "experts/E0001.yaml", "experts/E0007.yaml", "experts/notes.md")
    assert next_id(tmp_path, "expert") == "E0008"
    assert next_id(tmp_path, "expert", taken=["E0008"]) == "E0009"
    touch(tmp_path, "announcements/2025/A2025-004.yaml", "announcements/2026/A2026-001.yaml")
    assert next_id(tmp_path, "announcement", 2026) == "A2026-002"
    assert next_id(tmp_path, "announcement", 2027) == "A2027-001"
    assert record_path(tmp_path, "announcement", "A2026-002") == tmp_path / "announcements/2026/A2026-002.yaml"


def test_width_follows_the_registry(tmp_path: Path) -> None:
    touch(tmp_path, "institutions/I00400.yaml", "experts/E9999.yaml")
    assert next_id(tmp_path, "institution") == "I00401"
    allocator = IdAllocator(tmp_path, "expert")
    assert [allocator.next(), allocator.next()] == ["E10000", "E10001"]
