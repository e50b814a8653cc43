"""索引号 assignment: the only code that writes into editors' files.

An index number is permanent once published, so the build never invents one; these
commands write the next free number into the file, where it stays.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import schema
from .load import load
from .model import Library
from .problems import Problems

_SERIAL = re.compile(r"/(\d{4})-(\d{5})$")

# Required type fields, as an editor fills them in after `gxsite new`.
_SKELETON = {
    "policy": "doc_no: \"\"        # 文号，如 高府发〔2024〕1号\nissued:            # 成文日期 YYYY-MM-DD\ncategory: 其他文件\n",
    "interpretation": "interprets:        # 所解读政策的编号，如 xzfb/2023/zwgk-jcnl-fangan\ninterpreter: {name: \"\", title: \"\", phone: \"\"}\nform: 文字\n",
    "decision": "comment:\n  opens:           # 征求意见开始日期\n  closes:          # 截止日期（不少于30日）\n  email: \"\"\n  phone: \"\"\n",
    "open_day": "event_date:\nplace: \"\"\nparticipants: []\n",
    "hall_visit": "event_date:\nleader: {name: \"\", title: \"\"}\nhours: 4\nproblems: []\n",
    "enforcement": "stage: 事后        # 事前 | 事中 | 事后\ndecision_date:\naction: 行政处罚\ncase_no: \"\"\n",
    "progress": "of:                # 所属规划计划的编号\npercent: 0\n",
    "warning": "level: 蓝色\nvalid_until:\nhazard: \"\"\n",
}


def next_serials(lib: Library) -> dict[tuple[str, str], int]:
    """The highest serial used per (issuer code, year)."""
    used: dict[tuple[str, str], int] = {}
    for item in lib.items.values():
        match = _SERIAL.search(item.index_no)
        if match:
            key = (item.index_no.split("/")[0], match.group(1))
            used[key] = max(used.get(key, 0), int(match.group(2)))
    return used


def _insert_after_line(path: Path, line: int, text: str) -> None:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in body else "\n"
    lines = body.split(newline)
    lines.insert(line, text)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + newline.join(lines).encode("utf-8"))


def number_all(content: Path) -> Problems:
    problems = Problems()
    lib = load(content, problems)
    if lib is None:
        return problems
    used = next_serials(lib)
    missing = sorted((i for i in lib.items.values() if not i.index_no), key=lambda i: (i.date, i.id))
    for item in missing:
        org = lib.orgs.get(item.org)
        if org is None or not org.credit_code:
            problems.error(item.path, item.lines.get("org", 0), f"机构“{item.org}”在 orgs.yaml 中没有统一社会信用代码 credit_code，无法编索引号")
            continue
        key = (org.credit_code, str(item.date.year))
        used[key] = used.get(key, 0) + 1
        item.index_no = f"{org.credit_code}/{item.date.year}-{used[key]:05d}"
        _insert_after_line(content / item.path, item.lines["date"], f"index_no: {item.index_no}")
        print(f"{item.path}: 索引号 {item.index_no}")
    return problems


def new_item(content: Path, item_type: str, org_id: str, title: str, date: dt.date,
             slug: str | None) -> tuple[Problems, Path | None]:
    problems = Problems()
    if item_type not in schema.ITEM_TYPES:
        problems.error("(命令行)", 0, f"类型“{item_type}”不存在，可用：{'、'.join(schema.ITEM_TYPES)}")
        return problems, None
    lib = load(content, problems)
    if lib is None:
        return problems, None
    if org_id not in lib.orgs:
        problems.error("orgs.yaml", 0, f"机构“{org_id}”不在 orgs.yaml 中")
        return problems, None
    folder = content / "items" / org_id / str(date.year)
    if slug is None:
        n = 1
        while (folder / f"{item_type.replace('_', '-')}-{date:%m%d}-{n}.md").exists():
            n += 1
        slug = f"{item_type.replace('_', '-')}-{date:%m%d}-{n}"
    if not schema.ID_RE.fullmatch(slug):
        problems.error("(命令行)", 0, f"文件名“{slug}”只能用小写字母、数字和连字符")
        return problems, None
    path = folder / f"{slug}.md"
    if path.exists():
        problems.error(path.relative_to(content).as_posix(), 0, "文件已存在，请换一个 --slug")
        return problems, None
    org = lib.orgs[org_id]
    if not org.credit_code:
        problems.error("orgs.yaml", org.line, f"机构“{org_id}”没有统一社会信用代码 credit_code，无法编索引号")
        return problems, None
    serial = next_serials(lib).get((org.credit_code, str(date.year)), 0) + 1
    folder.mkdir(parents=True, exist_ok=True)
    safe_title = title.replace('"', "“")
    path.write_text(
        f"---\ntitle: \"{safe_title}\"\ntype: {item_type}\norg: {org_id}\ndate: {date.isoformat()}\n"
        f"index_no: {org.credit_code}/{date.year}-{serial:05d}\n"
        f"{_SKELETON.get(item_type, '')}---\n\n正文写在这里。\n", encoding="utf-8")
    return problems, path
