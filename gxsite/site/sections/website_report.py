"""政府网站工作年度报表 (国办函〔2018〕12号 format), one page per year (issue 14).

/stats/website/ lists the years; /stats/website/<yyyy>/ is the form for a year that has ended
and that site.yaml's website_report: has an entry for, with the same table as CSV. What the
content tells (信息发布, 专栏专题, 解读回应, 服务事项, 留言办理) is counted from the items of that
year; every other figure comes from site.yaml, and one not given reads 未填报, never a number.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Iterator

from gxsite.checks import inspection
from gxsite.content import model
from gxsite.core import urls
from gxsite.core.page import Page
# the module itself, not the package: the package's __init__ imports this one
from gxsite.site.sections.interaction import year_figures

URL = "/stats/website/"
TITLE = "政府网站工作年度报表"
NOT_GIVEN = "未填报"
SITE_TYPE = "政府门户网站"
TOPICS_TITLE = "专题专栏"
COUNTED, FILLED, REGISTERED = "网站内容统计", "填报", "网站登记信息"
PRODUCT_FORMS = ("图解", "视频", "音频")     # 解读产品; 文字 and 问答 are 解读材料
CSV_HEADER = ["栏目", "指标", "数值", "数据来源"]


def year_url(year: int) -> str:
    return f"{URL}{year}/"


def year_csv(year: int) -> str:
    return f"{year_url(year)}zhengfu-wangzhan-niandu-baobiao-{year}.csv"


@dataclass
class Row:
    label: str          # the form's row, with its unit as the form writes it
    value: str          # as shown; NOT_GIVEN when the office has not filled it in
    source: str         # COUNTED, FILLED or REGISTERED


@dataclass
class Part:
    title: str          # one of the form's nine blocks
    rows: list[Row]


@dataclass
class Report:
    year: int
    parts: list[Part]
    filing: list[Row]                      # 填报单位, 负责人, 填报日期 …
    notes: list[str] = field(default_factory=list)


def years(lib: model.Library, today: dt.date) -> list[int]:
    """The years with a report page: ended, and given in site.yaml. Newest first."""
    return sorted((y for y in inspection.report_years(lib.site) if y < today.year), reverse=True)


def _num(value) -> str:
    if value is None:
        return NOT_GIVEN
    if isinstance(value, float):
        return f"{value:.1f}"    # one decimal, as the 互动交流 page shows the mean
    return str(value)


def _yes(value) -> str:
    return NOT_GIVEN if value is None else ("是" if value else "否")


def _text(value: str) -> str:
    return value if value and inspection.PLACEHOLDER not in value else NOT_GIVEN


def _in_year(lib: model.Library, year: int) -> list[model.Item]:
    """The year's published information: listed, the county's own (a repost is another
    government's document, counted nowhere as the county's, as on /stats/)."""
    return [i for i in lib.published if i.listed and i.type != "repost" and i.date.year == year]


def _topic_columns(lib: model.Library) -> tuple[list[model.Column], bool]:
    """The columns counted as 专栏专题: those under a 专题专栏 column if the site has one, else all."""
    roots = [c for c in lib.columns.values() if c.title == TOPICS_TITLE]
    if not roots:
        return list(lib.columns.values()), False
    out: list[model.Column] = []
    seen: set[str] = set()

    def walk(column: model.Column) -> None:
        for child in column.children:
            if child.id not in seen:
                seen.add(child.id)
                out.append(child)
                walk(child)

    for root in roots:
        walk(root)
    return out, True


def report(lib: model.Library, year: int, today: dt.date) -> Report:
    site = lib.site
    f = inspection.report_figures(site, year)
    items = _in_year(lib, year)
    notes: list[str] = []

    def filled(key: str, label: str) -> Row:
        return Row(label, _num(f.get(key)), FILLED)

    def yes(key: str, label: str) -> Row:
        return Row(label, _yes(f.get(key)), FILLED)

    def counted(label: str, n) -> Row:
        return Row(label, _num(n), COUNTED)

    basic = Part("网站基本信息", [
        Row("网站名称", site.title, REGISTERED),
        Row("首页网址", site.base_url, REGISTERED),
        Row("主办单位", _text(site.sponsor) if site.sponsor else site.title, REGISTERED),
        Row("网站类型", SITE_TYPE, REGISTERED),
        Row("政府网站标识码", NOT_GIVEN if not site.site_code or site.site_code.endswith(inspection.PLACEHOLDER_CODE_TAIL)
            else site.site_code, REGISTERED),
        Row("ICP备案号", _text(site.icp), REGISTERED),
        Row("公安机关备案号", _text(site.police_record), REGISTERED),
        filled("unique_visitors", "独立用户访问总量（单位：个）"),
        filled("page_views", "网站总访问量（单位：次）"),
    ])

    publishing = Part("信息发布", [
        counted("信息发布总数（单位：条）", len(items)),
        counted("其中：概况类信息更新量（单位：条）", sum(1 for i in items if i.type == "page")),
        counted("其中：政务动态信息更新量（单位：条）", sum(1 for i in items if i.type in ("news", "notice"))),
        counted("其中：信息公开目录信息更新量（单位：条）", sum(1 for i in items if i.index_no)),
    ])
    notes.append("信息发布按本网站当年发布（发布日期在该年内、未撤回）的信息统计：概况类为固定页面，政务动态为工作动态和通知公告，"
                 "信息公开目录为列入政府信息公开目录、编有索引号的信息；转载的上级文件不计入。同一条信息可同时计入多类，各类之和不等于总数。")

    topics, nested = _topic_columns(lib)
    maintained = [c for c in topics if any(i.date.year == year for i in c.items)]
    opened = [c for c in maintained if min(i.date for i in c.items).year == year]
    columns = Part("专栏专题", [
        counted("维护数量（单位：个）", len(maintained)),
        counted("新开设数量（单位：个）", len(opened)),
    ])
    notes.append(("专栏专题为“专题专栏”下的各专题，" if nested else "本网站未设“专题专栏”，按全部栏目统计，")
                 + "当年有信息发布的计为维护，最早一条信息发布于当年的计为新开设。")

    interpretations = [i for i in items if i.type == "interpretation"]
    products = sum(1 for i in interpretations if i.form in PRODUCT_FORMS)
    answers = Part("解读回应", [
        counted("解读信息发布总数（单位：条）", len(interpretations)),
        filled("leader_interpretations", "其中：主要负责同志解读（单位：篇）"),
        counted("解读材料数量（单位：条）", len(interpretations) - products),
        counted("解读产品数量（单位：个）", products),
        filled("media_commentaries", "媒体评论文章数量（单位：篇）"),
        counted("回应公众关注热点或重大舆情数量（单位：次）", sum(1 for i in items if i.type == "response")),
    ])
    notes.append("解读信息为当年发布的政策解读：解读形式为图解、视频、音频的计为解读产品，其余（文字、问答）计为解读材料。"
                 "回应公众关注热点按当年发布的“回应关切”信息统计。")

    services = list(lib.services.values())
    service = Part("办事服务", [
        Row("是否发布服务事项目录", "是" if services else "否", COUNTED),
        filled("registered_users", "注册用户数（单位：个）"),
        counted("政务服务事项数量（单位：项）", len(services)),
        counted("其中：可全程在线办理政务服务事项数量（单位：项）", sum(1 for s in services if s.online)),
        filled("cases_total", "办件量：总数（单位：件）"),
        filled("cases_person", "办件量：自然人办件量（单位：件）"),
        filled("cases_legal", "办件量：法人办件量（单位：件）"),
    ])
    notes.append("政务服务事项按本网站发布的办事指南统计（统计时的事项清单），设有网上办理入口的计为可全程在线办理。")

    # the same figures as 互动交流's page: a reply dated after today is not one yet
    m = year_figures(lib, year, today)

    def message_row(key: str, label: str, n) -> Row:
        return Row(label, _num(f[key]), FILLED) if key in f else Row(label, _num(n) if n is not None else "无办结留言", COUNTED)

    talk = Part("互动交流", [
        yes("unified_platform", "是否使用统一平台"),
        message_row("messages_received", "留言办理：收到留言数量（单位：条）", m.received),
        message_row("messages_closed", "留言办理：办结留言数量（单位：条）", m.replied),
        message_row("messages_avg_days", "留言办理：平均办理时间（单位：天）", m.average),
        counted("留言办理：公开答复数量（单位：条）", m.replied),
        filled("surveys", "征集调查：征集调查期数（单位：期）"),
        filled("survey_opinions", "征集调查：收到意见数量（单位：条）"),
        filled("survey_results", "征集调查：公布调查结果期数（单位：期）"),
        filled("interviews", "在线访谈：访谈期数（单位：期）"),
        filled("interview_messages", "在线访谈：网民留言数量（单位：条）"),
        filled("interview_answers", "在线访谈：答复网民提问数量（单位：条）"),
        yes("smart_qa", "是否提供智能问答"),
    ])
    if any(k in f for k in ("messages_received", "messages_closed", "messages_avg_days")):
        notes.append(f"留言办理的收到、办结数量和平均办理时间为填报数；本网站“留言选登”公开了其中 {m.received} 条"
                     f"（已答复 {m.replied} 条）。")
    else:
        notes.append("留言办理按本网站“留言选登”公开的、当年收到的留言统计（按留言日期），平均办理时间为留言日期到答复日期的天数。")

    security = Part("安全防护", [
        filled("security_checks", "安全检测评估次数（单位：次）"),
        filled("security_issues", "发现问题数量（单位：个）"),
        filled("security_fixed", "问题整改数量（单位：个）"),
        yes("security_monitoring", "是否建立安全监测预警机制"),
        yes("emergency_drill", "是否开展应急演练"),
        yes("security_officer", "是否明确网站安全负责人"),
    ])

    weibo, wechat, other = f.get("weibo"), f.get("wechat"), f.get("other_media")
    has_media = f.get("new_media")
    if has_media is None and (weibo or wechat or other):
        has_media = True

    def account(acc, what: str, follow: str) -> list[Row]:
        return [Row(f"{what}：名称", acc.name if acc else NOT_GIVEN, FILLED),
                Row(f"{what}：信息发布量（单位：条）", _num(acc.posts if acc else None), FILLED),
                Row(f"{what}：{follow}（单位：个）", _num(acc.followers if acc else None), FILLED)]

    media = Part("移动新媒体", [
        Row("是否有移动新媒体", _yes(has_media), FILLED),
        *account(weibo, "微博", "关注量"),
        *account(wechat, "微信", "订阅数"),
        Row("其他", "、".join(other) if other else NOT_GIVEN, FILLED),
    ])

    chosen = f.get("innovations")
    if chosen is None:
        rows = [Row(name, NOT_GIVEN, FILLED) for name in inspection.INNOVATIONS] + [Row("其他", NOT_GIVEN, FILLED)]
    else:
        rest = [c for c in chosen if c not in inspection.INNOVATIONS]
        rows = [Row(name, "是" if name in chosen else "否", FILLED) for name in inspection.INNOVATIONS]
        rows.append(Row("其他", "、".join(rest) if rest else "无", FILLED))
    innovation = Part("创新发展", rows)

    filed = f.get("filed")
    filing = [
        Row("填报单位", site.sponsor if site.sponsor and inspection.PLACEHOLDER not in site.sponsor else site.title, REGISTERED),
        Row("单位负责人", f.get("head") or NOT_GIVEN, FILLED),
        Row("审核人", f.get("reviewer") or NOT_GIVEN, FILLED),
        Row("填报人", f.get("filler") or NOT_GIVEN, FILLED),
        Row("联系电话", f.get("phone") or NOT_GIVEN, FILLED),
        Row("填报日期", filed.isoformat() if filed else NOT_GIVEN, FILLED),
    ]
    notes.append(f"“{NOT_GIVEN}”表示该项数字需由网站主办单位填报而尚未填报，不代表数量为零。")
    return Report(year, [basic, publishing, columns, answers, service, talk, security, media, innovation],
                  filing, notes)


def csv_bytes(rep: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for part in rep.parts:
        for row in part.rows:
            writer.writerow([part.title, row.label, row.value, row.source])
    for row in rep.filing:
        writer.writerow(["填报信息", row.label, row.value, row.source])
    # UTF-8 with BOM and CRLF, as stats.py's tables: Excel on an office PC opens it as is.
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")


# ---- the section ------------------------------------------------------------------------


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    shown = years(lib, today)
    crumbs = [("信息发布统计", "/stats/"), (TITLE, URL)]
    yield Page(URL, "website_reports.html", TITLE,
               {"report_years": shown, "description": f"{lib.site.title}门户网站各年度的政府网站工作年度报表。"}, crumbs)
    for year in shown:
        yield Page(year_url(year), "website_report.html", f"{TITLE}（{year}年度）",
                   {"report": report(lib, year, today), "csv_url": year_csv(year), "report_years": shown,
                    "description": f"{lib.site.title}门户网站{year}年度工作报表：信息发布、解读回应、办事服务、互动交流、安全防护等情况。"},
                   crumbs + [(f"{year}年度", year_url(year))])


def files(lib: model.Library, today: dt.date, plan: list[Page]) -> list[tuple[str, bytes]]:
    return [(urls.output_path(year_csv(year)), csv_bytes(report(lib, year, today))) for year in years(lib, today)]
