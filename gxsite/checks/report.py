"""What `gxsite check` hands the county office: every finding as JSON (`--json FILE`) and an HTML
dashboard (`--report DIR`), which is not part of the public site.

The dashboard is one self-contained page (styles inline, no script, no resource from anywhere):
it can be opened from a shared folder or mailed. It shows the findings by org, what falls due in
the next 7 and 30 days, the freshness of every column with the inspection tallies next to their
veto thresholds, and how many items each org published per month, departments and towns that published
nothing in the last 12 months included and marked.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import jinja2

from gxsite.checks import compliance, rules as rules_mod
from gxsite.content import model
from gxsite.checks.linkcheck import Report as LinkReport
from gxsite.core import packaged
from gxsite.core.problems import ERROR, Problem, Problems

TEMPLATES = packaged.TEMPLATES / "report"
SITE_WIDE = ""   # findings that belong to no single org
SEVERITY = {ERROR: "错误", "warning": "提醒"}
RHYTHM_BASIS = {"declared": "栏目设定", "inspection": "检查指标", "default": "默认"}   # where a column's rhythm comes from
RULE_NAMES = {
    "content": "内容格式", "unknown-field": "未知字段", "personal-id": "个人信息：身份证号码",
    "personal-mobile": "个人信息：手机号码", "personal-bankcard": "个人信息：银行卡号",
    "interpretation-missing": "政策解读未发布", "interpretation-late": "政策解读发布延迟",
    "comment-window": "征求意见期不足", "comment-dates": "征求意见日期", "comment-closes": "征求意见截止",
    "feedback-missing": "意见采纳情况未公布", "feedback-date": "意见采纳情况日期",
    "enforcement-late": "执法决定公示延迟", "enforcement-date": "执法决定日期",
    "proactive-late": "主动公开超过时限", "issued-after-date": "成文日期晚于发布日期",
    "doc-no": "文号格式", "credit-code": "统一社会信用代码", "index-no": "索引号",
    "policy-replaced-by": "失效文件未链接替代文件", "policy-repealed": "废止日期",
    "officer-duplicate": "执法证号重复", "officer-invalid": "执法人员信息",
    "open-day-count": "政府开放日次数", "hall-visit-count": "局长进大厅次数",
    "hall-visit-hours": "局长进大厅时长", "hall-problem-overdue": "局长进大厅问题整改",
    "column-stale": "栏目未按期更新", "column-empty": "空白栏目", "home-stale": "首页更新",
    "link-broken": "断开的链接", "link-anchor": "链接锚点", "rules-config": "规则阈值设置",
    "calendar": "工作日历", "placeholder": "占位文字未替换", "title-marks": "标题标点不成对",
}


def org_of(problem: Problem | compliance.Deadline, lib: model.Library | None) -> str:
    """The org a finding belongs to, from where it was found ("" for the whole site)."""
    org = getattr(problem, "org", "")
    if org:
        return org
    parts = problem.path.split("/")
    if parts[0] == "items" and len(parts) > 2:
        return parts[1]
    if parts[:2] == ["data", "officers"] and len(parts) == 3:
        return parts[2].rsplit(".", 1)[0]
    if parts[:2] == ["data", "services"] and len(parts) > 3:
        return parts[2]
    if problem.path == "orgs.yaml" and lib is not None and problem.line:
        above = [o for o in lib.orgs.values() if o.path == "orgs.yaml" and 0 < o.line <= problem.line]
        if above:
            return max(above, key=lambda o: o.line).id
    return SITE_WIDE


def org_name(org: str, lib: model.Library | None) -> str:
    if not org:
        return "全站（不属于某一单位）"
    if lib is not None and org in lib.orgs:
        return lib.orgs[org].name
    return org


# ---- JSON -------------------------------------------------------------------------------


def as_json(problems: Problems, lib: model.Library | None, view: compliance.Overview | None,
            links: LinkReport | None, today: dt.date, content: Path) -> dict:
    findings = sorted(problems.items, key=lambda p: (p.severity != ERROR, p.path, p.line, p.rule, p.message))
    data = {
        "generator": "gxsite check",
        "today": today.isoformat(),
        "content": str(content),
        "summary": {"errors": len(problems.errors), "warnings": len(problems.warnings)},
        "findings": [{
            "rule": p.rule, "severity": p.severity, "file": p.path, "line": p.line,
            "message": p.message, "due": p.due or None, "org": org_of(p, lib) or None,
        } for p in findings],
    }
    if lib is not None:   # dated after `today`: published by the first build on or after that date
        data["scheduled"] = [{"date": i.date.isoformat(), "file": i.path, "title": i.title, "org": i.org}
                             for i in compliance.scheduled(lib, today)]
    if view is not None:
        data["deadlines"] = [{
            "due": d.due.isoformat(), "rule": d.rule, "file": d.path, "line": d.line,
            "org": org_of(d, lib) or None, "message": d.message,
        } for d in view.deadlines if d.due >= today]
        data["inspection"] = {
            "stale_columns": {"count": view.stale, "veto": rules_mod.VETO_STALE, "by_kind": {
                k: n for k, n in view.stale_by_kind().items() if k in rules_mod.INSPECTION_RHYTHMS}},
            "should_update_columns": {"count": view.should_update, "veto": rules_mod.VETO_SHOULD_UPDATE},
            "empty_columns": {"count": view.empty, "veto": rules_mod.VETO_EMPTY},
            "home_newest": view.home_newest.isoformat() if view.home_newest else None,
            "home": {"newest": view.home_newest.isoformat() if view.home_newest else None,
                     "age_days": view.home_age, "veto_days": rules_mod.VETO_HOME_DAYS},
        }
        data["columns"] = [{
            "id": c.column.id, "title": c.column.title, "kind": c.kind, "counted_as": c.judged,
            "update_every_days": c.column.update_every_days,
            "rhythm": {"count": c.rhythm.count, "unit": c.rhythm.unit, "basis": c.rhythm.basis},
            "newest": c.newest.isoformat() if c.newest else None, "age_days": c.age,
            "due": c.due.isoformat() if c.due else None, "state": c.state,
        } for c in view.columns]
        data["thresholds"] = {key: value for key, _, value, _, _ in rules_mod.describe(view.rules)}
    if lib is not None:
        months, rows, _ = monthly(lib, today)
        data["units"] = {"months": months, "orgs": [{
            "org": r.org, "name": r.name, "kind": r.kind, "per_month": r.counts, "last_12_months": r.total,
            "last_published": r.last.isoformat() if r.last else None, "silent": r.silent,
        } for r in rows]}
    if links is not None:
        data["links"] = {"pages": links.pages, "checked": links.links, "broken": len(links.broken),
                         "external": [{"url": u, "pages": len(p), "first_page": "/" + p[0]}
                                      for u, p in links.external.items()]}
    return data


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# ---- the dashboard ----------------------------------------------------------------------


@dataclass
class OrgFindings:
    org: str
    name: str
    errors: int
    warnings: int
    findings: list[Problem]


def by_org(problems: Problems, lib: model.Library | None) -> list[OrgFindings]:
    groups: dict[str, list[Problem]] = defaultdict(list)
    for p in sorted(problems.items, key=lambda p: (p.severity != ERROR, p.path, p.line)):
        groups[org_of(p, lib)].append(p)
    out = [OrgFindings(org, org_name(org, lib), sum(p.severity == ERROR for p in found),
                       sum(p.severity != ERROR for p in found), found) for org, found in groups.items()]
    return sorted(out, key=lambda g: (-g.errors, -g.warnings, g.org == SITE_WIDE, g.org))


def months_back(today: dt.date, count: int = 12) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(out))


# Units that must publish on the county site (条例: 行政机关); party and other orgs are listed once they publish.
EXPECTED_KINDS = ("department", "town")


@dataclass
class OrgMonths:
    org: str
    name: str
    kind: str
    counts: list[int]           # per month of `months_back`
    last: dt.date | None        # newest item ever published (None: 从未发布)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def silent(self) -> bool:
        """Nothing in the last 12 months: the units the office has to chase."""
        return self.total == 0


def monthly(lib: model.Library, today: dt.date) -> tuple[list[str], list[OrgMonths], list[int]]:
    """Items published per org per month over the last 12 months: (months, rows, totals). Every department
    and town has a row, those with nothing in the 12 months too (they come last, silent)."""
    months = months_back(today)
    index = {m: n for n, m in enumerate(months)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    last: dict[str, dt.date] = {}
    for item in lib.published:
        if not item.listed or item.type == "page":
            continue
        last[item.org] = max(last.get(item.org, item.date), item.date)
        key = f"{item.date.year}-{item.date.month:02d}"
        if key in index:
            counts[item.org][index[key]] += 1
    orgs = set(counts) | {o.id for o in lib.orgs.values() if o.kind in EXPECTED_KINDS}
    rows = [OrgMonths(org, org_name(org, lib), lib.orgs[org].kind if org in lib.orgs else "", counts[org], last.get(org))
            for org in orgs]
    # silent units: never published first, then the longest silent (the order the office chases them in)
    rows.sort(key=lambda r: (-r.total, (r.last or dt.date.min) if r.silent else dt.date.min, r.name))
    totals = [sum(r.counts[n] for r in rows) for n in range(len(months))]
    return months, rows, totals


def dashboard(problems: Problems, lib: model.Library | None, view: compliance.Overview | None,
              links: LinkReport | None, today: dt.date, content: Path) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["iso"] = lambda d: d.isoformat() if d else "—"
    week = view.upcoming(7) if view else []
    month = [d for d in view.upcoming(30) if d not in week] if view else []
    months, rows, totals = monthly(lib, today) if lib is not None else ([], [], [])
    kinds = Counter(p.rule for p in problems.items)
    return env.get_template("dashboard.html").render(
        today=today, content=str(content), site=lib.site if lib else None, problems=problems,
        groups=by_org(problems, lib), view=view, week=week, month=month, links=links,
        months=months, rows=rows, totals=totals, kinds=sorted(kinds.items(), key=lambda k: (-k[1], k[0])),
        rule_names=RULE_NAMES, severity=SEVERITY, org_of=lambda p: org_name(org_of(p, lib), lib),
        thresholds=rules_mod.describe(view.rules) if view else [],
        tallies=view.tallies() if view else [],
        by_kind={k: n for k, n in view.stale_by_kind().items() if k in rules_mod.INSPECTION_RHYTHMS} if view else {},
        kind_names=rules_mod.KIND_NAMES, basis_names=RHYTHM_BASIS,
        periods=[(rules_mod.KIND_NAMES[k], rules_mod.Rhythm(*r, "inspection").label)
                 for k, r in rules_mod.INSPECTION_RHYTHMS.items()],
        silent=[r for r in rows if r.silent],
    )


def write_dashboard(folder: Path, html: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
