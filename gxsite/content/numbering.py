"""索引号 assignment: the only code that writes into editors' files.

An index number is permanent once published, so the build never invents one; these
commands write the next free number into the file, where it stays.

The numbers already taken are read from the raw text of every file under items/, valid or
not: a file that fails checking today may have been published yesterday, so its number must
never be handed out again. Choosing a number and writing it happen under one lock, so two
`gxsite new` (or `gxsite number`) runs at the same time cannot pick the same one.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from gxsite.content import load, model, schema
from gxsite.cache import stamp
from gxsite.core.problems import ERROR, Invalid, Problems
from gxsite.core.source import Map, decode_text, parse_yaml, split_front_matter, walk

# What `gxsite new` writes as the body; checks.py reports it as an error while it stays.
PLACEHOLDER_BODY = "正文写在这里。"
NUMBER_COMMAND = "gxsite number"

# `index_no: value` anywhere on a line, the key and value quoted or not; the text is
# NFKC-normalised first, so full-width ：／－ and digits count too.
_INDEX_NO = re.compile(r"""(?<![\w-])["']?index_no["']?\s*:\s*["']?\s*([^\s"'#,}\]]*)""")
_NUMBER = re.compile(r"([0-9A-Za-z]+)/(\d{4})-(\d+)")
_EMPTY = {"", "~", "null", "Null", "NULL"}
_LINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Found:
    """One `index_no:` in a file under items/ (value "" when left empty)."""
    path: str        # relative to the content folder
    line: int
    value: str
    head: bool = True   # in the front matter (or in a file without one)


@dataclass(frozen=True)
class Placeholder:
    """A line of a new file the editor still has to fill in."""
    line: int
    field: str       # front matter key ("comment.opens" for a nested one), "" for the body
    label: str       # what to tell the editor


@dataclass
class Created:
    path: Path
    rel: str
    index_no: str
    placeholders: list[Placeholder] = field(default_factory=list)


# (YAML line, what to fill or "" when it may stay as written). Every field a check requires
# is here, so a file whose placeholders are filled in passes the checks.
_SKELETON: dict[str, list[tuple[str, str]]] = {
    "policy": [('doc_no: ""          # 文号，如 某府发〔2024〕1号', "文号（doc_no）"),
               ("issued:             # 成文日期 YYYY-MM-DD", "成文日期（issued）"),
               ("category: 其他文件   # 规范性文件 或 其他文件", "")],
    "interpretation": [("interprets:         # 所解读政策的编号，如 xzfb/2023/zwgk-jcnl-fangan", "所解读的政策（interprets）"),
                       ('interpreter: {name: "", title: "", phone: ""}', "解读人（interpreter，至少填 name）"),
                       ("form: 文字", "")],
    "decision": [("comment:", ""),
                 ("  opens:            # 征求意见开始日期 YYYY-MM-DD", "征求意见开始日期（comment 下的 opens）"),
                 ("  closes:           # 截止日期（不少于30日）", "征求意见截止日期（comment 下的 closes）"),
                 ('  email: ""', ""), ('  phone: ""', "")],
    "open_day": [("event_date:         # 活动日期 YYYY-MM-DD", "活动日期（event_date）"),
                 ('place: ""', ""), ("participants: []", "")],
    "hall_visit": [("event_date:         # 活动日期 YYYY-MM-DD", "活动日期（event_date）"),
                   ('leader: {name: "", title: ""}', "局长（leader，至少填 name）"),
                   ("hours: 4", ""), ("problems: []", "")],
    "enforcement": [("stage: 事后         # 事前 | 事中 | 事后", ""),
                    ("decision_date:      # 决定日期 YYYY-MM-DD（事后公示必填）", "决定日期（decision_date）"),
                    ("action: 行政处罚", ""), ('case_no: ""', "")],
    "progress": [("of:                 # 所属规划计划的编号", "所属规划计划（of）"), ("percent: 0", "")],
    "message": [('question: ""        # 留言内容（已隐去个人信息）', "留言内容（question）"),
                ("asked:              # 留言日期 YYYY-MM-DD", "留言日期（asked）"),
                ('asker: ""           # 留言人，须隐去部分，如 张**', ""),
                ("# reply: {date: YYYY-MM-DD, org: 答复单位编号, text: 答复内容}", "")],
    "repost": [("source:", ""),
               ('  name: ""          # 来源单位，如 四川省人民政府', "来源单位（source 下的 name）"),
               ('  url: ""           # 原文网址，以 https:// 开头', "原文网址（source 下的 url）"),
               ("  date:             # 原文发布日期 YYYY-MM-DD", "")],
    "warning": [("level: 蓝色", ""), ("valid_until:        # 有效期至 YYYY-MM-DD", "有效期至（valid_until）"),
                ('hazard: ""', "")],
}


# ---- the numbers in use -----------------------------------------------------------------


def scan(content: Path) -> list[Found]:
    """Every `index_no:` in every .md file under items/, whatever else is wrong with the file."""
    root = content / "items"
    out: list[Found] = []
    for file in walk(root):
        if not file.rel.endswith(load.ITEM_EXT):
            continue
        try:
            data = (root / file.rel).read_bytes()
        except OSError:
            continue   # removed since the walk
        text = unicodedata.normalize("NFKC", data.decode("utf-8", "replace").removeprefix("\ufeff"))
        lines = _LINES.split(text)
        head_ends = len(lines) + 1   # no front matter: the whole file may be one
        if lines[0].strip() == "---":
            head_ends = next((n for n in range(2, len(lines) + 1) if lines[n - 1].strip() in ("---", "...")), head_ends)
        for number, line in enumerate(lines, 1):
            for match in _INDEX_NO.finditer(line):
                value = match.group(1)
                out.append(Found("items/" + file.rel, number, "" if value in _EMPTY else value, number < head_ends))
    return out


def highest(found: list[Found]) -> dict[tuple[str, str], int]:
    """The highest serial in use per (issuer code, year)."""
    used: dict[tuple[str, str], int] = {}
    for f in found:
        match = _NUMBER.search(f.value)
        if match:
            key = (match.group(1).upper(), match.group(2))
            used[key] = max(used.get(key, 0), int(match.group(3)))
    return used


@contextlib.contextmanager
def numbering_lock(content: Path):
    """Held while numbers are chosen and written. An OS lock (flock / msvcrt) rather than a
    lock file that exists or not: the system releases it when the process ends, however it
    ends, so a crashed run never leaves a stale lock for editors to delete by hand."""
    content = content.resolve()
    folder = content.parent / stamp.CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"number-{content.name}.lock", "a+b") as handle:
        if os.name == "nt":
            import msvcrt
            handle.seek(0)
            for attempt in range(6):   # LK_LOCK tries for 10 s each time: a minute in all
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    if attempt == 5:
                        raise
        else:
            import fcntl
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield   # closing the file releases the lock


def next_index_no(content: Path, code: str, year: int) -> str:
    """The next free 索引号 of an issuer (credit code) and year. Call it holding
    `numbering_lock` and write the number before releasing it, or two saves may share it."""
    serial = highest(scan(content)).get((code.upper(), str(year)), 0) + 1
    return f"{code}/{year}-{serial:05d}"


def credit_code(content: Path, org_id: str, rel: str, line: int, problems: Problems) -> str | None:
    """The org's credit code from orgs.yaml, or None after reporting why there is none (the
    editors' forms number a new item on save as `gxsite new` does)."""
    return _Orgs(content).code(org_id, rel, line, problems)


# ---- orgs -------------------------------------------------------------------------------


class _Orgs:
    """orgs.yaml alone: numbering needs credit codes, not the items (broken ones included)."""

    def __init__(self, content: Path):
        self.found = Problems()
        self.by_id: dict[str, model.Org] = {}
        for org in load.load_list(content, "orgs.yaml", schema.ORG, model.Org, self.found, required=True):
            load._add_unique(self.by_id, org, "机构", self.found)
        self._told = False

    def code(self, org_id: str, path: str, line: int, problems: Problems) -> str | None:
        """The org's credit code, or None after reporting why there is none."""
        org = self.by_id.get(org_id)
        if org is not None and org.credit_code:
            return org.credit_code
        if not self._told:   # orgs.yaml's own errors may be why: shown once
            problems.extend(p for p in self.found.items if p.severity == ERROR)
            self._told = True
        if org is None:
            problems.error(path, line, f"机构“{org_id}”不在 orgs.yaml 中，无法编索引号")
        else:
            problems.error(org.path, org.line, f"机构“{org_id}”在 orgs.yaml 中没有统一社会信用代码 credit_code，无法编索引号")
        return None


# ---- gxsite number ----------------------------------------------------------------------


@dataclass
class _Missing:
    date: dt.date
    id: str
    path: str
    code: str
    line: int        # the date's line (insert after it) or an empty index_no's (replace it)
    replace: bool


def number_all(content: Path) -> tuple[Problems, list[tuple[str, str]]]:
    """Number every item file that has no 索引号: the findings and (file, number) written.
    Fails only for files it cannot number; the numbers already in any file, broken or not,
    are never used again."""
    problems = Problems()
    orgs = _Orgs(content)
    written: list[tuple[str, str]] = []
    try:
        with numbering_lock(content):
            _number_missing(content, orgs, problems, written)
    except OSError as exc:
        _cannot_write(content, exc, problems)
    return problems, written


def _number_missing(content: Path, orgs: _Orgs, problems: Problems, written: list[tuple[str, str]]) -> None:
    found = scan(content)
    used = highest(found)
    numbered = {f.path for f in found if f.value and f.head}   # broken or not, these keep their number
    missing = []
    for file in walk(content / "items"):
        parts = file.rel.split("/")
        rel = "items/" + file.rel
        if (len(parts) != 3 or not file.rel.endswith(load.ITEM_EXT) or rel in numbered
                or any(p.startswith(".") for p in parts)):
            continue   # misplaced files are reported by the check; they are numbered once moved
        target = _missing(content, rel, parts, orgs, problems)
        if target is not None:
            missing.append(target)
    for m in sorted(missing, key=lambda m: (m.date, m.id)):
        key = (m.code.upper(), str(m.date.year))
        used[key] = used.get(key, 0) + 1
        index_no = f"{m.code}/{m.date.year}-{used[key]:05d}"
        _edit_line(content / m.path, m.line, f"index_no: {index_no}", m.replace)
        written.append((m.path, index_no))


def _cannot_write(content: Path, exc: OSError, problems: Problems) -> None:
    where = Path(exc.filename) if exc.filename else None
    if where is not None:
        with contextlib.suppress(ValueError):
            where = where.resolve().relative_to(content.resolve())
    problems.error(where.as_posix() if where else "(命令行)", 0, f"无法读写文件：{exc.strerror or exc}")


def _missing(content: Path, rel: str, parts: list[str], orgs: _Orgs, problems: Problems) -> _Missing | None:
    """What numbering a file without 索引号 needs (its org and date), or None after saying why
    it cannot be numbered. Other mistakes in the file do not matter here."""
    org_dir, year_dir, filename = parts
    found = Problems()
    head = None
    text = decode_text((content / rel).read_bytes(), rel, found)
    if text is not None:
        split = split_front_matter(text)
        if split is None:
            found.error(rel, 1, "缺少文件头（第一行应为“---”）")
        else:
            head = parse_yaml(split[0], rel, found, first_line=2)
            if head is not None and not isinstance(head, Map):
                found.error(rel, 2, "文件头应为键值对（如 title: …）")
                head = None
    if head is None:
        first = found.errors[0] if found.errors else None
        why = first.message if first else "文件无法读取"
        problems.error(rel, first.line if first else 0, f"无法编索引号：{why}。改正后再运行 {NUMBER_COMMAND}")
        return None
    org, day = head.get("org"), head.get("date")
    try:
        day = schema.date(day)
    except Invalid:
        problems.error(rel, head.line_of("date"), f"无法编索引号：发布日期 date 缺少或不是 YYYY-MM-DD 格式的日期。改正后再运行 {NUMBER_COMMAND}")
        return None
    if org != org_dir:
        problems.error(rel, head.line_of("org"), f"无法编索引号：发布机构 org 应为“{org_dir}”（文件所在文件夹），"
                       f"现为“{org or ''}”。改正后再运行 {NUMBER_COMMAND}")
        return None
    if str(day.year) != year_dir:
        problems.error(rel, head.line_of("date"), f"无法编索引号：发布日期是 {day.year} 年，但文件在 {year_dir}/ 文件夹。"
                       f"改正后再运行 {NUMBER_COMMAND}")
        return None
    code = orgs.code(org, rel, head.line_of("org"), problems)
    if code is None:
        return None
    replace = "index_no" in head   # an empty `index_no:` is filled in, not written twice
    value = head.get("index_no")
    if replace and value is not None and not (isinstance(value, str) and not value.strip()):
        problems.error(rel, head.line_of("index_no"), f"无法编索引号：索引号 index_no 应为一行文字，"
                       f"或留空由 {NUMBER_COMMAND} 填写")
        return None
    line = head.line_of("index_no") if replace else head.line_of("date")
    return _Missing(day, f"{org_dir}/{year_dir}/{filename[: -len(load.ITEM_EXT)]}", rel, code, line, replace)


def _edit_line(path: Path, line: int, text: str, replace: bool) -> None:
    """Insert `text` after line `line` (1-based), or put it in that line's place; the file
    keeps its BOM and line endings."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in body else "\n"
    lines = body.split(newline)
    if replace:
        lines[line - 1] = text
    else:
        lines.insert(line, text)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + newline.join(lines).encode("utf-8"))


# ---- gxsite new -------------------------------------------------------------------------


def new_item(content: Path, item_type: str, org_id: str, title: str, date: dt.date,
             slug: str | None) -> tuple[Problems, Created | None]:
    """Write a new item file with the next free 索引号. Only this file is reported on: the
    rest of the tree is not loaded (orgs.yaml aside), so broken files elsewhere do not matter."""
    problems = Problems()
    if item_type not in schema.ITEM_TYPES:
        problems.error("(命令行)", 0, f"类型“{item_type}”不存在，可用：{'、'.join(schema.ITEM_TYPES)}")
        return problems, None
    title = title.strip()
    if not title:
        problems.error("(命令行)", 0, "标题 --title 不能为空")
        return problems, None
    if slug is not None and not schema.ID_RE.fullmatch(slug):
        problems.error("(命令行)", 0, f"文件名“{slug}”只能用小写字母、数字和连字符")
        return problems, None
    if not schema.ID_RE.fullmatch(org_id):
        problems.error("(命令行)", 0, f"机构编号“{org_id}”只能用小写字母、数字和连字符，如 sfj")
        return problems, None
    orgs = _Orgs(content)
    code = orgs.code(org_id, "orgs.yaml", 0, problems)
    if code is None:
        return problems, None
    try:
        with numbering_lock(content):
            created = _write_new(content, item_type, org_id, title, date, slug, code, problems)
    except OSError as exc:
        _cannot_write(content, exc, problems)
        return problems, None
    return problems, created


def _write_new(content: Path, item_type: str, org_id: str, title: str, date: dt.date, slug: str | None,
               code: str, problems: Problems) -> Created | None:
    """Under the lock: the file name, the next free number, the file."""
    folder = content / "items" / org_id / str(date.year)
    if slug is None:
        stem = f"{item_type.replace('_', '-')}-{date:%m%d}"
        n = 1
        while (folder / f"{stem}-{n}.md").exists():
            n += 1
        slug = f"{stem}-{n}"
    path = folder / f"{slug}.md"
    rel = path.relative_to(content).as_posix()
    if path.exists():
        problems.error(rel, 0, "文件已存在，请换一个 --slug")
        return None
    index_no = next_index_no(content, code, date.year)
    text, placeholders = _new_text(item_type, org_id, title, date, index_no)
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:   # never over another file
        handle.write(text)
    return Created(path, rel, index_no, placeholders)


def _new_text(item_type: str, org_id: str, title: str, date: dt.date,
              index_no: str) -> tuple[str, list[Placeholder]]:
    # JSON strings are YAML double-quoted strings: any title is written as given.
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"type: {item_type}", f"org: {org_id}",
             f"date: {date.isoformat()}", f"index_no: {index_no}"]
    placeholders = []
    parent = ""
    for text, todo in _SKELETON.get(item_type, []):
        key = text.split(":", 1)[0]
        if not key.startswith(" "):
            parent = key
        lines.append(text)
        if todo:
            name = key.strip() if not key.startswith(" ") else f"{parent}.{key.strip()}"
            placeholders.append(Placeholder(len(lines), name, todo))
    lines += ["---", "", PLACEHOLDER_BODY]
    placeholders.append(Placeholder(len(lines), "", f"正文（替换“{PLACEHOLDER_BODY}”）"))
    return "\n".join(lines) + "\n", placeholders
