"""Personal-data scanner: finds ID numbers, mobile numbers and e-mail addresses in text.

The registry and the public site must hold none of these (设计文档“隐私”; 规则 F). CI runs
`scan_text` over every registry file and over the built site; `forbidden_key` catches mapping keys
such as ``phone`` or ``身份证号`` before a value is ever typed in.

What counts as a hit:

* ``id_number`` — an 18-character mainland 公民身份号码 (GB 11643): 17 digits and a digit or ``X``,
  a real birth date in positions 7–14 and a valid check digit.  The birth-date test keeps 18-digit
  order numbers and 统一社会信用代码 that happen to pass the check digit (1 in 11 do) from being
  flagged.
* ``mobile`` — ``1[3-9]`` plus nine digits, optionally written ``138-1234-5678`` or
  ``138 1234 5678`` and optionally prefixed with ``+86``, ``0086`` or ``86``.
* ``email`` — ``local@domain.tld``.

A number only counts when it is not part of a longer run of letters or digits, so 12-digit
numbers, dates, certificate numbers such as ``JN-2026-0012`` and hexadecimal digests (the
``person_key`` fingerprints themselves, draw keys) are not flagged.  Full-width digits and ``＠``
(common in text pasted from Word) are read like their ASCII forms.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "FORBIDDEN_FIELD_NAMES",
    "PiiHit",
    "PiiKind",
    "describe",
    "forbidden_key",
    "mask_email",
    "mask_id_number",
    "mask_mobile",
    "person_key",
    "scan_text",
    "valid_id_number",
]

PiiKind = Literal["id_number", "mobile", "email"]


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


# --- scanning ----------------------------------------------------------------------------------

# One-to-one replacements, so positions in the translated text are positions in the original.
_FULLWIDTH = str.maketrans("０１２３４５６７８９＠＋－Ｘｘ", "0123456789@+-Xx")
_FULLWIDTH_TRIGGERS = "０１２３４５６７８９＠"  # without one of these there is nothing to translate


def _digit_shape_table() -> bytes:
    table = bytearray(b"x" * 256)
    for c in b"0123456789":
        table[c] = ord("0")
    table[ord(" ")] = table[ord("-")] = ord("-")
    return bytes(table)


# Cheap pre-filter, much faster than any regular expression over the whole text: map the UTF-8
# bytes to "0" (digit), "-" (space or hyphen) and "x" (anything else); every ID number and every
# mobile number then contains one of these shapes.
_DIGIT_SHAPE = _digit_shape_table()
_NUMBER_SHAPES = (b"0" * 11, b"000-0000-0000", b"000-00000000", b"0000000-0000")

# The leading look-ahead lets the regex engine skip quickly to the next digit or "+".
_NUMBER = re.compile(
    r"""
    (?=[0-9+])(?<![0-9A-Za-z])
    (?:
        (?P<id>[1-9][0-9]{16}[0-9Xx])
      |
        (?:(?:\+86|0086|86)[ -]?)?
        (?P<mobile>1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})
    )
    (?![0-9A-Za-z])
    """,
    re.VERBOSE,
)

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")

_Span = tuple[int, int, PiiKind, str]  # start, end, kind, canonical value


def _may_hold_number(text: str) -> bool:
    shape = text.encode("utf-8", "surrogatepass").translate(_DIGIT_SHAPE)
    return any(s in shape for s in _NUMBER_SHAPES)


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


def _number_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for m in _NUMBER.finditer(text):
        id_number = m.group("id")
        if id_number is None:
            digits = m.group("mobile").replace(" ", "").replace("-", "")
            spans.append((m.start(), m.end(), "mobile", digits))
        elif valid_id_number(id_number):
            spans.append((m.start(), m.end(), "id_number", id_number.upper()))
    return spans


def _canonical_contact(value: str) -> str:
    """An allowed contact in the form `_Span` values take: e-mail lower-cased, numbers bare."""
    v = value.strip().translate(_FULLWIDTH)
    if "@" in v:
        return v.lower()
    bare = re.sub(r"[^0-9X]", "", v.upper())
    return re.sub(r"^(?:0086|86)(?=1[3-9][0-9]{9}$)", "", bare)


_MASKS = {"id_number": mask_id_number, "mobile": mask_mobile, "email": mask_email}


def _to_hit(text: str, span: _Span) -> PiiHit:
    start, _, kind, value = span
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return PiiHit(line=line, column=column, kind=kind, masked=_MASKS[kind](value))


def scan_text(text: str, *, allow: Iterable[str] = ()) -> list[PiiHit]:
    """All suspected ID numbers, mobile numbers and e-mail addresses in `text`, in reading order.

    `allow` lists published organisational contacts that may appear (for example the 举报电话 or
    监督邮箱 printed in a 公示), in any usual notation.  A number inside an e-mail address
    (``13812345678@qq.com``) is reported once, as the e-mail.
    """
    if any(c in text for c in _FULLWIDTH_TRIGGERS):
        text = text.translate(_FULLWIDTH)
    has_at = "@" in text
    has_number = _may_hold_number(text)
    if not has_at and not has_number:
        return []
    emails = _email_spans(text) if has_at else []
    numbers = _number_spans(text) if has_number else []
    if emails:
        numbers = [n for n in numbers if not any(e[0] <= n[0] and n[1] <= e[1] for e in emails)]
    allowed = {_canonical_contact(a) for a in allow}
    spans = sorted(s for s in emails + numbers if s[3] not in allowed)
    return [_to_hit(text, s) for s in spans]


_KIND_LABELS: dict[str, str] = {"id_number": "身份证号", "mobile": "手机号码", "email": "电子邮箱"}


def describe(hit: PiiHit) -> str:
    """One line in Simplified Chinese telling staff what was found and what to do."""
    if hit.kind == "id_number":
        return (
            f"发现疑似身份证号（{hit.masked}，校验位有效）：名册中不得保存身份证号，"
            "请改为 person_key 指纹（见设计文档“隐私”）"
        )
    label = _KIND_LABELS[hit.kind]
    return (
        f"发现疑似{label}（{hit.masked}）：名册和公开网站中不得保存个人{label}，"
        "联系方式请保存在仓库之外（见设计文档“隐私”）"
    )


# --- forbidden field names ----------------------------------------------------------------------

_FORBIDDEN_BY_LABEL: dict[str, tuple[str, ...]] = {
    "微信号": ("wechat", "wechat_id", "weixin", "weixin_id", "wx", "wxid", "微信", "微信号"),
    "QQ 号": ("qq", "qq_number", "qq号", "qq号码"),
    "手机号码": (
        "mobile", "mobile_phone", "mobile_number", "cellphone", "cell_phone", "手机", "手机号",
        "手机号码", "移动电话",
    ),
    "电话号码": (
        "phone", "phone_number", "tel", "telephone", "tel_no", "contact_phone", "电话", "电话号码",
        "联系电话", "办公电话",
    ),
    "电子邮箱": ("email", "e-mail", "mail", "email_address", "邮箱", "电子邮箱", "电子邮件", "邮件"),
    "身份证号": (
        "id_number", "id_no", "id_card", "id_card_no", "id_card_number", "identity_card",
        "national_id", "citizen_id", "sfz", "sfzh", "身份证", "身份证号", "身份证号码",
        "公民身份号码", "证件号码",
    ),
    "护照号码": ("passport", "passport_no", "passport_number", "护照", "护照号", "护照号码"),
    "通讯地址": (
        "address", "home_address", "mailing_address", "postal_address", "addr", "通讯地址",
        "联系地址", "家庭住址", "家庭地址", "住址", "地址",
    ),
    "照片": ("photo", "picture", "avatar", "portrait", "照片", "相片", "头像", "证件照"),
    "银行账号": ("bank_account", "bank_card", "account_number", "银行账号", "银行卡号", "银行账户"),
}

FORBIDDEN_FIELD_NAMES: frozenset[str] = frozenset(
    name for names in _FORBIDDEN_BY_LABEL.values() for name in names
)

_KEY_PUNCTUATION = re.compile(r"[\s_\-]")


def _normalise_key(key: str) -> str:
    return _KEY_PUNCTUATION.sub("", key).casefold()


_FORBIDDEN_NORMALISED: dict[str, str] = {
    _normalise_key(name): label for label, names in _FORBIDDEN_BY_LABEL.items() for name in names
}


def forbidden_key(key: str) -> str | None:
    """The Chinese name of the personal data a mapping key stands for, or None if it is allowed.

    Matching ignores case, spaces, ``_`` and ``-``: ``Phone``, ``mobile-phone`` and ``身份证号``
    are all forbidden; ``phone_book_ref`` is not (only whole names match).
    """
    return _FORBIDDEN_NORMALISED.get(_normalise_key(key))
