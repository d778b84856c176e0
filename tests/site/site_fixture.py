"""A synthetic registry for the site tests and the site benchmark (deterministic, schema-valid).

    write_registry(root, experts=40, supervisors=6, draws=4, announcements=6, today=date(2026, 6, 1))

Draw results are computed with the project's own RFC 3797 engine and walk, using the same quota
rule as the site (first matching quota entry). One draw is always embargoed (publish date after
``today``) and one announcement is always open on ``today``; the embargoed draw's id is returned.
Every name carries 示例; no record holds personal data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from roster.draw.rfc3797 import key_string, parse_sources, permutation
from roster.draw.walk import Member, PanelRequest, walk
from roster.site.draws import quota_group

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "明华建国平志伟强军红英丽敏静芳娟秀霞杰涛斌超勇磊洋艳玲桂兰文辉东鹏飞云海波宁安康泽宇欣怡晨"
CATEGORIES = ["medical", "medical", "medical", "it", "finance", "policy"]
SPECIALTIES = {"medical": ["心血管内科", "临床药学", "普通外科", "中医内科", "医院感染管理"],
               "it": ["医保信息系统", "数据分析"], "finance": ["医院财务", "审计"], "policy": ["医保支付", "基金监管"]}
TITLES = [("主任医师", "senior"), ("副主任医师", "associate_senior"), ("主治医师", "intermediate"),
          ("高级会计师", "senior"), ("高级工程师", "associate_senior")]
LEVELS = ["三级甲等", "三级乙等", "二级甲等", "二级", "一级"]


@dataclass(frozen=True)
class Fixture:
    root: Path
    embargoed_draw: str
    published_draws: tuple[str, ...]
    open_announcement: str
    expert_name: str


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _institutions(root: Path, count: int) -> list[dict[str, Any]]:
    out = []
    for n in range(1, count + 1):
        ident = f"I{n:04d}"
        pharmacy = n % 5 == 0
        entity = f"I{n - 1:04d}" if n % 7 == 0 else ident
        data: dict[str, Any] = {"id": ident, "name": f"示例{'大药房' if pharmacy else '医院'}{n}号",
                                "type": "pharmacy" if pharmacy else "hospital", "legal_entity": entity,
                                "region": "540102"}
        if not pharmacy:
            data["level"] = LEVELS[n % len(LEVELS)]
        data["designated"] = {"kind": "pharmacy" if pharmacy else "medical", "since": "2020-01-01"}
        _dump(root / "institutions" / f"{ident}.yaml", data)
        out.append(data)
    return out


def _expert(n: int, rng: random.Random, institutions: list[dict[str, Any]]) -> dict[str, Any]:
    category = CATEGORIES[n % len(CATEGORIES)]
    title, level = TITLES[n % len(TITLES)]
    employer = institutions[rng.randrange(len(institutions))]["id"]
    start = date(2025, 1, 1) + timedelta(days=n % 200)
    return {
        "id": f"E{n:05d}", "name": _name(rng), "gender": "男" if n % 2 else "女",
        "birth": f"{1968 + n % 22}-{1 + n % 12:02d}", "ethnicity": "汉族", "category": category,
        "specialties": [SPECIALTIES[category][n % len(SPECIALTIES[category])]], "employer": employer,
        "position": "科主任" if n % 3 == 0 else "医师",
        "education": {"level": "master", "school": "示例医科大学", "major": "临床医学"},
        "title": {"name": title, "level": level, "since": "2012-01"}, "work_start": "1995-07",
        "civil_servant": False,
        "declarations": {"no_criminal_record": True, "no_admin_penalty": True, "never_disqualified": True,
                         "signed": "2024-12-01"},
        "admission": {"route": "invited", "date": start.isoformat(), "consent": {"date": "2024-12-01"}},
        "term": {"start": start.isoformat(), "end": (start.replace(year=start.year + 3) - timedelta(days=1)).isoformat()},
        "status": "active", "status_history": [{"date": start.isoformat(), "status": "active"}],
        "advisory_committee": n % 17 == 0,
        "conflicts": [{"institution": institutions[0]["id"], "relation": "other", "note": "示例私密说明"}],
        "person_key": "hmac-sha256:" + f"{n:064x}",
        "remarks": "示例备注，不公开",
    }


def _result(ids: list[str], members: dict[str, Member], request: PanelRequest, values: list[str],
            algorithm: str) -> dict[str, Any]:
    key = key_string([part for value in values for part in parse_sources(value)])
    order = [ids[s.position - 1] for s in permutation(len(ids), key, algorithm)]
    walked = walk(order, members, request)
    return {"values": values, "key": key, "order": order, "panel": list(walked.panel),
            "replacements": list(walked.replacements)}


def _draw(n: int, rng: random.Random, experts: list[dict[str, Any]], institutions: dict[str, dict[str, Any]],
          publish: date, roster_size: int) -> dict[str, Any]:
    ident = f"D2026-{n:03d}"
    subject = rng.choice(list(institutions))
    candidates, exclusions = [], []
    for e in experts:
        if e["employer"] == subject:
            exclusions.append({"id": e["id"], "kind": "recusal_employer", "clause": "《西藏专家库管理办法》第二十四条（一）",
                               "detail": "示例：现工作单位为被检查单位"})
        else:
            candidates.append(e)
    candidates = candidates[: roster_size]
    quotas = [{"category": "medical", "count": 3}, {"category": "finance", "count": 1}, {"category": "policy", "count": 1}]
    by_id = {e["id"]: e for e in candidates}
    ids = sorted(by_id)
    members = {i: Member(group=quota_group(quotas, by_id[i]["category"], by_id[i]["specialties"]),
                         institution=by_id[i]["employer"],
                         legal_entity=institutions[by_id[i]["employer"]]["legal_entity"]) for i in ids}
    request = PanelRequest(quotas={k: q["count"] for k, q in enumerate(quotas)}, max_per_institution=1,
                           max_per_legal_entity=2)
    algorithm = "rfc3797-sm3" if n % 4 == 3 else "rfc3797"
    reds = sorted(rng.sample(range(1, 34), 6))
    values = [" ".join(f"{r:02d}" for r in reds) + f" + {rng.randint(1, 16):02d}", f"{rng.randint(2800, 3600)}.{rng.randint(0, 99):02d}"]
    result = _result(ids, members, request, values, algorithm)
    activity = publish - timedelta(days=10)
    return {
        "id": ident, "roster": "experts", "algorithm": algorithm,
        "request": {
            "purpose": f"2026年示例专项检查专家组（第{n}批）", "requested_by": "基金监管科", "operator": "示例抽取人",
            "supervisor": "示例监督人", "requested": (activity - timedelta(days=20)).isoformat(),
            "activity": {"start": (activity - timedelta(days=3)).isoformat(), "end": activity.isoformat()},
            "subjects": [subject], "size": 5, "quotas": quotas, "max_per_institution": 1, "max_per_legal_entity": 2,
            "sources": [{"name": "中国福利彩票双色球第2026001期开奖号码", "kind": "ssq",
                         "public_on": (activity - timedelta(days=15)).isoformat()},
                        {"name": "上证指数收盘点位", "kind": "stock_close", "public_on": (activity - timedelta(days=15)).isoformat()}],
            "publish": publish.isoformat(),
        },
        "candidates": ids,
        "exclusions": exclusions,
        "result": {"run": (activity - timedelta(days=14)).isoformat(), **result},
        "responses": [{"id": result["panel"][0], "response": "accepted", "date": (activity - timedelta(days=12)).isoformat()}],
    }


def write_registry(root: Path, *, experts: int = 40, supervisors: int = 6, draws: int = 4, announcements: int = 6,
                   institutions: int = 12, today: date = date(2026, 6, 1), seed: int = 7,
                   candidates_per_draw: int = 2000) -> Fixture:
    rng = random.Random(seed)
    _dump(root / "registry.yaml", {
        "bureau": {"name": "示例市医疗保障局", "region": "540100", "office": "基金监管科", "office_phone": "0891-6000000",
                   "office_address": "示例市示例路1号", "postcode": "850000"},
        "rosters": {"experts": {"policy": "xz-2023"}, "supervisors": {"policy": "jn"}},
        "announcements": {"workdays": 5, "how_to_object": "以书面形式实名向基金监管科反映，并提供联系方式和相关材料。"},
        "site": {"title": "示例市医保基金监管专家库", "host": "示例市医疗保障局", "site_code": "5401000001",
                 "icp": "藏ICP备00000000号", "psb": "藏公网安备 54010202000000号", "url": "https://example.org/roster/"},
    })
    insts = _institutions(root, institutions)
    inst_by_id = {i["id"]: i for i in insts}
    people = [_expert(n, rng, insts) for n in range(1, experts + 1)]
    for e in people:
        _dump(root / "experts" / f"{e['id']}.yaml", e)
    medical = [i["id"] for i in insts if i["designated"]["kind"] == "medical"]
    pharmacies = [i["id"] for i in insts if i["designated"]["kind"] == "pharmacy"]
    for n in range(1, supervisors + 1):
        _dump(root / "supervisors" / f"S{n:04d}.yaml", {
            "id": f"S{n:04d}", "name": _name(rng), "gender": "女" if n % 2 else "男", "birth": f"{1970 + n}-03",
            "occupation": "示例区人大代表" if n % 2 else "退休教师", "route": "open", "pledge": {"signed": "2025-12-01"}, "background": ["medicine", "law"][: 1 + n % 2],
            "claims": [medical[n % len(medical)], pharmacies[n % len(pharmacies)]],
            "certificate_no": f"JN-2026-{n:03d}",
            "term": {"start": "2026-01-01", "end": "2027-12-31"}, "status": "active",
            "status_history": [{"date": "2026-01-01", "status": "active"}],
        })
    draw_ids = []
    for n in range(1, draws + 1):
        publish = today + timedelta(days=30) if n == draws else today - timedelta(days=(draws - n) * 5 + 1)
        record = _draw(n, rng, people, inst_by_id, publish, candidates_per_draw)
        _dump(root / "draws" / "2026" / f"{record['id']}.yaml", record)
        draw_ids.append(record["id"])
    open_id = ""
    for n in range(1, announcements + 1):
        ident = f"A2026-{n:03d}"
        published = today - timedelta(days=(announcements - n) * 3)
        data: dict[str, Any] = {"id": ident, "kind": "admission" if n % 2 else "notice",
                                "title": f"示例市医保基金监管专家入库公示（第{n}批）" if n % 2 else f"示例通知（第{n}号）",
                                "published": published.isoformat(), "body": "经个人申报、单位推荐和资格审查，现将拟入库专家名单予以公示。"}
        if n % 2:
            data["period"] = {"start": published.isoformat(), "end": (published + timedelta(days=6)).isoformat(), "workdays": 5}
            data["subjects"] = [p["id"] for p in people[n: n + 3]]
            data["contact"] = {"office": "基金监管科", "office_phone": "0891-6000000",
                               "how_to_object": "以书面形式实名反映，并提供联系方式。"}
            if published <= today <= published + timedelta(days=6):
                open_id = ident
        _dump(root / "announcements" / "2026" / f"{ident}.yaml", data)
    return Fixture(root, draw_ids[-1], tuple(draw_ids[:-1]), open_id, people[0]["name"])
