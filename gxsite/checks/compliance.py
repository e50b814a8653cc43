"""Stage 4, check: the disclosure rules (docs/content-format.md, 附：规则与依据) over a loaded, resolved and routed Library.

Each rule reports located findings into the one Problems collector: personal data and the
contract's own requirements are errors (nothing is published), every other finding is a
reminder (提醒) that never blocks publishing. A deadline that has not passed yet is not a
finding: `overview` lists those for the office's dashboard, with the freshness of every column
and the inspection tallies.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from gxsite.content import model
from gxsite.checks import inspection, personal, rules as rules_mod
from gxsite.content.numbering import PLACEHOLDER_BODY
from gxsite.core.problems import Problems
from gxsite.content.resolve import is_published
from gxsite.checks.rules import Rules

NORMATIVE = "规范性文件"
IN_FORCE = "现行有效"
FAST_ACTIONS = ("行政许可", "行政处罚")      # 7 working days; other decisions 20

DOC_NO_RE = re.compile(r"(?P<agency>[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z]*)〔(?P<year>\d{4})〕(?P<n>[1-9]\d*)号")
ORDER_NO_RE = re.compile(r"[\u4e00-\u9fff]+令第[1-9]\d*号")   # 政府令: 《…令》第N号
CERT_NO_RE = re.compile(r"[0-9A-Za-z-]{6,24}")
BRACKETS = "[]［］【】()（）〈〉<>"
# Marks a title must open and close (opening → closing). Directional quotes count as brackets;
# the ASCII " has one form and must come in pairs; ASCII ' is left alone (it is an apostrophe).
TITLE_PAIRS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "（": "）", "(": ")", "【": "】", "[": "]",
               "［": "］", "〔": "〕", "〖": "〗", "「": "」", "『": "』", "{": "}", "｛": "｝"}
TITLE_SYMMETRIC = ('"', "＂")


@dataclass
class Deadline:
    """Something that falls due and has not passed yet."""
    due: dt.date
    rule: str
    path: str
    line: int
    org: str
    message: str


@dataclass
class ColumnState:
    column: model.Column
    newest: dt.date | None        # newest listed item in the column or its descendants
    kind: str                     # rules.DYNAMIC / NOTICES / POLICIES / OTHER, from the column's data
    judged: str                   # the kind the inspection counts it as (a sub-column of 政策文件: OTHER)
    rhythm: rules_mod.Rhythm      # declared, the inspection's for its kind, or the default
    state: str                    # "ok" | "stale" | "empty"
    age: int | None = None        # days since `newest`

    @property
    def key(self) -> bool:
        """Stale counts towards the first veto (动态要闻 / 通知公告 / 政策文件), else towards 应更新而未更新."""
        return self.judged != rules_mod.OTHER

    @property
    def due(self) -> dt.date | None:
        return None if self.newest is None else self.rhythm.due(self.newest)


@dataclass
class Overview:
    today: dt.date
    rules: Rules
    deadlines: list[Deadline] = field(default_factory=list)
    columns: list[ColumnState] = field(default_factory=list)
    home_newest: dt.date | None = None

    @property
    def stale(self) -> int:
        return sum(1 for c in self.columns if c.state == "stale" and c.key)

    @property
    def should_update(self) -> int:
        return sum(1 for c in self.columns if c.state == "stale" and not c.key)

    @property
    def empty(self) -> int:
        return sum(1 for c in self.columns if c.state == "empty")

    def stale_by_kind(self) -> dict[str, int]:
        """Stale columns per kind they are counted as (rules.KIND_NAMES order), for the reports."""
        counts = {kind: 0 for kind in rules_mod.KIND_NAMES}
        for c in self.columns:
            if c.state == "stale":
                counts[c.judged] += 1
        return counts

    @property
    def home_age(self) -> int | None:
        """Days since the home page last got a new item (None: it never did)."""
        return None if self.home_newest is None else (self.today - self.home_newest).days

    def home_tally(self) -> str:
        """The inspection's own home-page line (2 weeks, whatever the county's home_days)."""
        veto = rules_mod.VETO_HOME_DAYS
        if self.home_newest is None:
            return f"首页还没有任何信息（超过 {veto} 天未更新即否决）"
        return f"首页最新信息 {self.home_newest.isoformat()}，{self.home_age} 天前（超过 {veto} 天未更新即否决）"

    def upcoming(self, days: int) -> list[Deadline]:
        last = self.today + dt.timedelta(days=days)
        return [d for d in self.deadlines if self.today <= d.due <= last]

    def tallies(self) -> list[tuple[str, int, int]]:
        """(what, count, veto threshold) of the 2019 inspection indicators (国办秘函〔2019〕19号)."""
        kinds = rules_mod.INSPECTION_RHYTHMS
        periods = "、".join(f"{rules_mod.KIND_NAMES[k]}（{rules_mod.Rhythm(*kinds[k], 'inspection').label}）" for k in kinds)
        by_kind = self.stale_by_kind()
        split = "、".join(f"{rules_mod.KIND_NAMES[k]} {by_kind[k]} 个" for k in kinds if by_kind[k])
        return [(f"{periods}栏目未按期更新" + (f"（其中{split}）" if split else ""), self.stale, rules_mod.VETO_STALE),
                (f"其他应更新而未更新的栏目（未设更新周期的按 {self.rules.column_default_days} 天）", self.should_update,
                 rules_mod.VETO_SHOULD_UPDATE),
                ("空白栏目", self.empty, rules_mod.VETO_EMPTY)]


def run(lib: model.Library, content: Path, today: dt.date, problems: Problems, memo=None) -> Overview:
    """All checks of a content tree: personal data (files judged before kept in `memo`), then every
    disclosure rule."""
    rules = rules_mod.load(lib.site, problems)
    personal.check_tree(content, lib, today, problems, memo)
    return evaluate(lib, content, today, rules, problems)


def evaluate(lib: model.Library, content: Path, today: dt.date, rules: Rules, problems: Problems) -> Overview:
    view = Overview(today, rules)
    texts = _Texts(content)
    _calendar(rules, today, problems)
    _interpretations(lib, today, rules, problems, view)
    _decisions(lib, today, rules, problems, view)
    _enforcement(lib, rules, problems)
    _timeliness(lib, rules, problems)
    _doc_numbers(lib, problems)
    _credit_codes(lib, texts, problems)
    _index_numbers(lib, problems)
    _placeholders(lib, problems)
    _title_marks(lib, problems)
    _policies(lib, problems)
    _officers(lib, problems)
    _events(lib, today, rules, problems, view)
    _freshness(lib, today, rules, problems, view)
    far_places(lib, problems, texts)
    places_outside(lib, problems, texts)
    inspection.run(lib, today, problems)   # the inspection's veto items: 咨询建言, 办事指南, 年度报表
    view.deadlines.sort(key=lambda d: (d.due, d.path, d.line))
    return view


FAR_KM = 100   # a county is some 50 km across: a place twice that far out is most likely mistyped


def far_places(lib: model.Library, problems: Problems, texts: _Texts | None = None) -> None:
    """A reminder for a place of a county site's map more than FAR_KM from the others: there is no
    offline table of county centres, so the centre is the median latitude and longitude of the
    site's places (robust to the one mistyped place), judged once at least three have coordinates.
    A site above county level (division code ending in 00) spans more and is not judged."""
    code = lib.site.division_code
    if len(code) == 6 and code.endswith("00"):
        return
    placed = [p for p in lib.places.values() if p.lat is not None and p.lon is not None]
    if len(placed) < 3:
        return
    lat, lon = _median([p.lat for p in placed]), _median([p.lon for p in placed])
    for place in placed:
        km = _distance_km(place.lat, place.lon, lat, lon)
        if km > FAR_KM:
            where = texts.find(place.path, "lat:", place.line) if texts else place.line
            problems.warn(place.path, where, f"“{place.name}”的位置（纬度 {place.lat}，经度 {place.lon}）离本县其他场所约 "
                          f"{km:.0f} 公里：请核对经纬度是否写错或写反", rule="place-far")


def places_outside(lib: model.Library, problems: Problems, texts: _Texts | None = None) -> None:
    """A reminder for a place the map draws outside the county's outline (data/map/county.geojson):
    a mistyped coordinate, or one in another datum (a GPS's WGS-84 sits some 300–600 m off Amap's
    GCJ-02), or a place that is not the county's."""
    county = next((b for b in lib.boundaries if b.kind == "county"), None)
    if county is None:
        return
    for place in lib.places.values():
        if place.lat is None or place.lon is None or county.contains(place.lon, place.lat):
            continue
        where = texts.find(place.path, "lat:", place.line) if texts else place.line
        how = "（高德地图、腾讯地图上取的点即是）" if county.datum == "GCJ-02" else ""
        problems.warn(place.path, where, f"“{place.name}”的位置（纬度 {place.lat}，经度 {place.lon}）在县界 {county.path} 之外："
                      f"请核对经纬度，并确认与县界同为 {county.datum} 坐标{how}", rule="place-outside")


def _median(values: list[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), Earth radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(a)))


# ---- helpers ----------------------------------------------------------------------------


def line(item: model.Item, *keys: str) -> int:
    """The line of the first of `keys` present in the item's front matter (else the title's)."""
    for key in keys:
        if key in item.lines:
            return item.lines[key]
    return item.lines.get("title", 1)


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


class _Texts:
    """Lines of data files, read on demand, to point at the exact line of a value."""

    def __init__(self, content: Path):
        self.content = content
        self.cache: dict[str, list[str]] = {}

    def find(self, rel: str, needle: str, start: int = 1) -> int:
        if rel not in self.cache:
            try:
                self.cache[rel] = (self.content / rel).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self.cache[rel] = []
        lines = self.cache[rel]
        for number in range(max(start, 1), len(lines) + 1):
            if needle in lines[number - 1]:
                return number
        return start


def _interpreted_by(lib: model.Library) -> dict[str, list[model.Item]]:
    out: dict[str, list[model.Item]] = defaultdict(list)
    for item in lib.items.values():
        if item.type == "interpretation" and item.interprets:
            out[item.interprets].append(item)
    return out


# ---- the rules --------------------------------------------------------------------------


def _calendar(rules: Rules, today: dt.date, problems: Problems) -> None:
    if not rules.calendar.covers(today.year):
        problems.warn("site.yaml", 0, f"工作日历（chinese-calendar）还没有 {today.year} 年的节假日安排，暂按周一至周五计算工作日："
                      "请升级（pip install -U chinese-calendar），或在 site.yaml 的 rules: 中用 holidays / workdays 补充",
                      rule="calendar")


def needs_interpretation(policy: model.Item) -> bool:
    if policy.needs_interpretation is not None:
        return policy.needs_interpretation
    return policy.category == NORMATIVE


def _interpretations(lib, today, rules, problems, view) -> None:
    """国办发〔2016〕80号: a 规范性文件 gets its 政策解读 at the latest N working days after it."""
    by_policy = _interpreted_by(lib)
    days = rules.interpretation_workdays
    for policy in lib.items.values():
        if policy.type != "policy" or not needs_interpretation(policy) or (policy.status or IN_FORCE) != IN_FORCE:
            continue
        due = rules.calendar.add(policy.date, days)
        found = sorted(by_policy.get(policy.id, []), key=lambda i: (i.date, i.id))
        if not found:
            text = f"政策文件须配发政策解读（“谁起草、谁解读”），最迟应于 {iso(due)} 发布（发布后 {days} 个工作日内）"
            if today > due:
                problems.warn(policy.path, line(policy, "category", "needs_interpretation", "date"),
                              f"{text}，至今没有解读：请发布 type: interpretation 的解读并用 interprets 指向本文件",
                              rule="interpretation-missing", due=iso(due))
            else:
                view.deadlines.append(Deadline(due, "interpretation-missing", policy.path, line(policy, "date"),
                                               policy.org, f"《{policy.title}》的政策解读须于此日前发布"))
            continue
        first = found[0]
        if first.date > due:
            problems.warn(first.path, line(first, "date"),
                          f"政策解读发布晚了：所解读的文件 {iso(policy.date)} 发布，解读最迟应于 {iso(due)} 发布"
                          f"（{days} 个工作日内），实际 {iso(first.date)}", rule="interpretation-late", due=iso(due))


def _decisions(lib, today, rules, problems, view) -> None:
    """国务院令第713号: comment windows of at least 30 days, then the 意见采纳情况."""
    for item in lib.items.values():
        if item.type != "decision" or item.comment is None:
            continue
        c = item.comment
        where = line(item, "comment")
        if c.closes < c.opens:
            problems.error(item.path, where, f"征求意见截止日期 {iso(c.closes)} 早于开始日期 {iso(c.opens)}",
                           rule="comment-dates")
            continue
        days = (c.closes - c.opens).days + 1
        if days < rules.comment_days and not item.short_reason:
            problems.warn(item.path, where, f"征求意见期 {iso(c.opens)} 至 {iso(c.closes)} 共 {days} 天，少于 "
                          f"{rules.comment_days} 天：请延长，或在 short_reason 中说明缩短的理由", rule="comment-window")
        if c.opens <= today <= c.closes:
            view.deadlines.append(Deadline(c.closes, "comment-closes", item.path, where, item.org,
                                           f"《{item.title}》征求意见截止"))
        if item.feedback is not None:
            if item.feedback.date < c.closes:
                problems.warn(item.path, line(item, "feedback"), f"意见采纳情况的日期 {iso(item.feedback.date)} "
                              f"早于征求意见截止日期 {iso(c.closes)}，请核对", rule="feedback-date")
            continue
        due = c.closes + dt.timedelta(days=rules.feedback_days)
        if today > due:
            problems.warn(item.path, where, f"征求意见已于 {iso(c.closes)} 结束，意见采纳情况应于 {iso(due)} 前公布"
                          f"（结束后 {rules.feedback_days} 日内），至今未填写 feedback", rule="feedback-missing",
                          due=iso(due))
        else:
            view.deadlines.append(Deadline(due, "feedback-missing", item.path, where, item.org,
                                           f"《{item.title}》的意见采纳情况须于此日前公布"))


def _enforcement(lib, rules, problems) -> None:
    """国办发〔2018〕118号: 事后 decisions published within 7 (许可、处罚) or 20 working days."""
    for item in lib.items.values():
        if item.type != "enforcement" or item.stage != "事后":
            continue
        if item.decision_date is None:
            problems.error(item.path, line(item, "stage"), "事后公示须填写决定日期 decision_date（YYYY-MM-DD）",
                           rule="enforcement-date")
            continue
        if item.decision_date > item.date:
            problems.warn(item.path, line(item, "decision_date"), f"决定日期 {iso(item.decision_date)} 晚于发布日期 "
                          f"{iso(item.date)}，请核对", rule="enforcement-date")
            continue
        days = rules.enforcement_workdays if item.action in FAST_ACTIONS else rules.enforcement_other_workdays
        due = rules.calendar.add(item.decision_date, days)
        if item.date > due:
            what = item.action or "执法决定"
            late = rules.calendar.between(item.decision_date, item.date)
            problems.warn(item.path, line(item, "date"), f"{what}决定应在作出后 {days} 个工作日内公示（最迟 {iso(due)}），"
                          f"实际 {iso(item.date)} 发布，用了 {late} 个工作日", rule="enforcement-late", due=iso(due))


def _timeliness(lib, rules, problems) -> None:
    """条例 art. 26: 20 working days from 成文日期 (issued) to 发布日期; 成文日期 ≤ 发布日期."""
    days = rules.proactive_workdays
    for item in lib.items.values():
        if item.issued is None:
            continue
        if item.issued > item.date:
            problems.warn(item.path, line(item, "issued"), f"成文日期 {iso(item.issued)} 晚于发布日期 {iso(item.date)}，"
                          "请核对（成文日期不能晚于发布日期）", rule="issued-after-date")
            continue
        due = rules.calendar.add(item.issued, days)
        if item.date > due:
            late = rules.calendar.between(item.issued, item.date)
            problems.warn(item.path, line(item, "date"), f"应在成文后 {days} 个工作日内主动公开（最迟 {iso(due)}），"
                          f"实际 {iso(item.date)} 发布，用了 {late} 个工作日", rule="proactive-late", due=iso(due))


def doc_no_problem(doc_no: str, issued: dt.date | None) -> str:
    """Why a 文号 is not `<机关代字>〔yyyy〕<n>号` (GB/T 9704-2012), or "" when it is."""
    text = doc_no.strip()
    if ORDER_NO_RE.fullmatch(text):
        return ""
    match = DOC_NO_RE.fullmatch(text)
    if match:
        if issued is not None and int(match["year"]) != issued.year:
            return f"文号“{text}”的年份 {match['year']} 与成文日期 {iso(issued)} 不一致，请核对"
        return ""
    if re.search(r"[" + re.escape(BRACKETS) + r"]\s*\d{4}\s*[" + re.escape(BRACKETS) + r"]", text):
        hint = "年份应使用六角括号〔〕，如 某府办函〔2023〕55号"
    elif re.search(r"〕\s*第", text):
        hint = "发文顺序号前不加“第”字"
    elif re.search(r"〕0\d", text):
        hint = "发文顺序号不编虚位（1 不写成 01）"
    elif re.search(r"\s", text):
        hint = "文号中不应有空格"
    else:
        hint = "应写成 机关代字〔年份〕序号号，如 某府办函〔2023〕55号"
    return f"文号“{text}”格式不规范：{hint}"


def _doc_numbers(lib, problems) -> None:
    for item in lib.items.values():
        if item.doc_no:
            why = doc_no_problem(item.doc_no, item.issued)
            if why:
                problems.warn(item.path, line(item, "doc_no"), why, rule="doc-no")


def credit_code_problem(code: str) -> str:
    code = code.strip()
    if len(code) != 18:
        return f"统一社会信用代码“{code}”应为 18 位（现为 {len(code)} 位）"
    bad = [c for c in code if c not in personal.CREDIT_CHARS]
    if bad:
        return f"统一社会信用代码“{code}”含有不允许的字符“{''.join(sorted(set(bad)))}”（不用 I、O、Z、S、V 和小写字母）"
    if not personal.credit_code_valid(code):
        return f"统一社会信用代码“{code}”校验位不符（GB 32100-2015），请与证书核对"
    return ""


def _credit_codes(lib, texts, problems) -> None:
    for org in lib.orgs.values():
        if org.credit_code:
            why = credit_code_problem(org.credit_code)
            if why:
                problems.warn(org.path, texts.find(org.path, org.credit_code, org.line), why, rule="credit-code")


def _index_numbers(lib, problems) -> None:
    """索引号 = <issuer credit code>/<yyyy>-<serial>: the code of the item's org, the year of its date."""
    for item in lib.items.values():
        if "/" not in item.index_no or item.org_ref is None:
            continue
        code, _, rest = item.index_no.partition("/")
        year = rest[:4]
        where = line(item, "index_no")
        keep = "（索引号一经发布不得更改；尚未发布的，可删去 index_no 后运行 gxsite number 重新编号）"
        if item.org_ref.credit_code and code != item.org_ref.credit_code and len(code) == 18:
            problems.warn(item.path, where, f"索引号前缀“{code}”不是发布机构“{item.org_ref.name}”的统一社会信用代码 "
                          f"{item.org_ref.credit_code}{keep}", rule="index-no")
        elif year.isdigit() and int(year) != item.date.year:
            problems.warn(item.path, where, f"索引号中的年份 {year} 与发布日期 {iso(item.date)} 不一致{keep}",
                          rule="index-no")


def _placeholders(lib, problems) -> None:
    """`gxsite new`'s placeholder text left in: an error, as the item is not written yet (an
    empty placeholder field already fails as a missing required field)."""
    what = f"还是 gxsite new 写入的占位文字“{PLACEHOLDER_BODY}”"
    for item in lib.items.values():
        for key, label in (("title", "标题"), ("summary", "摘要")):
            if key in item.lines and PLACEHOLDER_BODY in getattr(item, key):   # not a summary made from the body
                problems.error(item.path, line(item, key), f"{label}{what}：请改好后再发布", rule="placeholder")
        if PLACEHOLDER_BODY in item.body:
            where = item.body_line + item.body[: item.body.index(PLACEHOLDER_BODY)].count("\n")
            problems.error(item.path, where, f"正文{what}：请换成正文后再发布", rule="placeholder")


def title_marks_problem(title: str) -> str:
    """Which quotes, 书名号 and brackets of a title are unpaired, as a reminder ("" when none)."""
    closing = {c: o for o, c in TITLE_PAIRS.items()}
    open_at: list[int] = []
    unpaired: list[int] = []
    for n, ch in enumerate(title):
        if ch in TITLE_PAIRS:
            open_at.append(n)
        elif ch in closing:
            if not any(title[i] == closing[ch] for i in open_at):
                unpaired.append(n)
                continue
            while title[open_at[-1]] != closing[ch]:   # crossed, as in 《…（…》: the inner one is unclosed
                unpaired.append(open_at.pop())
            open_at.pop()
    unpaired += open_at
    for mark in TITLE_SYMMETRIC:
        at = [n for n, ch in enumerate(title) if ch == mark]
        if len(at) % 2:
            unpaired.append(at[-1])
    if not unpaired:
        return ""
    parts = []
    for n in sorted(unpaired):
        ch = title[n]
        partner = TITLE_PAIRS.get(ch) or closing.get(ch) or ch
        parts.append(f"第 {n + 1} 个字 {ch} 没有配对的 {partner}")
    return f"标题中的标点不成对：{'；'.join(parts)}。引号、书名号、括号应成对，请补上缺少的一半或删去多余的"


def _title_marks(lib, problems) -> None:
    for item in lib.items.values():
        why = title_marks_problem(item.title)
        if why:
            problems.warn(item.path, line(item, "title"), why, rule="title-marks")


def scheduled(lib: model.Library, today: dt.date) -> list[model.Item]:
    """Items dated after `today`: the build leaves them out until their date (resolve.is_published)."""
    return sorted((i for i in lib.items.values() if not is_published(i, today)), key=lambda i: (i.date, i.path))


def _policies(lib, problems) -> None:
    """国办发〔2017〕47号: a policy no longer in force links to what replaced it."""
    for item in lib.items.values():
        if item.type != "policy":
            continue
        status = item.status or IN_FORCE
        if status != IN_FORCE and not item.replaced_by:
            problems.warn(item.path, line(item, "status"), f"本文件{status}，应在 replaced_by 中填写替代它的文件"
                          "（或废止决定）的编号，页面才能链接过去", rule="policy-replaced-by")
        if status == "已废止" and item.repealed is None:
            problems.warn(item.path, line(item, "status"), "已废止的文件应填写废止日期 repealed（年报统计“本年废止件数”要用）",
                          rule="policy-repealed")
        if status == IN_FORCE and item.repealed is not None:
            problems.warn(item.path, line(item, "repealed"), f"填写了废止日期 {iso(item.repealed)}，但有效性仍为现行有效："
                          "请把 status 改为 已废止，或删去 repealed", rule="policy-repealed")


def _officers(lib, problems) -> None:
    """行政执法人员: name, 执法证号 (unique), 执法类别 and 执法区域 as the 事前 disclosure needs."""
    seen: dict[str, model.Officer] = {}
    for officer in lib.officers:
        where = officer.line
        first = seen.get(officer.cert_no)
        if first is not None:
            problems.error(officer.path, where, f"执法证号“{officer.cert_no}”重复（{first.path} 第 {first.line} 行 "
                           f"{first.name} 已用）：同一证号只能属于一名执法人员", rule="officer-duplicate")
        else:
            seen[officer.cert_no] = officer
        if not CERT_NO_RE.fullmatch(officer.cert_no):
            problems.warn(officer.path, where, f"执法证号“{officer.cert_no}”格式不对：应为证件上的编号（字母、数字，6 位以上）",
                          rule="officer-invalid")
        if re.search(r"\d", officer.name) or len(officer.name) > 20:
            problems.warn(officer.path, where, f"姓名“{officer.name}”不像人名，请核对", rule="officer-invalid")
        missing = [f"{label}（{key}）" for key, label in (("category", "执法类别"), ("area", "执法区域"))
                   if not getattr(officer, key)]
        if missing:
            problems.warn(officer.path, where, f"执法人员 {officer.name} 缺少{'、'.join(missing)}", rule="officer-invalid")


def half_year(day: dt.date) -> tuple[dt.date, dt.date, str]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30), f"{day.year}年上半年"
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31), f"{day.year}年下半年"


def _events(lib, today, rules, problems, view) -> None:
    """The county plan's tasks 2 and 3 (政府开放日, 局长进大厅): 政府开放日 ≥ 1 a year; 局长进大厅 ≥ 6 a half year, ≥ 4 hours each."""
    published = [i for i in lib.published if i.listed]
    # 政府开放日: county-wide, this calendar year, on a site that runs them (a column or a record).
    needed = rules.open_days_per_year
    held = [i for i in published if i.type == "open_day" and (i.event_date or i.date).year == today.year]
    column = next((c for c in lib.columns.values() if "open_day" in c.select.get("type", ())), None)
    runs = column is not None or any(i.type == "open_day" for i in lib.items.values())
    if runs and len(held) < needed:
        path, where = (column.path, column.line) if column else ("site.yaml", 0)
        year_end = dt.date(today.year, 12, 31)
        problems.warn(path, where, f"{today.year}年已开展政府开放日 {len(held)} 次，全年应不少于 {needed} 次"
                      f"（截至 {iso(year_end)}）", rule="open-day-count", due=iso(year_end))
    # 局长进大厅: per org that runs them, the current half year.
    start, end, label = half_year(today)
    hours = rules.hall_visit_hours
    counted: dict[str, int] = defaultdict(int)
    runners = set()
    for item in lib.items.values():
        if item.type != "hall_visit":
            continue
        runners.add(item.org)
        if item.hours is None or item.hours < hours:
            said = "未填写时长 hours" if item.hours is None else f"时长 {item.hours:g} 小时"
            problems.warn(item.path, line(item, "hours", "event_date"), f"局长进大厅每次应不少于半个工作日（{hours} 小时），"
                          f"本次{said}，不计入次数", rule="hall-visit-hours")
        elif item.listed and item.date <= today and start <= (item.event_date or item.date) <= end:
            counted[item.org] += 1
        for p in item.problems:
            if p.status != "已解决" and p.due is not None:
                if p.due < today:
                    problems.warn(item.path, line(item, "problems"), f"发现问题“{p.issue[:30]}”的整改时限 {iso(p.due)} 已过，"
                                  "状态仍为办理中：请更新整改情况", rule="hall-problem-overdue", due=iso(p.due))
                else:
                    view.deadlines.append(Deadline(p.due, "hall-problem-overdue", item.path, line(item, "problems"),
                                                   item.org, f"局长进大厅发现问题的整改时限：{p.issue[:30]}"))
    needed = rules.hall_visits_per_half
    for org_id in sorted(runners):
        org = lib.orgs.get(org_id)
        if org is None or counted[org_id] >= needed:
            continue
        problems.warn(org.path, org.line, f"{org.name}{label}开展局长进大厅 {counted[org_id]} 次"
                      f"（每次不少于 {hours} 小时的才计入），应不少于 {needed} 次（截至 {iso(end)}）",
                      rule="hall-visit-count", due=iso(end))


def column_kind(column: model.Column) -> str:
    """动态 / 通知公告 / 政策文件 / 其他: as declared, else decided in rules.column_kind from the column's
    select types and title."""
    return column.kind or rules_mod.column_kind(column.title, column.select.get("type", ()))


def _nested_in_own_kind(column: model.Column, kind: str, columns: dict[str, model.Column]) -> bool:
    seen = {column.id}
    parent = columns.get(column.parent)
    while parent is not None and parent.id not in seen:   # cycles are reported by route
        if column_kind(parent) == kind:
            return True
        seen.add(parent.id)
        parent = columns.get(parent.parent)
    return False


def _shown_date(item: model.Item, today: dt.date) -> dt.date:
    """A fixed page (指南、制度) is kept current by revising it: its 更新日期 is its newest; other items count
    by their 发布日期, as the inspection reads a list."""
    if item.type == "page" and item.updated is not None and item.date < item.updated <= today:
        return item.updated
    return item.date


def _subtree_newest(column: model.Column, today: dt.date, memo: dict[str, dt.date | None]) -> dt.date | None:
    """The newest listed item of a column or any column below it (a container without select is judged so)."""
    if column.id in memo:
        return memo[column.id]
    memo[column.id] = None   # guards against cycles (reported by route)
    dates = [_shown_date(i, today) for i in column.items]
    dates += [d for d in (_subtree_newest(c, today, memo) for c in column.children) if d is not None]
    memo[column.id] = max(dates, default=None)
    return memo[column.id]


def _stale_advice(entry: ColumnState) -> str:
    label = entry.rhythm.label
    if entry.rhythm.basis == "declared":
        return f"应每 {label}至少更新一次（columns.yaml 中的 update_every_days）：请发布新信息"
    if entry.rhythm.basis == "inspection":
        return (f"按政府网站检查指标（国办秘函〔2019〕19号），{rules_mod.KIND_NAMES[entry.judged]}栏目 {label}内"
                f"应有新信息，未更新的栏目达到 {rules_mod.VETO_STALE} 个即单项否决：请发布新信息")
    return (f"未设更新周期的栏目按 {label}检查（site.yaml 中 rules: 的 column_default_days），属于“应更新而未更新”的栏目"
            f"（达到 {rules_mod.VETO_SHOULD_UPDATE} 个即单项否决）：请发布新信息；确属更新较少的栏目，"
            "可在 columns.yaml 中为它设置 update_every_days")


def _freshness(lib, today, rules, problems, view) -> None:
    """Every column kept fresh by its kind's rhythm (国办秘函〔2019〕19号); no empty column; the home page gets new items."""
    memo: dict[str, dt.date | None] = {}
    for column in lib.columns.values():
        newest = _subtree_newest(column, today, memo)
        kind = column_kind(column)
        judged = rules_mod.judged_as(kind, _nested_in_own_kind(column, kind, lib.columns))
        rhythm = rules_mod.column_rhythm(judged, column.update_every_days, rules)
        if newest is None:
            state = "empty"
        else:
            state = "stale" if today > rhythm.due(newest) else "ok"
        entry = ColumnState(column, newest, kind, judged, rhythm, state, None if newest is None else (today - newest).days)
        view.columns.append(entry)
        if state == "empty":
            problems.warn(column.path, column.line, f"栏目“{column.title}”（{column.id}）没有任何信息，属于空白栏目："
                          "请发布信息、在信息的 columns: 中加入本栏目，或删去本栏目", rule="column-empty")
        elif state == "stale":
            problems.warn(column.path, column.line, f"栏目“{column.title}”（{column.id}）已 {entry.age} 天未更新"
                          f"（最新信息 {iso(newest)}），{_stale_advice(entry)}", rule="column-stale",
                          due=iso(entry.due))
        else:
            view.deadlines.append(Deadline(entry.due, "column-stale", column.path, column.line, "",
                                           f"栏目“{column.title}”须于此日前更新（每 {rhythm.label}）"))
    news = [i for i in lib.published if i.listed and i.type != "page"]
    view.home_newest = news[0].date if news else None
    days = rules.home_days
    if view.home_newest is None or (today - view.home_newest).days > days:
        since = f"最新信息是 {iso(view.home_newest)}" if view.home_newest else "还没有任何信息"
        problems.warn("site.yaml", 0, f"首页应至少每 {days} 天有新信息，{since}", rule="home-stale",
                      due=iso(view.home_newest + dt.timedelta(days=days)) if view.home_newest else "")
    else:
        view.deadlines.append(Deadline(view.home_newest + dt.timedelta(days=days), "home-stale", "site.yaml", 0, "",
                                       f"首页须于此日前发布新信息（每 {days} 天）"))
