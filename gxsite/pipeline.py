"""The build, top to bottom: load → resolve → route → check → index → render → write → link check.

All loading and validation finish before the first byte is written, the check of internal
links included. The whole site is written into a temporary folder that replaces the output
folder only when every step succeeded; after a change the record of the last build can bound
(cache/built.py), only the files that differ are written into the output, in place.
"""
from __future__ import annotations

import datetime as dt
import gc
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from gxsite.checks import compliance, linkcheck, personal
from gxsite.content import load as loader, model
from gxsite.core import compress, memory, parallel, urls, write
from gxsite.site import depends, render, sections, theme
from gxsite.search import search_index
from gxsite.core import packaged
from gxsite.cache import built
from gxsite.cache.memo import digest as memo_digest
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
    in_place: bool = False   # the output folder was updated in place (only what changed), not swapped
    rendered: int = 0        # HTML files made again by this build (all of them unless it updated in place)
    written: int = 0         # files written or replaced
    links: linkcheck.Report | None = None   # the output's links (None when nothing was rendered)
    plan: list = field(default_factory=list)         # the Pages rendered (a running preview updates them)
    outputs: set = field(default_factory=set)        # every output path written
    write_error: str = ""    # the one line saying what could not be written (the output left as it was)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


def read_content(content: Path, today: dt.date, problems: Problems, timer=None,
                 memo: Memo | None = None) -> model.Library | None:
    """Load, resolve, route and check a content tree; None when it cannot be published."""
    lib = load(content, problems, memo)
    if memo is not None:   # nothing later reads files again
        for kind in loader.MEMO_KINDS:
            memo.settle(kind)
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
    lib.overview = compliance.run(lib, content, today, problems, memo)   # the disclosure rules: personal data, deadlines, freshness
    if memo is not None:
        memo.settle(personal.MEMO_KIND)
    theme.check(lib.site, problems)   # site.yaml's colours readable
    if timer:
        timer("check")
    return lib


def build(content: Path, out: Path, today: dt.date, templates: Path | None = None,
          progress: bool | None = None, force: bool = False, memo: Memo | None = None,
          kept: search_index.Kept | None = None) -> Result:
    """Build the site into `out`. `templates`: the site's own templates folder (--templates), else
    the one beside `content`, if any, layered over gxsite's. A running preview hands in the memo it
    keeps in memory and a `kept` record of the search index, which it goes on from.

    What the last build of `out` left (cache/built.py) decides how much is made again: the pages
    whose inputs changed (site/depends.py), generated files whose bytes changed, copies whose
    source changed. Few changes are written into `out` in place; many, or none known (`force`, a
    new output folder), build the whole site in a temporary folder that is swapped in."""
    # A build makes millions of objects that live until it ends (items, pages, postings), so
    # Python's cycle collector walks them again and again for little garbage: a quarter of a
    # one-edit build at 10,000 items, and more than linear beyond. Reference counting frees
    # nearly all a build drops; what cycles remain are collected once it is over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(content, out, today, templates, progress, force, memo, kept)
    finally:
        if collecting:
            gc.enable()


def _build(content: Path, out: Path, today: dt.date, templates: Path | None, progress: bool | None,
           force: bool, memo: Memo | None, kept: search_index.Kept | None) -> Result:
    started = time.perf_counter()
    result = Result(Problems())
    timer = stage_timer(result.stages)
    layers = theme.find(content, templates)
    fingerprint = built.fingerprint(content, layers.folders, today)
    previous = None if force else built.load(out)
    if previous is not None and previous.fingerprint == fingerprint:
        summary = previous.summary
        result.items, result.pages, result.files, result.warnings = (
            summary["items"], summary["pages"], summary["files"], summary["warnings"])
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
        memo.settle(search_index.BLOCKS)
        memory.give_back()   # the index's working postings
        lib.search_manifest = search_index.manifest_name(index)
        timer("index")
        _make(result, lib, content, out, today, layers, index, previous, fingerprint, progress, timer, memo)
        result.seconds = time.perf_counter() - started
        return result
    finally:
        try:
            memo.save()   # what was read and counted stays useful even when the build failed
        except OSError:
            pass   # only a speed-up: a memo that cannot be written is worked out again next time


def _make(result: Result, lib: model.Library, content: Path, out: Path, today: dt.date, layers: theme.Templates,
          index: list, previous: built.Built | None, fingerprint: str, progress: bool | None, timer,
          memo: Memo) -> None:
    """Plan, render, check the links and write; `result` says what came of it."""
    pages = list(render.plan_pages(lib, today))
    # What each output is made from, to compare with what the last build recorded.
    inputs = depends.Inputs(lib, today, render.active_warnings(lib, today),
                            depends.templates_version(layers.folders))
    inputs.plan(pages)

    kinds: set[str] = set()

    def keep(kind: str, source, make) -> bytes:   # sections.Keep, through the memo
        kinds.add(kind)
        key = inputs.made_from(source, kind)
        data = memo.get(kind, key)
        if data is None:
            data = make()
            memo.put(kind, key, data)
        return data
    copies = _files_to_copy(lib, content, layers)
    generated = layers.bundles(lib.site) + sections.files(lib, today, pages, keep) + index
    index.clear()   # the caller's list: its files are in `generated` now, which lets go of them once written
    for kind in sorted(kinds):
        memo.settle(kind)
    page_paths = [render.output_paths(page) for page in pages]
    paths: set[str] = set()
    try:  # every path is claimed before the first byte is written
        for path in [p for pair in page_paths for p in pair] + [p for p, _ in copies + generated]:
            if path in paths:
                raise OutputCollision(path)
            paths.add(path)
    except OutputCollision as exc:
        result.problems.error(exc.path, 0, "两个来源要生成同一个输出文件，请检查是否有重名的信息或附件")
        return

    made: dict[str, bytes] = {}
    for page, pair in zip(pages, page_paths):
        digest = inputs.page(page)
        for path in pair:
            made[path] = digest
    for path, data in generated:
        made[path] = memo_digest(data)
    for path, source in copies:
        st = source.stat()
        made[path] = memo_digest(str(source), str(st.st_size), str(st.st_mtime_ns))
    # Read only now, not held through the index: None without a record or when it cannot be read.
    old = built.read_made(out, previous) if previous is not None else None
    todo = pages if old is None else [page for page, (path, _) in zip(pages, page_paths) if old.get(path) != made[path]]
    in_place = old is not None and len(todo) * 2 <= len(pages)
    if not in_place:
        todo, old = pages, {}
    else:   # what is as it was is not written again: let go of it before rendering (the API's
        # documents alone are most of a gigabyte at 100,000 items)
        copies = [(path, source) for path, source in copies if old.get(path) != made[path]]
        generated = [(path, data) for path, data in generated if old.get(path) != made[path]]
        memory.give_back()
    timer("plan")

    env = render.make_env(layers, memo)
    base_url = lib.site.base_url
    twins = compress.suffixes(lib.site.precompress)
    writer = None if in_place else Writer(out, twins)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        if writer is not None:
            writer.reserved = paths
            writer.open()
            # Generated files no link check reads (the API's documents, the search index: a
            # gigabyte at 100,000 items) are written first, on every core, and let go of.
            early = [(path, data) for path, data in generated if not linkcheck.is_page(path)]
            generated = [(path, data) for path, data in generated if linkcheck.is_page(path)]
            parallel.map_chunks(lambda chunk: _write_files(writer, chunk), early)
            del early
            memory.give_back()   # before the render workers fork
        with tqdm(total=len(todo), desc="生成页面", unit="页", disable=not show, leave=False) as bar:
            parts = parallel.map_chunks(
                lambda chunk: _render(lib, today, env, chunk, paths, base_url, writer), todo, bar)
        records: dict[str, linkcheck.PageLinks] = {}
        fresh: dict[str, bytes | Path] = {}   # in place: what is written
        canon: dict[str, str] = {}
        for _, part_records, part_bytes in parts:
            linkcheck.share_strings(part_records, canon)
            records.update(part_records)
            fresh.update(part_bytes)
        result.pages = 2 * len(pages)
        result.rendered = len(todo) * 2
        timer("render")

        scan = linkcheck.scanner(paths, base_url)
        for path, what in copies + generated:   # what: a source file to copy, or the bytes made
            if writer is None:
                fresh[path] = what
            if linkcheck.is_page(path):
                records[path] = scan.scan(path, what.read_bytes() if isinstance(what, Path) else what)
        if writer is not None:   # on every core: compressing the twins is most of it
            parallel.map_chunks(lambda chunk: _write_files(writer, chunk), copies + generated)
        timer("write")

        root = writer.tmp if writer is not None else out
        if in_place:
            # Pages not made again keep their findings, unless a file they link to is gone.
            gone = linkcheck.gone_targets(set(old) - paths)
            last = built.read_links(out, previous)   # read only now: not held while rendering
            if last is None:   # unreadable: every page not made again is scanned from disk
                last = {path: None for path in paths if linkcheck.is_page(path)}
            for path, record in last.items():
                if path in paths and path not in records:
                    records[path] = record if record is not None and not linkcheck.stale(record, gone) \
                        else scan.scan(path, (out / path).read_bytes())
            del last

        def read(path: str) -> bytes:
            data = fresh.get(path)
            if isinstance(data, bytes):
                return data
            return (data if isinstance(data, Path) else root / path).read_bytes()

        result.links = linkcheck.assemble(records, read)
        linkcheck.report_problems(result.links, lib, content, result.problems)
        timer("links")
        if result.problems.errors:   # a broken internal link: the published site stays as it was
            if writer is not None:
                writer.abort()
            return
        if writer is not None:
            writer.commit()
        else:
            changed = {path: data for path, data in fresh.items() if not _same(out / path, data)}
            built.forget(out)   # until the update is whole, the record does not describe the folder
            write.update_in_place(out, changed, sorted(set(old) - paths), twins, taken=paths)
            result.written, result.in_place = len(changed), True
        timer("commit")   # the swap, or the files written in place
    except OSError as exc:   # a full disk, a read-only folder: one line, the published site untouched
        if writer is not None:
            writer.abort()
        _write_failed(result, exc, writer.tmp if writer is not None else out)
        return
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    if writer is not None:
        result.written = len(paths)
    result.files = len(paths)
    result.plan, result.outputs = pages, paths
    result.items = len(lib.published)
    result.warnings = len(result.problems.warnings)
    try:
        built.save(out, built.Built(fingerprint, (), {
            "items": result.items, "pages": result.pages, "files": result.files, "warnings": result.warnings}),
            made, records)
    except OSError:
        pass   # the site is published; without the record the next build makes everything again


def _same(path: Path, data: bytes | Path) -> bool:
    """A page made again may come out as it was (an item's body edit leaves its listings alone)."""
    try:
        return isinstance(data, bytes) and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _render(lib, today, env, pages, paths, base_url, writer):
    """Render `pages` (in a worker), scanning each file's links as it is made; into the writer's
    folder, or back to the caller (an update in place writes only what differs)."""
    scan = linkcheck.scanner(paths, base_url)
    records: dict[str, linkcheck.PageLinks] = {}
    kept: dict[str, bytes] = {}

    def put(path: str, html: str) -> None:
        data = html.encode("utf-8")
        records[path] = scan.scan(path, data)
        if writer is not None:
            writer.put(path, data)
        else:
            kept[path] = data
    count = render.render_pages(lib, today, env, pages, put)
    if writer is not None:
        writer.wait()   # a worker's files are on disk before it reports them written
    return count, records, kept


def _write_files(writer: Writer, files: list[tuple[str, bytes | Path]]) -> None:
    """Copies and generated files into the writer's folder (in a worker), on disk when it returns."""
    for path, what in files:
        (writer.copy if isinstance(what, Path) else writer.put)(path, what)
    writer.wait()


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
