"""政务公开事项标准目录: the catalogue page and its downloadable table (CSV for Excel)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

URL = "/catalog/"
# The same name on every site (no county in it): links to the table keep working whatever site.yaml says.
CSV_PATH = "catalog/catalog.csv"
# The nine elements of a 基层政务公开标准目录 entry, with the domain and column first.
CSV_HEADER = ["领域", "责任单位", "事项名称", "公开内容（要素）", "公开依据", "公开时限", "公开主体",
              "公开方式", "公开渠道", "公开对象", "公开层级", "对应栏目", "栏目信息条数"]


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    domains = [c for c in lib.catalog if c.domain_ref is not None]
    yield Page(URL, "catalog.html", "政务公开事项标准目录", {"catalog": domains, "csv_url": "/" + CSV_PATH},
               [("政务公开事项标准目录", URL)])


def rows(lib: model.Library) -> Iterator[list[str]]:
    for cat in lib.catalog:
        domain = cat.domain_ref
        if domain is None:
            continue
        owner = lib.orgs[domain.org].name if domain.org in lib.orgs else ""
        for e in cat.entries:
            yield [domain.name, owner, e.name, e.content, e.basis, e.time_limit,
                   e.subject_ref.name if e.subject_ref else e.subject, e.method, "、".join(e.channels),
                   e.audience, e.level, e.column_ref.title if e.column_ref else "",
                   str(len(e.column_ref.items)) if e.column_ref else ""]


def files(lib: model.Library, today: dt.date, plan: list[Page]) -> list[tuple[str, bytes]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(rows(lib))
    # UTF-8 with BOM and CRLF: what Excel on a county office PC opens without garbling.
    return [(CSV_PATH, "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8"))]
