"""The build, top to bottom: load → resolve → route → render → write.

All loading and validation finish before the first byte is written; the site is written
into a temporary folder that replaces the output folder only when every step succeeded.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import model, render, urls
from .load import load
from .problems import Problems
from .resolve import resolve
from .routing import route
from .write import OutputCollision, Writer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass
class Result:
    problems: Problems
    lib: model.Library | None = None
    pages: int = 0           # HTML files written (both variants)
    files: int = 0           # every file written
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def read_content(content: Path, today: dt.date, problems: Problems, timer=None) -> model.Library | None:
    """Load, resolve and route a content tree; None when it cannot be published."""
    lib = load(content, problems)
    if timer:
        timer("load")
    if lib is None:
        return None
    resolve(lib, content, today, problems)
    if timer:
        timer("resolve")
    route(lib, problems)
    if timer:
        timer("route")
    return lib


def build(content: Path, out: Path, today: dt.date, templates: Path = TEMPLATES,
          progress: bool | None = None) -> Result:
    started = time.perf_counter()
    result = Result(Problems())
    last = [started]

    def timer(stage: str) -> None:
        now = time.perf_counter()
        result.stages[stage] = now - last[0]
        last[0] = now

    lib = read_content(content, today, result.problems, timer)
    result.lib = lib
    if lib is None or result.problems.errors:
        result.seconds = time.perf_counter() - started
        return result

    pages = list(render.plan_pages(lib, today))
    env = render.make_env(templates)
    writer = Writer(out)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with tqdm(total=len(pages), desc="生成页面", unit="页", disable=not show, leave=False) as bar:
            result.pages = render.render_pages(lib, today, env, pages, writer.write, bar)
        timer("render")
        _copy_files(lib, content, templates, writer)
        timer("write")
    except OutputCollision as exc:
        writer.abort()
        result.problems.error(exc.path, 0, "两个来源要生成同一个输出文件，请检查是否有重名的信息或附件")
        return result
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    result.files = len(writer.written)
    result.seconds = time.perf_counter() - started
    return result


def _copy_files(lib: model.Library, content: Path, templates: Path, writer: Writer) -> None:
    for asset in sorted((templates / "assets").rglob("*")):
        if asset.is_file():
            writer.copy("assets/" + asset.relative_to(templates / "assets").as_posix(), asset)
    # Attachments and files linked from bodies keep their path under items/, so each is copied once.
    files: set[str] = set()
    for item in lib.published:
        files.update(a.url for a in item.attachments if a.url)
        files.update(_body_files(item.html))
    for url in sorted(files):
        writer.copy(urls.output_path(url), content / urls.output_path(url))


def _body_files(html: str) -> list[str]:
    """Site paths of the files a body links to (marked gx-file:/ by markup)."""
    found = []
    start = 0
    while (start := html.find(urls.FILE_MARK, start)) != -1:
        end = html.find('"', start)
        found.append("/" + html[start + len(urls.FILE_MARK): end].split("#")[0])
        start = end
    return found
