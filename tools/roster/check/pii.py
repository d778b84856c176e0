"""Personal-data guard: finds ID numbers, mobile numbers, e-mail addresses and bank card numbers.

The registry and the public site must hold none of these (设计文档“隐私”; 规则 F). `roster validate`
runs the guard over the *parsed* values of every registry file (so YAML escapes such as ``"\\u0031"``
and quoted line continuations are decoded first) and over the raw text of every file (comments, files
that do not parse, files that do not belong in the registry); `roster site build` runs it over every
built file. `forbidden_key` catches mapping keys such as ``phone`` or ``身份证号`` before a value is
ever typed in. Field names and other parameters are data: ``roster/data/privacy.yaml``.

Text is normalised first: NFKC (full-width digits, letters and ``＠``, no-break and ideographic
spaces), zero-width characters removed, every kind of dash read as ``-`` and of middle dot as ``.``,
``、`` and ``，`` between digits read as ``-``, and eleven or more Chinese numerals written digit by
digit (``一三八…``, ``幺`` for 1) read as digits.
Numbers are then found as runs of digit groups (three digits or more, or single digits spaced
out one by one) separated by up to three spaces, dashes or dots, and every stretch of consecutive
groups is tried as

* ``id_number`` — 18 characters (17 digits and a digit or ``X``) with a known province, a real birth
  date and a valid GB 11643 check digit, or the old 15-digit form (province, a real ``YYMMDD``);
* ``mobile`` — ``1[3-9]`` plus nine digits, optionally after ``86`` or ``0086`` (``+86``, ``(+86)``);
* ``bank_card`` — 16–19 digits with a valid Luhn check digit, written unbroken, in groups of four or
  as six and the rest;
* ``email`` — ``local@domain.tld``, also with the "@" and dots spelt out (``zhang at example dot com``,
  ``zhang[at]example[dot]cn``, ``zhang艾特qq点com``; the bare word ``at`` only before a usual top-level
  domain).

Not personal data, and recognised as such: a number that is part of a longer run of letters or
digits (``H54010200123`` 定点编码, hexadecimal ``person_key`` fingerprints), dates, document numbers
(藏医保发〔2023〕12号), office landlines (``0891-6831234``: they start with 0), and an 18-character
统一社会信用代码 with a valid GB 32100 check character written after its label.

A hit gives the line and the kind, never the value (`describe`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

__all__ = [
    "FORBIDDEN_FIELD_NAMES",
    "PiiHit",
    "PiiKind",
    "describe",
    "forbidden_key",
    "kind_label",
    "may_hold_personal_data",
    "normalise",
    "person_key",
    "scan_data",
    "scan_text",
    "valid_credit_code",
    "valid_id_number",
]

PiiKind = Literal["id_number", "mobile", "email", "bank_card"]


@dataclass(frozen=True)
class PiiHit:
    """One suspected piece of personal data; `line` and `column` are 1-based (characters)."""

    line: int
    column: int
    kind: PiiKind
    masked: str


# --- ID numbers (GB 11643-1999) -------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def _id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _has_real_birth_date(id_number: str) -> bool:
    year, month, day = int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _normalise_id(s: str) -> str:
    return s.strip().upper()


def valid_id_number(s: str) -> bool:
    """True if `s` (spaces around it and a lower-case ``x`` allowed) is a well-formed 18-character
    ID number: right shape, a real birth date (1900–2099) and a valid GB 11643 check digit."""
    n = _normalise_id(s)
    return (
        _ID_SHAPE.fullmatch(n) is not None
        and _has_real_birth_date(n)
        and _id_check_char(n[:17]) == n[17]
    )


def person_key(id_number: str, secret: bytes) -> str:
    """Keyed fingerprint of an ID number: ``"hmac-sha256:" + hex``.

    The ID number is normalised first (spaces stripped, ``x`` → ``X``), so the same person always
    gets the same key under the same bureau secret, and a different secret gives unrelated keys.
    Use a long random secret (32 bytes or more) kept outside the repository; without it the
    fingerprints cannot be reversed by trying all ID numbers.
    """
    if not secret:
        raise ValueError("计算 person_key 需要本局的密钥，密钥不能为空")
    n = _normalise_id(id_number)
    if not valid_id_number(n):
        raise ValueError("身份证号格式、出生日期或校验位无效，请核对后再计算 person_key")
    digest = hmac.new(secret, n.encode("ascii"), hashlib.sha256).hexdigest()
    return "hmac-sha256:" + digest


# --- masking -----------------------------------------------------------------------------------


def mask_id_number(id_number: str) -> str:
    """Keep the first two and the last three characters: ``11*************23X``."""
    return id_number[:2] + "*" * (len(id_number) - 5) + id_number[-3:]


def mask_mobile(digits: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return digits[:3] + "****" + digits[-4:]


def mask_email(address: str) -> str:
    """``alice@example.com`` → ``a***@example.com``."""
    local, _, domain = address.partition("@")
    return local[:1] + "***@" + domain


def mask_card(digits: str) -> str:
    """``6222021234567890123`` → ``6222***********0123``."""
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


# --- data -------------------------------------------------------------------------------------


@cache
def _privacy() -> dict[str, Any]:
    text = resources.files("roster").joinpath("data/privacy.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


@cache
def _provinces() -> frozenset[str]:
    return frozenset(_privacy()["provinces"])


# --- normalisation -----------------------------------------------------------------------------

_SPACES = "\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u00a0"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\u30fc\ufe58\ufe63\uff0d"
_DOTS = "\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff0e\uff65"
_INVISIBLE = "\u00ad\u034f\u061c\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_SEPARATORS = {**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_DOTS, "."),
               **dict.fromkeys(_INVISIBLE, "")}
# Characters that NFKC folds into digits, Latin letters, "@" or a space: superscripts, circled and
# full-width forms, small forms, mathematical and segmented digits. Only these (and the separators
# above) are rewritten, so a page of Chinese text is read in one regular-expression pass.
_FOLDED = re.compile("[" + "".join(sorted(_SEPARATORS)) + "\u00b2\u00b3\u00b9\u2070-\u209f\u2150-\u218f"
                     "\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf\ufe50-\ufe6f\uff01-\uffef"
                     "\U0001d400-\U0001d7ff\U0001fbf0-\U0001fbf9]")


_SEPARATORS_TABLE = str.maketrans(_SEPARATORS)


@cache
def _fold(char: str) -> str:
    return _SEPARATORS[char] if char in _SEPARATORS else unicodedata.normalize("NFKC", char).translate(_SEPARATORS_TABLE)


# A number spelt in Chinese numerals, one character per digit ("一三八一二三四五六七八", 幺 for 1 as in
# spoken numbers, 〇/零 for 0): eleven or more such characters, separators allowed between them, are
# read as digits. Shorter runs are ordinary words (一二三、十一五).
_NUMERALS = "〇零幺一二三四五六七八九"
_NUMERAL_DIGITS = str.maketrans(_NUMERALS, "001123456789")
_NUMERAL_RUN = re.compile(f"[{_NUMERALS}](?:[ .\\-\u3001\uff0c]{{0,3}}[{_NUMERALS}]){{10,}}")
# Between two digits, 、 and ， separate groups as a dash does ("138、1234、5678"); the ASCII comma does
# not (amounts), and elsewhere they end a word (so "…5678，jubao@…" is not one address).
# (The mark is matched first and the digit before it looked back at, so the engine jumps from mark to mark
# instead of trying a look-behind at every character: this runs on every text the guard reads.)
_LIST_MARK = re.compile(f"[\u3001\uff0c](?<=[0-9\uff10-\uff19{_NUMERALS}][\u3001\uff0c])(?=[0-9\uff10-\uff19{_NUMERALS}])")


def normalise(text: str) -> str:
    """Text as the guard reads it: compatibility forms folded (NFKC), invisible characters removed,
    spaces, dashes and dots made ASCII, numbers spelt in Chinese numerals made digits. Every character
    stays one character, so lines and columns are those of `text`."""
    if text.isascii():
        return text
    folded = _FOLDED.sub(lambda m: _fold(m.group()), _LIST_MARK.sub("-", text))
    return _NUMERAL_RUN.sub(lambda m: m.group().translate(_NUMERAL_DIGITS), folded)


def _shape_table() -> bytes:
    table = bytearray(b"x" * 256)
    for c in b"0123456789":
        table[c] = ord("0")
    return bytes(table)


# Cheap pre-filter, much faster than any regular expression: map the UTF-8 bytes of the text to "0"
# (digit) and "x" (anything else), dropping spaces, line ends, dashes, dots and every non-ASCII byte
# (separators the guard normalises, and line breaks that YAML folds into spaces). Any number the
# guard reports then shows as eleven zeros in a row.
_SHAPE = _shape_table()
_SHAPE_DROP = b" \t\r\n.-" + bytes(range(0x80, 0x100))
_ELEVEN_DIGITS = b"0" * 11


# The folded characters that can become a digit or "@": only a text holding one of these needs folding
# before the pre-filter (which drops every other non-ASCII character anyway).
_DIGIT_LIKE = re.compile("[\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u2089\u2150-\u215f\u2460-\u24ff\u2776-\u2793"
                         "\u3251-\u325f\u32b1-\u32bf\ufe6b\uff10-\uff19\uff20\U0001d7ce-\U0001d7ff\U0001fbf0-\U0001fbf9]")


def may_hold_personal_data(text: str) -> bool:
    """False when `text` certainly holds nothing the guard reports (about 8 µs of CPU for a 1 KB record)."""
    return _suspect(normalise(text) if _DIGIT_LIKE.search(text) or _NUMERAL_RUN.search(text) else text)


def _suspect(normal: str) -> bool:
    if "@" in normal:
        return True
    raw = normal.encode("utf-8", "surrogatepass")
    return _ELEVEN_DIGITS in raw.translate(_SHAPE, _SHAPE_DROP) or _spelt_at(normal, raw)


# --- recognising numbers ----------------------------------------------------------------------

# A run of digit groups. It must not follow a letter or digit (checked in code: a look-behind first
# would stop the regex engine from skipping quickly to the next digit).
# Digits written one by one ("1 3 8 1 …") form a run of their own, read as one group.
_RUN = re.compile(r"[0-9]{3,}(?:[ .\-]{1,3}[0-9]{3,})*[Xx]?(?![0-9A-Za-z])|[0-9](?:[ .\-][0-9]){10,}(?:[ .\-]?[Xx])?(?![0-9A-Za-z])")
_GROUP_SEPARATOR = re.compile(r"[ .\-]{1,3}")


def _province(digits: str) -> bool:
    return digits[:2] in _provinces()


def _old_id_number(digits: str) -> bool:
    """The 15-digit form used before 1999: province and region, ``YYMMDD`` (19YY), three digits."""
    try:
        date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    except ValueError:
        return False
    return _province(digits)


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _mobile(digits: str) -> bool:
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix):]
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _kind_of(groups: list[str]) -> PiiKind | None:
    """What the digits of consecutive groups are, if they are personal data."""
    digits = "".join(groups).upper()
    size = len(digits)
    if size == 18:
        return "id_number" if _province(digits) and valid_id_number(digits) else None
    if not digits.isdigit():
        return None
    if _mobile(digits):
        return "mobile"
    if size == 15 and _old_id_number(digits):
        return "id_number"
    card_groups = len(groups) == 1 or all(len(g) == 4 for g in groups[:-1]) or [len(g) for g in groups] == [6, size - 6]
    if 16 <= size <= 19 and _luhn(digits) and card_groups:
        return "bank_card"
    return None


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def valid_credit_code(code: str) -> bool:
    """An 18-character 统一社会信用代码 with a valid GB 32100 check character."""
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code, _USCC_WEIGHTS, strict=False))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def _labelled_credit_code(text: str, start: int, digits: str) -> bool:
    before = text[max(0, start - 16):start]
    return valid_credit_code(digits) and any(label in before for label in _privacy()["public_id_labels"])


_Span = tuple[int, int, PiiKind, str]  # start, end, kind, canonical value


def _number_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for m in _RUN.finditer(text):
        if m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum():
            continue
        groups = _GROUP_SEPARATOR.split(m.group())
        if len(groups[0]) == 1:
            groups = ["".join(groups)]
        if sum(map(len, groups)) < 11:
            continue
        found: dict[PiiKind, str] = {}
        for i in range(len(groups)):
            size = 0
            for j in range(i, len(groups)):
                size += len(groups[j])
                if size > 19:
                    break
                kind = _kind_of(groups[i:j + 1])
                if kind and kind not in found:
                    digits = "".join(groups[i:j + 1]).upper()
                    digits = digits[-11:] if kind == "mobile" else digits
                    if not (kind == "id_number" and _labelled_credit_code(text, m.start(), digits)):
                        found[kind] = digits
        spans += [(m.start(), m.end(), kind, digits) for kind, digits in found.items()]
    return spans


_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")


def _email_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local is not None and domain is not None:
            start = local.start() + len(local.group()) - len(local.group().lstrip("."))
            if start < at:
                spans.append((start, domain.end(), "email", text[start : domain.end()].lower()))
        at = text.find("@", at + 1)
    return spans


# An address with "@" and "." spelt out to get past filters: "zhang at example dot com",
# "zhang[at]example[dot]cn", "zhang（at）163.com", "zhang艾特qq点com". Spelt with the bare word "at" it
# counts only before a usual top-level domain, so English prose ("look at data.Then") is not a hit.
_SPELT_AT = re.compile(r"(?i)[\[(（{<【]\s*(?:at|艾特)\s*[\])）}>】]|\sat\s|艾特")


def _spelt_at_table() -> bytes:
    table = bytearray(b"x" * 256)
    for c in b" \t\r\n[(<{\x88\x90":  # 0x88 and 0x90 end the UTF-8 of （ and 【
        table[c] = ord("(")
    table[ord("a")] = table[ord("A")] = ord("a")
    table[ord("t")] = table[ord("T")] = ord("t")
    return bytes(table)


# Pre-filter, as for numbers: an opening bracket or space before "at" shows as "(at" once the bytes are
# mapped, found in one pass (a regular expression over Chinese text is several times slower).
_SPELT_AT_SHAPE = _spelt_at_table()
_AI_TE = "艾特".encode()


def _spelt_at(normal: str, raw: bytes | None = None) -> bool:
    """Whether `normal` may hold an address with a spelt-out "@"."""
    raw = normal.encode("utf-8", "surrogatepass") if raw is None else raw
    return (b"(at" in raw.translate(_SPELT_AT_SHAPE) or _AI_TE in raw) and _SPELT_AT.search(normal) is not None


_SPELT_DOT = r"(?:\s*[\[(（{<【]\s*(?:dot|点)\s*[\])）}>】]\s*|\s+dot\s+|\s*点\s*|\.)"
_SPELT_EMAIL = re.compile(
    r"(?i)(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})"
    r"(?:\s*[\[(（{<【]\s*(?:at|艾特)\s*[\])）}>】]\s*|\s*艾特\s*|(\s+at\s+))"
    rf"([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:{_SPELT_DOT}[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    rf"{_SPELT_DOT}([A-Za-z]{{2,24}}))(?![A-Za-z0-9])")
_USUAL_TLDS = frozenset({"com", "cn", "net", "org", "edu", "gov", "info", "biz", "cc", "top", "vip", "xyz", "io", "me",
                         "hk", "mo", "tw"})


def _spelt_email_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for m in _SPELT_EMAIL.finditer(text):
        bare_word, tld = m.group(2) is not None, m.group(4).lower()
        if bare_word and tld not in _USUAL_TLDS:
            continue
        domain = re.sub(_SPELT_DOT, ".", m.group(3), flags=re.IGNORECASE).lower()
        spans.append((m.start(), m.end(), "email", f"{m.group(1).lower()}@{domain}"))
    return spans


def _spans(text: str, allowed: frozenset[str] = frozenset()) -> list[_Span]:
    """Every hit in normalised `text`, in reading order; a number inside an e-mail address counts once."""
    emails = _email_spans(text) if "@" in text else []
    if _spelt_at(text):
        emails += _spelt_email_spans(text)
    numbers = _number_spans(text)
    if emails:
        numbers = [n for n in numbers if not any(e[0] <= n[0] and n[1] <= e[1] for e in emails)]
    return sorted(s for s in emails + numbers if s[3] not in allowed)


def _canonical_contact(value: str) -> str:
    """An allowed contact in the form `_Span` values take: e-mail lower-cased, numbers bare."""
    v = normalise(value.strip())
    if "@" in v:
        return v.lower()
    bare = re.sub(r"[^0-9X]", "", v.upper())
    return re.sub(r"^(?:0086|86)(?=1[3-9][0-9]{9}$)", "", bare)


_MASKS = {"id_number": mask_id_number, "mobile": mask_mobile, "email": mask_email, "bank_card": mask_card}


def _to_hit(text: str, span: _Span) -> PiiHit:
    start, _, kind, value = span
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return PiiHit(line=line, column=column, kind=kind, masked=_MASKS[kind](value))


def scan_text(text: str, *, allow: Iterable[str] = ()) -> list[PiiHit]:
    """All suspected personal data in `text`, in reading order (lines as in `text`).

    `allow` lists published organisational contacts that may appear (for example the 举报电话 or
    监督邮箱 printed in a 公示), in any usual notation.  A number inside an e-mail address
    (``13812345678@qq.com``) is reported once, as the e-mail.
    """
    text = normalise(text)
    if not _suspect(text):
        return []
    allowed = frozenset(_canonical_contact(a) for a in allow)
    return [_to_hit(text, s) for s in _spans(text, allowed)]


Path = tuple[str | int, ...]


def _strings(data: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,), str(key)
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _strings(item, path + (i,))


def scan_data(data: Any) -> list[tuple[Path, PiiKind, str]]:
    """Suspected personal data in the keys and text values of parsed data: path, kind and value of each."""
    found: list[tuple[Path, PiiKind, str]] = []
    for path, text in _strings(data, ()):
        normal = normalise(text)
        if _suspect(normal):
            found += [(path, span[2], span[3]) for span in _spans(normal)]
    return found


def scan_file(text: str, data: Any, position: Callable[[Path], tuple[int, int]]) -> list[tuple[int, int, PiiKind]]:
    """Line, column and kind of every hit in a file: in its text as written (comments too) and in its
    parsed `data` (escapes decoded, folded lines joined) unless the text shows the same value; at most one
    hit per line and kind."""
    normal = normalise(text)
    spans = _spans(normal) if _suspect(normal) else []
    in_text = {(kind, value) for _, _, kind, value in spans}
    found = [(h.line, h.column, h.kind) for h in (_to_hit(normal, s) for s in spans)]
    for path, kind, value in scan_data(data) if data is not None else []:
        if (kind, value) not in in_text:
            found.append((*position(path), kind))
    seen: set[tuple[int, str]] = set()
    return [h for h in found if (h[0], h[2]) not in seen and not seen.add((h[0], h[2]))]  # type: ignore[func-returns-value]


_KIND_LABELS: dict[str, str] = {"id_number": "身份证号", "mobile": "手机号码", "email": "电子邮箱",
                                "bank_card": "银行卡号"}


def kind_label(kind: str) -> str:
    return _KIND_LABELS[kind]


def describe(hit: PiiHit | str) -> str:
    """One line in Simplified Chinese telling staff what was found and what to do (never the value)."""
    kind = hit if isinstance(hit, str) else hit.kind
    label = _KIND_LABELS[kind]
    if kind == "id_number":
        return ("这里有疑似身份证号（号码不在此重复）：名册和公开网站中不得保存身份证号，"
                "请删除；需要识别同一人时改填 person_key 指纹（见设计文档“隐私”）")
    if kind == "bank_card":
        return ("这里有疑似银行卡号（号码不在此重复）：名册和公开网站中不得保存银行卡号，"
                "请删除，劳务费发放信息另行保管")
    return (f"这里有疑似个人{label}（不在此重复）：名册和公开网站中不得保存个人{label}，"
            "请删除，联系方式保存在仓库之外；单位的公开联系方式请写办公电话（如 0891-6831234）")


# --- forbidden field names ----------------------------------------------------------------------

_KEY_PUNCTUATION = re.compile(r"[\s_\-]")


def _normalise_key(key: str) -> str:
    return _KEY_PUNCTUATION.sub("", normalise(key)).casefold()


@cache
def _forbidden_normalised() -> dict[str, str]:
    fields: dict[str, list[str]] = _privacy()["forbidden_fields"]
    return {_normalise_key(name): label for label, names in fields.items() for name in names}


FORBIDDEN_FIELD_NAMES: frozenset[str] = frozenset(
    name for names in _privacy()["forbidden_fields"].values() for name in names
)


def forbidden_key(key: str) -> str | None:
    """The Chinese name of the personal data a mapping key stands for, or None if it is allowed.

    Matching ignores case, spaces, ``_`` and ``-``: ``Phone``, ``mobile-phone`` and ``身份证号``
    are all forbidden; ``phone_book_ref`` is not (only whole names match), but a Chinese key that
    contains 手机, 身份证, 微信, 邮箱, 住址 or 银行卡 is (``本人手机``).
    """
    normal = _normalise_key(key)
    label = _forbidden_normalised().get(normal)
    if label is not None:
        return label
    words: dict[str, str] = _privacy()["forbidden_field_words"]
    return next((label for word, label in words.items() if word in normal), None)
