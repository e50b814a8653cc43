"""政策文件库: every policy with its 文号, 发文机关, 成文日期 and 有效性, filterable (issue 14).

/zcwjk/ lists the county's own policies grouped by 文件类别 and year (what a browser without
JavaScript shows), with filter lists whose options and counts are computed here, and the
reposted higher-level documents apart. /zcwjk/xxyx/ is the 现行有效行政规范性文件 list.
Rows are built once per build and shared by both variants; nothing loops over all items
per row, so a site with thousands of policies stays fast.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

URL = "/zcwjk/"
IN_FORCE_URL = "/zcwjk/xxyx/"
NORMATIVE = "规范性文件"
DEFAULT_CATEGORY = "其他文件"   # routing.DEFAULT_CATEGORY (importing routing here would make an import cycle)
IN_FORCE = "现行有效"
CATEGORY_ORDER = (NORMATIVE, DEFAULT_CATEGORY)
VALIDITY_ORDER = (IN_FORCE, "已修改", "已废止")


@dataclass
class Row:
    """One policy as the library shows it: the cells and the values the filters compare."""
    item: model.Item
    org: str            # org id (filter value)
    org_name: str       # 发文机关: the publishing org's full name
    issued: dt.date     # 成文日期 (the publication date where an editor left it out)
    validity: str
    topic: str
    category: str

    @property
    def year(self) -> int:
        return self.issued.year


@dataclass
class Option:
    value: str
    label: str
    count: int


@dataclass
class Filter:
    key: str            # the URL query parameter and the rows' data-* attribute
    label: str
    all_label: str
    options: list[Option]


@dataclass
class YearGroup:
    year: int
    rows: list[Row]


@dataclass
class CategoryGroup:
    category: str
    years: list[YearGroup]
    count: int


@dataclass
class Repost:
    item: model.Item
    issuer: str         # 发文机关: who first published it (item.origin.name)
    issued: dt.date | None
    source_url: str


@dataclass
class PolicyLibrary:
    rows: list[Row]                     # newest 成文日期 first
    groups: list[CategoryGroup]
    filters: list[Filter]
    reposts: list[Repost] = field(default_factory=list)
    in_force: list[Row] = field(default_factory=list)

    @property
    def normative(self) -> int:
        return sum(1 for r in self.rows if r.category == NORMATIVE)


def row(item: model.Item) -> Row:
    return Row(item, item.org, item.org_ref.name if item.org_ref else item.org, item.issued or item.date,
               item.validity, item.topic, item.category or DEFAULT_CATEGORY)


def newest_first(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (-r.issued.toordinal(), r.item.id))


def build(lib: model.Library) -> PolicyLibrary:
    """Everything both pages show, in one pass over the published items."""
    policies, reposts = [], []
    for item in lib.published:
        if not item.listed:
            continue
        if item.type == "policy":
            policies.append(row(item))
        elif item.type == "repost" and item.doc_no:
            origin = item.origin or model.Source()
            reposts.append(Repost(item, origin.name, item.issued or origin.date, origin.url))
    rows = newest_first(policies)
    reposts.sort(key=lambda r: (-(r.issued or r.item.date).toordinal(), r.item.id))
    return PolicyLibrary(rows, groups(rows), filters(lib, rows), reposts,
                   [r for r in rows if r.category == NORMATIVE and r.validity == IN_FORCE])


def groups(rows: list[Row]) -> list[CategoryGroup]:
    """By 文件类别 (规范性文件 first), then by year of 成文日期, newest first; rows keep their order."""
    by_category: dict[str, dict[int, list[Row]]] = {}
    for r in rows:
        by_category.setdefault(r.category, {}).setdefault(r.year, []).append(r)
    order = [c for c in CATEGORY_ORDER if c in by_category] + sorted(set(by_category) - set(CATEGORY_ORDER))
    return [CategoryGroup(c, [YearGroup(y, by_category[c][y]) for y in sorted(by_category[c], reverse=True)],
                          sum(len(v) for v in by_category[c].values()))
            for c in order]


def tally(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return counts


def filters(lib: model.Library, rows: list[Row]) -> list[Filter]:
    """The filter lists, each option with how many of the county's policies it holds. Orgs in
    orgs.yaml order, years newest first, 有效性 and 文件类别 in their fixed order, topics by size."""
    rank = {org: n for n, org in enumerate(lib.orgs)}
    names = {r.org: r.org_name for r in rows}
    orgs = tally([r.org for r in rows])
    years = tally([str(r.year) for r in rows])
    validity = tally([r.validity for r in rows])
    topics = tally([r.topic for r in rows])
    categories = tally([r.category for r in rows])

    def fixed(counts: dict[str, int], order: tuple[str, ...]) -> list[Option]:
        keys = [k for k in order if k in counts] + sorted(set(counts) - set(order))
        return [Option(k, k, counts[k]) for k in keys]

    return [
        Filter("org", "发文机关", "全部机关", [Option(o, names[o], orgs[o]) for o in
                                       sorted(orgs, key=lambda o: (rank.get(o, len(rank)), o))]),
        Filter("year", "成文年份", "全部年份", [Option(y, f"{y}年", years[y]) for y in sorted(years, reverse=True)]),
        Filter("validity", "有效性", "全部", fixed(validity, VALIDITY_ORDER)),
        Filter("topic", "主题分类", "全部主题", [Option(t, t, topics[t]) for t in
                                         sorted(topics, key=lambda t: (-topics[t], t))]),
        Filter("category", "文件类别", "全部类别", fixed(categories, CATEGORY_ORDER)),
    ]


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    data = build(lib)
    crumbs = [("政府信息公开", "/xxgk/"), ("政策文件库", URL)]
    yield Page(URL, "policies.html", "政策文件库", {"library": data}, crumbs)
    yield Page(IN_FORCE_URL, "policies-in-force.html", "现行有效规范性文件", {"library": data},
               crumbs + [("现行有效规范性文件", IN_FORCE_URL)])
