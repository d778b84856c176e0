"""A synthetic registry for the site tests and the site benchmark (deterministic, schema-valid).

    write_registry(root, experts=40, supervisors=6, draws=4, announcements=6, today=date(2026, 6, 1))

Draw results are computed with the project's own draw engine (roster.draw: the request model, the
frozen ``candidate_facts``, RFC 3797 and the lookahead walk). One draw is always embargoed (publish
date after ``today``) and one announcement is always open on ``today``; the embargoed draw's id is
returned. One more published draw (:func:`_lookahead_draw`) is built so that the walk's lookahead
decides its panel: the old greedy rule would give another one. Every name carries 示例; no record
holds personal data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from roster.draw.canonical import commitment
from roster.draw.model import members_of, parse_request
from roster.draw.protocol import key_from_values, respond
from roster.draw.rfc3797 import permutation
from roster.draw.walk import walk

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
    lookahead_draw: str = ""  # published; the lookahead decides its panel
    greedy_panel: tuple[str, ...] = ()  # what the old greedy rule would have drawn there instead


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
        "declarations": {code: {"confirmed": True, "source": "pledge", "date": "2024-12-01"}
                         for code in ("healthy", "no_criminal_record", "no_admin_penalty", "never_disqualified")},
        "admission": {"route": "invited", "date": start.isoformat(), "consent": {"date": "2024-12-01"}},
        "term": {"start": start.isoformat(), "end": (start.replace(year=start.year + 3) - timedelta(days=1)).isoformat()},
        "status": "active", "status_history": [{"date": start.isoformat(), "status": "active"}],
        "advisory_committee": n % 17 == 0,
        "conflicts": [{"institution": institutions[0]["id"], "relation": "other", "note": "示例私密说明"}],
        "person_key": "hmac-sha256:" + f"{n:064x}",
        "remarks": "示例备注，不公开",
    }


def _with_result(data: dict[str, Any], values: list[str], day: date) -> dict[str, Any]:
    """The draw engine's result for ``data`` (as ``roster draw run`` writes it, without its feasibility check)."""
    request = parse_request(data)
    key = key_from_values(request, values)
    ids = data["candidates"]
    order = [ids[s.position - 1] for s in permutation(len(ids), key, request.algorithm)]
    walked = walk(order, members_of(data, request), request.panel_request())
    return {**data, "commitment": commitment(data),
            "result": {"run": day.isoformat(), "values": values, "key": key, "order": order,
                       "panel": list(walked.panel), "replacements": list(walked.replacements)}}


def _request(n: int, purpose: str, activity: date, subjects: list[str], quotas: list[dict[str, Any]],
             limits: tuple[int, int], publish: date, dlt: bool = False) -> dict[str, Any]:
    """A draw request; ``dlt`` adds 大乐透 as a third source (a specialty-sized pool of hundreds needs it)."""
    lottery = [{"name": f"体彩超级大乐透第2026{n:03d}期开奖号码", "kind": "dlt",
                "public_on": (activity - timedelta(days=15)).isoformat()}] if dlt else []
    return {
        "purpose": purpose, "requested_by": "基金监管科", "operator": "示例抽取人",
        "supervisor": "示例监督人", "requested": (activity - timedelta(days=20)).isoformat(),
        "activity": {"start": (activity - timedelta(days=3)).isoformat(), "end": activity.isoformat()},
        "subjects": subjects, "size": sum(q["count"] for q in quotas), "quotas": quotas,
        "max_per_institution": limits[0], "max_per_legal_entity": limits[1],
        "sources": [{"name": f"中国福利彩票双色球第2026{n:03d}期开奖号码", "kind": "ssq",
                     "public_on": (activity - timedelta(days=15)).isoformat()},
                    {"name": "上证指数收盘点位", "kind": "stock_close", "public_on": (activity - timedelta(days=15)).isoformat()},
                    *lottery],
        "publish": publish.isoformat(),
    }


def _values(rng: random.Random, dlt: bool = False) -> list[str]:
    reds = sorted(rng.sample(range(1, 34), 6))
    values = [" ".join(f"{r:02d}" for r in reds) + f" + {rng.randint(1, 16):02d}", f"{rng.randint(2800, 3600)}.{rng.randint(0, 99):02d}"]
    if dlt:
        front, back = sorted(rng.sample(range(1, 36), 5)), sorted(rng.sample(range(1, 13), 2))
        values.append(" ".join(f"{v:02d}" for v in front) + " + " + " ".join(f"{v:02d}" for v in back))
    return values


def _draw(n: int, rng: random.Random, experts: list[dict[str, Any]], institutions: dict[str, dict[str, Any]],
          publish: date, roster_size: int, dlt: bool = False) -> dict[str, Any]:
    ident = f"D2026-{n:03d}"
    subject = rng.choice(list(institutions))
    quotas = [{"category": "medical", "count": 3}, {"category": "finance", "count": 1}, {"category": "policy", "count": 1}]
    activity = publish - timedelta(days=10)
    data: dict[str, Any] = {
        "id": ident, "roster": "experts", "algorithm": "rfc3797-sm3" if n % 4 == 3 else "rfc3797",
        "request": _request(n, f"2026年示例专项检查专家组（第{n}批）", activity, [subject], quotas, (1, 2), publish, dlt),
    }
    request = parse_request(data)
    candidates: list[str] = []
    exclusions: list[dict[str, str]] = []
    facts: dict[str, dict[str, Any]] = {}
    for e in experts:
        quota = request.quota_for(e["category"], e["specialties"], ())
        if quota is None:
            continue  # in no quota: not in scope, as roster draw new leaves them out
        if e["employer"] == subject:
            exclusions.append({"id": e["id"], "kind": "recusal_employer", "clause": "《西藏专家库管理办法》第二十四条（一）",
                               "detail": "示例：现工作单位为被检查单位"})
        elif len(candidates) < roster_size:
            candidates.append(e["id"])
            entity = institutions.get(e["employer"], {}).get("legal_entity") or e["employer"]
            facts[e["id"]] = {"quota": quota, "institution": e["employer"], "legal_entity": entity}
    ids = sorted(candidates)
    data.update(candidates=ids, candidate_facts={i: facts[i] for i in ids}, exclusions=exclusions)
    record = _with_result(data, _values(rng, dlt), activity - timedelta(days=14))
    record["responses"] = [{"id": record["result"]["panel"][0], "response": "accepted",
                            "date": (activity - timedelta(days=12)).isoformat()}]
    return record


def _greedy_panel(data: dict[str, Any]) -> list[str]:
    """The OLD rule (take whoever fits, no lookahead): only to pick values for which the two differ."""
    request = data["request"]
    sizes = [q["count"] for q in request["quotas"]]
    taken: list[str] = []
    for candidate in data["result"]["order"]:
        fact = data["candidate_facts"][candidate]
        quota, institution, entity = fact["quota"], fact["institution"], fact["legal_entity"]
        if (sum(data["candidate_facts"][c]["quota"] == quota for c in taken) < sizes[quota - 1]
                and sum(data["candidate_facts"][c]["institution"] == institution for c in taken) < request["max_per_institution"]
                and sum(data["candidate_facts"][c]["legal_entity"] == entity for c in taken) < request["max_per_legal_entity"]):
            taken.append(candidate)
    return taken


def _lookahead_draw(n: int, people: list[dict[str, Any]], publish: date) -> tuple[dict[str, Any], list[str]] | None:
    """A published draw where the lookahead decides the panel, and what the greedy rule would give.

    Like the example of docs/draw-algorithm.md: one 信息技术类 place whose only candidate works at
    I0006; two 医药类 candidates at I0006 and at I0007 (legal entity I0006); three more elsewhere;
    at most one per institution and per legal entity. Values are tried in a fixed order until a
    医药类 candidate of I0006/I0007 comes before the IT expert: greedy takes him and can no longer
    fill the IT place, the lookahead skips him. The facts are frozen in the draw; the experts'
    employers in the registry are other ones (as after a change since the request), and the
    verifier must not look at them. Also one decline, replaced by the engine (``respond``).
    """
    medical = [p["id"] for p in people if p["category"] == "medical"][:5]
    it = [p["id"] for p in people if p["category"] == "it"][:1]
    if len(medical) < 5 or not it:
        return None
    places = [("I0006", "I0006"), ("I0007", "I0006"), ("I0003", "I0003"), ("I0004", "I0004"), ("I0008", "I0008")]
    facts = {it[0]: {"quota": 1, "institution": "I0006", "legal_entity": "I0006"}}
    facts |= {m: {"quota": 2, "institution": i, "legal_entity": e} for m, (i, e) in zip(medical, places, strict=True)}
    ids = sorted(facts)
    activity = publish - timedelta(days=10)
    quotas = [{"category": "it", "count": 1}, {"category": "medical", "count": 2}]
    data: dict[str, Any] = {
        "id": f"D2026-{n:03d}", "roster": "experts", "algorithm": "rfc3797",
        "request": _request(n, "2026年示例信息系统专项检查专家组（余额检查示例）", activity, ["I0001"], quotas, (1, 1), publish),
        "candidates": ids, "candidate_facts": {i: facts[i] for i in ids}, "exclusions": [],
    }
    rng = random.Random(3797)
    run_day = activity - timedelta(days=14)
    for _ in range(1000):
        record = _with_result(data, _values(rng), run_day)
        greedy = _greedy_panel(record)
        if greedy != record["result"]["panel"] and len(record["result"]["panel"]) == 3:
            break
    else:
        raise AssertionError("no values found for which the lookahead decides the panel")
    panel = record["result"]["panel"]
    day = activity - timedelta(days=12)
    record = respond(record, panel[0], "declined", "示例：同期另有公务", day, "schedule", "示例抽取人").data
    for person in panel[1:]:
        record = respond(record, person, "accepted", None, day).data
    return record, greedy


def write_registry(root: Path, *, experts: int = 40, supervisors: int = 6, draws: int = 4, announcements: int = 6,
                   institutions: int = 12, today: date = date(2026, 6, 1), seed: int = 7,
                   candidates_per_draw: int = 2000) -> Fixture:
    rng = random.Random(seed)
    _dump(root / "registry.yaml", {
        "bureau": {"name": "示例市医疗保障局", "region": "540100", "office": "基金监管科", "office_phone": "0891-6000000",
                   "office_address": "示例市示例路1号", "postcode": "850000"},
        "rosters": {"experts": {"policy": "xz-2023"}, "supervisors": {"policy": "jn"}},
        "announcements": {"workdays": 5, "how_to_object": "以书面形式实名向基金监管科反映，并提供联系方式和相关材料。",
                          "channels": {"written_to": "示例市示例路1号示例市医疗保障局", "postcode": "850000",
                                       "office_hours": "工作日 9:00—12:00、15:00—18:00"}},
        "site": {"title": "示例市医保基金监管专家库", "host": "示例市医疗保障局", "site_code": "5401000001",
                 "icp": "藏ICP备00000000号", "psb": "藏公网安备 54010202000000号", "url": "https://example.org/roster/",
                 "report": [{"label": "示例市医保局举报电话", "hotline": "0891-6000001"}]},
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
    embargoed = draw_ids.pop()
    lookahead = _lookahead_draw(draws + 1, people, today - timedelta(days=2)) if institutions >= 8 else None
    if lookahead is not None:
        _dump(root / "draws" / "2026" / f"{lookahead[0]['id']}.yaml", lookahead[0])
        draw_ids.append(lookahead[0]["id"])
    open_id = ""
    for n in range(1, announcements + 1):
        ident = f"A2026-{n:03d}"
        published = today - timedelta(days=(announcements - n) * 3)
        data: dict[str, Any] = {"id": ident, "kind": "admission" if n % 2 else "notice",
                                "title": f"示例市医保基金监管专家入库公示（第{n}批）" if n % 2 else f"示例通知（第{n}号）",
                                "published": published.isoformat(), "doc_no": f"示医保公〔2026〕{n}号",
                                "body": "经个人申报、单位推荐和资格审查，现将拟入库专家名单予以公示。"}
        if n % 2:
            data["period"] = {"start": published.isoformat(), "end": (published + timedelta(days=6)).isoformat(), "workdays": 5}
            data["subjects"] = [p["id"] for p in people[n: n + 3]]
            data["contact"] = {"office": "基金监管科", "office_phone": "0891-6000000",
                               "how_to_object": "以书面形式实名反映，并提供联系方式。"}
            if published <= today <= published + timedelta(days=6):
                open_id = ident
            elif n == 1:  # long closed, with its result
                data["outcome"] = {"closed": (published + timedelta(days=8)).isoformat(), "objections": 1,
                                   "result": "passed", "note": "收到异议1件，经核实不成立。"}
        _dump(root / "announcements" / "2026" / f"{ident}.yaml", data)
    return Fixture(root, embargoed, tuple(draw_ids), open_id, people[0]["name"],
                   lookahead[0]["id"] if lookahead else "", tuple(lookahead[1]) if lookahead else ())
