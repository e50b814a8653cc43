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
from gxsite.core import parallel, urls, write
from gxsite.site import render, sections, theme
from gxsite.search import search_index
from gxsite.core import packaged
from gxsite.cache import stamp
from gxsite.content.load import load
from gxsite.cache.memo import Memo, for_content
from gxsite.core.problems import Problems
from gxsite.content.resolve import resolve
from gxsite.site.routing import route
from gxsite.core.write import OutputCollision, Writer

TEMPLATES = packaged.TEMPLATES   # gxsite's own; a site's templates are layered over them (site/theme.py)


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
    write_error: str = ""    # the one line saying what could not be written (the output left as it was)

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
    theme.check(lib.site, problems)   # site.yaml's colours readable
    if timer:
        timer("check")
    return lib


def build(content: Path, out: Path, today: dt.date, templates: Path | None = None,
          progress: bool | None = None, force: bool = False, memo: Memo | None = None,
          kept: search_index.Kept | None = None) -> Result:
    """Build the site into `out`. `templates`: the site's own templates folder (--templates), else
    the one beside `content`, if any, layered over gxsite's. A running preview hands in the memo it
    keeps in memory and a `kept` record of the search index, which its quick updates go on from."""
    started = time.perf_counter()
    result = Result(Problems())
    timer = stage_timer(result.stages)
    layers = theme.find(content, templates)
    fingerprint = stamp.inputs(content, layers.folders, today)
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
        files = _files_to_copy(lib, content, layers)
        generated = layers.bundles(lib.site) + sections.files(lib, today, pages) + index
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

        env = render.make_env(layers)
        show = sys.stderr.isatty() if progress is None else progress
        try:
            writer.open()
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
        except OSError as exc:   # a full disk, a read-only folder: one line, the published site untouched
            writer.abort()
            _write_failed(result, exc, writer.tmp)
            result.seconds = time.perf_counter() - started
            return result
        except BaseException:
            writer.abort()
            raise
        if result.problems.errors:   # a broken internal link: the published site stays as it was
            writer.abort()
            result.seconds = time.perf_counter() - started
            return result
        try:
            writer.commit()
        except OSError as exc:
            writer.abort()
            _write_failed(result, exc, out)
            result.seconds = time.perf_counter() - started
            return result
        result.files = len(writer.reserved)
        result.plan, result.generated, result.outputs = pages, generated, writer.reserved
        result.items = len(lib.published)
        result.warnings = len(result.problems.warnings)
        try:
            stamp.save(out, fingerprint, {"items": result.items, "pages": result.pages, "files": result.files,
                                          "warnings": result.warnings})
        except OSError:
            pass   # the site is published; without a stamp the next build just does not skip
        result.seconds = time.perf_counter() - started
        return result
    finally:
        try:
            memo.save()   # what was read and counted stays useful even when the build failed
        except OSError:
            pass   # only a speed-up: a memo that cannot be written is worked out again next time


def _write_failed(result: Result, exc: OSError, where: Path) -> None:
    path = str(exc.filename or where)
    result.write_error = write.failure(exc, where)
    result.problems.error(path, 0, f"无法写入：{write.reason(exc)}", rule="write")


def stage_timer(stages: dict[str, float]):
    """timer(stage) records the seconds since the last call (or since this one) under `stage`."""
    last = [time.perf_counter()]

    def timer(stage: str) -> None:
        now = time.perf_counter()
        stages[stage] = now - last[0]
        last[0] = now
    return timer


def check(content: Path, today: dt.date, templates: Path | None = None) -> Result:
    """What `gxsite check` runs: the whole build, into a temporary folder that is then removed,
    so that the links of the output are checked too. Nothing is published."""
    with tempfile.TemporaryDirectory(prefix="gxsite-check-") as tmp:
        return build(content, Path(tmp) / "site", today, templates, progress=False, force=True)


def _files_to_copy(lib: model.Library, content: Path, layers: theme.Templates) -> list[tuple[str, Path]]:
    """Assets, the logo, attachments and files linked from bodies, as (output path, source)."""
    out = layers.assets()
    # Attachments, body-linked files and the site's images keep their path under content/, so each is copied once.
    linked: set[str] = {"/" + image for image in lib.site.images}
    for item in lib.published:
        linked.update(a.url for a in item.attachments if a.url)
        linked.update(body_files(item.html))
    return out + [(urls.output_path(u), content / urls.output_path(u)) for u in sorted(linked)]


def body_files(html: str) -> list[str]:
    """Site paths of the files a body links to (marked gx-file:/ by markup)."""
    found = []
    start = 0
    while (start := html.find(urls.FILE_MARK, start)) != -1:
        end = html.find('"', start)
        found.append("/" + html[start + len(urls.FILE_MARK): end].split("#")[0])
        start = end
    return found
