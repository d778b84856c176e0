"""`roster site build` and `roster site serve`."""

from __future__ import annotations

from pathlib import Path

import click

from ..check.validate import open_registry
from ..site.build import ENGINES, bind_server, build_site, parse_address
from .common import ChineseGroup, registry_option
from .reference import generated_pages


@click.group(cls=ChineseGroup)
def site() -> None:
    """生成公示网站（build the public site）。

    \b
    示例（Example）:
      roster site build
      roster site serve
    """


def _build_options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed([
        registry_option,
        click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="构建文件夹：生成的页面在 OUT/docs，网站在 OUT/site（不提交）。"
                          "默认 build（内部版为 build/internal）。"),
        click.option("--internal", is_flag=True,
                     help="生成内部网站：公开网站的全部内容，加上工作人员指南和命令参考（只在内网使用，不得公开发布）。"),
        click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
                     show_default=True, help="网站配置文件。"),
        click.option("--docs", "docs", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
                     show_default=True, help="手写页面文件夹。"),
        click.option("--schemas", "schemas", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
                     show_default=True, help="JSON Schema 文件夹（发布到“开放数据”）。"),
    ]):
        func = option(func)
    return func


def _build(registry_dir: Path, out: Path | None, config: Path, docs: Path, schemas: Path, engine: str = "mkdocs",
           internal: bool = False) -> Path:
    if not registry_dir.is_dir():
        raise click.UsageError(f"找不到名册文件夹 {registry_dir}：请用 --registry 指定，或在项目根目录运行")
    out = out or (Path("build/internal") if internal else Path("build"))
    result = build_site(open_registry(registry_dir), out, config=config, docs=docs, schemas=schemas, engine=engine,
                        extra_pages=generated_pages(), internal=internal)
    click.echo(f"网站已生成：{result.site_dir}（{result.generated} 个生成文件，"
               f"生成 {result.seconds_generate:.1f} 秒，构建 {result.seconds_engine:.1f} 秒）")
    return result.site_dir


@site.command()
@_build_options
@click.option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True,
              help="构建工具：mkdocs（MkDocs Material）或 zensical。")
def build(registry_dir: Path, out: Path | None, config: Path, docs: Path, schemas: Path, internal: bool,
          engine: str) -> None:
    """从名册生成网站（generate pages from the registry, then build the site）。

    页面先生成到 OUT/docs（连同 docs/ 中的手写页面），再用 mkdocs.yml 构建到 OUT/site。
    抽取记录只在公开日期之后出现；个人信息只公开 registry.yaml 中 site.published_fields 所列字段。

    \b
    示例（Example）:
      roster site build
      roster site build --out /tmp/site-preview
      roster site build --internal
    """
    _build(registry_dir, out, config, docs, schemas, engine, internal)


@site.command()
@_build_options
@click.option("--addr", "addr", default="127.0.0.1:8000", show_default=True,
              help="预览地址 主机:端口（只写端口时为 127.0.0.1）。")
@click.option("--port", type=int, default=None, help="端口（代替 --addr 中的端口）。")
def serve(registry_dir: Path, out: Path | None, config: Path, docs: Path, schemas: Path, internal: bool,
          addr: str, port: int | None) -> None:
    """生成网站并在本机预览（build, then serve on http://127.0.0.1:8000）。

    先占用预览端口（端口被占用时立即报错，不必等网站生成），再生成网站。名册改动后重新运行本命令，
    按 Ctrl+C 停止。

    \b
    示例（Example）:
      roster site serve
      roster site serve --port 8001
      roster site serve --addr 0.0.0.0:8080
    """
    host, chosen = parse_address(addr)
    out = out or (Path("build/internal") if internal else Path("build"))
    server = bind_server(out / "site", host, chosen if port is None else port)
    try:
        _build(registry_dir, out, config, docs, schemas, internal=internal)  # into out/site, which the server serves
        click.echo(f"网站预览：http://{host}:{server.server_port}/ （按 Ctrl+C 停止）")
        server.serve_forever()
    finally:
        server.server_close()
