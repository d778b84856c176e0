"""The last check of a build — personal data in the built files — with the data files scanned while the engine runs."""

from __future__ import annotations

import hashlib
from pathlib import Path

from roster.site.build import scan_built, scan_data
from roster.site.markup import SLOT_PREFIX

PHONE = "联系电话 13812345678"


def test_the_data_files_are_scanned_as_generated_and_pages_are_left_to_the_built_html() -> None:
    found = scan_data({"opendata/a.json": '{"x": "' + PHONE + '"}', "opendata/b.csv": "编号\nE0001\n",
                       "experts/medical.md": PHONE, f"{SLOT_PREFIX}experts/medical.md#t": PHONE}, [])
    assert sorted(found) == ["opendata/a.json", "opendata/b.csv"]
    assert found["opendata/a.json"][0] == hashlib.sha256(('{"x": "' + PHONE + '"}').encode()).digest()
    assert found["opendata/a.json"][1] == ["opendata/a.json 第 1 行：手机号码"]
    assert found["opendata/b.csv"][1] == []


def test_a_file_scanned_before_is_taken_as_scanned_only_while_it_has_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "opendata").mkdir()
    (tmp_path / "opendata" / "same.csv").write_text("编号\nE0001\n", encoding="utf-8")
    (tmp_path / "opendata" / "changed.csv").write_text(PHONE + "\n", encoding="utf-8")
    known = {
        "opendata/same.csv": (hashlib.sha256("编号\nE0001\n".encode()).digest(), ["（先前的结果）"]),
        "opendata/changed.csv": (hashlib.sha256(b"").digest(), []),  # the engine changed it after the scan
    }
    assert scan_built(tmp_path, [], known) == ["opendata/changed.csv 第 1 行：手机号码", "（先前的结果）"]
    assert scan_built(tmp_path, []) == ["opendata/changed.csv 第 1 行：手机号码"]
