from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

MINI = {
    "registry.yaml": """\
        bureau:
          name: 测试市医疗保障局
          region: "540199"
        rosters:
          experts:
            policy: xz-2023
        site:
          title: 测试网站
          host: 测试市医疗保障局
        """,
    "institutions/I0001.yaml": """\
        id: I0001
        name: 测试市人民医院
        type: hospital
        level: 三级甲等
        legal_entity: I0001
        region: "540199"
        designated:
          kind: medical
          since: 2020-01-01
        """,
    "institutions/I0002.yaml": """\
        id: I0002
        name: 测试市人民医院东院区
        type: hospital
        legal_entity: I0001
        region: "540199"
        """,
    "experts/E0001.yaml": """\
        id: E0001
        name: 张明
        gender: 男
        birth: 1975-06
        category: medical
        specialties: [心血管内科]
        employer: I0001
        education:
          level: master
        title:
          name: 主任医师
          level: senior
          since: 2015-01
        work_start: 1998-07
        civil_servant: false
        declarations:
          healthy: {confirmed: true, source: pledge, date: 2024-02-20}
          no_criminal_record: {confirmed: true, source: pledge, date: 2024-03-01}
          no_admin_penalty: {confirmed: true, source: pledge, date: 2024-03-01}
          never_disqualified: {confirmed: true, source: pledge, date: 2024-03-01}
        admission:
          route: invited
          date: 2024-04-01
          consent:
            date: 2024-03-01
        term:
          start: 2024-04-01
          end: 2027-03-31
        status: active
        status_history:
          - date: 2024-04-01
            status: active
        """,
}


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("ROSTER_REGISTRY", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def write_registry(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small registry that validates cleanly; tests break one thing in it."""
    return write_registry(tmp_path / "registry", MINI)


@pytest.fixture
def chdir(tmp_path: Path) -> Callable[[Path], None]:
    old = Path.cwd()

    def go(path: Path) -> None:
        os.chdir(path)

    yield go
    os.chdir(old)
