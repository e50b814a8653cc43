"""`gxsite search`: the terminal's search over the whoosh index, ranked as on the site."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from . import pipeline, stamp, urls, whoosh_index
from .problems import Problems
from .search_index import EPOCH, documents


def entries(content: Path, today: dt.date) -> tuple[list[whoosh_index.Entry], Problems, str]:
    problems = Problems()
    lib = pipeline.read_content(content, today, problems)
    if lib is None or problems.errors:
        return [], problems, ""
    return [whoosh_index.Entry(d.item.id, d.title, d.body, (d.item.date - EPOCH).days, d.item.url,
                               d.item.org_ref.name if d.item.org_ref else d.item.org, d.item.date.isoformat())
            for d in documents(lib)], problems, lib.site.base_url


def index_folder(content: Path) -> Path:
    content = content.resolve()
    return content.parent / stamp.CACHE_DIR / f"whoosh-{content.name}"


def run(content: Path, text: str, today: dt.date, limit: int, as_json: bool) -> int:
    found, problems, base_url = entries(content, today)
    if problems.errors:
        for p in problems.errors:
            print(p, file=sys.stderr)
        print("内容有错误，无法搜索；请先运行 gxsite check。", file=sys.stderr)
        return 1
    ix, _ = whoosh_index.open_index(index_folder(content), found)
    hits = whoosh_index.search(ix, text, limit)
    if as_json:
        print(json.dumps([{"id": h.id, "title": h.title, "date": h.date, "org": h.org,
                           "url": urls.absolute(base_url, h.url), "score": round(h.score, 6)} for h in hits],
                         ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print(f"没有找到与“{text}”相关的信息。")
        return 0
    for n, h in enumerate(hits, 1):
        print(f"{n}. {h.title}\n   {h.date}  {h.org}  {h.id}\n   {urls.absolute(base_url, h.url)}")
    return 0
