"""`roster site build` and `roster site serve`."""

from __future__ import annotations

from pathlib import Path

import click

from ..check.validate import open_registry
from ..site.build import ENGINES, build_site, serve_site
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
        click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
                     show_default=True, help="构建文件夹：生成的页面在 OUT/docs，网站在 OUT/site（不提交）。"),
        click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
                     show_default=True, help="网站配置文件。"),
        click.option("--docs", "docs", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
                     show_default=True, help="手写页面文件夹。"),
        click.option("--schemas", "schemas", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
                     show_default=True, help="JSON Schema 文件夹（发布到“开放数据”）。"),
    ]):
        func = option(func)
    return func


def _build(registry_dir: Path, out: Path, config: Path, docs: Path, schemas: Path, engine: str = "mkdocs") -> Path:
    if not registry_dir.is_dir():
        raise click.UsageError(f"找不到名册文件夹 {registry_dir}：请用 --registry 指定，或在项目根目录运行")
    result = build_site(open_registry(registry_dir), out, config=config, docs=docs, schemas=schemas, engine=engine,
                        extra_pages=generated_pages())
    click.echo(f"网站已生成：{result.site_dir}（{result.generated} 个生成文件，"
               f"生成 {result.seconds_generate:.1f} 秒，构建 {result.seconds_engine:.1f} 秒）")
    return result.site_dir


@site.command()
@_build_options
@click.option("--engine", type=click.Choice(ENGINES), default="mkdocs", show_default=True,
              help="构建工具：mkdocs（MkDocs Material）或 zensical。")
def build(registry_dir: Path, out: Path, config: Path, docs: Path, schemas: Path, engine: str) -> None:
    """从名册生成网站（generate pages from the registry, then build the site）。

    页面先生成到 OUT/docs（连同 docs/ 中的手写页面），再用 mkdocs.yml 构建到 OUT/site。
    抽取记录只在公开日期之后出现；个人信息只公开 registry.yaml 中 site.published_fields 所列字段。

    \b
    示例（Example）:
      roster site build
      roster site build --out /tmp/site-preview
    """
    _build(registry_dir, out, config, docs, schemas, engine)


@site.command()
@_build_options
@click.option("--port", type=int, default=8000, show_default=True, help="端口。")
def serve(registry_dir: Path, out: Path, config: Path, docs: Path, schemas: Path, port: int) -> None:
    """生成网站并在本机预览（build, then serve on http://127.0.0.1:8000）。

    只在本机地址 127.0.0.1 上提供，按 Ctrl+C 停止。名册改动后重新运行本命令。

    \b
    示例（Example）:
      roster site serve
      roster site serve --port 8001
    """
    site_dir = _build(registry_dir, out, config, docs, schemas)
    server = serve_site(site_dir, port=port)
    click.echo(f"网站预览：http://127.0.0.1:{port}/ （按 Ctrl+C 停止）")
    try:
        server.serve_forever()
    finally:
        server.server_close()
