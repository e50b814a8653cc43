"""Reading editors' files: text decoding, YAML with line numbers, front matter.

Everything here turns a file into plain Python values (plus the line of each key),
or into a Problem naming the file and line. Nothing here knows the content model.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from gxsite.core.problems import Problems


class Map(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class Seq(list):
    """A YAML sequence that remembers the line of each element."""

    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _YAMLFault(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses ~6x faster
    offset = 0  # file line of the text's first line, minus one (front matter starts on line 2)

    def line_at(self, node) -> int:
        return node.start_mark.line + 1 + self.offset


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    data = Map()
    data.line = loader.line_at(node)
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = loader.line_at(key_node)
        try:
            duplicate = key in data
        except TypeError:
            raise _YAMLFault("键名不能是列表或映射：请检查这一行开头的括号，或给键名加引号", line) from None
        if duplicate:
            raise _YAMLFault(f"键“{key}”重复出现（第 {data.lines[key]} 行已有），请删去其中一个", line)
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = line


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):
    data = Seq()
    data.line = loader.line_at(node)
    yield data
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.lines.append(loader.line_at(child))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    line = loader.line_at(node)
    text = loader.construct_scalar(node)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise _YAMLFault(f"“{text}”应只写日期（YYYY-MM-DD），不带时间：请删去时间部分", line)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _YAMLFault(f"日期“{text}”不存在，请检查年月日", line) from None


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

# PyYAML's own messages, said the way an editor can act on them.
_YAML_HINTS = [
    ("mapping values are not allowed", "此处不能有冒号：值里含“: ”时，请给整个值加英文引号，如 title: \"甲: 乙\""),
    ("could not find expected ':'", "这一行缺少冒号：键名后应写半角冒号和空格，如 title: 标题"),
    ("expected <block end>", "缩进不一致：同一层的键应左对齐，请检查行首的空格"),
    ("did not find expected key", "缩进不一致或缺少“- ”：同一层的键应左对齐，请检查行首的空格"),
    ("cannot start any token", "有不能作为开头的字符（如 Tab、@、`）：请改用空格，或给整个值加英文引号"),
    ("while scanning an alias", "以“*”开头的值会被当作引用：请给整个值加英文引号"),
    ("found undefined alias", "以“*”开头的值会被当作引用：请给整个值加英文引号"),
    ("while scanning an anchor", "以“&”开头的值有特殊含义：请给整个值加英文引号"),
    ("found unexpected end of stream", "引号或括号没有闭合：请补上配对的引号或括号"),
    ("did not find expected", "括号或引号没有闭合：请补上配对的括号或引号"),
    ("found unknown escape character", "双引号中的反斜杠“\\”写法不对：请改用单引号"),
    ("while scanning a quoted scalar", "引号没有闭合：请在值的末尾补上配对的引号"),
]
# PyYAML contexts whose mark is where the faulty thing starts (a key, an opening quote or bracket);
# the problem mark of these is where PyYAML gave up, often lines later.
_OPENING_CONTEXTS = ("while scanning a simple key", "while scanning a quoted scalar",
                     "while parsing a flow sequence", "while parsing a flow mapping",
                     "while parsing a quoted scalar")

# ---- mistakes editors make, found by reading the lines (only once PyYAML has failed) -------

_INDENT_DASH = re.compile(r"(?P<indent> *)(?P<dash>(?:-(?: +|$))*)(?P<rest>.*)")
# `key: value` (or a bare `key:`); keys are whatever stands before the first ": ".
_KEY_LINE = re.compile(r"(?P<key>[^\s#\"'\[\]{},&*!|>%@`-][^:]*?|\"[^\"]*\"|'[^']*') *:(?: +(?P<value>.*))?")
# A field name followed by a full-width colon or semicolon, or by ":" with no space after it.
_BAD_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*) *(?:(?P<wide>[：；])|:(?=[^\s/]))(?P<value>.*)")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*\s*(?:#.*)?")
_WIDE_IN_FLOW = re.compile(r"[，、]\s*[A-Za-z_][A-Za-z0-9_]*\s*[:：]|[{,，]\s*[A-Za-z_][A-Za-z0-9_]*\s*：")
_CN_QUOTES = "“‘「"


def _quote_fault(value: str) -> str | None:
    """What is wrong with a quoted value on one line: not closed, or text after the closing quote."""
    quote = value[0]
    i = 1
    while True:
        i = value.find(quote, i)
        if i == -1:
            return f"引号没有闭合：请在值的末尾补上 {quote}，或去掉开头的 {quote}"
        if quote == "\"" and value[i - 1] == "\\":
            i += 1
            continue
        if quote == "'" and value[i + 1: i + 2] == "'":   # '' is a quote inside single quotes
            i += 2
            continue
        break
    after = value[i + 1:].strip()
    if after and not after.startswith("#"):
        return f"引号后面还有文字“{after[:10]}”：请把整个值放在一对引号里"
    return None


def _value_fault(key: str, value: str) -> str | None:
    """A mistake in a key's value that always breaks YAML (checked on the line PyYAML stopped at)."""
    if not value or value.startswith("#"):
        return None
    if value[0] in "\"'":
        return _quote_fault(value)
    if value[0] in "[{":
        if _WIDE_IN_FLOW.search(value):
            return "括号里用了全角标点（“，”或“：”）：请改成半角逗号“,”和半角冒号“:”，冒号和逗号后各加一个空格"
        return None
    if value[0] in _CN_QUOTES and ": " in value:
        return f"用了中文引号：值里含“: ”时，请改用英文引号把整个值括起来，如 {key}: \"甲: 乙\""
    if ": " in value or value.endswith(":"):
        return f"值里含“: ”：请给整个值加英文引号，如 {key}: \"{value.strip()}\""
    return None


def find_mistake(text: str, first_line: int = 1, last_line: int | None = None) -> tuple[int, str] | None:
    """The first line (up to last_line) holding a mistake that PyYAML reports on another line or
    with a vague message: a full-width colon or no space after a key's colon, a key indented
    deeper than the key above (whose value is on its own line) or out of line with its siblings,
    an unclosed quote, Chinese quotes or full-width punctuation in brackets. (line, message), or
    None when none of these is found (then PyYAML's own mark and message are used)."""
    levels: list[tuple[int, str]] = []   # (column, what starts there) of the blocks open at this line
    inline = False                       # the last key's value stands on its line: nothing may nest under it
    block_at: int | None = None          # inside a block scalar (| or >) of a key at this column
    for number, line in enumerate(text.split("\n"), first_line):
        if last_line is not None and number > last_line:
            break
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        m = _INDENT_DASH.fullmatch(line)
        indent, dash, rest = len(m["indent"]), m["dash"], m["rest"].rstrip()
        if block_at is not None:
            if indent > block_at:
                continue
            block_at = None
        col = indent + len(dash)   # where this line's key or value starts
        deeper = bool(levels) and indent > levels[-1][0]
        if deeper and inline and not dash:
            # Under a key whose value is on its line, a deeper line is that value going on (legal)
            # or, when it is a key, a key indented too far.
            key_line = _KEY_LINE.fullmatch(rest)
            if key_line is None:
                continue
            return number, (f"“{key_line['key']}”比上面的“{levels[-1][1]}”多缩进了 {indent - levels[-1][0]} 个空格："
                            "同一层的键应左对齐，请删去行首多余的空格")
        bad = _BAD_KEY.fullmatch(rest)
        if bad is not None:
            key = bad["key"]
            if bad["wide"]:
                return number, f"“{key}”后面用了全角的“{bad['wide']}”：请改成半角冒号加空格，写成 {key}: {bad['value'].strip()}"
            return number, f"“{key}:”后面少了空格：冒号后应加一个空格，写成 {key}: {bad['value'].strip()}"
        if levels and indent < levels[-1][0] and all(c != indent for c, _ in levels):
            # name the nearest block of the same kind (an entry "- " or a key) this line meant to join
            same = [lv for lv in levels if lv[1].startswith("- ") == bool(dash)] or levels
            col_above, what = min(reversed(same), key=lambda lv: abs(lv[0] - indent))
            return number, (f"这一行前有 {indent} 个空格，与上面同一层的“{what}”（{col_above} 个空格）对不齐："
                            "同一层的键应左对齐，请改正行首的空格")
        while levels and levels[-1][0] >= indent:
            levels.pop()
        key_line = _KEY_LINE.fullmatch(rest)
        value = (key_line["value"] or "").strip() if key_line else rest
        if dash:
            levels.append((indent, "- " + rest[:10]))
        if key_line is None:
            fault = _quote_fault(rest) if rest[:1] in ("\"", "'") else None
            if rest[:1] in ("[", "{") and _WIDE_IN_FLOW.search(rest):
                fault = _value_fault("", rest)
            if fault:
                return number, fault
            inline = bool(rest)
            continue
        levels.append((col, key_line["key"]))
        fault = _value_fault(key_line["key"], value)
        if fault:
            return number, fault
        if value[:1] in ("[", "{") and value.count(value[0]) > value.count("]" if value[0] == "[" else "}"):
            return None   # a list or mapping spread over lines: beyond this simple reading
        if _BLOCK_SCALAR.fullmatch(value):
            block_at = col
            inline = False
            continue
        inline = bool(value) and not value.startswith("#")
    return None


def explain_scalar(value) -> str | None:
    """Why a line meant as `key: value` came out as text (a full-width colon, no space after the
    colon), for callers that expected a mapping; None when it does not look like one."""
    if isinstance(value, str):
        bad = _BAD_KEY.fullmatch(value.strip())
        if bad is not None:
            key, rest = bad["key"], bad["value"].strip()
            if bad["wide"]:
                return f"“{key}”后面用了全角的“{bad['wide']}”：请改成半角冒号加空格，写成 {key}: {rest}"
            return f"“{key}:”后面少了空格：冒号后应加一个空格，写成 {key}: {rest}"
    return None


@dataclass(frozen=True)
class FileStat:
    rel: str          # POSIX path relative to the folder walked
    size: int
    mtime_ns: int


def is_scratch(rel: str) -> bool:
    """An editor's own file beside the content, which the build never reads: hidden files and
    folders (.x.md.swp, .#x.md), backups (x.md~), Emacs autosaves (#x.md#), JetBrains' safe-write
    files (x.md___jb_tmp___), vim's write test (4913), Office's lock files (~$x.docx) and the
    files Windows leaves in folders (Thumbs.db, desktop.ini)."""
    name = rel.rsplit("/", 1)[-1]
    return (any(part.startswith(".") for part in rel.split("/")) or name.endswith("~")
            or name.startswith(("#", "~$")) or "___jb_" in name or name == "4913"
            or name.lower() in ("thumbs.db", "desktop.ini"))


def walk(root: Path) -> list[FileStat]:
    """Every file under root, in the order of sorted(root.rglob("*")) (by path parts), without
    building a Path per file: 10,000 items are listed in a few hundredths of a second."""
    out: list[FileStat] = []

    def visit(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    visit(entry.path, rel + "/")
                elif entry.is_file():
                    st = entry.stat()
                    out.append(FileStat(rel, st.st_size, st.st_mtime_ns))
    if root.is_dir():
        visit(str(root), "")
    out.sort(key=lambda f: f.rel.split("/"))
    return out


def read_text(path: Path, rel: str, problems: Problems) -> str | None:
    """The file's text with BOM and CRLF removed, or None after reporting why it cannot be read."""
    return decode_text(path.read_bytes(), rel, problems)


def decode_text(data: bytes, rel: str, problems: Problems) -> str | None:
    """read_text of bytes already read."""
    if not data.strip():
        problems.error(rel, 0, "文件是空的：请写入内容，或删去这个文件")
        return None
    if b"\x00" in data:
        problems.error(rel, 0, "不是文本文件（像是二进制文件）：内容文件应为 UTF-8 文本，请用记事本或 WPS 另存为 UTF-8")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(rel, line, "不是 UTF-8 编码，请用 UTF-8 另存（如 WPS/记事本“另存为”选 UTF-8）")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, rel: str, problems: Problems, first_line: int = 1):
    """Parse YAML; on failure report one located problem and return None.

    first_line is the file line where `text` starts (front matter starts on line 2).
    """
    for number, line in enumerate(text.split("\n"), first_line):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.error(rel, number, "用了 Tab 缩进：YAML 只能用空格缩进，请把行首的 Tab 改成空格")
            return None
    loader = _Loader(text)
    loader.offset = first_line - 1
    try:
        value = loader.get_single_data()
    except _YAMLFault as fault:
        problems.error(rel, fault.line, fault.message)
        return None
    except yaml.MarkedYAMLError as exc:
        line, message = _explain(exc, text, first_line)
        problems.error(rel, line, message)
        return None
    except yaml.YAMLError as exc:
        problems.error(rel, 0, f"YAML 格式错误（{exc}）：请检查冒号、引号和缩进")
        return None
    finally:
        loader.dispose()
    return value


def _explain(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> tuple[int, str]:
    """The line and message for a PyYAML failure: a known mistake on or before the line where
    PyYAML stopped, else PyYAML's own mark (where the faulty key, quote or bracket starts)."""
    marks = [m for m in (exc.problem_mark, exc.context_mark) if m is not None]
    stopped = max((m.line for m in marks), default=None)
    found = find_mistake(text, first_line, None if stopped is None else stopped + first_line)
    if found is not None:
        return found[0], f"YAML 格式错误：{found[1]}"
    mark = exc.context_mark if exc.context in _OPENING_CONTEXTS and exc.context_mark else (exc.problem_mark or exc.context_mark)
    line = (mark.line + first_line) if mark else 0
    problem = f"{exc.problem or ''} {exc.context or ''}"
    hint = next((h for key, h in _YAML_HINTS if key in problem), None)
    return line, (f"YAML 格式错误：{hint}" if hint else f"YAML 格式错误（{problem.strip()}）：请检查这一行的冒号、引号和缩进")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front matter from the body: (yaml, body, first body line), or None."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None


_DASHES = re.compile(r"[-—－–─]{2,6}")
_FIELD_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]* *[:：；]|[ -]")


def front_matter_fault(text: str) -> tuple[int, str]:
    """Where and why `split_front_matter` found no front matter: (line, message)."""
    lines = text.split("\n")
    first = lines[0].strip()
    if first != "---":
        if _DASHES.fullmatch(first):
            return 1, f"文件头的第一行“{first}”应为三个半角减号“---”：请改正"
        filled = next((n for n, line in enumerate(lines, 1) if line.strip()), 0)
        if filled > 1 and lines[filled - 1].strip() == "---":
            return 1, f"文件头前不能有空行：请删去第 1 至第 {filled - 1} 行，让“---”成为第一行"
        return 1, "缺少文件头：第一行应为“---”，写完标题、类型等字段后再以“---”结束"
    for number, line in enumerate(lines[1:], 2):
        if _DASHES.fullmatch(line.strip()):
            return number, f"文件头的结束行“{line.strip()}”应为三个半角减号“---”：请改正"
        if not _FIELD_LINE.match(line):
            return number, f"文件头没有结束：请在第 {number} 行之前（最后一个字段之后）加一行“---”"
    return len(lines), "文件头没有结束：请在最后一个字段之后加一行“---”，再写正文"


def line_of(container, key) -> int | None:
    """The line of a key in a Map or an index in a Seq, if known."""
    if isinstance(container, (Map, Seq)):
        return container.line_of(key)
    return None


__all__ = ["Map", "Seq", "read_text", "parse_yaml", "split_front_matter", "line_of", "find_mistake",
           "explain_scalar", "is_scratch", "walk"]
