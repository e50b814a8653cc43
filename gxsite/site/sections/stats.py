"""Statistics: the public /stats/ page and the annual report's table of proactive disclosure.

/stats/ counts published items per org, type, column and month for this year and the last, and
the handling of published messages (留言办理). Reposts (转载) are documents of other governments:
they are never counted as the county's own information (`own`), here or in the annual report.
/stats/annual/<yyyy>/ is section 二 (主动公开政府信息情况) of the annual report in the format of
国办公开办函〔2021〕30号, counted from the content for any year, with the same table as CSV
(UTF-8 with BOM, opens in Excel). What the content cannot tell (行政事业性收费) says so.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from gxsite.content import model, schema
from gxsite.core import urls
from gxsite.core.page import Page
# the module itself, not the package: the package's __init__ imports this one
from gxsite.checks.inspection import ANSWER_MONTHS
from gxsite.site.sections.interaction import year_figures

URL = "/stats/"
NORMATIVE = "规范性文件"
IN_FORCE = "现行有效"
DEFAULT_CATEGORY = "其他文件"
CSV_HEADER = ["条例项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
              "本年收费金额（万元）", "说明"]


def annual_url(year: int) -> str:
    return f"{URL}annual/{year}/"


def annual_csv(year: int) -> str:
    """Site path of the year's CSV."""
    return f"{annual_url(year)}zhudong-gongkai-{year}.csv"


def own(lib: model.Library) -> list[model.Item]:
    """Published items the county made itself. A repost (转载) is another government's document
    published here for convenience: counting it would inflate the county's 主动公开 figures."""
    return [i for i in lib.published if i.type != "repost"]


def counted(lib: model.Library) -> list[model.Item]:
    """Items that count as the county's published information: listed, its own, not fixed pages."""
    return [i for i in own(lib) if i.listed and i.type != "page"]


# ---- /stats/ ----------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    url: str                 # "" when there is no page to link to
    counts: list[int]        # one per year, in `years` order
    depth: int = 0


@dataclass
class MessageRow:
    label: str
    values: list[str]        # one per year, in `years` order


@dataclass
class Overview:
    years: list[int]
    total: list[int]
    orgs: list[Row] = field(default_factory=list)
    types: list[Row] = field(default_factory=list)
    columns: list[Row] = field(default_factory=list)
    months: list[Row] = field(default_factory=list)
    reposts: list[int] = field(default_factory=list)         # 转载, counted apart, per year
    messages: list[MessageRow] = field(default_factory=list)  # 留言办理, one row per figure


def message_rows(lib: model.Library, years: list[int], today: dt.date) -> list[MessageRow]:
    """The 留言办理 table: messages by the year they were received, as of today."""
    figures = [year_figures(lib, y, today) for y in years]
    return [
        MessageRow("收到留言", [str(f.received) for f in figures]),
        MessageRow("已答复", [str(f.replied) for f in figures]),
        MessageRow("未答复", [str(f.unanswered) for f in figures]),
        MessageRow("平均办理用时（天）", [f.average_text for f in figures]),
        MessageRow("最长用时（天）", [f.longest_text for f in figures]),
        MessageRow(f"超过{ANSWER_MONTHS}个月未答复", [str(f.overdue) for f in figures]),
    ]


def overview(lib: model.Library, today: dt.date) -> Overview:
    years = [today.year, today.year - 1]
    pos = {y: n for n, y in enumerate(years)}
    items = [i for i in counted(lib) if i.date.year in pos]
    listings = {listing.url for listing in lib.listings}

    def tally(members) -> list[int]:
        counts = [0] * len(years)
        for item in members:
            counts[pos[item.date.year]] += 1
        return counts

    def link(url: str) -> str:
        return url if url in listings else ""

    view = Overview(years, tally(items))
    view.reposts = tally(i for i in lib.published if i.listed and i.type == "repost" and i.date.year in pos)
    view.messages = message_rows(lib, years, today)
    by_org: dict[str, list[model.Item]] = {}
    by_type: dict[str, list[model.Item]] = {}
    for item in items:
        by_org.setdefault(item.org, []).append(item)
        by_type.setdefault(item.type, []).append(item)
    for org_id, members in by_org.items():
        org = lib.orgs.get(org_id)
        view.orgs.append(Row(org.name if org else org_id, link(urls.listing("orgs", org_id)), tally(members)))
    view.orgs.sort(key=lambda r: ([-c for c in r.counts], r.label))
    for type_id, name in schema.ITEM_TYPES.items():
        if type_id in by_type:
            view.types.append(Row(name, link(urls.listing("types", type_id)), tally(by_type[type_id])))
    for column, depth in _tree(lib):
        view.columns.append(Row(column.title, column.url, tally(i for i in column.items if i.date.year in pos), depth))
    by_month: list[list[model.Item]] = [[] for _ in range(12)]   # one pass, not one per month
    for item in items:
        by_month[item.date.month - 1].append(item)
    for month, members in enumerate(by_month, 1):
        view.months.append(Row(f"{month}月", "", tally(members)))
    return view


def _tree(lib: model.Library) -> Iterator[tuple[model.Column, int]]:
    """Columns in tree order with their depth (children after their parent)."""
    seen: set[str] = set()

    def walk(column: model.Column, depth: int):
        if column.id in seen:
            return
        seen.add(column.id)
        yield column, depth
        for child in column.children:
            yield from walk(child, depth + 1)

    for column in lib.columns.values():
        if not column.parent or column.parent not in lib.columns:
            yield from walk(column, 0)


# ---- the annual report's section 二 -------------------------------------------------------


@dataclass
class Line:
    label: str
    values: list[str]
    note: str = ""


@dataclass
class Block:
    clause: str              # 第二十条第（一）项
    headers: list[str]       # after 信息内容
    lines: list[Line]


@dataclass
class Annual:
    year: int
    as_of: dt.date           # end of the year, or today for the current year
    blocks: list[Block]
    notes: list[str]


def years(lib: model.Library, today: dt.date) -> list[int]:
    """Every year from the earliest published item to this year, newest first."""
    first = min((i.date.year for i in lib.published), default=today.year)
    return list(range(today.year, min(first, today.year) - 1, -1))


def _ended(policy: model.Item, lib: model.Library) -> dt.date | None | str:
    """When a policy stopped being in force: a date, None (still in force) or "unknown"."""
    if policy.repealed is not None:
        return policy.repealed
    if (policy.status or IN_FORCE) == IN_FORCE:
        return None
    successor = lib.items.get(policy.replaced_by)
    if successor is not None:
        return successor.issued or successor.date
    return "unknown"


@dataclass
class Sources:
    """What the yearly figures are counted from, gathered once for every year counted: the
    county's normative documents and after-the-fact enforcement decisions, and the reposts per year."""
    normative: list[model.Item]
    decisions: list[model.Item]
    reposts: Counter


def sources(lib: model.Library) -> Sources:
    mine = own(lib)
    return Sources([i for i in mine if i.type == "policy" and (i.category or DEFAULT_CATEGORY) == NORMATIVE],
                   [i for i in mine if i.type == "enforcement" and i.stage == "事后"],
                   Counter(i.date.year for i in lib.published if i.type == "repost"))


def annual(lib: model.Library, year: int, today: dt.date, counted_from: Sources | None = None) -> Annual:
    """The year's figures; `counted_from`: sources(lib), when the caller counts several years."""
    counted_from = counted_from or sources(lib)
    as_of = min(dt.date(year, 12, 31), today)
    notes: list[str] = []
    normative = counted_from.normative
    made = [p for p in normative if (p.issued or p.date).year == year]
    repealed = [p for p in normative if (p.status == "已废止" and p.repealed is not None and p.repealed.year == year)]
    in_force, unknown = 0, 0
    for p in normative:
        if (p.issued or p.date) > as_of:
            continue
        ended = _ended(p, lib)
        if ended == "unknown":
            unknown += 1
        elif ended is None or ended > as_of:
            in_force += 1
    if unknown:
        notes.append(f"有 {unknown} 件行政规范性文件已标为失效但未填写废止日期（repealed）或替代文件，未计入现行有效件数。")
    undated = [p for p in normative if p.status == "已废止" and p.repealed is None]
    if undated:
        notes.append(f"有 {len(undated)} 件已废止的行政规范性文件未填写废止日期，未计入本年废止件数。")

    decisions = [i for i in counted_from.decisions if (i.decision_date or i.date).year == year]

    def decided(action: str) -> str:
        return str(sum(1 for i in decisions if i.action == action))

    withdrawn = sum(1 for i in decisions if i.withdrawn is not None)
    if withdrawn:
        notes.append(f"处理决定数量按决定日期统计，含此后撤回公示的决定 {withdrawn} 件。")
    reposted = counted_from.reposts[year]
    if reposted:
        notes.append(f"本年转载上级机关文件 {reposted} 件，不是本县制作的政府信息，未计入以上各项。")
    if as_of < dt.date(year, 12, 31):
        notes.append(f"{year}年尚未结束，数据截至 {as_of.isoformat()}。")
    blocks = [
        Block("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], [
            Line("规章", ["0", "0", "0"], "县级人民政府没有规章制定权，内容中也没有规章类文件，按 0 填列"),
            Line("行政规范性文件", [str(len(made)), str(len(repealed)), str(in_force)],
                 "按成文日期统计本年制发，按废止日期统计本年废止"),
        ]),
        Block("第二十条第（五）项", ["本年处理决定数量"], [Line("行政许可", [decided("行政许可")])]),
        Block("第二十条第（六）项", ["本年处理决定数量"], [
            Line("行政处罚", [decided("行政处罚")]), Line("行政强制", [decided("行政强制")])]),
        Block("第二十条第（八）项", ["本年收费金额（单位：万元）"], [
            Line("行政事业性收费", ["不适用"], "网站内容不含收费金额，请按财政部门统计数填报")]),
    ]
    notes.append("行政许可、行政处罚、行政强制的处理决定数量按网站公示的事后执法信息统计，"
                 "未在网站公示的决定不在其中，填报前请与执法部门台账核对。")
    return Annual(year, as_of, blocks, notes)


def csv_bytes(report: Annual) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for block in report.blocks:
        for line in block.lines:
            row = {"条例项": block.clause, "信息内容": line.label, "说明": line.note}
            row.update(zip(block.headers, line.values))
            row = {("本年收费金额（万元）" if k.startswith("本年收费金额") else k): v for k, v in row.items()}
            writer.writerow([row.get(h, "") for h in CSV_HEADER])
    # UTF-8 with BOM and CRLF, as the catalogue's table: Excel on an office PC opens it as is.
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")


# ---- the section ------------------------------------------------------------------------


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    all_years = years(lib, today)
    crumbs = [("信息发布统计", URL)]
    yield Page(URL, "stats.html", "信息发布统计", {"stats": overview(lib, today), "annual_years": all_years}, crumbs)
    counted_from = sources(lib)
    for year in all_years:
        title = f"{year}年政府信息公开工作年度报告：主动公开政府信息情况"
        yield Page(annual_url(year), "annual.html", title,
                   {"annual": annual(lib, year, today, counted_from), "csv_url": annual_csv(year), "annual_years": all_years},
                   crumbs + [(f"{year}年主动公开情况", annual_url(year))])


def files(lib: model.Library, today: dt.date, plan: list[Page]) -> list[tuple[str, bytes]]:
    # The year pages planned already counted each year: their figures make the CSV files.
    counted = {page.data["annual"].year: page.data["annual"] for page in plan if page.template == "annual.html"}
    return [(urls.output_path(annual_csv(year)), csv_bytes(counted.get(year) or annual(lib, year, today)))
            for year in years(lib, today)]
