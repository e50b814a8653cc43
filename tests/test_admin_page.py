"""The editor's page at /admin/ (gxsite/admin/page.py) and the Decap CMS bundle it ships: offline,
in Chinese, nothing loaded from another host; `gxsite build --admin DIR` for production editing;
and, in Chromium, an editor who logs in through the preview's own backend and creates a notice."""
from __future__ import annotations

import contextlib
import http.server
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import chromium_browser, skip
from conftest import REPO

from gxsite.admin import page

TODAY = "2026-12-01"
SERVE = REPO / "gxsite" / "preview" / "serve.py"
# Hosts Decap's code names but never loads for our config: script tags it injects only for a media
# library we do not configure (cloudinary) — listed, so that a new one fails the test until judged.
ON_DEMAND_SCRIPTS = {"media-library.cloudinary.com"}
# Hosts a bundle for an intranet must never name anywhere: web fonts and public CDNs.
NEVER = ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com",
         "use.typekit.net", "esm.sh")


def need_bundle() -> dict[str, bytes]:
    found = page.bundle()
    if not found:
        skip(f"the Decap CMS bundle is not fetched into {page.DECAP} (python scripts/fetch_decap.py; .ci/run does it)")
    return found


def foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in ("127.0.0.1", "localhost")


# --- page.files() without a browser -----------------------------------------------------------

def test_index_is_chinese_and_names_no_other_host():
    made = page.files(b"backend: {name: proxy}\n")
    index = made["index.html"].decode("utf-8")
    assert '<html lang="zh-CN">' in index
    assert "<title>内容编辑</title>" in index
    assert made["config.yml"] == b"backend: {name: proxy}\n"   # as given
    assert not re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", index, re.I), "index.html names another host"
    if page.bundle():
        assert '<script src="./decap-cms.js"></script>' in index
        assert 'rel="cms-config-url"' in index and 'href="./config.yml"' in index
        assert page.TOKEN_HEADER in index
        assert "decap-cms.js" in made and any(n.endswith(".wasm") for n in made)
        assert not [n for n in made if n.endswith(".map") or "/" in n]


def test_without_the_bundle_the_page_says_how_to_fetch_it(tmp_path):
    made = page.files(b"x: 1\n", folder=tmp_path / "missing")
    assert set(made) == {"index.html", "config.yml"}
    index = made["index.html"].decode("utf-8")
    assert '<html lang="zh-CN">' in index and "尚未安装" in index
    assert "python scripts/fetch_decap.py" in index
    assert "decap-cms.js" not in index


def test_the_bundle_is_the_pinned_version_with_its_licences():
    found = need_bundle()
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import fetch_decap
    finally:
        sys.path.pop(0)
    assert found["VERSION"].decode() == fetch_decap.stamp()
    assert json.loads(found["package.json"])["version"] == fetch_decap.VERSION
    assert b"MIT License" in found["LICENSE"] and "decap-cms.js.LICENSE.txt" in found
    # Every chunk the app names (webpack's `<id>.decap-cms.js`) is shipped beside it.
    app = found["decap-cms.js"].decode("utf-8")
    assert '__webpack_require__.u=e=>e+".decap-cms.js"' in app
    for name in found:
        assert name.endswith((".js", ".wasm", ".txt")) or name in ("LICENSE", "README.md", "package.json", "VERSION"), name
    # zh_Hans is compiled into the full bundle and registered at start: no decap-cms-locales needed.
    assert 'zh_Hans:()=>' in app and 'login:"登录"' in app


def test_the_bundle_loads_nothing_from_another_host_at_start():
    found = need_bundle()
    scripts: set[str] = set()
    for name, data in found.items():
        if not name.endswith(".js"):
            continue
        text = data.decode("utf-8", "replace")
        for host in NEVER:
            assert host not in text, f"{name} names {host}"
        # A script or stylesheet injected from another host: the only way a bundle loads code at run time.
        for m in re.finditer(r'\.src\s*=\s*"(?:https?:)?//([a-z0-9.-]+)', text, re.I):
            scripts.add(m.group(1))
        for m in re.finditer(r'(?:importScripts\(|@import\s+url\(|new Worker\()\s*"(?:https?:)?//([a-z0-9.-]+)', text, re.I):
            scripts.add(m.group(1))
    assert scripts <= ON_DEMAND_SCRIPTS, f"scripts loaded from other hosts: {sorted(scripts - ON_DEMAND_SCRIPTS)}"
    # …and those load only for a media library this editor's config never names.
    from gxsite.admin import config
    assert "media_library" not in json.dumps(config.config(REPO / "content", "http://127.0.0.1:1/api/v1"))


# --- gxsite build --admin DIR -------------------------------------------------------------------

ADMIN = """
admin:
  backend: {backend}
  repo: zwgk/gaoxian-site
  branch: main
  base_url: https://git.example.gov.cn/
  app_id: 0f1e2d3c-aaaa-bbbb-cccc-1234567890ab
"""


def site_with(tmp_path: Path, admin: str) -> Path:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    with open(site / "content" / "site.yaml", "a", encoding="utf-8") as f:
        f.write(admin)
    return site


def gxsite(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.parametrize("backend, api, workflow", [("gitea", "/api/v1", False), ("forgejo", "/api/v1", True),
                                                    ("gitlab", "/api/v4", True)])
def test_settings_from_site_yaml(tmp_path, backend, api, workflow):
    from gxsite.core.problems import Problems
    site = site_with(tmp_path, ADMIN.format(backend=backend))
    problems = Problems()
    settings = page.production_settings(site / "content", problems)
    assert not problems.errors, problems.errors
    b = settings["backend"]
    assert b["name"] == backend and b["repo"] == "zwgk/gaoxian-site" and b["branch"] == "main"
    assert b["base_url"] == "https://git.example.gov.cn" and b["api_root"] == "https://git.example.gov.cn" + api
    assert b["app_id"].startswith("0f1e")
    assert settings["publish_mode"] == ("editorial_workflow" if workflow else "")
    assert (b.get("auth_type") == "pkce") == (backend == "gitlab")


@pytest.mark.parametrize("admin, says", [
    ("", "没有 admin"),
    ("\nadmin: {backend: svn, repo: a/b}\n", "admin.backend 应为"),
    ("\nadmin: {backend: gitea, repo: site, base_url: https://g.example, app_id: x}\n", "admin.repo"),
    ("\nadmin: {backend: gitea, repo: a/b, app_id: x}\n", "admin.base_url 必填"),
    ("\nadmin: {backend: gitea, repo: a/b, base_url: https://g.example}\n", "admin.app_id 必填"),
    ("\nadmin: {backend: gitea, repo: a/b, base_url: https://g.example, app_id: x, editorial_workflow: true}\n",
     "不支持"),
])
def test_bad_admin_settings_are_named(tmp_path, admin, says):
    from gxsite.core.problems import Problems
    problems = Problems()
    assert page.production_settings(site_with(tmp_path, admin) / "content", problems) is None
    assert any(says in p.message for p in problems.errors), [p.message for p in problems.errors]


def test_build_admin_writes_a_separate_editor_folder(tmp_path):
    need_bundle()
    site = site_with(tmp_path, ADMIN.format(backend="forgejo"))
    done = gxsite("build", "--today", TODAY, "--admin", "editor", cwd=site)
    assert done.returncode == 0, done.stderr
    editor, out = site / "editor", site / "output"
    assert (out / "index.html").is_file()
    assert not [p for p in out.rglob("*") if p.name in ("decap-cms.js", "config.yml")], "the editor leaked into the site"
    index = (editor / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index and "./decap-cms.js" in index
    config = json.loads((editor / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["name"] == "forgejo" and config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "zh_Hans"
    names = {c["name"] for c in config["collections"]}
    assert {"notice", "policy", "services", "catalog"} <= names and not names & {"officers", "places"}
    assert (editor / "decap-cms.js").stat().st_size > 1_000_000 and (editor / "LICENSE").is_file()
    # Written again over itself (a new release of the editor); a folder of someone else's files is refused.
    assert gxsite("build", "--today", TODAY, "--admin", "editor", cwd=site).returncode == 0
    (site / "mine").mkdir()
    (site / "mine" / "notes.txt").write_text("x", encoding="utf-8")
    done = gxsite("build", "--today", TODAY, "--admin", "mine", cwd=site)
    assert done.returncode == 1 and "不是空文件夹" in done.stderr
    assert (site / "mine" / "notes.txt").read_text(encoding="utf-8") == "x"


def test_build_admin_refuses_a_folder_inside_the_site(tmp_path):
    site = site_with(tmp_path, ADMIN.format(backend="gitea"))
    done = gxsite("build", "--today", TODAY, "--admin", "output/admin", cwd=site)
    assert done.returncode == 2 and "网站输出目录" in done.stderr
    assert not (site / "output").exists(), "nothing is built when the editor's folder is refused"


# --- in Chromium --------------------------------------------------------------------------------

@contextlib.contextmanager
def serve_files(made: dict[str, bytes]):
    """Serve page.files() under /admin/ on 127.0.0.1, as the preview does."""
    types = {".js": "text/javascript", ".wasm": "application/wasm", ".yml": "text/yaml", ".html": "text/html; charset=utf-8"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the base class's name
            rel = self.path.split("?")[0].removeprefix("/admin/") or "index.html"
            data = made.get(rel)
            if not self.path.startswith("/admin/") or data is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", types.get(Path(rel).suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def watched(browser):
    """A page that aborts and records every request to another host, and records script errors."""
    page_ = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if foreign(r.request.url):
            blocked.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    page_.route("**/*", route)
    page_.on("pageerror", lambda e: errors.append(str(e)))
    return page_, blocked, errors


def test_the_editor_starts_offline_in_chinese():
    need_bundle()
    from gxsite.admin import config
    made = page.files(b"")
    with serve_files(made) as base, chromium_browser() as browser:
        made["config.yml"] = config.config_yml(REPO / "content", base + "/api/v1")
        tab, blocked, errors = watched(browser)
        tab.goto(base + "/admin/?token=secret")
        tab.get_by_role("button", name="登录").wait_for(timeout=30000)   # the proxy backend's login, in Chinese
        assert tab.title() == "内容编辑"
        assert "token=" not in tab.url, "the token stays out of the address bar and history"
        assert tab.evaluate("sessionStorage.getItem('gxsite-token')") == "secret"
        assert blocked == [] and errors == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        got = predicate()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def test_an_editor_creates_a_notice_through_the_form(tmp_path):
    if "/api/v1" not in SERVE.read_text(encoding="utf-8"):
        pytest.skip("the preview has no /api/v1 backend yet (gxsite/preview/serve.py): nothing to log in to")
    need_bundle()
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gxsite", "serve", "--content", str(site / "content"), "--out",
                             str(site / "output"), "--port", str(port), "--today", TODAY],
                            cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _get(base + "/admin/") == 200 and (site / "output" / "index.html").is_file(), 120, "the preview")
        with chromium_browser() as browser:
            tab, blocked, errors = watched(browser)
            tab.goto(base + "/admin/")
            tab.get_by_role("button", name="登录").click(timeout=30000)
            tab.goto(base + "/admin/#/collections/notice/new")
            tab.get_by_label("标题", exact=True).fill("关于测试在线编辑器的通知", timeout=30000)
            org = tab.get_by_label("发布机构", exact=True)   # a select (react-select): type, pick the first match
            org.fill("xzfb")   # the options read 中文名称（编号）
            tab.get_by_role("option", name=re.compile("xzfb")).first.wait_for(timeout=10000)
            tab.keyboard.press("Enter")
            tab.wait_for_timeout(500)
            tab.get_by_label("发布日期", exact=True).fill("2026-11-20")
            body = tab.locator("[contenteditable=true]").last   # the Markdown widget's rich-text editor
            body.click()
            tab.keyboard.type("这是通过内容编辑器新建的通知。")
            tab.wait_for_timeout(500)
            tab.get_by_role("button", name="发布").first.click()
            tab.get_by_text("立即发布").click()
            tab.get_by_text("内容已保存").wait_for(timeout=30000)   # Decap's own word that the backend took it
            written = _wait(lambda: list((site / "content" / "items").rglob("*.md")) and
                            [p for p in (site / "content" / "items").rglob("*.md")
                             if "关于测试在线编辑器的通知" in p.read_text(encoding="utf-8")], 30, "the saved file")
            rel = written[0].relative_to(site / "content" / "items")
            assert rel.parts[1] == "2026", rel   # <org>/<yyyy>/<slug>.md
            text = written[0].read_text(encoding="utf-8")
            assert re.search(r"^index_no: ", text, re.M), "numbered on save"
            html = site / "output" / "items" / rel.with_suffix("") / "index.html"
            _wait(html.is_file, 60, f"the new page {html}")
            assert "关于测试在线编辑器的通知" in html.read_text(encoding="utf-8")
            assert blocked == [], f"requests to other hosts: {blocked}"
            assert errors == [], f"script errors: {errors}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()

