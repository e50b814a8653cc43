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

from .problems import Problems


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
            raise _YAMLFault("键名不能是列表或映射", line) from None
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
        raise _YAMLFault(f"“{text}”只能写日期，格式 YYYY-MM-DD，不带时间", line)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _YAMLFault(f"日期“{text}”不存在，请检查年月日", line) from None


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

# PyYAML's own messages, said the way an editor can act on them.
_YAML_HINTS = [
    ("mapping values are not allowed", "此处不能有冒号：值里含“: ”时请给整个值加引号"),
    ("could not find expected ':'", "缺少冒号“:”，或缩进不对"),
    ("expected <block end>", "缩进不一致：同一层的键要左对齐"),
    ("did not find expected key", "缩进不一致或缺少“- ”：同一层的键要左对齐"),
    ("cannot start any token", "有不能作为开头的字符（如 Tab、@、`），请改用空格或给值加引号"),
    ("found undefined alias", "引用了未定义的别名（*）"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("did not find expected", "括号或引号没有闭合"),
    ("found unknown escape character", "双引号中的反斜杠写法不对，请改用单引号"),
    ("while scanning a quoted scalar", "引号没有闭合"),
]


@dataclass(frozen=True)
class FileStat:
    rel: str          # POSIX path relative to the folder walked
    size: int
    mtime_ns: int


def is_scratch(rel: str) -> bool:
    """An editor's own file beside the content, which the build never reads: hidden files and
    folders (.x.md.swp, .#x.md), backups (x.md~), Emacs autosaves (#x.md#), JetBrains' safe-write
    files (x.md___jb_tmp___) and vim's write test (4913)."""
    name = rel.rsplit("/", 1)[-1]
    return (any(part.startswith(".") for part in rel.split("/")) or name.endswith("~")
            or name.startswith("#") or "___jb_" in name or name == "4913")


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
        problems.error(rel, 0, "文件是空的")
        return None
    if b"\x00" in data:
        problems.error(rel, 0, "不是文本文件（像是二进制文件），内容文件须为 UTF-8 文本")
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
            problems.error(rel, number, "用了 Tab 缩进，YAML 只能用空格缩进")
            return None
    loader = _Loader(text)
    loader.offset = first_line - 1
    try:
        value = loader.get_single_data()
    except _YAMLFault as fault:
        problems.error(rel, fault.line, fault.message)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else 0
        problem = f"{exc.problem or ''} {exc.context or ''}"
        hint = next((h for key, h in _YAML_HINTS if key in problem), None)
        problems.error(rel, line, f"YAML 格式错误：{hint}" if hint else f"YAML 格式错误（{problem.strip()}）")
        return None
    except yaml.YAMLError as exc:
        problems.error(rel, 0, f"YAML 格式错误（{exc}）")
        return None
    finally:
        loader.dispose()
    return value


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front matter from the body: (yaml, body, first body line), or None."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None


def line_of(container, key) -> int | None:
    """The line of a key in a Map or an index in a Seq, if known."""
    if isinstance(container, (Map, Seq)):
        return container.line_of(key)
    return None


__all__ = ["Map", "Seq", "read_text", "parse_yaml", "split_front_matter", "line_of"]
