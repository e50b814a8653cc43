"""A running preview's quick path: after an editor changes the text of items (title, summary,
body), make again only what shows them, instead of the whole site.

A full build leaves a `Built` record: the library it resolved, the pages it rendered, which items
each page shows, and the files it generated. `update` then takes the changed files and either
- applies them: each item is read and checked again (contract, personal data, and the links of
  the pages rendered again, as the build's link check would), its text replaced in the library,
  the pages that show it rendered again, and the feeds and other
  generated files and the search index made again. Only files whose bytes changed are replaced,
  each atomically; the output is then the same, byte for byte, as a full build's
  (tests/test_live.py);
- refuses: the edit has errors, which are reported as the build reports them; nothing is written;
- or returns None: the change is more than text (a new, moved or deleted file, another date,
  column, type or reference, a template…), and the caller runs a full build.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gxsite.checks import linkcheck, personal
from gxsite.content import load, model, resolve
from gxsite import pipeline
from gxsite.site import render, sections
from gxsite.search import search_index
from gxsite.cache.memo import Memo
from gxsite.core.page import Page
from gxsite.core.problems import Problems
from gxsite.core.source import is_scratch, walk
from gxsite.core.write import remove_with_twins, replace_with_twins

# Item fields an edit may change on the quick path: they change what pages say, never which
# pages exist, where an item is listed or what the disclosure rules decide about it.
TEXT_FIELDS = ("title", "summary", "body", "body_line", "lines", "source_key")
_LOADED = [f.name for f in dataclasses.fields(model.Item)]
_LOADED = _LOADED[: _LOADED.index("slug")]   # fields after slug are filled by later stages


@dataclass
class Built:
    content: Path
    out: Path
    today: dt.date
    memo: Memo
    kept: search_index.Kept            # the search index's counts, handed to the full build too
    lib: model.Library
    pages: list[Page]
    generated: dict[str, bytes]
    outputs: set[str]                         # every output path
    tree: dict[str, tuple[int, int]]          # content files: rel -> (size, mtime_ns) as built
    design: dict[str, tuple[int, int]]        # templates and assets, likewise
    shown_by: dict[str, set[int]] = field(default_factory=dict)   # item id -> indexes into pages
    env: object = None


@dataclass
class Applied:
    items: list[str]          # ids of the items whose text was applied
    written: list[str]        # output paths replaced
    removed: list[str]        # output paths deleted (search files no longer named)


def record(result: pipeline.Result, content: Path, out: Path, today: dt.date, memo: Memo,
           kept: search_index.Kept, templates: Path, tree: dict, design: dict) -> Built:
    """What a successful full build (given `memo` and `kept`) leaves for quick updates. `tree` and
    `design` are the snapshots taken before the build started, so an edit made during it is not
    missed."""
    built = Built(content, out, today, memo, kept, result.lib, list(result.plan), dict(result.generated),
                  set(result.outputs), tree, design, env=render.make_env(templates))
    for n, page in enumerate(built.pages):
        for item_id in shown_items(page.data):
            built.shown_by.setdefault(item_id, set()).add(n)
    for name in built.env.list_templates(filter_func=lambda n: n.endswith(".html")):
        built.env.get_template(name)   # compiled now, not on the first edit
    return built


def snapshot(root: Path, files=None) -> dict[str, tuple[int, int]]:
    """Every file with its size and time, but editors' own files (`source.is_scratch`): saving
    in an editor must not cost a full build. `files`: the folder's walk, when the caller has it."""
    return {f.rel: (f.size, f.mtime_ns) for f in (walk(root) if files is None else files) if not is_scratch(f.rel)}


def changes(old: dict[str, tuple[int, int]], new: dict[str, tuple[int, int]]) -> list[str]:
    """Paths added, removed or changed between two snapshots."""
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def shown_items(data) -> set[str]:
    """Ids of the items a page's data shows: items found in its values, lists, dicts and records
    (a column's items included), with the items each one names (interpretations, progress…).
    A listing is not entered: its page shows only the entries handed to it."""
    found: set[str] = set()
    seen: set[int] = set()
    todo = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, model.Item):
            found.add(value.id)
            found.update(i.id for i in (*value.related_items, *value.interpretations, *value.progress_reports))
            found.update(i.id for i in (value.interprets_item, value.of_item, value.replaced_by_item) if i)
        elif value is None or isinstance(value, (str, bytes, int, float, dt.date, model.Listing, model.Library)):
            continue
        elif id(value) not in seen:
            seen.add(id(value))
            if isinstance(value, dict):
                todo.extend(value.values())
            elif isinstance(value, (list, tuple, set, frozenset)):
                todo.extend(value)
            elif dataclasses.is_dataclass(value):
                todo.extend(getattr(value, f.name) for f in dataclasses.fields(value))
    return found


def _shape(item: model.Item) -> tuple:
    """Everything loaded from an item file but its text: what must stay for the quick path."""
    values = []
    for name in _LOADED:
        if name in TEXT_FIELDS:
            continue
        value = getattr(item, name)
        if name == "attachments":   # resolve fills in url and size
            value = [(a.file, a.title) for a in value]
        values.append(value)
    return tuple(values)


def update(built: Built, changed: list[str], problems: Problems) -> Applied | None:
    """Apply changed content files (paths relative to the content folder) to a built site; None
    when they need a full build. Errors go to `problems`, and then nothing is written."""

    lib, content = built.lib, built.content
    by_path = {i.path: i for i in lib.items.values()}
    on_every_page = {i.id for i in render.active_warnings(lib, built.today)}   # the warning banner
    edits: list[tuple[model.Item, model.Item]] = []
    seen: dict[str, tuple[int, int]] = {}   # stat before reading: a save during the update is not missed
    for rel in changed:
        old = by_path.get(rel)
        if old is None or old.id in on_every_page or not (content / rel).is_file():
            return None
        st = (content / rel).stat()
        seen[rel] = (st.st_size, st.st_mtime_ns)
        new = load.load_item(content, rel, problems, built.memo)
        if new is None:
            continue   # its errors are reported
        if _shape(new) != _shape(old):
            return None
        edits.append((old, new))
    if problems.errors:
        return Applied([], [], [])

    official = personal.library_numbers(lib)
    published = {i.id for i in lib.published}
    bodies = {}
    for old, new in edits:
        personal.check_file(content, new.path, official, built.today, problems)
        if old.id in published:
            bodies[old.id] = body = resolve.render_body(lib, content, new, problems)
            if set(pipeline.body_files(body.html)) != set(pipeline.body_files(old.html)):
                return None   # links to other files: they must be copied
    if problems.errors:
        return Applied([], [], [])

    for old, _ in edits:
        built.memo.drop("item", old.source_key)   # replaced: a long session does not pile old files up
    before = {old.id: {name: getattr(old, name) for name in (*TEXT_FIELDS, "html", "text")} for old, _ in edits}
    redo = _apply(built, [(old, {name: getattr(new, name) for name in TEXT_FIELDS}) for old, new in edits], bodies)
    files: dict[str, bytes] = {}

    def put(path: str, html: str) -> None:
        files[path] = html.encode("utf-8")
    render.render_pages(lib, built.today, built.env, [built.pages[n] for n in sorted(redo)], put)
    # Links a body writes as site paths or raw HTML are checked only here, in the output.
    linkcheck.check_pages(files, built.out, built.outputs, lib, content, problems)
    if problems.errors:
        _apply(built, [(old, before[old.id]) for old, _ in edits], {})
        return Applied([], [], [])

    index = search_index.build(lib, built.memo, built.kept)
    manifest = search_index.manifest_name(index)
    if manifest != lib.search_manifest:
        lib.search_manifest = manifest
        for n, page in enumerate(built.pages):
            if page.url == search_index.URL:
                built.pages[n] = next(search_index.pages(lib, built.today))
                render.render_pages(lib, built.today, built.env, [built.pages[n]], put)
    edited = {old.id for old, _ in edits}
    generated = {path: data for path, data in built.generated.items() if not path.startswith(search_index.FOLDER)}
    generated.update(sections.files(lib, built.today, built.pages, edited))
    generated.update(index)

    # New search files first, then the pages naming them, then the old search files go.
    written = _write(built.out, generated, built.generated.get, built.outputs)
    written += _write(built.out, files, lambda path: _current(built.out, path), built.outputs)
    removed = sorted(set(built.generated) - set(generated))
    for path in removed:
        remove_with_twins(built.out, path, built.outputs)
    built.outputs = (built.outputs - set(removed)) | set(generated)
    built.generated = generated
    built.tree.update(seen)
    return Applied(sorted(old.id for old, _ in edits), sorted(written), removed)


def _apply(built: Built, changes: list[tuple[model.Item, dict]], bodies: dict) -> set[int]:
    """Set items' text fields (and their rendered bodies) in place; the pages that show them."""
    redo: set[int] = set()
    for item, values in changes:
        for name in TEXT_FIELDS:
            setattr(item, name, values[name])
        body = bodies.get(item.id)
        if body is not None:
            item.html, item.text = body.html, body.text
            item.summary = item.summary or body.summary
        elif "html" in values:   # putting back what was there
            item.html, item.text = values["html"], values["text"]
        redo |= built.shown_by.get(item.id, set())
    for n in redo:
        page = built.pages[n]
        if page.template == "item.html":   # its title and breadcrumb name the item
            built.pages[n] = render.item_page(built.lib, page.data["item"])
    return redo


def _current(out: Path, path: str) -> bytes | None:
    try:
        return (out / path).read_bytes()
    except OSError:
        return None


def _write(out: Path, files: dict[str, bytes], current, taken=frozenset()) -> list[str]:
    """Replace each file whose bytes differ from `current(path)`, atomically (a reader sees the
    old file or the new one, never a part), with its precompressed twins as a build makes them."""
    written = []
    for path, data in sorted(files.items()):
        if current(path) == data:
            continue
        replace_with_twins(out, path, data, taken)
        written.append(path)
    return written
