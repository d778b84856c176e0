"""抽取记录 pages: the list of published draws and one page per draw, with its verifier button.

The page shows the request, sources and key, the panel and the replacement order, the candidate
list with the facts frozen in the draw file (quota group, institution, legal entity; inline when
short, else as a download) and the exclusions counted by kind. Its data file
(``opendata/draws/<id>.json``, see :mod:`.draws`) feeds ``verify.js``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..draw.model import EXCLUSION_LABELS, clause, policy_of, reason_codes
from .context import SiteContext
from .draws import draw_data, pending_data
from .labels import label, labels
from .markup import esc, html_table, md, md_table, nowrap, rel_url, src_rel
from .pages import SEARCH_EXCLUDED

__all__ = ["draw_data_path", "draw_page_path", "draw_pages"]

REPLACEMENTS_SHOWN = 20


def draw_page_path(draw_id: str) -> str:
    return f"draws/{draw_id.lower()}.md"


def draw_data_path(draw_id: str) -> str:
    return f"opendata/draws/{draw_id}.json"


def _quota_label(quota: Mapping[str, Any]) -> str:
    parts = [label("quota_categories", quota["category"]) if quota.get("category") else "",
             str(quota.get("specialty") or ""),
             f"{label('backgrounds', quota['background'])}背景" if quota.get("background") else ""]
    return "·".join(p for p in parts if p) or "不限类别"


def _request_rows(draw: Mapping[str, Any], ctx: SiteContext) -> list[list[str]]:
    request = draw.get("request", {})
    result = draw.get("result", {})
    activity = request.get("activity") or {}
    subjects = "、".join(md(ctx.institutions.get(s, {}).get("name", s)) for s in request.get("subjects", []))
    quotas = "；".join(f"第 {n} 组 {md(_quota_label(q))} {q['count']} 人"
                      for n, q in enumerate(request.get("quotas", []), start=1))
    limits = "；".join(x for x in (
        f"同一单位最多 {request['max_per_institution']} 人" if request.get("max_per_institution") else "",
        f"同一法人单位最多 {request['max_per_legal_entity']} 人" if request.get("max_per_legal_entity") else "",
        "同一单位、同一专业至多 1 人" if request.get("distinct_institutions_per_specialty") is True else "") if x)
    rows = [
        ["用途", md(request.get("purpose"))],
        ["抽取对象", label("rosters", draw.get("roster"))],
        ["申请科室", md(request.get("requested_by"))],
        ["抽取人 / 监督人", f"{md(request.get('operator'))} / {md(request.get('supervisor'))}"],
        ["请求日期", str(request.get("requested", ""))],
        ["活动时间", f"{activity.get('start')} 至 {activity.get('end')}" if activity else "—"],
        ["被检查单位", subjects or "—"],
        ["人数", f"{request.get('size')} 人" + (f"（{quotas}）" if quotas else "")],
        ["单位限制", limits or "—"],
        ["算法", label("algorithms", draw.get("algorithm"))],
        ["抽取日期", str(result.get("run", ""))],
        ["公开日期", str(request.get("publish", ""))],
    ]
    if request.get("parent"):
        rows.append(["补抽", f"原抽取 [{request['parent']}]({str(request['parent']).lower()}.md)"
                     + (f"：{md(request.get('parent_reason'))}" if request.get("parent_reason") else "")])
    return rows


def _group_label(data: Mapping[str, Any], i: int) -> str:
    """The frozen quota group of candidate ``i``; without quotas, the category in the registry (for reading)."""
    quotas, quota = data["quotas"], data["candidates"]["quota"][i]
    if not quotas:
        return label("quota_categories", data["candidates"]["category"][i], "")
    return _quota_label(quotas[quota - 1]) if isinstance(quota, int) and 1 <= quota <= len(quotas) else "—"


def _person_rows(ids: list[str], data: Mapping[str, Any], draw: Mapping[str, Any]) -> list[list[str]]:
    cand = data["candidates"]
    index = {ident: i for i, ident in enumerate(cand["id"])}
    responses = {r["id"]: r for r in draw.get("responses", [])}
    rows = []
    for n, ident in enumerate(ids, start=1):
        i = index.get(ident)
        name = cand["name"][i] if i is not None else ident
        category = _group_label(data, i) if i is not None else ""
        response = responses.get(ident)
        answer = label("responses", response["response"]) if response else ""
        if response and response.get("replaced_by"):
            answer += f"，由 {response['replaced_by']} 递补"
        rows.append([str(n), esc(ident), esc(name), esc(category), answer])
    return rows


def _draw_page(draw: Mapping[str, Any], data: Mapping[str, Any], ctx: SiteContext) -> str:
    ident = str(draw["id"])
    path = draw_page_path(ident)
    data_url = rel_url(path, draw_data_path(ident))
    data_link = src_rel(path, draw_data_path(ident))
    result = data["result"]
    lines = [SEARCH_EXCLUDED + f"# 抽取记录 {ident}", "", md_table(["项目", "内容"], _request_rows(draw, ctx)), "## 随机源与密钥串", ""]
    values = data["values"]
    rows = [[str(n), esc(s.get("name")) + _other(s), nowrap(str(s.get("public_on", ""))), esc(values[n - 1] if n - 1 < len(values) else "")]
            for n, s in enumerate(data["sources"], start=1)]
    lines += [html_table(["序号", "随机源", "公布日期", "公布的数值"], rows, cls="roster roster--small",
                         keys=["n", "source", "date", "value"]), "",
              "密钥串（把上面各随机源公布的数值按 RFC 3797 第4节的固定格式连成的一串文字，是计算抽取顺序的起点）：",
              "", f'<p class="roster-key"><code>{esc(data["key"])}</code></p>', "", "## 抽中名单", ""]
    headers = ["顺序", "编号", "名称", "名额组" if data["quotas"] else "类别", "答复"]
    lines += [html_table(headers, _person_rows(result["panel"], data, draw), cls="roster roster--small"), ""]
    replacements = result["replacements"]
    lines += ["## 替补顺序", "",
              f"有人婉拒或缺席时，按下列顺序由第一位按同一规则可以入选的候选人递补（共 {len(replacements)} 人，"
              f"此处列出前 {min(REPLACEMENTS_SHOWN, len(replacements))} 位，完整顺序见[抽取数据]({data_link})）。", "",
              html_table(headers, _person_rows(replacements[:REPLACEMENTS_SHOWN], data, draw), cls="roster roster--small"), ""]
    lines += _response_lines(data)
    cand = data["candidates"]
    quotas = data["quotas"]
    lines += ["## 候选名单", "",
              f"请求时冻结的候选名单共 {len(cand['id'])} 人（按编号排序，RFC 3797 按此顺序编号）。"
              "每人的名额组、单位和法人单位（候选属性）在请求时就冻结在抽取记录中，核验只用这些，不受名册以后变化的影响。", ""]
    if len(cand["id"]) <= int(labels()["inline_candidates_max"]):
        rows = []
        for i, c in enumerate(cand["id"]):
            inst, name = cand["institution"][i], cand["institution_name"][i]
            group = _group_label(data, i) or "—"
            if quotas and group != "—":
                group = f"第 {cand['quota'][i]} 组 {group}"
            rows.append([str(i + 1), esc(c), esc(cand["name"][i]), esc(group),
                         esc(f"{name}（{inst}）" if inst and name else inst or "—"), esc(cand["legal_entity"][i] or "—")])
        lines += ["<details><summary>展开候选名单</summary>", "",
                  html_table(["位置", "编号", "名称", "名额组" if quotas else "类别", "单位", "法人单位"], rows, cls="roster roster--small"),
                  "</details>", ""]
    else:
        lines += [f"候选名单较长，请下载[抽取数据]({data_link})查看。", ""]
    counts = data["exclusions"]
    lines += ["## 排除情况", "",
              "因回避、状态或聘期未进入候选名单的人数（具体原因不公开）：", ""]
    lines += [md_table(["类别", "人数"], [[EXCLUSION_LABELS.get(k, k), str(v)] for k, v in counts.items()])
              if counts else "无。", ""]
    lines += _commitment_lines(data, path)
    lines += ["## 在浏览器中核验", "",
              "点击下面的按钮，浏览器会用本页公布的随机源数值和冻结的候选属性，重新计算密钥串、完整顺序、"
              "抽中名单（含余额检查）、替补顺序和每一次递补，并与公布的结果比较；还用本网站保存的时间戳服务证书核验"
              "每个时间戳令牌的签名（须用以 `https://` 开头的地址打开本页）。计算在您的设备上进行，不访问其他网站。"
              f"也可以用其他程序核对，方法见[如何核验抽取结果]({src_rel(path, 'verify.md')})"
              f"和[随机抽取算法说明]({src_rel(path, 'draw-algorithm.md')})。", "",
              f'<div class="roster-verify" data-draw-url="{esc(data_url)}">',
              '<button type="button" class="md-button md-button--primary">在浏览器中核验</button>',
              '<div class="roster-verify__output" data-verify-output aria-live="polite"></div>',
              "</div>", "", f'<script src="{rel_url(path, "assets/javascripts/tsa.js")}"></script>',
              f'<script src="{rel_url(path, "assets/javascripts/verify.js")}"></script>', "",
              str(labels()["verify_proves"]), "", str(labels()["verify_cannot"]), ""]
    return "\n".join(lines)


def _shown_time(stamp: Mapping[str, Any]) -> str:
    """``2026-09-01 10:30:00``（北京时间）from the ISO time the site computed from the token."""
    time = stamp.get("time")
    return f"{str(time)[:19].replace('T', ' ')}（北京时间）" if time else "无法核验"


def _other(source: Mapping[str, Any]) -> str:
    """The flag of a source outside the catalog (it counts for no entropy)."""
    return f"（目录外来源，不计入熵；批准人：{esc(source.get('approved_by'))}）" if source.get("kind") == "other" else ""


def _response_lines(data: Mapping[str, Any]) -> list[str]:
    """Every response with its date and reason code (the text of the reason stays private)."""
    responses = data.get("responses") or []
    if not responses:
        return []
    codes = reason_codes()
    rows = [[str(r.get("date", "")), esc(r["id"]), label("responses", r["response"]),
             esc(codes.get(str(r["response"]), {}).get(str(r.get("reason_code")), "—")),
             esc(r.get("replaced_by") or ("—" if r["response"] == "accepted" else "无人可递补"))] for r in responses]
    return ["## 答复", "", "按记录的先后（婉拒、缺席只公开原因代码，不公开文字说明）：", "",
            md_table(["日期", "编号", "答复", "原因", "递补"], rows), ""]


def _commitment_lines(data: Mapping[str, Any], path: str) -> list[str]:
    """The commitment shown since the request was made, its time-stamp tokens, and the record's digest."""
    lines = ["## 承诺值与时间戳", "",
             "抽取请求提交时，本局公布了请求的承诺值（SHA-256，算法见"
             f"[随机抽取算法说明]({src_rel(path, 'draw-algorithm.md')})“规范 JSON 与承诺值”一节），"
             "并向可信时间戳服务（RFC 3161）申请了时间戳：时间戳证明这个承诺值在所写的时间已经存在，早于随机源公布。", "",
             f"- 承诺值：`{data.get('commitment')}`",
             f"- 全记录摘要（请求、候选、属性、排除、数值与结果、答复）：`{data.get('digest')}`"]
    for stamp in data.get("timestamps") or []:
        lines.append(f"- 时间戳（{esc(stamp['authority'])}）：{esc(_shown_time(stamp))}"
                     "（令牌见[抽取数据](" + src_rel(path, draw_data_path(str(data['id']))) + ")中的 `timestamps`，Base64 编码）")
    if not data.get("timestamps"):
        lines.append("- 时间戳：无（本局没有配置时间戳服务；请求的时间只能由内部仓库的提交历史证明）")
    return [*lines, ""]


def _pending_page(data: Mapping[str, Any]) -> str:
    """A request before its publish date: its commitment, and nothing that names anyone or anything."""
    ident = str(data["id"])
    path = draw_page_path(ident)
    rows = [[str(n), md(s.get("name")) + _other(s), str(s.get("public_on", ""))] for n, s in enumerate(data["sources"], start=1)]
    stamps = [[esc(t["authority"]), esc(_shown_time(t))] for t in data["timestamps"]]
    lines = [SEARCH_EXCLUDED + f"# 抽取请求 {ident}（待公开）", "",
             md_table(["项目", "内容"], [["抽取对象", esc(data["roster_label"])], ["活动类别", esc(data["activity"])],
                                         ["承诺值", f"`{data['commitment']}`"]]), "",
             "这次抽取的用途、对象、人员和结果在活动结束后的公开日期公布；在此之前只公布承诺值。"
             "公开时，浏览器会检查公开的请求算出的承诺值与这里的相同，证明请求在随机源公布前已经固定、事后没有改动。", "",
             "## 事先指定的随机源", "", md_table(["序号", "随机源", "公布日期"], rows), "",
             "## 时间戳", "",
             md_table(["时间戳服务", "时间"], stamps) if stamps else "无（本局没有配置时间戳服务）。", "",
             f"时间戳令牌（RFC 3161，Base64）见[数据文件]({src_rel(path, draw_data_path(ident))})。", ""]
    return "\n".join(lines)


def draw_pages(ctx: SiteContext) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Pages (Markdown) and data files (JSON-ready) of every published draw."""
    pages: dict[str, str] = {}
    data_files: dict[str, dict[str, Any]] = {}
    rows = []
    profiles: dict[str, dict[str, Any]] = {}
    for draw in reversed(ctx.draws):
        ident = str(draw["id"])
        data = draw_data(draw, ctx, profiles)
        data_files[draw_data_path(ident)] = data
        pages[draw_page_path(ident)] = _draw_page(draw, data, ctx)
        request = draw.get("request", {})
        activity = request.get("activity") or {}
        rows.append([f"[{ident}]({ident.lower()}.md)", md(request.get("purpose")),
                     f"{activity.get('start', '')} 至 {activity.get('end', '')}" if activity else "—",
                     f"{request.get('size')} 人", str(request.get("publish"))])
    pending_rows = []
    for draw in ctx.pending_draws:
        ident = str(draw["id"])
        data = pending_data(draw, ctx)
        data_files[draw_data_path(ident)] = data
        pages[draw_page_path(ident)] = _pending_page(data)
        first = min((str(s.get("public_on")) for s in data["sources"]), default="")
        pending_rows.append([f"[{ident}]({ident.lower()}.md)", esc(data["roster_label"]), esc(data["activity"]), first,
                             f"`{str(data['commitment'])[:19]}…`"])
    policy = policy_of("experts", ctx.settings)  # the expert roster's preset: its own articles, never another's
    lines = [f"# {labels()['pages']['draws']}", "",
             f"每次使用专家库都通过随机抽取并留有书面记录（{clause(policy, 'record')}）。"
             f"抽取结果在活动结束后的公开日期公布；公布前保密（{clause(policy, 'secrecy')}）。", "",
             f"已公开 {len(rows)} 次抽取。每条记录的页面都可以在浏览器中重新计算核验。", ""]
    lines += [md_table(["编号", "用途", "活动时间", "人数", "公开日期"], rows) if rows else "暂无已公开的抽取记录。", ""]
    lines += ["## 待公开的抽取请求（承诺值）", "",
              "这些请求已经提交，随机源尚未公布或结果尚未到公开日期。这里只公布承诺值、随机源和时间戳，不公布任何人名或检查对象。", "",
              md_table(["编号", "抽取对象", "活动类别", "最早的随机源", "承诺值"], pending_rows) if pending_rows else "暂无。", ""]
    pages["draws/index.md"] = "\n".join(lines)
    return pages, data_files


def dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
