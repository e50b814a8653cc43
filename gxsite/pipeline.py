"""The build, top to bottom: load → resolve → route → check → index → render → write → link check.

All loading and validation finish before the first byte is written; the site is written
into a temporary folder that replaces the output folder only when every step succeeded,
the check of its internal links included.
"""
from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from gxsite.checks import compliance, linkcheck
from gxsite.content import model
from gxsite.core import parallel, urls
from gxsite.site import render, sections
from gxsite.search import search_index
from gxsite.cache import stamp
from gxsite.content.load import load
from gxsite.cache.memo import Memo, for_content
from gxsite.core.problems import Problems
from gxsite.content.resolve import resolve
from gxsite.site.routing import route
from gxsite.core.write import OutputCollision, Writer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BUNDLE_SUFFIX = ".d"


@dataclass
class Result:
    problems: Problems
    lib: model.Library | None = None
    items: int = 0           # published items
    pages: int = 0           # HTML files written (both variants)
    files: int = 0           # every file written
    warnings: int = 0
    skipped: bool = False    # nothing changed since the last build: output left as it was
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    links: linkcheck.Report | None = None   # the output's links (None when nothing was rendered)
    plan: list = field(default_factory=list)         # the Pages rendered (a running preview updates them)
    generated: list = field(default_factory=list)    # (output path, bytes) of files made, not copied
    outputs: set = field(default_factory=set)        # every output path written

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def read_content(content: Path, today: dt.date, problems: Problems, timer=None,
                 memo: Memo | None = None) -> model.Library | None:
    """Load, resolve, route and check a content tree; None when it cannot be published."""
    lib = load(content, problems, memo)
    if timer:
        timer("load")
    if lib is None:
        return None
    resolve(lib, content, today, problems, memo)
    if timer:
        timer("resolve")
    route(lib, today, problems)
    if timer:
        timer("route")
    lib.overview = compliance.run(lib, content, today, problems)   # the disclosure rules: personal data, deadlines, freshness
    if timer:
        timer("check")
    return lib


def build(content: Path, out: Path, today: dt.date, templates: Path = TEMPLATES,
          progress: bool | None = None, force: bool = False, memo: Memo | None = None,
          kept: search_index.Kept | None = None) -> Result:
    """Build the site into `out`. A running preview hands in the memo it keeps in memory and a
    `kept` record of the search index, which its quick updates go on from."""
    started = time.perf_counter()
    result = Result(Problems())
    timer = stage_timer(result.stages)
    fingerprint = stamp.inputs(content, templates, today)
    previous = None if force else stamp.unchanged(out, fingerprint)
    if previous is not None:
        result.items, result.pages, result.files, result.warnings = (
            previous["items"], previous["pages"], previous["files"], previous["warnings"])
        result.skipped = True
        result.seconds = time.perf_counter() - started
        return result

    memo = memo or for_content(content)
    try:
        lib = read_content(content, today, result.problems, timer, memo)
        result.lib = lib
        if lib is None or result.problems.errors:
            result.seconds = time.perf_counter() - started
            return result

        index = search_index.build(lib, memo, kept)
        lib.search_manifest = search_index.manifest_name(index)
        timer("index")
        pages = list(render.plan_pages(lib, today))
        files = _files_to_copy(lib, content, templates)
        generated = bundles(templates) + sections.files(lib, today, pages) + index
        writer = Writer(out)
        try:  # every path is claimed before the first byte is written
            for page in pages:
                for path in render.output_paths(page):
                    writer.reserve(path)
            for path, _ in files + generated:
                writer.reserve(path)
        except OutputCollision as exc:
            result.problems.error(exc.path, 0, "两个来源要生成同一个输出文件，请检查是否有重名的信息或附件")
            return result
        timer("plan")

        env = render.make_env(templates)
        show = sys.stderr.isatty() if progress is None else progress
        writer.open()
        try:
            with tqdm(total=len(pages), desc="生成页面", unit="页", disable=not show, leave=False) as bar:
                counts = parallel.map_chunks(
                    lambda chunk: render.render_pages(lib, today, env, chunk, writer.put), pages, bar)
            result.pages = sum(counts)
            timer("render")
            for path, source in files:
                writer.copy(path, source)
            for path, data in generated:
                writer.put(path, data)
            timer("write")
            result.links = linkcheck.check(writer.tmp, writer.reserved, lib, content, result.problems)
            timer("links")
        except BaseException:
            writer.abort()
            raise
        if result.problems.errors:   # a broken internal link: the published site stays as it was
            writer.abort()
            result.seconds = time.perf_counter() - started
            return result
        writer.commit()
        result.files = len(writer.reserved)
        result.plan, result.generated, result.outputs = pages, generated, writer.reserved
        result.items = len(lib.published)
        result.warnings = len(result.problems.warnings)
        stamp.save(out, fingerprint, {"items": result.items, "pages": result.pages, "files": result.files,
                                      "warnings": result.warnings})
        result.seconds = time.perf_counter() - started
        return result
    finally:
        memo.save()   # what was read and counted stays useful even when the build failed


def stage_timer(stages: dict[str, float]):
    """timer(stage) records the seconds since the last call (or since this one) under `stage`."""
    last = [time.perf_counter()]

    def timer(stage: str) -> None:
        now = time.perf_counter()
        stages[stage] = now - last[0]
        last[0] = now
    return timer


def check(content: Path, today: dt.date, templates: Path = TEMPLATES) -> Result:
    """What `gxsite check` runs: the whole build, into a temporary folder that is then removed,
    so that the links of the output are checked too. Nothing is published."""
    with tempfile.TemporaryDirectory(prefix="gxsite-check-") as tmp:
        return build(content, Path(tmp) / "site", today, templates, progress=False, force=True)


def _files_to_copy(lib: model.Library, content: Path, templates: Path) -> list[tuple[str, Path]]:
    """Assets, attachments and files linked from bodies, as (output path, source)."""
    assets = templates / "assets"
    out = [("assets/" + a.relative_to(assets).as_posix(), a) for a in sorted(assets.rglob("*"))
           if a.is_file() and not a.parent.name.endswith(BUNDLE_SUFFIX)]
    # Attachments and body-linked files keep their path under items/, so each is copied once.
    linked: set[str] = set()
    for item in lib.published:
        linked.update(a.url for a in item.attachments if a.url)
        linked.update(body_files(item.html))
    return out + [(urls.output_path(u), content / urls.output_path(u)) for u in sorted(linked)]


def bundles(templates: Path) -> list[tuple[str, bytes]]:
    """assets/<name>.d/*.css concatenated into assets/<name>, so each section keeps its own file."""
    out = []
    for folder in sorted((templates / "assets").glob("*" + BUNDLE_SUFFIX)):
        parts = sorted(folder.glob("*.css"))
        out.append(("assets/" + folder.name[: -len(BUNDLE_SUFFIX)],
                    b"\n".join(p.read_bytes() for p in parts)))
    return out


def body_files(html: str) -> list[str]:
    """Site paths of the files a body links to (marked gx-file:/ by markup)."""
    found = []
    start = 0
    while (start := html.find(urls.FILE_MARK, start)) != -1:
        end = html.find('"', start)
        found.append("/" + html[start + len(urls.FILE_MARK): end].split("#")[0])
        start = end
    return found
