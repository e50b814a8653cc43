"""The 政府网站网页设计规范 (国办发〔2017〕47号) in every page: its <meta> tags and the footer's
identity block (主办单位, 网站标识码, ICP and 公安 records, 党政机关网站标识).

`page_meta` runs once per page and variant, so it only looks at what the page itself holds
(its item, its listing, its column's ancestors): never at all items of the site.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gxsite.checks import compliance
from gxsite.content import model, schema
from gxsite.core import urls
from gxsite.core.page import Page
from gxsite.site.routing import column_trail

DESCRIPTION_MAX = 120      # characters: what search engines show, and the spec's "摘要"
ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="
AUTO_TITLES = {"orgs": "按发布机构", "domains": "按重点领域", "types": "按信息类型", "towns": "按镇", "years": "按年份"}

# What a section page is for, by template: its description. A page of a template not named
# here may set data["description"] itself; else one is made from its title and trail.
PURPOSES = {
    "home.html": "{site}门户网站：政府信息公开、政策文件、办事服务和互动交流。",
    "404.html": "您访问的页面不存在或已删除，请从{site}网站首页、网站地图或站内搜索查找所需信息。",
    "search.html": "在{site}网站内搜索政府信息、政策文件和办事服务。",
    "columns.html": "{site}网站全部栏目的导航，以及按发布机构、重点领域、信息类型、镇和年份分类浏览的入口。",
    "disclosure.html": "{site}政府信息公开专栏：公开指南、公开制度、法定主动公开内容和年度报告。",
    "directory.html": "{site}政府信息公开目录：全部主动公开信息的索引号、标题、发布机构和发布日期。",
    "catalog.html": "{site}各领域政务公开事项标准目录：公开内容、依据、时限、主体、方式和渠道。",
    "officers.html": "{site}行政执法人员公示：各执法单位执法人员的姓名、执法证号、执法类别和执法区域。",
    "events.html": "{site}各单位开展政府开放日和局长进大厅活动的情况统计。",
    "map.html": "{site}政务服务中心、便民服务中心等办事场所的地址、办公时间和联系电话。",
    "services.html": "{site}各单位政务服务事项清单：办理条件、申请材料、办理流程和时限。",
    "handbook.html": "{site}办事一本通：按出生、上学、就业、养老等人生事项查找要办的事。",
    "stats.html": "{site}各单位、各栏目政府信息发布数量统计。",
    "sitemap.html": "{site}网站地图：全部栏目和页面的链接。",
    "policies.html": "{site}政策文件库：本级和上级政策文件的文号、成文日期、发布机构和有效性，可按条件查找。",
    "policies-in-force.html": "{site}现行有效的行政规范性文件目录。",
    "interaction.html": "{site}互动交流：咨询建言渠道、留言选登和答复情况。",
    "contact.html": "{site}网站的主办、承办单位，联系地址、电话、电子邮箱和咨询建言渠道。",
}


@dataclass(frozen=True)
class Row:
    """One line of the footer's identity block; `href` links its text (a record's lookup page)."""
    label: str
    text: str
    href: str = ""


@dataclass(frozen=True)
class Identity:
    rows: list[Row]
    badge: model.Badge | None      # 党政机关网站标识: image under content/, verification page


def identity(lib: model.Library) -> Identity:
    """The footer's identity block from site.yaml; what site.yaml leaves out is not shown."""
    site = lib.site
    sponsor = site.sponsor or site.title
    rows = [Row("主办单位", sponsor)]
    lead = lib.orgs.get(site.lead_org) if site.lead_org else None
    if lead is not None and lead.name != sponsor:   # the same office is not named twice
        rows.append(Row("承办单位", lead.name))
    if site.contact.address:
        rows.append(Row("地址", site.contact.address))
    if site.contact.phone:
        rows.append(Row("联系电话", site.contact.phone, urls.tel(site.contact.phone)))
    if site.contact.email:
        rows.append(Row("电子邮箱", site.contact.email, "mailto:" + site.contact.email))
    if site.site_code:
        rows.append(Row("网站标识码", site.site_code))
    if site.icp:
        rows.append(Row("ICP备案号", site.icp, ICP_URL))
    if site.police_record:
        digits = re.sub(r"\D", "", site.police_record)
        rows.append(Row("公安机关备案号", site.police_record, POLICE_URL + digits if digits else ""))
    return Identity(rows, site.conac)


def page_meta(lib: model.Library, page: Page, url: str) -> list[tuple[str, str]]:
    """The page's <meta name=… content=…> pairs, in order; `url` is its absolute address in the
    variant being rendered."""
    site = lib.site
    meta = [("SiteName", site.title), ("SiteDomain", site.domain)]
    if site.site_code:
        meta.append(("SiteIDCode", site.site_code))
    data = page.data
    if page.template == "item.html":
        item = data["item"]
        description = item_description(lib, item)
        if item.in_columns:   # the column its breadcrumb leads through
            column = item.in_columns[0]
            meta += [("ColumnName", column.title), ("ColumnType", compliance.column_kind(column))]
        author = item.org_ref.name if item.org_ref else item.org
        source = item.origin.name if item.type == "repost" and item.origin and item.origin.name else author
        meta += [
            ("ArticleTitle", item.title),
            # Items carry a date, not a time: the spec's HH:MM is midnight.
            ("PubDate", f"{item.date.isoformat()} 00:00"),
            ("ContentSource", source),
            ("Keywords", ",".join(item_keywords(lib, item))),
            ("Author", author),
            ("Description", description),
            ("Url", url),
        ]
    elif page.template in ("listing.html", "columns.html", "listings.html"):
        name, description, keywords, kind = column_fields(lib, page)
        meta += [("ColumnName", name), ("ColumnDescription", description),
                 ("ColumnKeywords", ",".join(keywords)), ("ColumnType", kind)]
    else:
        description = section_description(lib, page)
    meta.append(("description", description))
    return meta


def column_fields(lib: model.Library, page: Page) -> tuple[str, str, list[str], str]:
    """(ColumnName, ColumnDescription, ColumnKeywords, ColumnType) of a listing or an index of them."""
    site = lib.site.title
    if page.template == "columns.html":
        roots = [c.title for c in page.data["roots"]]
        return "栏目导航", shorten(PURPOSES["columns.html"].format(site=site)), _unique(["栏目导航", *roots]), "栏目导航"
    if page.template == "listings.html":
        title = AUTO_TITLES.get(page.data["kind"], page.title)
        return title, shorten(f"{site}网站{title}分类浏览的全部政府信息列表。"), [title, "分类浏览"], title
    listing: model.Listing = page.data["listing"]
    column = listing.column
    if column is None:
        by = AUTO_TITLES.get(listing.kind, "")
        description = {
            "orgs": f"{listing.title}主动公开的政府信息。",
            "domains": f"{site}{listing.title}领域的政府信息。",
            "types": f"{site}发布的{listing.title}类政府信息。",
            "towns": f"{site}涉及{listing.title}的政府信息。",
            "years": f"{site}{listing.title}发布的政府信息。",
        }.get(listing.kind, f"{site}{listing.title}的政府信息。")
        return listing.title, shorten(description), _unique([listing.title, by]), by
    trail = [c.title for c in reversed(column_trail(column, lib))]
    types = [schema.ITEM_TYPES.get(t, t) for t in column.select.get("type", ())]
    if column.description:
        description = column.description
    elif types:
        description = f"{site}“{column.title}”栏目，公开{'、'.join(types)}类政府信息。"
    else:
        description = f"{site}“{column.title}”栏目" + (f"，属“{trail[1]}”。" if len(trail) > 1 else "。")
    return column.title, shorten(description), _unique([*trail, *types]), compliance.column_kind(column)


def item_description(lib: model.Library, item: model.Item) -> str:
    """The item's summary, else the start of its text; else a sentence naming what it is."""
    for text in (item.summary, item.text, item.question):
        if text and text.strip():
            return shorten(text)
    org = item.org_ref.name if item.org_ref else item.org
    return shorten(f"{org}{item.date.year}年{item.date.month}月{item.date.day}日发布的"
                   f"{schema.ITEM_TYPES.get(item.type, '信息')}：{item.title}")


def item_keywords(lib: model.Library, item: model.Item) -> list[str]:
    """主题分类, 重点领域 and the columns it is in; its type's name when it has none of them."""
    words = [item.topic, *(d.name for d in item.domain_refs), *(c.title for c in item.in_columns)]
    return _unique(words) or [schema.ITEM_TYPES.get(item.type, item.type)]


def section_description(lib: model.Library, page: Page) -> str:
    site = lib.site.title
    given = page.data.get("description")
    if isinstance(given, str) and given.strip():
        return shorten(given)
    if page.template == "place.html":
        place = page.data["place"]
        return shorten(f"{place.name}" + (f"，地址：{place.address}" if place.address else "")
                       + (f"，办公时间：{place.hours}" if place.hours else "") + "。")
    if page.template == "service.html":
        service = page.data["service"]
        org = service.org_ref.name if service.org_ref else service.org
        return shorten(f"{org}“{service.name}”办事指南：办理条件、申请材料、办理流程、时限和收费。")
    if page.template in PURPOSES:
        if page.template == "directory.html" and page.title != "政府信息公开目录":
            return shorten(f"{site}{page.title}：当年主动公开信息的索引号、标题、发布机构和发布日期。")
        return shorten(PURPOSES[page.template].format(site=site))
    trail = " › ".join(title for title, _ in page.crumbs[:-1])
    return shorten(f"{site}网站的“{page.title}”页面" + (f"，属“{trail}”" if trail else "") + "。")


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """One line of at most `limit` characters: at the last sentence end that fits, if there is
    one past the first third, else cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = max(head.rfind(mark) for mark in "。！？；")
    if end >= limit // 3:
        return head[:end + 1]
    return head[:limit - 1] + "…"


def _unique(words) -> list[str]:
    seen: dict[str, None] = {}
    for word in words:
        word = " ".join(str(word).replace(",", "，").split()) if word else ""
        if word:
            seen.setdefault(word, None)
    return list(seen)
