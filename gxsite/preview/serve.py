"""`gxsite serve`: build, serve the output on localhost and bring it up to date when content or
templates change.

Each change runs the same build as `gxsite build` (pipeline.build), with the memo kept in memory:
it makes again only the pages whose inputs changed and replaces only the files whose bytes
changed, each atomically; a change it cannot bound (a template, site.yaml…) builds the whole
site in a temporary folder that is swapped in. Either way a preview never shows a half-written
file, and an editor's mistake is printed as `path:line: message` while the last good site stays up.
"""
from __future__ import annotations

import datetime as dt
import secrets
import sys
from pathlib import Path

from gxsite.admin import backend
from gxsite.admin import config as admin_config
from gxsite import pipeline
from gxsite.content import model
from gxsite.search import search_cli, search_index
from gxsite.site import theme
from gxsite.cache.memo import for_content
from gxsite.core.problems import Problems
from gxsite.core.source import is_scratch, walk


class Preview:
    """The preview's state between changes: the memo and the search index's counts (in memory),
    the last good library, and the files as the last build found them."""

    def __init__(self, content: Path, out: Path, today: dt.date, templates: Path | None = None):
        self.content, self.out, self.today, self.templates = content, out, today, templates
        self.layers = theme.find(content, templates)   # the site's own templates over gxsite's
        self.memo = for_content(content, held=True)   # in memory between changes
        self.kept = search_index.Kept()   # the search index's counts and postings: an edit recounts its own block
        self.lib: model.Library | None = None      # the last good build's, for the editor's backend
        self.seen: tuple | None = None   # the files as the last build found them

    def build(self) -> bool:
        """Build; True when the output changed."""
        files = walk(self.content)
        state = search_cli.tree_state(self.content, self.today, files)
        self.seen = (snapshot(self.content, files), self.design())
        result = pipeline.build(self.content, self.out, self.today, self.templates, progress=False,
                                memo=self.memo, kept=self.kept)
        _print_errors(result.problems)
        if not result.ok or result.skipped:
            return False
        self.lib = result.lib
        how = f"重新生成 {result.rendered} 个页面，写入 {result.written} 个文件" if result.in_place else \
            f"全部 {result.pages} 个页面重新生成"
        say(f"已更新预览：{result.items} 条信息，{how}，用时 {result.seconds:.1f} 秒。")
        self.keep_search(state)
        return True

    def refresh(self) -> bool:
        """Bring the output up to date with the files as they are now; True when it changed.
        Files as they were at the last attempt are not tried again: a mistake is reported once,
        not on every event, until the editor saves again."""
        if (snapshot(self.content), self.design()) == self.seen:
            return False
        return self.build()

    def design(self) -> tuple:
        return tuple(snapshot(folder) for folder in self.layers.folders)

    def keep_search(self, state: str) -> None:
        """Bring `gxsite search`'s whoosh index up to date with what was just published (only
        changed items are indexed again), so a search from the terminal reads nothing. Only an
        index that exists and needs no remaking: that takes a minute at 10,000 items and is left
        to `gxsite search`."""
        if not (search_cli.index_folder(self.content) / search_cli.TREE_FILE).exists():
            return
        from whoosh.index import LockError
        try:
            search_cli.store(self.content, state, search_cli.entries_of(self.lib), self.lib.site.base_url,
                             afresh=False)
        except LockError:   # a `gxsite search` held it too long: it brings the index up to date itself
            pass


def snapshot(root: Path, files=None) -> dict[str, tuple[int, int]]:
    """Every file with its size and time, but editors' own files (`source.is_scratch`): saving
    in an editor must not cost a build. `files`: the folder's walk, when the caller has it."""
    return {f.rel: (f.size, f.mtime_ns) for f in (walk(root) if files is None else files) if not is_scratch(f.rel)}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _print_errors(problems: Problems) -> None:
    for p in problems.errors:
        print(p, file=sys.stderr, flush=True)


def run(content: Path, out: Path, today: dt.date, host: str, port: int, templates: Path | None = None) -> int:
    from livereload import Server  # imported here: only the preview needs it

    preview = Preview(content, out, today, templates)
    preview.build()
    # Beyond this computer the backend writes files for whoever reaches the port: a token then,
    # printed here and carried by the editor's page.
    token = None if backend.is_loopback(host) else secrets.token_urlsafe(24)
    guard = backend.Guard(host, port, token)
    site = backend.Site(content.resolve(), today, lambda: preview.lib)

    class AdminServer(Server):
        def get_web_handlers(self, script):
            return admin_handlers(site, guard) + super().get_web_handlers(script)

    server = AdminServer(watcher=_watcher(preview, (content, *preview.layers.folders)))
    say(f"预览地址：http://{host}:{port}/ （Ctrl+C 结束）")
    say(f"编辑器地址：http://{host}:{port}/admin/" + (f"?token={token}" if token else ""))
    server.serve(root=str(out), host=host, port=port, open_url_delay=None, restart_delay=0)
    return 0


# ---- the editors' forms: Decap CMS at /admin/, gxsite as its backend at /api/v1 ---------------


def admin_files(config_yml: bytes) -> dict[str, bytes]:
    """The editor's page and bundle, by path under /admin/ ("" the page): from
    `gxsite.admin.page.files` when the package ships it, else none (then /admin/ is 404)."""
    import importlib
    import importlib.util
    if importlib.util.find_spec("gxsite.admin.page") is None:
        return {}
    return importlib.import_module("gxsite.admin.page").files(config_yml)


def admin_handlers(site: backend.Site, guard: backend.Guard) -> list:
    """Tornado routes for /api/v1 and /admin/, placed before livereload's static files."""
    import json
    import mimetypes
    from tornado import web

    class Guarded(web.RequestHandler):
        writes = False   # only the backend needs the token: the page and its config carry nothing secret

        def prepare(self):
            try:
                guard.check(self.request.method, self.request.headers, self.writes)
            except backend.Refused as exc:
                self.refuse(exc.status, exc.message)

        def refuse(self, status: int, message: str) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps({"error": message}, ensure_ascii=False))

        def set_default_headers(self):
            self.set_header("Cache-Control", "no-store")
            self.set_header("X-Content-Type-Options", "nosniff")

        def config_yml(self) -> bytes:
            return admin_config.config_yml(site.content, f"http://{self.request.host}/api/v1")

    @web.stream_request_body
    class Api(Guarded):
        writes = True

        def prepare(self):
            super().prepare()
            if self._finished:
                return
            self.chunks, self.size = [], 0
            length = int(self.request.headers.get("Content-Length") or 0)
            if length > backend.MAX_BODY:
                self.refuse(413, f"请求过大（超过 {backend.MAX_BODY // 1024 // 1024} MB）：附件请压缩或拆分后再上传")
            else:
                self.request.connection.set_max_body_size(backend.MAX_BODY)

        def data_received(self, chunk: bytes):
            self.size += len(chunk)
            if self.size <= backend.MAX_BODY:
                self.chunks.append(chunk)

        def post(self):
            try:
                body = json.loads(b"".join(self.chunks))
            except ValueError:
                return self.refuse(400, "请求应为 JSON")
            status, answer = backend.handle(site, body)
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(answer, ensure_ascii=False))

    class Config(Guarded):
        def get(self):
            self.set_header("Content-Type", "text/yaml; charset=utf-8")
            self.finish(self.config_yml())

    class Page(Guarded):
        def get(self, path: str):
            files = admin_files(self.config_yml())
            data = next((files[p] for p in (("", "index.html") if path in ("", "index.html") else (path,))
                         if p in files), None)
            if data is None:
                raise web.HTTPError(404)
            kind = mimetypes.guess_type(path or "index.html")[0] or "application/octet-stream"
            self.set_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""))
            self.finish(data)

    return [(r"/api/v1", Api), (r"/admin/config\.yml", Config), (r"/admin/(.*)", Page),
            (r"/admin", web.RedirectHandler, {"url": "/admin/"})]


WRITES = {"created", "modified", "moved", "deleted", "closed"}   # not "opened": the build reads files too
SETTLE_S = 0.05   # a save is often several events (write, close, rename): one refresh after them


def _watcher(preview: Preview, folders: tuple[Path, ...]):
    """A livereload watcher that hears of saved files from the operating system (watchdog:
    inotify, FSEvents, Windows), waits for the burst of events to settle, refreshes the preview
    and reloads the browsers. livereload's own watcher would glob the whole tree every 0.8 s.
    Where no notices can be had, livereload polls, and each poll is one cheap listing of the tree."""
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class PreviewWatcher(Watcher):
        def start(self, callback) -> bool:
            loop = IOLoop.current()
            pending = []

            def refresh() -> None:
                pending.clear()
                if preview.refresh():
                    LiveReloadHandler.reload_waiters()   # at once: livereload would skip a reload within 3 s of the last

            def heard(event) -> None:   # on watchdog's thread
                if event.event_type in WRITES and not pending:
                    pending.append(True)
                    loop.add_callback(loop.call_later, SETTLE_S, refresh)

            handler = FileSystemEventHandler()
            handler.on_any_event = heard
            observer = Observer()
            try:
                for folder in folders:
                    observer.schedule(handler, str(folder), recursive=True)
                observer.daemon = True
                observer.start()
            except OSError as exc:   # e.g. the system's limit of watched folders
                say(f"无法监听文件变化（{exc}），改为每秒检查一次。")
                return False
            callback()   # livereload's own reload at start-up, queued before the watcher started
            return True

        def examine(self):
            if self._changes:
                return self._changes.pop()
            return ("*", None) if preview.refresh() else (None, None)   # when livereload polls

    return PreviewWatcher()
