"""The line reader (fastpath.py) against the full loader (libyaml + strict conversion): whenever the line
reader accepts a text, the full loader must read it without a problem and give the same data, with
the same types and key order. Declining is always allowed; accepting the files our writers produce is
required, or the line reader is of no use.

The number of generated examples can be raised for a one-off longer run:
    ROSTER_FUZZ_EXAMPLES=100000 .venv/bin/python -m pytest tests/yamlio/test_fastpath.py -q
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roster.yamlio import fastpath, load
from roster.yamlio.load import LoadError, load_bytes, load_bytes_libyaml

REPO = Path(__file__).resolve().parents[2]
DEMO = sorted((REPO / "registry").rglob("*.yaml"))
PACKAGED = sorted((REPO / "tools" / "roster").rglob("*.yaml"))
EXAMPLES = int(os.environ.get("ROSTER_FUZZ_EXAMPLES", "3000"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])


def refuse_phone(key: str) -> tuple[str, str] | None:
    return ("privacy.field", "不得保存") if key in ("phone", "id_card") else None


def typed(value: Any) -> str:
    """`repr` tells True from 1, 1 from 1.0 and "1" from 1, and shows the key order."""
    return repr(value)


def same_or_declined(text: str, key_check: load.KeyCheck | None = refuse_phone) -> bool:
    """True when the line reader accepts `text` (and then agrees with the full loader), False when it declines."""
    data = fastpath.parse(text, key_check)
    if data is None:
        return False
    try:
        full = load_bytes_libyaml(text.encode("utf-8"), key_check).data
    except LoadError as exc:
        raise AssertionError(f"accepted a text the full loader refuses: {text!r}: {exc.problems}") from None
    assert typed(data) == typed(full), text
    return True


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("generated") / "registry"
    subprocess.run([sys.executable, str(REPO / "tests/perf/generate.py"), "--experts", "300", "--announcements", "5",
                    "--out", str(out), "--as-of", "2026-03-15"], check=True, capture_output=True)
    return sorted(out.rglob("*.yaml"))


# --- 1. the files our writers produce are read by the line reader, and read the same ---

def test_every_demo_file_is_accepted_and_equal() -> None:
    assert len(DEMO) > 100
    declined = [str(path.relative_to(REPO)) for path in DEMO if not same_or_declined(path.read_text("utf-8"))]
    assert declined == []


def test_every_generated_file_is_accepted_and_equal(generated: list[Path]) -> None:
    assert len(generated) > 300
    declined = [path.name for path in generated if not same_or_declined(path.read_text("utf-8"))]
    assert declined == []


def test_files_saved_by_the_editor_are_equal_when_accepted() -> None:
    """Decap CMS (the staff form editor) writes records with the npm yaml package: every one read the same,
    all but the folded (>) announcement bodies accepted."""
    node = shutil.which("node")
    if node is None or not (REPO / "tools/cms/node_modules/yaml/package.json").is_file():
        pytest.skip("没有 node 或 tools/cms/node_modules（运行 make cms）")
    files = [str(path.relative_to(REPO)) for path in DEMO if path.parent.name in ("experts", "supervisors", "institutions")]
    done = subprocess.run([node, str(REPO / "tests/cms/decap_yaml.cjs"), str(REPO / "tools/cms/admin/config.yml"), *files],
                          cwd=REPO, capture_output=True, text=True, encoding="utf-8", check=True, timeout=120)
    saved: dict[str, str] = json.loads(done.stdout)
    assert len(saved) == len(files) > 100
    assert [name for name, text in saved.items() if not same_or_declined(text)] == []


def test_packaged_data_files_are_equal_when_accepted() -> None:
    """Hand-written (Chinese and dotted keys, comments after values): most go to libyaml, read once per run."""
    accepted = [path for path in PACKAGED if same_or_declined(path.read_text("utf-8"), None)]
    assert accepted


def test_load_bytes_uses_the_line_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """With libyaml out of reach, every demo file still loads: load_bytes does not silently always fall back."""
    def no_libyaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("libyaml was asked")

    monkeypatch.setattr(load.yaml, "compose", no_libyaml)
    for path in DEMO:
        assert load_bytes(path.read_bytes()).data is not None


def test_declined_text_goes_through_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    composed = []
    real = load.yaml.compose
    monkeypatch.setattr(load.yaml, "compose", lambda *a, **k: composed.append(1) or real(*a, **k))
    assert load_bytes(b"a: x # comment\n").data == {"a": "x"}
    assert load_bytes(b"a: x\n").data == {"a": "x"}
    assert composed == [1]


def test_positions_still_come_from_the_full_loader() -> None:
    raw = (REPO / "registry/experts/E0001.yaml").read_bytes()
    assert fastpath.parse(raw.decode()) is not None
    assert load_bytes(raw).positions == load_bytes(raw, eager_positions=True).positions
    assert load_bytes(raw).position(("education", "school")) == (16, 3)


def test_eager_positions_skip_the_line_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "parse", lambda *a: pytest.fail("line reader used"))
    assert load_bytes(b"a: 1\n", eager_positions=True).positions[("a",)] == (1, 1)


def test_field_names_are_shared_between_records() -> None:
    """100,000 records each holding their own copy of every field name would cost hundreds of MB."""
    one, two = (load_bytes((REPO / f"registry/experts/{name}.yaml").read_bytes()).data for name in ("E0001", "E0002"))
    three = load_bytes_libyaml((REPO / "registry/experts/E0003.yaml").read_bytes()).data
    for key in ("specialties", "education", "status_history"):
        shared = next(k for k in one if k == key)
        assert next(k for k in two if k == key) is shared
        assert next(k for k in three if k == key) is shared
    assert next(k for k in one["education"] if k == "school") is next(k for k in three["education"] if k == "school")


# --- 2. explicit cases ---

ACCEPTED = [
    ("a: 1\nb: 1.5\nc: true\nd: false\ne: null\nf: ~\ng:\nh: 2026-03-15\ni: -3\n",
     {"a": 1, "b": 1.5, "c": True, "d": False, "e": None, "f": None, "g": None, "h": "2026-03-15", "i": -3}),
    ("key: 'it''s'\n", {"key": "it's"}),
    ("key: '  a # b: c  '\n", {"key": "  a # b: c  "}),
    ('key: "a b"\n', {"key": "a b"}),
    ("key: 'true'\nk2: \"010\"\n", {"key": "true", "k2": "010"}),
    ("key:  spaced  \n", {"key": "spaced"}),
    ("key: a  b  \n", {"key": "a  b"}),
    ("- a\n- b\n", ["a", "b"]),
    ("a: x\nlast:", {"a": "x", "last": None}),
    ("a: x\nlast:\n\n# end\n", {"a": "x", "last": None}),
    ("a:\n- x\n- z\nb: 1\n", {"a": ["x", "z"], "b": 1}),
    ("a:\n  - k: 1\n    l: 2\n  - k: 3\nb: []\nc: {}\n", {"a": [{"k": 1, "l": 2}, {"k": 3}], "b": [], "c": {}}),
    ("a:\n  -\n    - x\n  - z\n  -\n", {"a": [["x"], "z", None]}),
    ("a:\n  b:\n    c:\n      d: 1\n  e: 2\n", {"a": {"b": {"c": {"d": 1}}, "e": 2}}),
    ("# c\n\na: 1\n  # indented comment\nb: 2\n", {"a": 1, "b": 2}),
    ("body: |\n  line 1\n\n  line 2\nnext: 1\n", {"body": "line 1\n\nline 2\n", "next": 1}),
    ("body: |-\n  x\n   y\n", {"body": "x\n y"}),
    ("body: |\n  x", {"body": "x"}),
    ("a: [E1, E2,\n  E3]\nb: {quota: 1, institution: I0001}\n",
     {"a": ["E1", "E2", "E3"], "b": {"quota": 1, "institution": "I0001"}}),
    ("values: [05 11 + 09, '40726']\n", {"values": ["05 11 + 09", "40726"]}),
    ("a: x#y\nb: 《办法》第八条：入库\nc: 张三（副主任）\n", {"a": "x#y", "b": "《办法》第八条：入库", "c": "张三（副主任）"}),
    ("y: 1\nn: 2\n", {"y": 1, "n": 2}),
    ("a: b\r\nc: |\r\n  x\r\n\r\n  z\r\n", {"a": "b", "c": "x\n\nz\n"}),
    ("k" * 200 + ": 1\n", {"k" * 200: 1}),
    ("a: 1e3\nb: ~x\nc: 2026-3-5\nd: -x\ne: ---\n", {"a": "1e3", "b": "~x", "c": "2026-3-5", "d": "-x", "e": "---"}),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_canonical_texts_are_accepted_and_equal(text: str, expected: Any) -> None:
    assert same_or_declined(text)
    assert typed(fastpath.parse(text)) == typed(expected)


DECLINED = [
    "", "\n", "# only a comment\n", "# one\n\n# two\n",
    "a: no\n", "a: yes\n", "a: y\n", "a: n\n", "a: on\n", "a: 010\n", "a: 0o17\n", "a: 1:30\n", "a: 0x1F\n",
    "a: 1_000\n", "a: .5\n", "a: +1\n", "a: 1.5e+3\n", "a: .inf\n", "a: NULL\n", "a: True\n",
    "a: 2026-03-15 10:00:00\n", "a: 2026-3-5 1:00:00\n", "- y\n",
    "true: x\n", "null: x\n", "on: x\n", "yes: x\n", "<<: x\n", "1: x\n", "键: x\n", "'a': x\n", "a b: x\n",
    "a: 1\na: 2\n", "a: {b: 1, b: 2}\n", "phone: x\n", "a:\n  id_card: x\n", "a: {b: 1, phone: x}\n", "- a: [x,\n    y]\n  b: {phone: 1}\n",
    "key: value # comment\n", "a: b: c\n", 'key: "a\\"b"\n', 'key: "a\\nb"\n', "key:value\n", "key : value\n",
    "a:\tb\n", "a: b\rc: 1\n", "a: 'b\rc'\n", "a" * 1025 + ": 1\n", "k: {" + "a" * 1025 + ": 1}\n", "- " + "a" * 1100 + ": 1\n", "a: b\x85\n", "a: b\u2028c\n", "a: b\u2029\n", "\ufeffa: b\n", "a: \x07\n", "a: \x9f\n",
    "a: \ufffe\n", "---\na: 1\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n",
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: *x\n", "a: >\n  x\n", "a: |+\n  x\n", "a: |2\n   x\n", "a: | # c\n  x\n",
    "a: [x,\n", "a: [x,\n# c\n  y]\n", "a: [x,\n\n  y]\n", "a: [x,\n  y,\n  # c\n  z]\n",
    "".join(" " * depth + "a:\n" for depth in range(60)), "".join(" " * (2 * depth) + "- a:\n" for depth in range(60)),
    "a: [1, [2]]\n", "a: [a: 1]\n", "a: {b: [1]}\n", "a: [x,]\n", "a: [x, , y]\n", "a: [x\n", "a: [x,\ny]\n",
    "a: plain\n  continued\n", "a: 'quoted\n  continued'\n", "- - x\n", "a: - x\n", "a: -\n", "a:\n  b: 1\n c: 2\n",
    "  a: 1\n", "a:\n    b: 1\n  c: 2\n", "- a\nb: 1\n", "a: 1\n- b\n", "plain text\n", "a: |\n\n", "a: |\nb: 1\n",
    "a: |\n  x\n   \n  y\n", "a: |\n   \n  x\n", "a:\n  - x\n - y\n", "a: ?x\n", "a: :x\n", "a: @x\n", "a: `x\n",
    "a: %x\n", "a: 'x' y\n", "a: '''\n", "a: \"x\n", "gender：男\n", "\u3000a: 1\n", "a:\n  -x: 1\n",
]


@pytest.mark.parametrize("text", DECLINED)
def test_unusual_texts_are_declined(text: str) -> None:
    assert fastpath.parse(text, refuse_phone) is None


def test_declined_texts_still_report_every_problem() -> None:
    """The problems come from the full loader, unchanged (tests/yamlio/test_load.py checks their wording)."""
    for text, rule in (("a: no\n", "yaml.implicit_type"), ("a: 1\na: 2\n", "yaml.duplicate_key"),
                       ("a: &x 1\nb: *x\n", "yaml.alias"), ("<<: x\n", "yaml.merge"), ("a:\tb\n", "yaml.tab"),
                       ("", "yaml.empty"), ("true: x\n", "yaml.key")):
        with pytest.raises(LoadError) as caught:
            load_bytes(text.encode())
        assert rule in [p.rule for p in caught.value.problems], text
    with pytest.raises(LoadError) as refused:
        load_bytes(b"phone: 1\n", key_check=refuse_phone)
    assert [p.rule for p in refused.value.problems] == ["privacy.field"]


# --- 3. generated texts: whatever the line reader accepts, the full loader reads the same way ---

GOOD_KEYS = ["a", "b", "c", "d", "e", "f", "g", "id", "name", "status", "E0001", "_x", "y", "n", "Ab_9", "k" * 200]
ODD_KEYS = ["true", "on", "yes", "null", "No", "<<", "键", "1", "~", "phone", "'a'", '"b"', "a:b", "a b", "-a", "=", "",
            "k" * 201, "k" * 1030]
GOOD_VALUES = ["x", "张三", "医保 基金", "12", "0", "-3", "1.5", "-0.25", "true", "false", "null", "~", "2026-03-15",
               "'it''s'", "'a'", "''", "' a # b: c '", '"a b"', '""', '"# x"', "'true'", "[]", "{}", "[ ]",
               "[a, b]", "[a,b]", "{a: 1, b: x}", "[a, 'b', 'c''d']", "a#b", "x：y", "x  ", "\u3000", "x\u3000y", "-x", "---",
               "1e3", "a]", "1,2", "\\", "a'b", 'a"b', "a: ", "ab:", "0.0", "100", "2026-03", "E0001", "I0001"]
ODD_VALUES = ["010", "1_0", "0x1F", ".inf", "-.inf", ".nan", "1:30", "2026-03-15 10:00:00", "2026-3-5", "Null", "y",
              "n", "yes", "off", "True", "-0", "00", "+1", ".5", "1.", "1.5e+3", "0o17", "&a x", "*a", "!!str x", "!x y",
              "|", "|-", "|+", ">", ">-", "'''", "'a", '"a\\"b"', '"a\\nb"', "a # c", "a: b", "a:", "[a,",
              "b]", "[a: 1]", "{a: 1, a: 2}", "['a,b']", "[a, [b]]", "{a: [1]}", "[a, ]", "- x", "-", "--", "...", "? x",
              "%x", "@x", "`x", "#", "  x", "x\u2028y", "x\x85", "x\ufeff", "x\x7f", "=", "<<", "{a: 1", "[a: b]", "[a,, b]",
              "[-1, .5]", "{a: '1'}", "{a:1}", "{a: b: c}", "[#]", "'a' b", '"a" b', "%"]
KEYS = GOOD_KEYS + ODD_KEYS
VALUES = GOOD_VALUES + ODD_VALUES
INDENTS = ["", " ", "  ", "   ", "    ", "      "]
SEPARATORS = [" ", "  ", "", "\t", "\u3000", "： "]
TAILS = ["", " ", "  ", " # c", "\t", ",", ":", "'", "\u2029"]




class Pick:
    """Fragments chosen by a `random.Random` that hypothesis seeds: hypothesis's own choices favour the odd
    branches, and a text with one odd part is declined, so to have much accepted (and compared) the odd parts
    must stay rare (one in `one_in`)."""

    def __init__(self, rnd: random.Random, one_in: int) -> None:
        self.rnd = rnd
        self.one_in = one_in

    def odd(self) -> bool:
        return self.rnd.randrange(self.one_in) == 0

    def of(self, usual: list[str], odd: list[str]) -> str:
        return self.rnd.choice(odd if self.odd() else usual)

    def key(self) -> str:
        return self.of(GOOD_KEYS, ODD_KEYS)

    def value(self) -> str:
        return self.of(GOOD_VALUES, ODD_VALUES)

    def separator(self) -> str:
        return self.of([" "], SEPARATORS)

    def tail(self) -> str:
        return self.of(["", "  "], TAILS)

    def shift(self) -> int:
        return self.rnd.choice([0, 1, 3, 4, 6]) if self.odd() else 2

    def line(self, indent: str) -> str:
        """Any one line."""
        kind = self.rnd.randrange(10)
        if kind <= 2:
            return f"{indent}{self.key()}:{self.separator()}{self.value()}{self.tail()}"
        if kind == 3:
            return f"{indent}{self.key()}:{self.tail()}"
        if kind == 4:
            return f"{indent}- {self.value()}{self.tail()}"
        if kind == 5:
            return f"{indent}- {self.key()}:{self.separator()}{self.value()}"
        if kind == 6:
            return indent + self.rnd.choice(["-", "- ", "-  ", "- - x", "-x", "- a:", "-  a: 1"])
        if kind == 7:
            return indent + self.rnd.choice(["# c", "#", "", "   ", " # x: y", "#\u2028"])
        if kind == 8:
            return indent + self.rnd.choice(VALUES)
        return indent + self.rnd.choice(["text", "  more", "x,", "z]", "}", "  - a", "---", "..."])

    def block(self, lines: list[str], indent: int, depth: int) -> None:
        """Nested mappings and lists laid out as our writers lay them out."""
        rnd = self.rnd
        pad = " " * indent
        for _ in range(rnd.randint(1, 4)):
            choice = rnd.randrange(16)
            if choice <= 6 or depth > 3:
                lines.append(f"{pad}{self.key()}:{self.separator()}{self.value()}{self.tail()}")
            elif choice <= 8:
                lines.append(f"{pad}{self.key()}:{self.tail()}")
                self.block(lines, indent + self.shift(), depth + 1)
            elif choice <= 10:
                lines.append(f"{pad}{self.key()}:")
                dash = indent + rnd.choice([0, 2, 2, 2, 4, 1])
                for _ in range(rnd.randint(1, 3)):
                    self.item(lines, dash, depth + 1)
            elif choice == 11:
                lines.append(f"{pad}{self.key()}: {self.of(['|', '|-'], ['|+', '>', '| ', '|1', '|2-', '>-'])}")
                content = pad + " " * (rnd.choice([0, 1, 3, 4]) if self.odd() else 2)
                for _ in range(rnd.randint(0, 4)):
                    lines.append(self.of([content + "text", content + "文字 ", content + " more  ", content + "# hash",
                                          content + "- x", content + "k: v", "", content + "   deeper"],
                                         [" ", content, pad + " less", "---", pad + "x: 1", "  ", content + "\t"]))
            elif choice == 12:
                lines.append(f"{pad}{self.key()}: [{self.value()}, {self.value()},")
                for _ in range(rnd.randint(0, 2)):
                    lines.append(f"{pad}{' ' * (self.shift() or 2)}{self.value()}, {self.value()},")
                lines.append(pad + " " * self.shift() + self.of(["x]", "z, w]", "'q']", "E0001]"], ["]", "x,", "x"]))
            elif choice == 13:
                lines.append(f"{pad}{self.key()}: {{{self.key()}: {self.value()}, {self.key()}: {self.value()}}}")
            elif choice == 14:
                lines.append(rnd.choice(INDENTS) + self.of(["# c", "", "#x", "# a: b", "   # 注释"], ["  ", "#\t"]))
            elif self.odd():
                lines.append(self.line(rnd.choice(INDENTS)))

    def item(self, lines: list[str], dash: int, depth: int) -> None:
        rnd = self.rnd
        item = rnd.randrange(4)
        if item == 0 or depth > 3:
            lines.append(f"{' ' * dash}- {self.value()}{self.tail()}")
        elif item == 1:
            lines.append(f"{' ' * dash}-{self.of([''], [' ', '  '])}")
            if rnd.random() < 0.8:
                inner = dash + self.shift()
                if rnd.random() < 0.5:
                    self.item(lines, inner, depth + 1)
                else:
                    self.block(lines, inner, depth + 1)
        else:
            column = dash + 2 + (rnd.choice([1, 2]) if self.odd() else 0)
            first = self.value() if rnd.randrange(4) else self.of(["|", "|-"], ["|+", ">"])
            lines.append(f"{' ' * dash}-{' ' * (column - dash - 1)}{self.key()}:{self.separator()}{first}")
            if first[0] in "|>":
                for _ in range(rnd.randint(1, 3)):
                    lines.append(" " * (column + self.shift()) + self.of(["text", "文字 ", "# x", ""], [" ", "-", "k: v"]))
            for _ in range(rnd.randint(0, 2)):
                lines.append(f"{' ' * (column + (rnd.choice([-1, 1, 2]) if self.odd() else 0))}{self.key()}: {self.value()}")
            if rnd.random() < 0.3:
                lines.append(f"{' ' * column}{self.key()}:")
                if rnd.random() < 0.5:
                    self.block(lines, column + self.shift(), depth + 1)
                else:
                    for _ in range(rnd.randint(1, 2)):
                        self.item(lines, column + rnd.choice([0, 2]), depth + 1)


@st.composite
def yamlish_text(draw: st.DrawFn) -> str:
    """Lines of anything at any indent."""
    pick = Pick(draw(st.randoms(use_true_random=False)), one_in=3)
    lines = [pick.line(pick.rnd.choice(INDENTS)) for _ in range(pick.rnd.randint(1, 10))]
    return "\n".join(lines) + pick.rnd.choice(["", "\n", "\n\n"])


@FUZZ
@given(yamlish_text())
def test_generated_texts_are_declined_or_equal(text: str) -> None:
    same_or_declined(text)


@st.composite
def structured_text(draw: st.DrawFn) -> str:
    """Nested mappings and lists as our writers lay them out, with an odd indent, line or value here and there."""
    pick = Pick(draw(st.randoms(use_true_random=False)), one_in=draw(st.sampled_from([15, 40, 100])))
    lines: list[str] = []
    if pick.rnd.randrange(5) == 0:
        for _ in range(pick.rnd.randint(1, 3)):
            pick.item(lines, 0, 0)
    else:
        pick.block(lines, 0, 0)
    text = "\n".join(lines) + pick.rnd.choice(["", "\n", "\n\n"])
    return text.replace("\n", "\r\n") if pick.rnd.randrange(10) == 0 else text  # as in a Windows checkout


@FUZZ
@given(structured_text())
def test_structured_texts_are_declined_or_equal(text: str) -> None:
    same_or_declined(text)


MUTATION_CHARACTERS = " -:#'\"\n\t[]{},|>&*!~.0123456789ayn\u3000：\u2028\r"


DEMO_TEXTS = [path.read_text("utf-8") for path in DEMO]


@st.composite
def mutated_file(draw: st.DrawFn) -> str:
    """A demo file with one to three characters or lines inserted, deleted, replaced, re-indented or repeated."""
    rnd = draw(st.randoms(use_true_random=False))
    text = rnd.choice(DEMO_TEXTS)
    for _ in range(rnd.randint(1, 3)):
        lines = text.split("\n")
        at = rnd.randrange(len(text) + 1)
        row = rnd.randrange(len(lines))
        operation = rnd.randrange(8)
        if operation == 0:
            text = text[:at] + rnd.choice(MUTATION_CHARACTERS) + text[at:]
        elif operation == 1:
            text = text[:at] + text[at + 1:]
        elif operation == 2:
            text = text[:at] + rnd.choice(MUTATION_CHARACTERS) + text[at + 1:]
        elif operation == 3:
            lines.insert(row, Pick(rnd, 3).line(" " * rnd.randrange(7)))
        elif operation == 4:
            del lines[row]
        elif operation == 5:
            lines[row] = " " * rnd.randrange(7) + lines[row].lstrip(" ")
        elif operation == 6:
            lines.insert(row, lines[rnd.randrange(len(lines))])
        else:
            lines[row] = lines[row] + rnd.choice(TAILS + [" x", ": x", "'", "\""])
        if operation >= 3:
            text = "\n".join(lines)
    return text.replace("\n", "\r\n") if rnd.randrange(10) == 0 else text


@FUZZ
@given(mutated_file())
def test_mutated_demo_files_are_declined_or_equal(text: str) -> None:
    same_or_declined(text)
