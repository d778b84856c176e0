"""The command reference page, generated from the commands' own --help so the two cannot drift."""

from __future__ import annotations

import click

INTRO = """# 命令参考

本页由各命令的 `--help` 自动生成，与所安装的 `roster` 版本一致。日常操作步骤见[工作人员指南](../guide/index.md)。
"""


def _commands(group: click.Group, ctx: click.Context) -> list[tuple[click.Context, click.Command]]:
    found: list[tuple[click.Context, click.Command]] = [(ctx, group)]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = command.context_class(command, info_name=name, parent=ctx)
        if isinstance(command, click.Group):
            found += _commands(command, sub)
        else:
            found.append((sub, command))
    return found


def cli_reference_markdown(root: click.Group) -> str:
    lines = [INTRO]
    for ctx, command in _commands(root, root.context_class(root, info_name="roster")):
        title = ctx.command_path
        lines += [f"## `{title}`", "", "```text", command.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(lines)


def generated_pages() -> dict[str, str]:
    """The site pages this command line contributes (the site builder itself never imports click)."""
    from ..cli import cli

    return {"reference/cli.md": cli_reference_markdown(cli)}
