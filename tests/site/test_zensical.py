"""mkdocs.yml stays within what Zensical builds (MkDocs 1.x is frozen; Material ends in May 2027).

The static check always runs: every plugin, theme feature and Markdown extension of mkdocs.yml is
one Zensical 0.1.1 supports (read from Zensical's own source when installed, else the frozen copy
below). The real build needs ``zensical==0.1.1`` and its ``zensical-ui`` dependency; where that
cannot be installed the build test says so and skips.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest
import yaml

from conftest import REPO, Built
from roster.check.validate import open_registry
from roster.commands.reference import generated_pages
from roster.site.build import build_site
from roster.site.context import SiteError

# zensical 0.1.1, zensical/config.py: _PLUGIN_UNSUPPORTED_OPTIONS (plugins it supports).
ZENSICAL_PLUGINS = {
    "api-autonav", "autorefs", "awesome-nav", "blog", "callouts", "exclude", "gh-admonitions", "glightbox",
    "include-markdown", "literate-nav", "llmstxt", "macros", "mkdocs-nav-weight", "markdown-exec",
    "markdownextradata", "meta", "meta-descriptions", "mike", "minify", "mkdocs-audio", "mkdocs-autoapi",
    "mkdocs-video", "mkdocstrings", "offline", "optimize", "privacy", "redirects", "rss", "search", "social",
    "table-reader", "tags",
}
# Python-Markdown's own extensions and pymdownx, which Zensical runs as they are.
MARKDOWN_EXTENSIONS = {"admonition", "attr_list", "md_in_html", "tables", "toc", "footnotes", "def_list", "abbr"}
THEME_KEYS = {"name", "language", "font", "features", "palette", "custom_dir", "logo", "favicon", "icon"}


def _zensical_plugins() -> set[str]:
    spec = importlib.util.find_spec("zensical")
    if spec is None or spec.submodule_search_locations is None:
        return ZENSICAL_PLUGINS
    source = Path(next(iter(spec.submodule_search_locations))) / "config.py"
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_PLUGIN_UNSUPPORTED_OPTIONS" for t in node.targets)
                and isinstance(node.value, ast.Dict)):
            return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    return ZENSICAL_PLUGINS


def _names(entries: list[object]) -> list[str]:
    return [next(iter(e)) if isinstance(e, dict) else str(e) for e in entries]


def test_mkdocs_yml_uses_only_what_zensical_supports() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = {name.removeprefix("material/") for name in _names(config.get("plugins", []))}
    assert plugins <= _zensical_plugins()
    assert set(_names(config.get("markdown_extensions", []))) <= MARKDOWN_EXTENSIONS
    assert set(config["theme"]) <= THEME_KEYS
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    assert "hooks" not in config and "repo_url" not in config  # repo_url makes the theme call a foreign API
    for value in config.get("extra_javascript", []) + config.get("extra_css", []):
        assert "//" not in str(value), value


def _zensical_ready() -> str | None:
    if importlib.util.find_spec("zensical") is None:
        return "zensical 未安装（pip install zensical==0.1.1）"
    if importlib.util.find_spec("zensical_ui") is None:
        return "zensical 0.1.1 依赖的 zensical-ui==0.0.42 在软件包源中找不到，无法用 Zensical 构建"
    return None


def test_site_builds_with_zensical_too(fixture_site: Built, tmp_path: Path) -> None:
    reason = _zensical_ready()
    if reason:
        pytest.skip(reason)
    assert fixture_site.fixture is not None
    try:
        result = build_site(open_registry(fixture_site.fixture.root, use_cache=False), tmp_path / "zensical",
                            config=REPO / "mkdocs.yml", docs=REPO / "docs", schemas=REPO / "schemas",
                            today=fixture_site.today, engine="zensical", extra_pages=generated_pages())
    except SiteError as exc:
        pytest.fail(str(exc))
    assert (result.site_dir / "index.html").is_file()
    assert (result.site_dir / "experts" / "medical" / "index.html").is_file()
