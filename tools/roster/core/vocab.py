"""The registry's vocabulary, declared once: record kinds, their folders and ids, the rosters, Chinese names.

Used by discovery (check/), ids and staff commands (staff/), rules, draws and the site; a new kind or
roster is added here.
"""

from __future__ import annotations

import re

__all__ = ["FOLDERS", "FOLDER_OF_KIND", "ID_PREFIX", "ID_WIDTH", "KIND_LABEL", "KIND_OF_ROSTER", "PEOPLE",
           "ROSTERS", "ROSTER_KIND", "ROSTER_LABELS", "ROSTER_OF_KIND"]

# folder -> (record kind, whether records sit in a year sub-folder, id pattern)
FOLDERS: dict[str, tuple[str, bool, re.Pattern[str]]] = {
    "institutions": ("institution", False, re.compile(r"I[0-9]{4,6}")),
    "experts": ("expert", False, re.compile(r"E[0-9]{4,6}")),
    "supervisors": ("supervisor", False, re.compile(r"S[0-9]{4,6}")),
    "announcements": ("announcement", True, re.compile(r"A([0-9]{4})-[0-9]{3,4}")),
    "draws": ("draw", True, re.compile(r"D([0-9]{4})-[0-9]{3,4}")),
    "conduct": ("conduct", True, re.compile(r"C([0-9]{4})-[0-9]{3,4}")),
    "calendar": ("calendar", False, re.compile(r"[0-9]{4}")),
}
FOLDER_OF_KIND = {kind: folder for folder, (kind, _, _) in FOLDERS.items()}

# the letter an id starts with, and the digits a new id gets (more once the numbers need them)
ID_PREFIX = {"institution": "I", "expert": "E", "supervisor": "S", "announcement": "A", "draw": "D", "conduct": "C"}
ID_WIDTH = {"institution": 4, "expert": 4, "supervisor": 4, "announcement": 3, "draw": 3, "conduct": 3}

KIND_LABEL = {"institution": "单位", "expert": "专家", "supervisor": "社会监督员", "announcement": "公告",
              "draw": "抽取记录", "conduct": "履职记录", "person": "专家或社会监督员", "calendar": "工作日历"}

# the people rosters, each with a policy preset in registry.yaml
PEOPLE = ("expert", "supervisor")
ROSTER_OF_KIND = {"expert": "experts", "supervisor": "supervisors"}
KIND_OF_ROSTER = {roster: kind for kind, roster in ROSTER_OF_KIND.items()}

# what a draw (or an export) can be over: the two rosters and the designated institutions
ROSTERS = ("experts", "supervisors", "institutions")
ROSTER_KIND = {"experts": "expert", "supervisors": "supervisor", "institutions": "institution"}
ROSTER_LABELS = {"experts": "专家", "supervisors": "社会监督员", "institutions": "定点医药机构"}
