"""`gxsite search`: the terminal's search over the whoosh index, ranked as on the site.

The index is brought up to date before each search, cheaply: when no file of the content
tree changed since the last search (same paths, sizes and modification times, same day)
nothing is read at all; otherwise the tree is read through the memo (only changed files
are parsed and rendered again) and only changed items are re-indexed. A running preview
(`gxsite serve`) keeps an existing index up to date itself, so the search then reads nothing.
"""
from __future__ import annotations

import datetime as dt
import gc
import json
import sys
from pathlib import Path

from gxsite.cache import stamp
from gxsite.core import urls
from gxsite.search import whoosh_index
from gxsite.content.load import load
from gxsite.cache.memo import Memo, for_content
from gxsite.core.problems import Problems
from gxsite.content.resolve import resolve
from gxsite.search.search_index import EPOCH, documents
from gxsite.core.source import is_scratch, walk
from gxsite.core.write import replace_file

TREE_FILE = "tree.json"


def entries(content: Path, today: dt.date, memo: Memo | None = None) -> tuple[list[whoosh_index.Entry], Problems, str]:
    """What search holds of the tree: load and resolve (checks and routing are for publishing)."""
    problems = Problems()
    lib = load(content, problems, memo)
    if lib is not None:
        resolve(lib, content, today, problems, memo)
    if lib is None or problems.errors:
        return [], problems, ""
    return entries_of(lib), problems, lib.site.base_url


def entries_of(lib, only: set[str] | None = None) -> list[whoosh_index.Entry]:
    return [whoosh_index.Entry(d.item.id, d.item.title, d.heading, d.body, (d.item.date - EPOCH).days, d.item.url,
                               d.item.org_ref.name if d.item.org_ref else d.item.org, d.item.date.isoformat())
            for d in documents(lib, only)]


def index_folder(content: Path) -> Path:
    content = content.resolve()
    return content.parent / stamp.CACHE_DIR / f"whoosh-{content.name}"


def tree_state(content: Path, today: dt.date, files=None) -> str:
    """Every file's path, size and modification time, and the day: what the index was made from
    (editors' own files left out: the build does not read them)."""
    files = walk(content) if files is None else files
    return f"{today.isoformat()}:{stamp.file_times(content, [f for f in files if not is_scratch(f.rel)])}"


def up_to_date_index(content: Path, today: dt.date) -> tuple[object | None, Problems, str]:
    """The whoosh index of the tree as it is now (None when the tree has errors), and the base URL."""
    folder = index_folder(content)
    state = tree_state(content, today)
    try:
        kept = json.loads((folder / TREE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    if kept.get("state") == state and kept.get("schema") == whoosh_index.SCHEMA_VERSION:
        return whoosh_index.open_existing(folder), Problems(), kept["base_url"]
    memo = for_content(content)
    gc.disable()   # reading makes a million objects that live until exit: collecting costs ~10% here
    try:
        found, problems, base_url = entries(content, today, memo)
    finally:
        gc.enable()
    memo.save()
    if problems.errors:
        return None, problems, ""
    return store(content, state, found, base_url), problems, base_url


def store(content: Path, state: str, found: list[whoosh_index.Entry], base_url: str, afresh: bool = True,
          only: set[str] | None = None):
    """Bring the index up to date with `found`, made from the tree in `state` (taken before the
    tree was read: a file saved meanwhile makes the state stale, never wrong). With afresh=False
    an index that would have to be made anew is left to the next `gxsite search` (None); `only`:
    the ids that may have changed (`found` then holds those still to be found)."""
    folder = index_folder(content)
    ix, _ = whoosh_index.open_index(folder, found, afresh, only)
    if ix is None:
        return None
    replace_file(folder / TREE_FILE, json.dumps({"state": state, "schema": whoosh_index.SCHEMA_VERSION,
                                                 "base_url": base_url}).encode("utf-8"))
    return ix


def run(content: Path, text: str, today: dt.date, limit: int, as_json: bool) -> int:
    ix, problems, base_url = up_to_date_index(content, today)
    if ix is None:
        for p in problems.errors:
            print(p, file=sys.stderr)
        print("内容有错误，无法搜索；请先运行 gxsite check。", file=sys.stderr)
        return 1
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
