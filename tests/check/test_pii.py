from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roster.check.pii import (
    FORBIDDEN_FIELD_NAMES,
    PiiHit,
    describe,
    forbidden_key,
    may_hold_personal_data,
    person_key,
    scan_text,
    valid_id_number,
)

# Synthetic ID numbers with a valid GB 11643 check digit (weighted sum of the first 17 digits
# with 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2; remainder mod 11 indexes "10X98765432"):
#   11010519491231002X  sum 167, 167 % 11 = 2  → "X" (the standard's own example)
#   320106199003070012  sum 197, 197 % 11 = 10 → "2"
#   510107200012290049  sum 179, 179 % 11 = 3  → "9"
ID_A = "11010519491231002X"
ID_B = "320106199003070012"
ID_C = "510107200012290049"


def kinds(text: str) -> list[tuple[int, int, str, str]]:
    return [(h.line, h.column, h.kind, h.masked) for h in scan_text(text)]


# --- ID numbers ------------------------------------------------------------------------------


def test_valid_id_numbers() -> None:
    assert valid_id_number(ID_A)
    assert valid_id_number(ID_A.lower())  # a lower-case x is the same number
    assert valid_id_number(f"  {ID_B} ")
    assert valid_id_number(ID_C)


@pytest.mark.parametrize(
    "s",
    [
        "110105194912310021",  # check digit should be X
        "320106199003070013",  # check digit should be 2
        "11010519491231002",  # 17 characters
        "1101051949123100X2",  # X not in last place
        "110105194913310021",  # month 13: sum 176, 176 % 11 = 0 → "1", check digit valid
        "",
    ],
)
def test_invalid_id_numbers(s: str) -> None:
    assert not valid_id_number(s)


def test_id_number_with_valid_check_digit_is_found_and_masked() -> None:
    assert kinds(f"name: 示例\nid: {ID_A}\n") == [(2, 5, "id_number", "11*************02X")]
    assert kinds(f"身份证号：{ID_B}。") == [(1, 6, "id_number", "32*************012")]


def test_id_number_mask_keeps_two_and_three() -> None:
    (hit,) = scan_text(ID_C)
    assert hit.masked == "51" + "*" * 13 + "049"
    assert len(hit.masked) == 18


def test_id_number_with_invalid_check_digit_is_not_flagged() -> None:
    assert scan_text("id: 110105194912310021\n") == []
    assert scan_text("id: 320106199003070013\n") == []


def test_id_number_inside_longer_digit_run_is_not_flagged() -> None:
    assert scan_text(f"no: 9{ID_B}\n") == []
    assert scan_text(f"no: {ID_B}7\n") == []


def test_full_width_digits_are_read_as_digits() -> None:
    full = ID_B.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert kinds(f"身份证：{full}") == [(1, 5, "id_number", "32*************012")]


# --- mobile numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, column",
    [
        ("13812345678", 1),
        ("手机：13812345678", 4),
        ("138-1234-5678", 1),
        ("138 1234 5678", 1),
        ("+86 138 1234 5678", 5),  # the column of the number itself
        ("+8613812345678", 2),
        ("86-13812345678", 4),
        ("tel: (+86) 138-1234-5678。", 12),
        ("联系人13812345678，", 4),
    ],
)
def test_mobile_number_found_in_usual_notations(text: str, column: int) -> None:
    assert kinds(text) == [(1, column, "mobile", "138****5678")]


@pytest.mark.parametrize(
    "text",
    [
        "123456789012",  # 12 digits
        "138123456789",  # 12 digits starting like a mobile number
        "913812345678",  # mobile number inside a longer run
        "12812345678",  # 1 then 2: no such mobile prefix
        "2026-03-01",
        "term: {start: 2026-02-01, end: 2029-01-31}",
        "certificate_no: JN-2026-0012",
        "draw: D2026-001, announcement: A2026-001",
        "0571-87654321",  # a landline
        "hmac-sha256:4ed7ec5f8bb7c0b07c9dd166760af0201bfc22bd84ca483cbb0f3560a5cad05f",
        "key: a13812345678f",  # digits inside a hexadecimal digest
    ],
)
def test_not_personal_data(text: str) -> None:
    assert scan_text(text) == []


# --- e-mail ---------------------------------------------------------------------------------------


def test_email_found_and_masked() -> None:
    assert kinds("邮箱: Alice.Wang@Example.com.cn\n") == [(1, 5, "email", "a***@example.com.cn")]


def test_number_inside_email_is_reported_once() -> None:
    assert kinds("13812345678@qq.com") == [(1, 1, "email", "1***@qq.com")]


def test_at_sign_without_address_is_not_flagged() -> None:
    assert scan_text("@示例 a@b 2@3 user@localhost") == []


def test_full_width_at_sign() -> None:
    assert kinds("zhang＠example.org") == [(1, 1, "email", "z***@example.org")]


# --- positions, order, allow list -----------------------------------------------------------------


def test_hits_in_reading_order_with_lines_and_columns() -> None:
    text = f"a: 1\nb: x@y.cn 139 0000 1111\n\n  c: {ID_A}\n"
    assert kinds(text) == [
        (2, 4, "email", "x***@y.cn"),
        (2, 11, "mobile", "139****1111"),
        (4, 6, "id_number", "11*************02X"),
    ]


def test_allowed_public_contacts_are_not_reported() -> None:
    text = "异议请联系：138-1234-5678，jubao@ybj.example.gov.cn；个人：13900001111"
    hits = scan_text(text, allow=["138 1234 5678", "JuBao@ybj.example.gov.cn"])
    assert [h.masked for h in hits] == ["139****1111"]


def test_pii_hit_is_frozen() -> None:
    hit = PiiHit(line=1, column=1, kind="mobile", masked="138****5678")
    with pytest.raises(AttributeError):
        hit.line = 2  # type: ignore[misc]


# --- messages -----------------------------------------------------------------------------------------


def test_describe_in_chinese_never_repeats_the_value() -> None:
    (id_hit,) = scan_text(ID_A)
    assert describe(id_hit) == (
        "这里有疑似身份证号（号码不在此重复）：名册和公开网站中不得保存身份证号，"
        "请删除；需要识别同一人时改填 person_key 指纹（见设计文档“隐私”）"
    )
    (phone,) = scan_text("13812345678")
    assert describe(phone).startswith("这里有疑似个人手机号码（不在此重复）：")
    (mail,) = scan_text("a@b.cn")
    assert describe(mail).startswith("这里有疑似个人电子邮箱（不在此重复）：")
    for hit in (id_hit, phone, mail):
        assert not any(part in describe(hit) for part in ("1381234", "5678", "a@b", "1949"))


# --- forbidden field names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, label",
    [
        ("wechat", "微信号"),
        ("WeChat_ID", "微信号"),
        ("微信号", "微信号"),
        ("mobile", "手机号码"),
        ("Mobile-Phone", "手机号码"),
        ("手机号码", "手机号码"),
        ("tel", "电话号码"),
        ("电话", "电话号码"),
        ("E-Mail", "电子邮箱"),
        ("e_mail", "电子邮箱"),
        ("邮箱", "电子邮箱"),
        ("idNumber", "身份证号"),
        ("id-card", "身份证号"),
        ("身份证号", "身份证号"),
        ("address", "通讯地址"),
        ("住址", "通讯地址"),
        ("photo", "照片"),
        ("照片", "照片"),
    ],
)
def test_forbidden_keys(key: str, label: str) -> None:
    assert forbidden_key(key) == label


@pytest.mark.parametrize("key", ["name", "employer", "person_key", "phone_book_ref", "telecom", "email_sent"])
def test_allowed_keys(key: str) -> None:
    assert forbidden_key(key) is None


def test_every_forbidden_name_is_recognised() -> None:
    assert {"wechat", "手机号码", "id_number", "照片", "e-mail"} <= FORBIDDEN_FIELD_NAMES
    assert all(forbidden_key(name) for name in FORBIDDEN_FIELD_NAMES)


# --- person_key ---------------------------------------------------------------------------------------


def test_person_key_value() -> None:
    # HMAC-SHA256(key=b"bureau-secret-A", msg=b"11010519491231002X"), computed with hmac/hashlib.
    assert person_key(ID_A, b"bureau-secret-A") == (
        "hmac-sha256:4ed7ec5f8bb7c0b07c9dd166760af0201bfc22bd84ca483cbb0f3560a5cad05f"
    )


def test_person_key_stable_under_normalisation() -> None:
    secret = b"bureau-secret-A"
    assert person_key(" 11010519491231002x ", secret) == person_key(ID_A, secret)


def test_person_key_depends_on_secret_and_person() -> None:
    a = person_key(ID_A, b"bureau-secret-A")
    assert a != person_key(ID_A, b"bureau-secret-B")
    assert a != person_key(ID_B, b"bureau-secret-A")


def test_person_key_is_not_itself_flagged() -> None:
    assert scan_text(f"person_key: {person_key(ID_A, b'bureau-secret-A')}") == []


@pytest.mark.parametrize("id_number, secret", [("110105194912310021", b"k"), (ID_A, b"")])
def test_person_key_rejects_bad_input(id_number: str, secret: bytes) -> None:
    with pytest.raises(ValueError):
        person_key(id_number, secret)


# --- properties and speed -------------------------------------------------------------------------


def _check_char(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


@given(
    region=st.sampled_from([110105, 320106, 540102, 820000, 650104]),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    seq=st.integers(0, 999),
)
def test_any_valid_id_is_found_and_a_wrong_check_digit_is_not(region: int, birth: date, seq: int) -> None:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    good = first17 + _check_char(first17)
    assert [h.kind for h in scan_text(f"x: {good}\n")] == ["id_number"]
    bad = first17 + ("0" if good[-1] != "0" else "1")
    assert scan_text(f"x: {bad}\n") == []


@given(st.text())
def test_scan_never_fails(text: str) -> None:
    for hit in scan_text(text):
        assert hit.line >= 1 and hit.column >= 1


def test_pathological_text_is_fast() -> None:
    text = ("a" * 70 + "@") * 3000 + "1" * 100_000 + " 1" * 50_000
    start = time.perf_counter()
    scan_text(text)
    assert time.perf_counter() - start < 2.0


# --- the forms people really write (issue 11) ------------------------------------------------------

CARD = "6222021234567890128"  # Luhn check digit 8


def _uscc(first17: str) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + chars[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("138.1234.5678", "mobile"),
        ("(+86)138 1234 5678", "mobile"),
        ("0086 138 1234 5678", "mobile"),
        ("138\u00a01234\u00a05678", "mobile"),  # no-break spaces
        ("138\u30001234\u30005678", "mobile"),  # ideographic spaces
        ("138–1234—5678", "mobile"),  # en and em dashes
        ("138－1234－5678", "mobile"),  # full-width hyphen
        ("138・1234・5678", "mobile"),  # middle dots
        ("1\u200b38\u200b1234\u200b5678", "mobile"),  # zero-width spaces
        ("１３８ １２３４ ５６７８", "mobile"),  # full-width digits
        ("𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "mobile"),  # mathematical digits (NFKC)
        ("138 - 1234 - 5678", "mobile"),
        (f"{ID_A[:6]} {ID_A[6:14]} {ID_A[14:]}", "id_number"),
        (f"{ID_B[:6]}-{ID_B[6:14]}-{ID_B[14:]}", "id_number"),
        (ID_A.lower(), "id_number"),
        ("320106900307001", "id_number"),  # old 15-digit form: 32 0106 900307 001
        (CARD, "bank_card"),
        (f"{CARD[:6]} {CARD[6:]}", "bank_card"),
        (" ".join("13812345678"), "mobile"),  # digit by digit
        ("-".join(ID_A), "id_number"),
        (" ".join([CARD[:4], CARD[4:8], CARD[8:12], CARD[12:16], CARD[16:]]), "bank_card"),
        ("zhang＠example.org", "email"),
        ("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ", "email"),
        ("zhang﹫example.org", "email"),
        ("138、1234、5678", "mobile"),  # Chinese list marks between the groups
        ("138，1234，5678", "mobile"),
        ("一三八一二三四五六七八", "mobile"),  # Chinese numerals, one per digit
        ("幺三八 一二三四 五六七八", "mobile"),  # 幺 for 1, as numbers are read aloud
        ("一三八〇〇一三八〇〇〇", "mobile"),
        ("一三八、一二三四、五六七八", "mobile"),
        ("".join("零一二三四五六七八九"[int(c)] if c.isdigit() else c for c in ID_B), "id_number"),
        ("zhang at example dot com", "email"),
        ("zhang [at] example [dot] cn", "email"),
        ("zhang(AT)example.org", "email"),
        ("zhang（at）163.com", "email"),
        ("zhang【at】qq.com", "email"),
        ("zhang艾特qq点com", "email"),
        ("zhang.san at 126.com", "email"),
    ],
)
def test_personal_data_in_the_forms_people_write(text: str, kind: str) -> None:
    assert [h.kind for h in scan_text(f"备注：{text}。")] == [kind]
    assert may_hold_personal_data(f"备注：{text}。")  # the pre-filter lets it through to the scan


@pytest.mark.parametrize(
    "text",
    [
        "0891-6831234",  # office landline
        "0891 6831234",
        "(0891)6831234",
        "+86 891 6831234",
        "0891-6831234-8012",  # landline with extension
        "藏医保发〔2023〕12号",  # document number
        "拉医保发〔2026〕3号",
        "H54010200123",  # 定点医疗机构编码
        "P54010200456",  # 定点零售药店编码
        f"统一社会信用代码：{_uscc('91540100MA6T0ABC1')}",
        "6222021234567890123",  # 19 digits, Luhn check fails
        "2024-04-01 2027-03-31",
        "07 14 21 29 35 / 02 08 13 17 24 30",  # lottery numbers
        "12345678901234567890123",  # a long run is not cut into pieces
        "第一、二、三条",  # Chinese numerals in ordinary text
        "一二三四五六七八九十",  # ten numerals and 十: not a number spelt digit by digit
        "2024、2025、2026 年度",
        "资金 13,800,138,000 元",  # an amount with thousands separators is not a mobile number
        "look at data.Then decide",  # English prose with "at"
        "meet at the office dot",  # "at" with no domain after it
        "张三 at 医保局.中国",  # not an ASCII address
    ],
)
def test_public_identifiers_are_not_personal_data(text: str) -> None:
    assert scan_text(text) == []


def test_all_digit_credit_code_only_passes_after_its_label() -> None:
    # an 18-digit 统一社会信用代码 that also looks like an ID number (province, birth date and check digit)
    code = next(c for c in (_uscc(f"11010519491231{n:03d}") for n in range(1000)) if valid_id_number(c))
    assert scan_text(f"统一社会信用代码：{code}") == []
    assert [h.kind for h in scan_text(f"编号：{code}")] == ["id_number"]


def test_scan_data_reads_keys_and_values_with_their_paths() -> None:
    from roster.check.pii import scan_data

    data = {"remarks": ["ok", "电话 138 1234 5678"], "13900001111": "x"}
    assert [(path, kind) for path, kind, _ in scan_data(data)] == [
        (("remarks", 1), "mobile"), (("13900001111",), "mobile")]


@pytest.mark.parametrize("key, label", [("本人手机", "手机号码"), ("紧急联系人身份证号", "身份证号"),
                                        ("家庭住址", "通讯地址"), ("工资银行卡", "银行账号"),
                                        ("个人电话", "电话号码"), ("ｐｈｏｎｅ", "电话号码")])
def test_contact_field_names(key: str, label: str) -> None:
    assert forbidden_key(key) == label


def test_office_phone_is_an_allowed_field() -> None:
    assert forbidden_key("office_phone") is None
