"""The veto items of the 2019 national inspection (国办秘函〔2019〕19号) that content can show (issue 14).

办事指南要素不全, no 咨询建言 channel, messages left unanswered and a site without its 网站标识码
are each a single veto (单项否决) of the inspection's indicators; the 政府网站工作年度报表 (国办函
〔2018〕12号) falls due by 31 January for the year before. All are reminders: they never block
publishing, and `gxsite check --strict` holds them against the site until they are put right.

The figures of the yearly report that content cannot tell are read here too (`report_figures`),
so that the check and the page (site/sections/website_report.py) read site.yaml the same way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gxsite.checks import rules
from gxsite.content import model, schema
from gxsite.content.schema import Field, Invalid
from gxsite.core.problems import Problems

VETO = "检查指标的单项否决项"
ANSWER_MONTHS = 3           # 国办秘函〔2019〕19号: a message unanswered for more than 3 months is a veto
REPORT_DUE = (1, 31)        # 国办函〔2018〕12号: the year's report is published by 31 January of the next
PLACEHOLDER = "待填写"       # what `gxsite init` writes where the office has to fill in a value
PLACEHOLDER_CODE_TAIL = "XXXX"   # `gxsite init`'s 网站标识码: the division code and XXXX


def run(lib: model.Library, today: dt.date, problems: Problems) -> None:
    services(lib, problems)
    channels(lib.site, problems)
    messages(lib, problems, today)
    site_identity(lib.site, problems)
    website_report(lib, today, problems)


# ---- 办事指南 -----------------------------------------------------------------------------


def missing_elements(service: model.Service) -> list[str]:
    """The elements of a service guide (国办秘函〔2019〕19号, 办事指南) that it does not give, each
    named as the inspection does with the key that gives it."""
    places = service.places
    missing = []
    if not service.name:
        missing.append("事项名称（name）")
    if not service.basis:
        missing.append("设定依据（basis）")
    if not service.conditions:
        missing.append("申请条件（conditions）")
    if not service.materials:
        missing.append("办理材料（materials）")
    if not service.address and not any(p.address for p in places):
        missing.append("办理地点（address，或为 places.yaml 中列出本事项的办理场所填写 address）" if places
                       else "办理地点（address，或在 places.yaml 中列出办理场所）")
    if not service.fee:
        missing.append("收费标准（fee）")
    if not service.hours and not any(p.hours for p in places):
        missing.append("办理时间（hours，或办理场所的 hours）")
    if not service.phone and not any(p.phone for p in places):
        missing.append("联系电话（phone，或办理场所的 phone）")
    if not service.steps:
        missing.append("办理流程（steps）")
    return missing


def services(lib: model.Library, problems: Problems) -> None:
    for service in sorted(lib.services.values(), key=lambda s: s.path):
        missing = missing_elements(service)
        if missing:
            problems.warn(service.path, service.line or 1, f"办事指南缺少 {'、'.join(missing)}：办事指南要素不全是{VETO}",
                          rule="service-incomplete")


# ---- 咨询建言 -----------------------------------------------------------------------------


def channels(site: model.Site, problems: Problems) -> None:
    if not site.channels:
        problems.warn("site.yaml", 0, "没有咨询建言渠道：请在 site.yaml 的 channels: 中列出领导信箱、12345政务服务便民热线等"
                      f"（每项写 name，以及 url 或 phone），网站没有咨询建言栏目是{VETO}", rule="channels-missing")


def answered(message: model.Item, today: dt.date) -> bool:
    """Its reply is published: a reply dated after today is not one yet (nor on the 互动交流 page)."""
    return message.reply is not None and message.reply.date is not None and message.reply.date <= today


def answer_due(message: model.Item) -> dt.date:
    """The last day a message may be answered on: three calendar months after it was asked."""
    return rules.add_months(message.asked, ANSWER_MONTHS)   # 11-30 + 3 months → 02-28


def messages(lib: model.Library, problems: Problems, today: dt.date) -> None:
    for item in lib.published:
        if item.type != "message" or item.asked is None:
            continue
        due = answer_due(item)
        asked = item.asked.isoformat()
        if item.reply is not None and item.reply.date is not None and item.reply.date > today:
            problems.warn(item.path, item.lines.get("reply", 1),
                          f"答复日期 {item.reply.date.isoformat()} 晚于今天：页面已显示答复，统计中按未答复计，请核对日期",
                          rule="message-reply-date")
        if not answered(item, today):
            if today > due:
                problems.warn(item.path, item.lines.get("asked", 1),
                              f"留言（{asked}）已超过 {ANSWER_MONTHS} 个月未答复（应于 {due.isoformat()} 前答复）：请在 reply: 中"
                              f"写明答复日期、答复单位和答复内容，留言超过 3 个月未答复是{VETO}",
                              rule="message-unanswered", due=due.isoformat())
        elif item.reply.date > due:
            problems.warn(item.path, item.lines.get("reply", item.lines.get("asked", 1)),
                          f"留言 {asked} 收到，{item.reply.date.isoformat()} 才答复，超过了 {ANSWER_MONTHS} 个月（应于 "
                          f"{due.isoformat()} 前答复）：请核对答复日期，今后留言应在 {ANSWER_MONTHS} 个月内答复（{VETO}）",
                          rule="message-late-reply", due=due.isoformat())


# ---- 网站标识码 and the footer -------------------------------------------------------------


def _filled(value: str) -> bool:
    return bool(value) and PLACEHOLDER not in value


def site_identity(site: model.Site, problems: Problems) -> None:
    code = site.site_code
    missing = []
    if not code or code.endswith(PLACEHOLDER_CODE_TAIL):
        missing.append("网站标识码（site_code）")
    if not _filled(site.icp):
        missing.append("ICP备案号（icp）")
    if not _filled(site.police_record):
        missing.append("公安机关备案号（police_record）")
    if site.conac is None:
        missing.append("党政机关网站标识（conac）")
    if missing:
        problems.warn("site.yaml", 0, f"页脚还缺少 {'、'.join(missing)}：请照网站登记和备案证书在 site.yaml 中填写；"
                      "页面底部不显示网站标识码和备案信息，是检查指标（国办秘函〔2019〕19号）的扣分项",
                      rule="site-identity")
    division = site.division_code
    if code and not code.endswith(PLACEHOLDER_CODE_TAIL) and len(division) == 6 and code[:6] != division:
        problems.warn("site.yaml", 0, f"网站标识码“{code}”的前 6 位应为本地行政区划代码 {division}：请照网站登记证书核对"
                      "site_code 和 division_code", rule="site-identity")


# ---- 政府网站工作年度报表 -------------------------------------------------------------------


def count(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid("应为不小于 0 的整数，不加单位和逗号（如 12345）")
    return value


def days(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise Invalid("应为天数，不加单位（如 6.5）")
    return value


def yes_no(value):
    if not isinstance(value, bool):
        raise Invalid("应为 true（是）或 false（否），不加引号")
    return value


@dataclass
class Account:
    """A 微博 or 微信 account of the site's 移动新媒体 (国办函〔2018〕12号)."""
    name: str = ""
    posts: int | None = None        # 信息发布量（条）
    followers: int | None = None    # 关注量 / 订阅数（个）


ACCOUNT = {"name": Field("名称", schema.text, True), "posts": Field("信息发布量", count),
           "followers": Field("关注量（订阅数）", count)}

INNOVATIONS = ("搜索即服务", "多语言版本", "无障碍浏览", "千人千网")

# The figures of the 12号 form that content cannot tell: site.yaml's website_report: {<year>: {key: value}}.
# docs/content-format.md has the same table in Chinese.
REPORT_FIELDS: dict[str, Field] = {
    # 网站基本信息
    "unique_visitors": Field("独立用户访问总量", count),
    "page_views": Field("网站总访问量", count),
    # 解读回应
    "leader_interpretations": Field("主要负责同志解读数量", count),
    "media_commentaries": Field("媒体评论文章数量", count),
    # 办事服务
    "registered_users": Field("注册用户数", count),
    "cases_total": Field("办件量总数", count),
    "cases_person": Field("自然人办件量", count),
    "cases_legal": Field("法人办件量", count),
    # 互动交流
    "unified_platform": Field("是否使用统一平台", yes_no),
    "messages_received": Field("收到留言数量", count),
    "messages_closed": Field("办结留言数量", count),
    "messages_avg_days": Field("留言平均办理时间", days),
    "surveys": Field("征集调查期数", count),
    "survey_opinions": Field("征集调查收到意见数量", count),
    "survey_results": Field("公布调查结果期数", count),
    "interviews": Field("在线访谈期数", count),
    "interview_messages": Field("在线访谈网民留言数量", count),
    "interview_answers": Field("答复网民提问数量", count),
    "smart_qa": Field("是否提供智能问答", yes_no),
    # 安全防护
    "security_checks": Field("安全检测评估次数", count),
    "security_issues": Field("发现问题数量", count),
    "security_fixed": Field("问题整改数量", count),
    "security_monitoring": Field("是否建立安全监测预警机制", yes_no),
    "emergency_drill": Field("是否开展应急演练", yes_no),
    "security_officer": Field("是否明确网站安全负责人", yes_no),
    # 移动新媒体
    "new_media": Field("是否有移动新媒体", yes_no),
    "weibo": Field("微博", schema.record(Account, ACCOUNT)),
    "wechat": Field("微信", schema.record(Account, ACCOUNT)),
    "other_media": Field("其他移动新媒体", schema.listing(schema.text)),
    # 创新发展
    "innovations": Field("创新发展", schema.listing(schema.text)),
    # 填报
    "head": Field("单位负责人", schema.text),
    "reviewer": Field("审核人", schema.text),
    "filler": Field("填报人", schema.text),
    "phone": Field("联系电话", schema.text),
    "filed": Field("填报日期", schema.date),
}


def report_years(site: model.Site) -> dict[int, object]:
    """website_report's entries by year (YAML reads `2025:` as 2025; "2025" is the same year)."""
    out: dict[int, object] = {}
    for key, value in (site.website_report or {}).items():
        year = _year(key)
        if year is not None:
            out[year] = value
    return out


def _year(key) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int) and 1990 <= key <= 9999:
        return key
    if isinstance(key, str) and key.strip().isdigit() and len(key.strip()) == 4:
        return int(key.strip())
    return None


def report_figures(site: model.Site, year: int, problems: Problems | None = None) -> dict:
    """The year's figures by key, each converted; a wrong or unknown one is reported into
    `problems` (when given) and left out, so the page says 未填报 rather than show it."""
    raw = report_years(site).get(year)
    sink = problems if problems is not None else Problems()
    where = _key_line(site.website_report, year)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        sink.error("site.yaml", where, f"政府网站工作年度报表 {year} 年应为键值对（如 page_views: 123456），见《内容编写规范》",
                   rule="website-report")
        return {}
    found = Problems()
    values = schema.convert_fields(raw, REPORT_FIELDS, "site.yaml", found)
    for p in found.items:
        message = f"政府网站工作年度报表 {year} 年：{p.message}"
        if p.rule == "unknown-field":
            message += "（可填写的项目见《内容编写规范》中 website_report 的表）"
            sink.warn(p.path, p.line or where, message, rule="website-report")
        else:
            sink.error(p.path, p.line or where, message, rule="website-report")
    return values


def _key_line(mapping, key) -> int:
    lines = getattr(mapping, "lines", {}) or {}
    for k in (key, str(key)):
        if k in lines:
            return lines[k]
    return getattr(mapping, "line", 0) or 0


def _consistency(lib: model.Library, year: int, values: dict, raw, problems: Problems) -> None:
    def line(key):
        return _key_line(raw, key)

    # 主要负责同志解读 is part of 解读信息发布总数, which the report counts from the year's interpretations
    interpreted = sum(1 for i in lib.published if i.listed and i.type == "interpretation" and i.date.year == year)
    if values.get("leader_interpretations", 0) > interpreted:
        problems.warn("site.yaml", line("leader_interpretations"), f"政府网站工作年度报表 {year} 年：主要负责同志解读"
                      f"（{values['leader_interpretations']} 篇）多于网站当年发布的政策解读（{interpreted} 条）：它是解读信息的一部分，"
                      "请核对，或把解读发布到网站上", rule="website-report")

    for part, whole, what in (("security_fixed", "security_issues", "问题整改数量不能多于发现问题数量"),
                              ("messages_closed", "messages_received", "办结留言数量不能多于收到留言数量")):
        if part in values and whole in values and values[part] > values[whole]:
            problems.warn("site.yaml", line(part), f"政府网站工作年度报表 {year} 年：{what}"
                          f"（{values[part]} > {values[whole]}），请核对", rule="website-report")
    if "cases_total" in values:
        parts = [values[k] for k in ("cases_person", "cases_legal") if k in values]
        if sum(parts) > values["cases_total"]:
            problems.warn("site.yaml", line("cases_person"), f"政府网站工作年度报表 {year} 年：自然人办件量与法人办件量之和"
                          f"（{sum(parts)}）多于办件量总数（{values['cases_total']}），请核对", rule="website-report")
    filed = values.get("filed")
    due = dt.date(year + 1, *REPORT_DUE)
    if filed is not None and filed > due:
        problems.warn("site.yaml", line("filed"), f"政府网站工作年度报表 {year} 年的填报日期 {filed.isoformat()} 晚于 "
                      f"{due.isoformat()}：年度报表应于每年 1 月 31 日前公开上一年度的情况", rule="website-report")
    if filed is not None and filed.year <= year:
        problems.warn("site.yaml", line("filed"), f"政府网站工作年度报表 {year} 年的填报日期 {filed.isoformat()} 早于该年结束："
                      "请核对年份", rule="website-report")


def website_report(lib: model.Library, today: dt.date, problems: Problems) -> None:
    site = lib.site
    reports = site.website_report or {}
    for key in reports:
        if _year(key) is None:
            problems.warn("site.yaml", _key_line(reports, key), f"政府网站工作年度报表的“{key}”不是年份：请写成 "
                          f"{today.year - 1}:（四位年份，后面缩进写该年的各项数字）", rule="website-report")
    for year, raw in sorted(report_years(site).items()):
        values = report_figures(site, year, problems)
        if isinstance(raw, dict):
            _consistency(lib, year, values, raw, problems)
    last = today.year - 1
    due = dt.date(today.year, *REPORT_DUE)
    has_items = any(i.date.year <= last for i in lib.published)
    if today > due and has_items and last not in report_years(site):
        problems.warn("site.yaml", _key_line(reports, last) if reports else 0,
                      f"还没有 {last} 年的政府网站工作年度报表：应于 {due.isoformat()} 前公开，请在 site.yaml 的 "
                      f"website_report: 中加上 {last}: 并填写访问量、安全防护、移动新媒体等数字（网站内容能统计的由 gxsite "
                      "自动生成）", rule="website-report-missing", due=due.isoformat())
