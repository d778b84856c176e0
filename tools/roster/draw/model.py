"""A draw file's request, read into typed values; clause texts and labels (data in YAML)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from ..core.errors import RosterError
from ..core.timeutil import parse_date
from ..core.vocab import ROSTER_KIND, ROSTER_LABELS, ROSTERS
from ..policies.bureau import roster_policy
from ..policies.presets import inspection_basis, load_preset, preset_ids
from ..yamlio.packaged import packaged
from .walk import Member, PanelRequest

__all__ = [
    "ACTIVITY_KINDS",
    "BACKGROUND_LABELS",
    "CATEGORY_LABELS",
    "ROSTERS",
    "ROSTER_KIND",
    "ROSTER_LABELS",
    "DrawError",
    "Quota",
    "Request",
    "SourceSpec",
    "clause",
    "members_of",
    "panel_problems",
    "parse_request",
    "policy_of",
    "reason_codes",
]

CATEGORY_LABELS = {"medical": "医药类", "it": "信息技术类", "finance": "财务类", "policy": "医保政策及管理类"}
DESIGNATED_LABELS = {"medical": "定点医疗机构", "pharmacy": "定点零售药店"}
BACKGROUND_LABELS = {"medicine": "医药", "law": "法律", "finance": "财务", "it": "信息", "other": "其他"}
EXCLUSION_LABELS = {
    "status": "状态不是在库",
    "suspended": "暂停",
    "term": "聘期不覆盖活动",
    "age": "活动结束前超过年龄上限",
    "designation": "定点协议不覆盖活动",
    "recusal_employer": "回避：现工作单位为被检查单位",
    "recusal_legal_entity": "回避：与被检查单位属同一法人单位",
    "recusal_former": "回避：两年内曾在被检查单位任职",
    "recusal_conflict": "回避：申报的利益关系",
    "previous_draw": "补抽：原抽取已用到",
}
RESPONSE_LABELS = {"accepted": "同意参加", "declined": "婉拒", "absent": "缺席或未答复"}
# what the public site says of a pending request (request.kind); an unannounced inspection gets a generic label
ACTIVITY_KINDS = {
    "unannounced": "监督检查或评审（内容在公开日期前保密）",
    "review": "评审",
    "appraisal": "鉴定",
    "meeting": "会议或培训",
}


@cache
def reason_codes() -> dict[str, dict[str, str]]:
    """Reason codes (and labels) of declined and absent responses, from responses.yaml."""
    data: dict[str, dict[str, str]] = packaged("draw/responses.yaml")
    return data


class DrawError(RosterError):
    """An expected problem with a draw, said in Chinese; ``path`` points into the draw file."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


# ---------------------------------------------------------------- clauses (in the presets)


def policy_of(roster: str, settings: Mapping[str, Any] | None) -> str:
    """Whose clauses a draw over ``roster`` cites: the roster's preset (registry.yaml, else the default
    preset), or for “双随机” institution draws the bureau's basis document."""
    return roster_policy(settings, roster)


def clause(policy: str, kind: str) -> str:
    """The citation of an exclusion kind or draw requirement under ``policy`` (a preset or a basis)."""
    if policy in preset_ids():
        return load_preset(policy).draw_citation(kind)
    return inspection_basis(policy).draw_citation(kind)


# The clause a finding cites on its 依据 line, by rule: each rule cites the clause it enforces; a rule
# without one of its own (re-computation, commitment, time stamps, freeze) cites the record clause
# (the draw is done and written down as the regulation asks).
RULE_CLAUSES = {
    "draw.size": "size",
    "draw.composition": "composition",
    "draw.publish_early": "secrecy",
    "draw.parent": "previous_draw",
    "draw.replaced_by": "replacement",
    "draw.response_person": "replacement",
    "draw.response_repeated": "replacement",
    "draw.response_reason": "replacement",
}


def rule_clause(policy: str, rule: str) -> str:
    """The citation for a finding of ``rule`` under ``policy``: its own clause when the preset (or
    basis) has one, else the record clause."""
    kind = RULE_CLAUSES.get(rule, "record")
    own = load_preset(policy).draw.clauses if policy in preset_ids() else inspection_basis(policy).clauses
    return clause(policy, kind if kind in own else "record")


def panel_problems(request: Request, policy: str) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, rule, message) where a request breaks its preset's panel rules: the size (XZ 第十六条（一）
    odd and ≥3; GY 第十二条（四） odd) and the composition (GY 第十二条（二）: same-specialty experts from
    different institutions — ``distinct_institutions_per_specialty: true``; requests made before that
    field met it by at most one per institution, which is still accepted). A request with an
    ``exception`` may depart from the size rule (an even panel needs its reason and reference)."""
    if policy not in preset_ids():
        return
    rules = load_preset(policy).draw
    if (request.size < rules.size_min or (rules.size_odd and request.size % 2 == 0)) and not request.has_exception:
        wanted = (f"不少于 {rules.size_min} 人" if rules.size_min > 1 else "") + \
            ("的单数" if rules.size_min > 1 and rules.size_odd else "单数" if rules.size_odd else "")
        yield (("request", "size"), "draw.size",
               f"人数为 {request.size}：应为{wanted}；确需例外时，在 request.exception 中写明理由（reason）和批准文号"
               f"（reference），新建请求时用 roster draw new 的 --exception-reason 和 --exception-reference"
               f"（{clause(policy, 'size')}）")
    if (rules.distinct_institutions_per_specialty and request.roster == "experts" and not request.distinct_specialty
            and request.max_per_institution != 1):
        yield (("request",), "draw.composition",
               "请求没有写 distinct_institutions_per_specialty: true：同一专业的专家应当来自不同的医疗及相关机构，"
               f"请在 request 中写上这一项（{clause(policy, 'composition')}）")


# ---------------------------------------------------------------- the request


@dataclass(frozen=True)
class Quota:
    count: int
    category: str | None = None
    specialty: str | None = None
    background: str | None = None

    @property
    def label(self) -> str:
        parts = []
        if self.category:
            parts.append(CATEGORY_LABELS.get(self.category) or DESIGNATED_LABELS.get(self.category, self.category))
        if self.specialty:
            parts.append(self.specialty)
        if self.background:
            parts.append(f"{BACKGROUND_LABELS.get(self.background, self.background)}背景")
        return "·".join(parts) or "全部"

    def matches(self, category: str | None, specialties: Sequence[str], backgrounds: Sequence[str]) -> bool:
        return ((self.category is None or self.category == category)
                and (self.specialty is None or self.specialty in specialties)
                and (self.background is None or self.background in backgrounds))

    def covers(self, other: Quota) -> bool:
        """Whether everyone ``other`` matches is matched by this one too (so ``other`` never gets anyone)."""
        return all(mine is None or mine == theirs for mine, theirs in (
            (self.category, other.category), (self.specialty, other.specialty), (self.background, other.background)))


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    public_on: date
    approved_by: str | None = None


@dataclass(frozen=True)
class Request:
    roster: str
    algorithm: str
    requested: date
    activity_start: date
    activity_end: date
    has_activity: bool
    subjects: tuple[str, ...]
    size: int
    quotas: tuple[Quota, ...]
    max_per_institution: int | None
    max_per_legal_entity: int | None
    sources: tuple[SourceSpec, ...]
    publish: date
    parent: str | None
    has_exception: bool
    distinct_specialty: bool = False  # request.distinct_institutions_per_specialty (GY 第十二条（二）)
    seated: tuple[Member, ...] = ()  # request.parent_members: a 补抽's parent panel, counted against the limits

    def group_of(self, quota_number: int | None) -> str:
        """Walk group of a candidate: the label of its quota (1-based number), or one group for all."""
        return self.quotas[quota_number - 1].label if quota_number else "全部"

    def panel_request(self) -> PanelRequest:
        if not self.quotas:
            return PanelRequest(size=self.size, max_per_institution=self.max_per_institution,
                                max_per_legal_entity=self.max_per_legal_entity, distinct_specialty=self.distinct_specialty,
                                seated=self.seated)
        return PanelRequest(quotas={q.label: q.count for q in self.quotas},
                            max_per_institution=self.max_per_institution,
                            max_per_legal_entity=self.max_per_legal_entity, distinct_specialty=self.distinct_specialty,
                                seated=self.seated)

    def specialty_of(self, quota_number: int | None, specialties: Sequence[str]) -> str | list[str] | None:
        """What a candidate counts under for ``distinct_specialty`` (GY 第十二条（二）): the specialty its
        quota asks for; when the quota names none, every specialty of the record (one as a string,
        several as a list: two members of one institution sharing any of them conflict); None when none."""
        if not self.distinct_specialty:
            return None
        quota = self.quotas[quota_number - 1] if quota_number else None
        if quota is not None and quota.specialty:
            return quota.specialty
        own = list(dict.fromkeys(str(s) for s in specialties))
        return own if len(own) > 1 else (own[0] if own else None)

    def quota_for(self, category: str | None, specialties: Sequence[str], backgrounds: Sequence[str]) -> int | None:
        """1-based number of the first quota matching, 0 when there are no quotas, None when none matches."""
        if not self.quotas:
            return 0
        for number, quota in enumerate(self.quotas, start=1):
            if quota.matches(category, specialties, backgrounds):
                return number
        return None


def _date(value: Any, path: tuple[str | int, ...], label: str) -> date:
    try:
        return parse_date(value)
    except ValueError as e:
        raise DrawError(f"{label}有误：{e}", path) from None


def parse_request(data: Mapping[str, Any]) -> Request:
    """The request part of a draw file (already schema-checked), with the checks the schema cannot make."""
    roster = data.get("roster", "experts")
    request = data.get("request") or {}
    requested = _date(request.get("requested"), ("request", "requested"), "请求日期")
    activity = request.get("activity") or {}
    has_activity = bool(activity)
    start = _date(activity["start"], ("request", "activity", "start"), "活动开始日期") if has_activity else requested
    end = _date(activity["end"], ("request", "activity", "end"), "活动结束日期") if has_activity else requested
    if end < start:
        raise DrawError(f"活动结束日期 {end} 早于开始日期 {start}", ("request", "activity", "end"))
    quotas = tuple(_quota(item, roster, n) for n, item in enumerate(request.get("quotas") or []))
    _check_quotas(quotas, int(request.get("size", 0)))
    sources = tuple(_source(item, n) for n, item in enumerate(request.get("sources") or []))
    if not sources:
        raise DrawError("至少需要事先指定一个公开随机源（RFC 3797 第 3.1 节）", ("request", "sources"))
    parent = request.get("parent")
    if parent and not request.get("parent_reason"):
        raise DrawError(f"补抽须写明原因（parent_reason）：为什么原抽取 {parent} 不够用", ("request", "parent"))
    return Request(
        roster=roster, algorithm=data.get("algorithm", "rfc3797"), requested=requested,
        activity_start=start, activity_end=end, has_activity=has_activity,
        subjects=tuple(request.get("subjects") or ()), size=int(request.get("size", 0)), quotas=quotas,
        max_per_institution=request.get("max_per_institution"), max_per_legal_entity=request.get("max_per_legal_entity"),
        sources=sources, publish=_date(request.get("publish"), ("request", "publish"), "公开日期"),
        parent=parent, has_exception=bool(request.get("exception")),
        distinct_specialty=request.get("distinct_institutions_per_specialty") is True,
        seated=tuple(_seated(item, request.get("distinct_institutions_per_specialty") is True)
                     for item in request.get("parent_members") or ()),
    )


def _seated(item: Mapping[str, Any], distinct: bool) -> Member:
    """A member of the parent's panel as the 补抽 counts it: in no quota, against the limits and the specialty rule."""
    return Member(None, item.get("institution"), item.get("legal_entity"),
                  _specialty(item.get("specialty")) if distinct else None)


def _quota(item: Mapping[str, Any], roster: str, n: int) -> Quota:
    quota = Quota(count=int(item["count"]), category=item.get("category"), specialty=item.get("specialty"),
                  background=item.get("background"))
    path: tuple[str | int, ...] = ("request", "quotas", n)
    if roster == "experts" and (quota.background or quota.category not in (None, *CATEGORY_LABELS)):
        raise DrawError(f"名额组 {n + 1}：抽取专家时按类别（{'、'.join(CATEGORY_LABELS)}）和专业分配名额", path)
    if roster == "supervisors" and (quota.category or quota.specialty):
        raise DrawError(f"名额组 {n + 1}：抽取社会监督员时按专业背景（background：{'、'.join(BACKGROUND_LABELS)}）分配名额", path)
    if roster == "institutions" and (quota.background or quota.specialty or quota.category not in (None, *DESIGNATED_LABELS)):
        raise DrawError(f"名额组 {n + 1}：抽取定点医药机构时按定点类别（medical 医疗机构、pharmacy 零售药店）分配名额", path)
    return quota


def _check_quotas(quotas: Sequence[Quota], size: int) -> None:
    if not quotas:
        return
    for n, quota in enumerate(quotas):
        for m in range(n):
            if quotas[m].covers(quota):
                raise DrawError(
                    f"名额组 {n + 1}（{quota.label}）永远分不到人：排在它前面的名额组 {m + 1}（{quotas[m].label}）"
                    "已包含它的全部候选。每名候选只计入第一个与其匹配的名额组，请把更具体的名额组写在前面",
                    ("request", "quotas", n))
    total = sum(q.count for q in quotas)
    if total != size:
        raise DrawError(f"各名额组人数之和 {total} 与抽取人数 {size} 不一致", ("request", "size"))


def _source(item: Mapping[str, Any], n: int) -> SourceSpec:
    path: tuple[str | int, ...] = ("request", "sources", n)
    if "bits" in item:
        raise DrawError(f"第 {n + 1} 个随机源写了 bits：熵只取自随机源目录（tools/roster/draw/sources.yaml），"
                        "不能手填；目录中没有的来源写 kind: other 和批准人 approved_by，它不计入熵", (*path, "bits"))
    approver = str(item.get("approved_by") or "").strip() or None
    if item.get("kind") == "other" and approver is None:
        raise DrawError(f"第 {n + 1} 个随机源类型为 other（目录之外）：须写明批准人 approved_by；它不计入熵，并在网站上标注", path)
    return SourceSpec(name=item["name"], kind=item["kind"],
                      public_on=_date(item.get("public_on"), (*path, "public_on"), "随机源公布日期"),
                      approved_by=approver)


def members_of(data: Mapping[str, Any], request: Request) -> dict[str, Member]:
    """The frozen facts of each candidate (``candidate_facts``) as the walk needs them."""
    facts = data.get("candidate_facts") or {}
    members: dict[str, Member] = {}
    for candidate in data.get("candidates") or []:
        fact = facts.get(candidate)
        if not isinstance(fact, dict):
            raise DrawError(f"候选“{candidate}”在 candidate_facts 中没有记录（名额组、单位、法人单位）",
                            ("candidate_facts",))
        quota = fact.get("quota")
        if request.quotas and not (isinstance(quota, int) and 1 <= quota <= len(request.quotas)):
            raise DrawError(f"候选“{candidate}”的名额组编号“{quota}”不存在（应为 1 到 {len(request.quotas)}）",
                            ("candidate_facts", candidate))
        members[candidate] = Member(request.group_of(quota if request.quotas else None),
                                    fact.get("institution"), fact.get("legal_entity"),
                                    _specialty(fact.get("specialty")) if request.distinct_specialty else None)
    return members


def _specialty(value: Any) -> str | tuple[str, ...] | None:
    """A frozen ``specialty`` fact: one specialty, or a list of an expert's several."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return str(value) if value else None
