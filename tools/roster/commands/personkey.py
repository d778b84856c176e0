"""`roster person-key`: the keyed fingerprint of an ID number, read without showing it."""

from __future__ import annotations

import getpass
import sys

import click

from ..check.pii import mask_id_number, person_key, valid_id_number
from ..staff.importer import PERSON_KEY_ENV, bureau_secret
from .common import ChineseCommand, RosterError, expected


@click.command("person-key", cls=ChineseCommand)
def person_key_command() -> None:
    """计算身份指纹 person_key（HMAC-SHA256，本局密钥）：把输出的一行写入专家或社会监督员记录。

    身份证号不在屏幕上显示（终端中输入时不回显），也不写入任何文件；不在终端中运行时从标准输入读一行。
    本局密钥取自环境变量 ROSTER_PERSON_KEY（由本局保管，至少 16 个字符，不得写入仓库）。
    同一人在同一密钥下的指纹总相同，用于识别被移出后再次申报的人（西藏办法第二十八条）。

    \b
    示例（Example）:
      roster person-key
      身份证号（输入时不显示）：
      person_key: hmac-sha256:3f1c…
    """
    with expected():
        secret = bureau_secret()
    if secret is None:
        raise RosterError(f"没有设置本局密钥（环境变量 {PERSON_KEY_ENV}）：请向本局保管密钥的同事索取，"
                     f"在本机设置后再运行，例如 export {PERSON_KEY_ENV}='…'")
    typed = getpass.getpass("身份证号（输入时不显示）：") if sys.stdin.isatty() else sys.stdin.readline()
    number = typed.strip().replace(" ", "").upper()
    if not number:
        raise RosterError("没有输入身份证号")
    if not valid_id_number(number):
        shown = mask_id_number(number) if len(number) >= 6 else "（过短）"
        raise RosterError(f"身份证号 {shown} 无效（位数、出生日期或校验位不对）：请核对后重新输入")
    click.echo(f"person_key: {person_key(number, secret)}")
