"""Write a complete synthetic registry for benchmarks (合成名册，供性能测试).

    python tests/perf/generate.py --experts N --out DIR [--seed S] [--announcements A] [--as-of YYYY-MM-DD]

Standalone: standard library and PyYAML only; it does not import the roster package. The same seed
and reference date always give byte-identical files (one `random.Random(seed)`, no module-level
random). The reference date `--as-of` defaults to the date `roster validate` checks against: the
ROSTER_TODAY environment variable if set, else today in Beijing — so a registry generated today
validates today. Every record is meant to pass `roster validate --registry DIR` with no errors or
warnings on that date: ages, education, years of work, titles, terms and 公示 follow the Tibet 2023
rules (policy preset xz-2023), and supervisors follow the Jinning rules (preset jn).

What it writes: registry.yaml; max(30, N/25) institutions (hospitals with branch campuses sharing a
legal entity, clinics, designated pharmacies including chain stores, universities, firms, insurers…);
N experts; max(10, N/100) supervisors; with --announcements A, A closed admission 公示 whose periods are
Monday–Friday weeks in mid-March or mid-November (never a public holiday or adjusted working day in
any year), referenced by about half of the experts. Draw records are not generated (--draws must be 0).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

DEFAULT_SEED = 2026
TODAY_ENV = "ROSTER_TODAY"  # the same variable `roster validate` reads
XZ = "《西藏专家库管理办法》"
JN = "《晋宁社会监督员管理办法》"
REMARKS = "合成数据，虚构人物"

# --- name pools ------------------------------------------------------------------------------------
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# the first 20 surnames cover about half of all people
SURNAME_WEIGHTS = [8 if i < 10 else 4 if i < 20 else 1 for i in range(len(SURNAMES))]
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"
TIBETAN_NEUTRAL = ("扎西", "次仁", "格桑", "尼玛", "达瓦", "普布", "边巴", "拉巴", "平措", "索朗", "旦增", "洛桑",
                   "次旦", "白玛", "米玛", "益西", "强巴", "贡嘎", "德吉", "仁增", "巴桑", "阿旺", "土登", "群培")
TIBETAN_MALE = ("多吉", "顿珠", "旺堆", "罗布", "欧珠", "旺杰", "加措", "次仁", "丹增", "朗杰", "桑布", "平措")
TIBETAN_FEMALE = ("卓玛", "拉姆", "央宗", "曲珍", "卓嘎", "央金", "措姆", "仓决", "德吉", "玉珍", "旺姆", "普赤")
OTHER_ETHNICITIES = ("回族", "纳西族", "土家族", "彝族", "满族", "蒙古族", "门巴族", "珞巴族")

# --- professional pools ----------------------------------------------------------------------------
SPECIALTIES = {
    "medical": ("心血管内科", "呼吸与危重症医学", "普通外科", "骨科", "神经内科", "肿瘤内科", "儿科", "妇产科", "麻醉学",
                "重症医学", "医学影像", "检验医学", "临床药学", "藏医内科", "藏药学", "护理管理", "康复医学", "口腔医学",
                "眼科", "耳鼻咽喉科", "消化内科", "内分泌科", "肾内科", "急诊医学", "高原病", "泌尿外科", "全科医学",
                "病案管理", "医院感染管理", "超声医学", "中医内科", "药品集中采购"),
    "finance": ("医院财务管理", "成本核算", "审计", "医保基金审计", "税务", "医疗服务价格", "医保精算", "商业保险理赔",
                "大病保险", "内部审计", "统计分析"),
    "it": ("医保信息系统", "大数据分析", "智能监控规则", "医院信息化", "网络安全", "数据安全", "卫生信息标准",
           "医保结算清单质控", "数据治理"),
    "policy": ("医保政策研究", "支付方式改革", "医保经办", "医保基金监管", "行政执法", "卫生法学", "卫生经济",
               "异地就医", "长期护理保险", "医保药品目录"),
}
EXPERTISE = ("熟悉{0}相关诊疗规范及医保审核。", "从事{0}工作多年，熟悉医保结算与费用审核。", "{0}方向，参与过医保基金专项检查。",
             "熟悉{0}领域政策及医保支付规定。")
TITLES: dict[str, dict[str, tuple[str, ...]]] = {  # category -> level -> names
    "medical": {"senior": ("主任医师", "主任药师", "主任护师", "主任技师"),
                "associate_senior": ("副主任医师", "副主任药师", "副主任护师", "副主任技师"),
                "intermediate": ("主治医师", "主管药师", "主管护师", "主管技师")},
    "finance": {"senior": ("正高级会计师", "正高级审计师", "教授"),
                "associate_senior": ("高级会计师", "高级审计师", "高级经济师", "副教授"),
                "intermediate": ("会计师", "审计师", "经济师")},
    "it": {"senior": ("正高级工程师", "教授"), "associate_senior": ("高级工程师", "副教授"),
           "intermediate": ("工程师", "讲师")},
    "policy": {"senior": ("研究员", "教授", "正高级经济师"), "associate_senior": ("副研究员", "副教授", "高级经济师"),
               "intermediate": ("助理研究员", "讲师", "经济师")},
}
MAJORS = {"medical": ("临床医学", "内科学", "外科学", "药学", "护理学", "藏医学", "医学影像学", "医学检验"),
          "finance": ("会计学", "审计学", "财务管理", "保险学", "统计学"),
          "it": ("计算机科学与技术", "软件工程", "信息安全", "计算机应用技术"),
          "policy": ("社会医学与卫生事业管理", "社会保障", "公共事业管理", "法学", "卫生经济学")}
SCHOOLS = ("四川大学", "西藏大学", "西藏民族大学", "西藏藏医药大学", "重庆医科大学", "中南大学", "华中科技大学",
           "兰州大学", "西南财经大学", "中央财经大学", "电子科技大学", "西安交通大学", "山东大学", "复旦大学",
           "中国药科大学", "成都中医药大学", "青海大学", "西南政法大学", "中国人民大学", "北京大学")
EDUCATION = (("doctor", 10), ("master", 30), ("bachelor", 50), ("college", 10))
CATEGORIES = (("medical", 55), ("finance", 15), ("it", 12), ("policy", 18))
EMPLOYER_TYPES = {"medical": ("hospital", "hospital", "hospital", "hospital", "clinic", "pharmacy"),
                  "finance": ("company", "hospital", "university", "insurer"),
                  "it": ("company", "company", "university", "hospital"),
                  "policy": ("university", "research", "hospital", "other")}
HOSPITAL_POSITIONS = {"medical": ("科主任", "科副主任", "医疗组长", "药学部主任", "护理部主任", "医务科科长"),
                      "finance": ("财务科科长", "审计科科长", "价格管理办公室主任"),
                      "it": ("信息中心主任", "信息科科长", "信息科工程师"),
                      "policy": ("医保办主任", "医保办副主任", "质控科科长")}
POSITIONS = {"clinic": ("主任", "副主任", "医师"), "pharmacy": ("执业药师", "质量负责人", "店长"),
             "university": ("教授", "副教授", "讲师", "系主任"), "research": ("研究员", "副研究员", "室主任"),
             "company": ("技术总监", "项目经理", "合伙人", "部门经理"), "insurer": ("理赔部经理", "医疗审核主管"),
             "other": ("合伙人律师", "律师"), "government": ("科长",), "media": ("记者",)}

# institution kinds in one cycle of 30; every registry has at least one full cycle
INSTITUTION_CYCLE = (["hospital"] * 9 + ["clinic"] * 4 + ["pharmacy"] * 9
                     + ["university", "company", "company", "insurer", "research", "government", "media", "other"])
AREAS = ("东城", "西城", "南城", "北城", "高新", "经开", "河东", "河西", "新区", "湖滨", "城南", "城北")
HOSPITAL_NAMES = ("人民医院", "中医医院", "藏医院", "妇幼保健院", "第二人民医院", "第三人民医院", "骨科医院", "眼科医院",
                  "康复医院", "肿瘤医院", "儿童医院", "口腔医院")
HOSPITAL_LEVELS = ("三级甲等", "三级乙等", "二级甲等", "二级甲等", "二级乙等", "二级", "一级", "未定级")
BRANDS = ("仁和", "康宁", "百姓", "雪域", "益民", "安康", "济生", "德仁", "同济", "福寿", "圣康", "惠民", "吉祥", "扎西", "高原")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?\Z")
_ID = re.compile(r"[A-Z]{1,6}-?[0-9]{4,6}(-[0-9]{3,4})?\Z")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+\Z")


# --- a small, fast YAML emitter ------------------------------------------------------------------------
class Emitter:
    """Block-style YAML as staff would type it; plain scalars wherever YAML reads them back as the same text."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def scalar(self, value: object) -> str:
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return str(value)
        text = str(value)
        cached = self._cache.get(text)
        if cached is None:
            if _DATE.match(text) or _ID.match(text) or _CJK.match(text):
                cached = text
            else:
                try:
                    plain = yaml.safe_load(f"k: {text}") == {"k": text} and text == text.strip()
                except yaml.YAMLError:
                    plain = False
                cached = text if plain else "'" + text.replace("'", "''") + "'"
            self._cache[text] = cached
        return cached

    def lines(self, data: object, pad: str, out: list[str]) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if value is None or value == [] or value == {}:
                    continue
                if isinstance(value, (dict, list)):
                    out.append(f"{pad}{key}:")
                    self.lines(value, pad + "  ", out)
                elif isinstance(value, str) and "\n" in value:
                    out.append(f"{pad}{key}: |")
                    out.extend(f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n"))
                else:
                    out.append(f"{pad}{key}: {self.scalar(value)}")
        else:
            assert isinstance(data, list)
            for item in data:
                if isinstance(item, dict):
                    start = len(out)
                    self.lines(item, pad + "  ", out)
                    out[start] = f"{pad}- " + out[start][len(pad) + 2:]
                else:
                    out.append(f"{pad}- {self.scalar(item)}")

    def document(self, data: dict, schema: str) -> str:
        out = [f"# yaml-language-server: $schema={schema}"]
        self.lines(data, "", out)
        return "\n".join(out) + "\n"


# --- dates -----------------------------------------------------------------------------------------
def default_as_of() -> date:
    """ROSTER_TODAY if set, else today's date in Beijing (UTC+8, no daylight saving since 1991)."""
    pinned = os.environ.get(TODAY_ENV)
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(timezone(timedelta(hours=8))).date()


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def term_end(start: date, years: int) -> date:
    return start.replace(year=start.year + years) - timedelta(days=1)  # starts are on the 1st or 15th


def first_or_fifteenth(index: int, rng: random.Random) -> date:
    return date(index // 12, index % 12 + 1, 1 if rng.random() < 0.7 else 15)


def publicity_windows(as_of: date) -> list[tuple[date, date, date]]:
    """(Monday, Friday, admission date) for mid-March and mid-November weeks whose terms are still running.

    The Monday falls on the 9th–15th, so the week lies within 9–19 March or 9–19 November: no public
    holiday and no adjusted working day ever falls there, so each period is exactly 5 working days.
    """
    windows = []
    for year in range(as_of.year - 4, as_of.year + 1):
        for month, admit in ((3, date(year, 4, 1)), (11, date(year, 12, 1))):
            monday = date(year, month, 9)
            monday += timedelta(days=(7 - monday.weekday()) % 7)
            if term_end(admit, 3) >= as_of and admit < as_of:
                windows.append((monday, monday + timedelta(days=4), admit))
    return windows


# --- generator -------------------------------------------------------------------------------------
class Generator:
    def __init__(self, experts: int, seed: int, announcements: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.n_experts = experts
        self.n_institutions = max(30, experts // 25)
        self.n_supervisors = max(10, experts // 100)
        self.n_announcements = announcements
        self.as_of = as_of
        self.emitter = Emitter()
        self.width = max(4, len(str(max(experts, self.n_institutions, self.n_supervisors))))
        self.people: set[tuple[str, str, str]] = set()
        self.inst_names: dict[str, str] = {}
        self.inst_levels: dict[str, str | None] = {}
        self.files = 0

    # ids
    def iid(self, n: int) -> str:
        return f"I{n:0{self.width}d}"

    # output
    def write(self, root: Path, rel: str, data: dict, kind: str) -> None:
        depth = rel.count("/") + 1
        text = self.emitter.document(data, "../" * depth + f"schemas/{kind}.schema.json")
        path = root / rel
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        self.files += 1

    # names
    def person(self, birth: str) -> tuple[str, str, str]:
        rng = self.rng
        while True:
            gender = "男" if rng.random() < 0.55 else "女"
            if rng.random() < 0.3:
                ethnicity = "藏族"
                first = rng.choice(TIBETAN_NEUTRAL)
                last = rng.choice(TIBETAN_MALE if gender == "男" else TIBETAN_FEMALE)
                if last == first:
                    continue
                name = first + last
            else:
                ethnicity = "汉族" if rng.random() < 0.95 else rng.choice(OTHER_ETHNICITIES)
                pool = GIVEN_MALE if gender == "男" else GIVEN_FEMALE
                given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
                name = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + given
            key = (name, birth, gender)
            if key not in self.people:
                self.people.add(key)
                return name, gender, ethnicity

    # institutions
    def institutions(self, root: Path) -> None:
        rng = self.rng
        self.by_type: dict[str, list[str]] = {}
        self.designated: dict[str, list[str]] = {"medical": [], "pharmacy": []}
        names: set[str] = set()
        mains: list[str] = []
        chains: list[str] = []
        counters = {"medical": 0, "pharmacy": 0}
        for n in range(1, self.n_institutions + 1):
            kind = INSTITUTION_CYCLE[(n - 1) % len(INSTITUTION_CYCLE)]
            iid = self.iid(n)
            region = f"5401{rng.randint(90, 99)}"
            entity, parent, level, designated, remarks = iid, None, None, None, None
            if kind == "hospital":
                if mains and rng.random() < 0.15:
                    main = rng.choice(mains)
                    entity = parent = main
                    name = f"{self.inst_names[main]}{rng.choice(AREAS)}院区"
                    level = self.inst_levels[main]
                    remarks = "院区，与本院为同一法人单位。"
                else:
                    name = f"示例{rng.choice(AREAS)}{rng.choice(HOSPITAL_NAMES)}"
                    level = rng.choice(HOSPITAL_LEVELS)
                    mains.append(iid)
            elif kind == "clinic":
                name = f"示例{rng.choice(AREAS)}区{rng.choice(('社区卫生服务中心', '卫生院', '口腔门诊部', '中医诊所'))}"
                level = rng.choice(("一级", "未定级"))
            elif kind == "pharmacy":
                if chains and rng.random() < 0.4:
                    chain = rng.choice(chains)
                    entity = parent = chain
                    name = f"{self.inst_names[chain]}{rng.choice(AREAS)}店"
                    remarks = "连锁直营门店，不具有独立法人资格。"
                else:
                    name = f"示例{rng.choice(BRANDS)}{rng.choice(('大药房', '药店', '大药房连锁有限公司', '藏药店'))}"
                    if name.endswith("连锁有限公司"):
                        chains.append(iid)
            elif kind == "university":
                name = f"示例{rng.choice(('大学', '医学院', '职业技术学院', '财经学院'))}"
            elif kind == "research":
                name = f"示例{rng.choice(('医疗保障研究院', '卫生经济研究所', '藏医药研究院'))}"
            elif kind == "company":
                name = f"示例{rng.choice(BRANDS)}{rng.choice(('会计师事务所', '医疗科技有限公司', '信息技术有限公司', '税务师事务所'))}"
            elif kind == "insurer":
                name = f"示例{rng.choice(BRANDS)}人寿保险股份有限公司示例市分公司"
                remarks = "承保城乡居民大病保险。"
            elif kind == "government":
                name = f"示例{rng.choice(AREAS)}区{rng.choice(('卫生健康局', '医疗保障分局', '市场监督管理局'))}"
            elif kind == "media":
                name = f"示例{rng.choice(('日报社', '广播电视台', '晚报社'))}"
            else:
                name = f"示例{rng.choice(BRANDS)}律师事务所"
            base, k = name, 2
            while name in names:
                name, k = f"{base}（{k}）", k + 1
            names.add(name)
            self.inst_names[iid], self.inst_levels[iid] = name, level
            if kind in ("hospital", "clinic", "pharmacy"):
                dkind = "pharmacy" if kind == "pharmacy" else "medical"
                counters[dkind] += 1
                since = date(rng.randint(2012, 2024), rng.randint(1, 12), 1)
                until = None
                if self.designated[dkind] and rng.random() < 0.03:  # keep at least one current
                    until = date(self.as_of.year - 1, rng.randint(1, 12), 28)
                    remarks = "已解除定点服务协议。"
                else:
                    self.designated[dkind].append(iid)
                tag = "药" if dkind == "pharmacy" else "医"
                designated = {"kind": dkind, "since": since.isoformat(), "until": until and until.isoformat(),
                              "agreement": f"示医保{tag}协〔{(until or self.as_of).year}〕{counters[dkind]:04d}号"}
            self.by_type.setdefault(kind, []).append(iid)
            record = {"id": iid, "name": name, "type": kind, "level": level, "legal_entity": entity,
                      "parent": parent, "region": region, "designated": designated, "remarks": remarks}
            self.write(root, f"institutions/{iid}.yaml", record, "institution")

    # announcements
    def plan_announcements(self) -> None:
        self.announcements: list[dict] = []
        if not self.n_announcements:
            return
        windows = publicity_windows(self.as_of)
        seq: dict[int, int] = {}
        for j in range(self.n_announcements):
            monday, friday, admit = windows[j % len(windows)]
            seq[monday.year] = seq.get(monday.year, 0) + 1
            batch = j // len(windows) + 1
            self.announcements.append({
                "id": f"A{monday.year}-{seq[monday.year]:03d}", "published": monday, "end": friday, "admit": admit,
                "title": f"示例市医疗保障基金监管专家库拟入库专家公示（{monday.year}年{monday.month}月第{batch}批）",
                "subjects": [],
            })

    def write_announcements(self, root: Path) -> None:
        for a in self.announcements:
            year = a["published"].year
            (root / "announcements" / str(year)).mkdir(parents=True, exist_ok=True)
            record = {
                "id": a["id"], "kind": "admission", "title": a["title"], "published": a["published"].isoformat(),
                "period": {"start": a["published"].isoformat(), "end": a["end"].isoformat(), "workdays": 5},
                "subjects": a["subjects"],
                "contact": {"office": "基金监管科", "office_phone": "0891-0000000",
                            "how_to_object": "以书面形式实名向基金监管科反映，并提供必要的证明材料。"},
                "body": f"经个人自荐、单位推荐和资格审查，拟将以下{len(a['subjects'])}名同志纳入专家库，现予以公示。\n",
                "outcome": {"closed": (a["end"] + timedelta(days=3)).isoformat(), "objections": 0,
                            "result": "passed"},
            }
            self.write(root, f"announcements/{year}/{a['id']}.yaml", record, "announcement")

    # experts
    def experts(self, root: Path) -> None:
        rng = self.rng
        as_of, asof_m = self.as_of, month_index(self.as_of)
        categories, weights = [c for c, _ in CATEGORIES], [w for _, w in CATEGORIES]
        levels, level_weights = [e for e, _ in EDUCATION], [w for _, w in EDUCATION]
        all_institutions = [self.iid(n) for n in range(1, self.n_institutions + 1)]
        consent_seq: dict[int, int] = {}
        for n in range(1, self.n_experts + 1):
            eid = f"E{n:0{self.width}d}"
            roll = rng.random()
            status = ("expired" if roll < 0.03 else "withdrawn" if roll < 0.05 else "suspended" if roll < 0.07
                      else "active")
            announcement = None
            if status == "expired":  # a term that started 37–44 months ago has ended
                start = first_or_fifteenth(asof_m - rng.randint(37, 44), rng)
            elif self.announcements and rng.random() < 0.5:
                announcement = rng.choice(self.announcements)
                start = announcement["admit"]
            else:  # a term that started 1–35 months ago is still running
                start = first_or_fifteenth(asof_m - rng.randint(1, 35), rng)
            end = term_end(start, 3)
            sm = month_index(start)
            birth_m = sm - rng.randint(30, 54) * 12 - rng.randint(0, 11)
            birth = month_text(birth_m)
            name, gender, ethnicity = self.person(birth)
            category = rng.choices(categories, weights)[0]
            work_m = rng.randint(birth_m + 22 * 12, sm - 6 * 12)
            years = (sm - work_m) // 12
            level = rng.choices(("senior", "associate_senior", "intermediate"), (25, 45, 30))[0]
            if level == "senior" and years < 15:
                level = "associate_senior"
            if level == "intermediate" and work_m + 36 > sm - 60:
                level = "associate_senior"
            since_m = rng.randint(work_m + 36, sm - 60) if level == "intermediate" else rng.randint(work_m + 60, sm - 1)
            employer_type = rng.choice(EMPLOYER_TYPES[category])
            employer = rng.choice(self.by_type[employer_type])
            specs = rng.sample(SPECIALTIES[category], rng.choice((1, 1, 2, 2, 3)))
            education = rng.choices(levels, level_weights)[0]

            if announcement is not None:
                route = "unit_recommended" if rng.random() < 0.4 else "open_call"
                signed = announcement["published"] - timedelta(days=rng.randint(7, 40))
                announcement["subjects"].append(eid)
                review = announcement["published"] - timedelta(days=5)  # XZ 第九条（三）: reviewed before the 公示
                admission = {"route": route, "recommended_by": employer if route == "unit_recommended" else None,
                             "date": start.isoformat(), "announcement": announcement["id"],
                             "review": {"date": review.isoformat(), "result": "passed"},
                             "unit_statement": {"date": signed.isoformat(), "bad_records": False}}
                history = [{"date": announcement["published"].isoformat(), "status": "candidate",
                            "reason": "under_publicity", "citation": f"{XZ}第九条（三）", "reference": announcement["id"]},
                           {"date": start.isoformat(), "status": "active", "reason": "admitted",
                            "citation": f"{XZ}第九条（三）"}]
            else:
                signed = start - timedelta(days=rng.randint(3, 25))
                consent_seq[signed.year] = consent_seq.get(signed.year, 0) + 1
                admission = {"route": "invited", "date": start.isoformat(),
                             "consent": {"date": signed.isoformat(),
                                         "reference": f"示医保专家同意书〔{signed.year}〕{consent_seq[signed.year]}号"}}
                history = [{"date": start.isoformat(), "status": "active", "reason": "admitted",
                            "citation": f"{XZ}第八条（一）"}]
            if status == "expired":
                history.append({"date": (end + timedelta(days=1)).isoformat(), "status": "expired",
                                "reason": "term_ended", "citation": f"{XZ}第三十一条"})
            elif status != "active":
                when = start + timedelta(days=rng.randint(1, max(1, (as_of - start).days - 1)))
                if status == "withdrawn":
                    history.append({"date": when.isoformat(), "status": "withdrawn", "reason": "own_request",
                                    "citation": f"{XZ}第三十条"})
                else:
                    history.append({"date": when.isoformat(), "status": "suspended", "reason": "further_study",
                                    "citation": f"{XZ}第二十三条（三）"})

            employment = None
            if rng.random() < 0.05:
                before = rng.choice(all_institutions)
                if before != employer:
                    to_m = rng.randint(work_m + 24, asof_m - 1)
                    employment = [{"institution": before, "from": month_text(work_m), "to": month_text(to_m)}]
            conflicts = None
            if rng.random() < 0.05:
                conflicts = [{"institution": rng.choice(all_institutions),
                              "relation": rng.choice(("spouse_employed", "relative_employed", "shareholder",
                                                      "consultant", "other")),
                              "since": month_text(rng.randint(work_m, asof_m - 1))}]
            record = {
                "id": eid, "name": name, "gender": gender, "birth": birth, "ethnicity": ethnicity,
                "category": category, "specialties": specs,
                "expertise": rng.choice(EXPERTISE).format(specs[0]), "employer": employer,
                "position": rng.choice(HOSPITAL_POSITIONS[category] if employer_type == "hospital"
                                       else POSITIONS[employer_type]),
                "employment_history": employment,
                "education": {"level": education, "school": rng.choice(SCHOOLS),
                              "major": rng.choice(MAJORS[category])},
                "title": {"name": rng.choice(TITLES[category][level]), "level": level, "since": month_text(since_m)},
                "work_start": month_text(work_m), "civil_servant": False,
                "declarations": {code: {"confirmed": True, "source": "pledge", "date": signed.isoformat()}
                                 for code in ("healthy", "no_criminal_record", "no_admin_penalty", "never_disqualified")},
                "admission": admission, "term": {"start": start.isoformat(), "end": end.isoformat()},
                "status": status, "status_history": history, "conflicts": conflicts,
                # only members of the pool sit on the advisory committee (XZ 第十二条)
                "advisory_committee": rng.random() < 0.03 and status in ("active", "suspended"), "remarks": REMARKS,
            }
            self.write(root, f"experts/{eid}.yaml", record, "expert")

    # supervisors
    def supervisors(self, root: Path) -> None:
        rng = self.rng
        asof_m = month_index(self.as_of)
        cert_seq: dict[int, int] = {}
        insurers = self.by_type["insurer"]
        serving: list[str] = []
        for n in range(1, self.n_supervisors + 1):
            sid = f"S{n:0{self.width}d}"
            start = first_or_fifteenth(asof_m - rng.randint(1, 23), rng)
            birth = month_text(month_index(start) - rng.randint(25, 65) * 12 - rng.randint(0, 11))
            name, gender, ethnicity = self.person(birth)
            route = rng.choices(("open", "invited", "direct"), (50, 35, 15))[0]
            employer, occupation, recommended_by = None, None, None
            if route == "direct":
                employer = rng.choice(insurers)
                occupation = "大病保险医疗审核员"
                recommended_by = self.inst_names[employer]
                background = ["medicine"]
            else:
                background = sorted(set(rng.choices(("medicine", "law", "finance", "it", "other"), k=rng.randint(1, 2))))
                age = (month_index(start) - month_index(date.fromisoformat(birth + "-01"))) // 12
                occupation = rng.choice(("退休教师", "退休医师", "社区工作者") if age >= 58 else
                                        ("社区工作者", "律师", "注册会计师", "企业职工", "个体工商户", "新闻记者"))
                if route == "invited":
                    recommended_by = rng.choice(("示例市人大常委会", "示例市政协", "示例日报社", "示例市广播电视台"))
            cert_seq[start.year] = cert_seq.get(start.year, 0) + 1
            claims = [rng.choice(self.designated["pharmacy"]), rng.choice(self.designated["medical"])]
            status = "withdrawn" if rng.random() < 0.05 else "active"
            history = [{"date": start.isoformat(), "status": "active", "reason": "appointed",
                        "citation": f"{JN}第五条、第六条"}]
            if status == "withdrawn":
                when = start + timedelta(days=rng.randint(15, max(15, (self.as_of - start).days - 1)))
                history.append({"date": min(when, self.as_of - timedelta(days=1)).isoformat(),
                                "status": "withdrawn", "reason": "own_request", "citation": f"{JN}第十一条（四）"})
            record = {
                "id": sid, "name": name, "gender": gender, "birth": birth, "ethnicity": ethnicity,
                "employer": employer, "occupation": occupation, "route": route, "recommended_by": recommended_by,
                "background": background,
                "pledge": {"signed": (start - timedelta(days=rng.randint(20, 60))).isoformat()},
                "admission": {"date": start.isoformat(),
                              "consent": (start - timedelta(days=rng.randint(3, 15))).isoformat()
                              if route != "open" else None},
                "certificate_no": f"SG-{start.year}-{cert_seq[start.year]:04d}",
                "claims": claims, "term": {"start": start.isoformat(), "end": term_end(start, 2).isoformat()},
                "status": status, "status_history": history, "remarks": REMARKS,
            }
            self.write(root, f"supervisors/{sid}.yaml", record, "supervisor")
            if status == "active":
                serving.append(sid)
        meeting = date(self.as_of.year, 6, 18)  # JN 第十二条（四）: a meeting of all supervisors every year
        if serving and meeting <= self.as_of:
            (root / "conduct" / str(meeting.year)).mkdir(parents=True, exist_ok=True)
            ident = f"C{meeting.year}-001"
            self.write(root, f"conduct/{meeting.year}/{ident}.yaml",
                       {"id": ident, "person": serving[0], "kind": "meeting", "date": meeting.isoformat(),
                        "description": "出席年度全体社会监督员座谈会（合成数据）"}, "conduct")

    def settings(self, root: Path) -> None:
        record = {
            "bureau": {"name": "示例市医疗保障局", "short_name": "示例市医保局", "region": "540199",
                       "office": "基金监管科", "office_phone": "0891-0000000"},
            "rosters": {
                "experts": {"policy": "xz-2023", "disabled": [
                    {"rule": "policy.validity", "reason": "合成数据：试行办法期满后继续参照执行（仅供性能测试）。"}]},
                "supervisors": {"policy": "jn"}},
            "announcements": {"workdays": 5},
            "site": {"title": "示例市医保基金监管专家库（合成数据）", "host": "示例市医疗保障局",
                     "site_code": "0000000000", "icp": "示例ICP备00000000号", "psb": "示例公网安备00000000000000号",
                     "published_fields": ["name", "gender", "employer", "position", "title", "specialties",
                                          "category", "term", "background", "claims"]},
        }
        self.write(root, "registry.yaml", record, "registry")

    def run(self, root: Path) -> None:
        for folder in ("institutions", "experts", "supervisors"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        self.settings(root)
        self.institutions(root)
        self.plan_announcements()
        self.experts(root)
        self.write_announcements(root)
        self.supervisors(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, required=True, help="number of experts (e.g. 100 … 100000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder; must not exist or be empty")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--announcements", type=int, default=0, help="closed admission 公示 to generate (default 0)")
    parser.add_argument("--draws", type=int, default=0, help="draw records: not generated yet, must be 0")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None,
                        help=f"reference date the registry is valid on (default: ${TODAY_ENV}, else today in Beijing)")
    args = parser.parse_args(argv)
    args.as_of = args.as_of or default_as_of()
    if args.experts < 1:
        parser.error("--experts 必须至少为 1")
    if args.draws:
        parser.error("--draws：暂不生成抽取记录（抽取记录须由 roster draw 计算候选与排除名单），请省略或写 0")
    if args.announcements < 0:
        parser.error("--announcements 不能为负数")
    if args.announcements and not publicity_windows(args.as_of):
        parser.error("--as-of 之前三年内没有可用的公示周")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"输出文件夹 {args.out} 不是空的：请指定新的文件夹")
    started = time.perf_counter()
    generator = Generator(args.experts, args.seed, args.announcements, args.as_of)
    generator.run(args.out)
    print(f"已生成 {generator.files} 个文件到 {args.out}：{generator.n_institutions} 个单位、{args.experts} 位专家、"
          f"{generator.n_supervisors} 位社会监督员、{args.announcements} 件公示，基准日 {args.as_of}"
          f"（{time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
