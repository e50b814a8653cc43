"""政府信息公开 hub: 指南, 制度, 法定主动公开内容 and 年报, plus the 目录 as a sortable table.

Which columns carry which statutory content is data (STATUTORY), matched against each
column's `select`; the 指南/制度/年报 columns come from site.yaml `disclosure:` or, failing
that, from column titles.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

URL = "/xxgk/"
DIRECTORY_URL = "/xxgk/mulu/"
MAX_ROWS = 2000   # above this, the 目录 is one table per year (a phone cannot sort 10k rows)

# 《政府信息公开条例》第二十条 and the seed's columns: (what, item type carried by the column).
STATUTORY = [
    ("行政法规、规章和行政规范性文件", "policy"),
    ("政策解读", "interpretation"),
    ("重大行政决策预公开", "decision"),
    ("国民经济和社会发展规划、专项规划及相关政策", "plan"),
    ("规划计划推进情况", "progress"),
    ("行政执法信息（行政许可、行政处罚、行政强制等）", "enforcement"),
    ("财政资金及惠民惠农惠企资金发放信息", "fund"),
    ("突发公共事件预警信息", "warning"),
    ("回应关切", "response"),
    ("督查审计发现问题及整改情况", "rectification"),
    ("通知公告", "notice"),
    ("工作动态", "news"),
    ("工作报告", "report"),
]
HUB_PARTS = {"guide": "指南", "rules": "制度", "reports": "年度报告"}


@dataclass
class Statutory:
    label: str
    columns: list[model.Column]


def statutory(lib: model.Library) -> list[Statutory]:
    out = []
    for label, item_type in STATUTORY:
        columns = [c for c in lib.columns.values() if item_type in c.select.get("type", ())
                   and not (c.parent in lib.columns and item_type in lib.columns[c.parent].select.get("type", ()))]
        if columns:
            out.append(Statutory(label, columns))
    return out


def hub_column(lib: model.Library, part: str) -> model.Column | None:
    chosen = lib.site.disclosure.get(part)
    if chosen in lib.columns:
        return lib.columns[chosen]
    return next((c for c in lib.columns.values() if HUB_PARTS[part] in c.title), None)


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    parts = {part: hub_column(lib, part) for part in HUB_PARTS}
    crumbs = [("政府信息公开", URL)]
    yield Page(URL, "disclosure.html", "政府信息公开", {"parts": parts, "statutory": statutory(lib)}, crumbs)
    # A repost (转载) is another government's document: not the county's own 政府信息, so the 目录 of
    # what the county discloses leaves it out (its column, search and feeds still show it).
    listed = [i for i in lib.published if i.listed and i.type != "repost"]
    years = sorted({i.date.year for i in listed}, reverse=True)
    if len(listed) <= MAX_ROWS:
        yield Page(DIRECTORY_URL, "directory.html", "政府信息公开目录", {"rows": listed, "years": []},
                   crumbs + [("政府信息公开目录", DIRECTORY_URL)])
        return
    yield Page(DIRECTORY_URL, "directory.html", "政府信息公开目录", {"rows": [], "years": years},
               crumbs + [("政府信息公开目录", DIRECTORY_URL)])
    by_year: dict[int, list[model.Item]] = {}   # one pass over the items, not one per year
    for i in listed:
        by_year.setdefault(i.date.year, []).append(i)
    for year in years:
        url = f"{DIRECTORY_URL}{year}/"
        yield Page(url, "directory.html", f"政府信息公开目录（{year}年）",
                   {"rows": by_year[year], "years": years},
                   crumbs + [("政府信息公开目录", DIRECTORY_URL), (f"{year}年", url)])
