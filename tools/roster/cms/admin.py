"""The /admin/ folder of the internal site: index.html, config.yml and Decap CMS vendored from npm.

The internal site build copies this folder in; the public site never contains it. Decap comes from the npm
package ``decap-cms`` installed in tools/cms (``make cms``: ``npm ci`` against tools/cms/package-lock.json),
never from a CDN: its ``dist/decap-cms.js`` and the chunks it loads from its own folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .config import CmsError

__all__ = ["ADMIN_FILES", "assemble", "decap_dist"]

# the hand-written files in tools/cms/admin/; config.yml is generated from the schemas at every build
ADMIN_FILES = ("index.html", "roster-cms.js")


def decap_dist(cms_dir: Path) -> list[Path]:
    """Decap's files that the browser loads: the bundle, its lazily loaded chunks, wasm and the licence."""
    dist = cms_dir / "node_modules" / "decap-cms" / "dist"
    if not (dist / "decap-cms.js").is_file():
        raise CmsError(f"没有找到 {dist / 'decap-cms.js'}：先运行 make cms（在 tools/cms 里 npm ci）")
    wanted = [p for p in dist.iterdir() if p.name == "decap-cms.js" or p.name.endswith((".decap-cms.js", ".wasm"))]
    return sorted([*wanted, dist / "decap-cms.js.LICENSE.txt"])


def assemble(cms_dir: Path, out: Path, config_text: str) -> list[Path]:
    """Write the admin folder to `out` (replaced whole, atomically); returns the files written."""
    sources = [cms_dir / "admin" / name for name in ADMIN_FILES] + decap_dist(cms_dir)
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise CmsError("缺少文件：" + "、".join(missing))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".admin-", dir=out.parent))
    try:
        for source in sources:
            shutil.copyfile(source, staging / source.name)
        (staging / "config.yml").write_text(config_text, encoding="utf-8")
        old = out.with_name(out.name + ".old")
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / p.name for p in sources] + [out / "config.yml"]
