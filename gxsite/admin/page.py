"""The editor's page at /admin/: index.html, config.yml and the vendored Decap CMS bundle, served by
the preview (`files`) or written as a small static folder for production editing against the
county's Gitea, Forgejo or GitLab (`gxsite build --admin DIR`, `write_folder`).

The bundle is decap-cms from npm, fetched at packaging time by scripts/fetch_decap.py into
gxsite/admin/decap/ (git-ignored, shipped in the wheel). Nothing here loads anything from another
host: the bundle finds its chunks and .wasm beside decap-cms.js (webpack's automatic publicPath).
"""
from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from pathlib import Path


from gxsite.core.problems import Problems
from gxsite.core.source import parse_yaml, read_text

DECAP = Path(__file__).resolve().with_name("decap")
FETCH_HINT = "python scripts/fetch_decap.py"
MARKER = '<meta name="generator" content="gxsite admin">'   # a folder holding this index.html is ours to replace

# Sent by the page with every API call when the preview listens beyond 127.0.0.1 (`gxsite serve --host`).
TOKEN_HEADER = "X-Gxsite-Token"

_cache: dict[str, tuple[tuple, dict[str, bytes]]] = {}


def bundle(folder: Path = DECAP) -> dict[str, bytes]:
    """The bundle's files by name ({} when it was not fetched), read once per fetch: the preview
    serves them on every visit and they are 6 MB."""
    try:
        key = (folder.stat().st_mtime_ns, (folder / "VERSION").stat().st_mtime_ns)
    except OSError:
        return {}
    kept = _cache.get(str(folder))
    if kept and kept[0] == key:
        return kept[1]
    found = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.endswith(".map")}
    if "decap-cms.js" not in found:
        return {}
    _cache[str(folder)] = (key, found)
    return found


def version(folder: Path = DECAP) -> str:
    """"decap-cms 3.16.3" as the bundle's stamp says, or "" when it is missing."""
    try:
        return " ".join((folder / "VERSION").read_text(encoding="utf-8").split()[:2])
    except OSError:
        return ""


def files(config_yml: bytes, folder: Path = DECAP) -> dict[str, bytes]:
    """Everything under /admin/: relative path → bytes. Without the bundle, an index.html that
    says in Chinese how to fetch it (and the config, so that it can still be looked at)."""
    found = bundle(folder)
    out = {"index.html": index_html(bool(found), version(folder)), "config.yml": config_yml}
    for name, data in found.items():
        if name not in out and name != "VERSION":
            out[name] = data
    return out


# decap-cms.js goes at the end of <body>: it mounts into document.body as it runs.
# Wraps fetch before Decap loads: the proxy backend POSTs to its proxy_url (/api/v1) with fetch, so
# adding the header here covers every call without patching Decap. The token is moved from the
# address into sessionStorage at once, so that it is not left in the history or a Referer.
_TOKEN_SCRIPT = """(function () {
  var params = new URLSearchParams(location.search), token = params.get("token");
  if (token) {
    sessionStorage.setItem("gxsite-token", token);
    params.delete("token");
    var rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  } else {
    token = sessionStorage.getItem("gxsite-token");
  }
  if (!token) return;
  var original = window.fetch;
  window.fetch = function (input, init) {
    var url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin === location.origin && url.pathname.indexOf("/api/v1") === 0) {
      init = Object.assign({}, init);
      var headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
      headers.set("%s", token);
      init.headers = headers;
    }
    return original.call(this, input, init);
  };
})();""" % TOKEN_HEADER


def index_html(ready: bool, shipped: str = "") -> bytes:
    head = f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
{MARKER}
<title>内容编辑</title>
<link rel="icon" href="data:,">
"""
    if not ready:
        return (head + f"""<style>body{{font:16px/1.7 sans-serif;max-width:40em;margin:3em auto;padding:0 1em}}
code{{background:#f2f2f2;padding:.1em .3em}}</style>
</head>
<body>
<main>
<h1>内容编辑器尚未安装</h1>
<p>编辑器程序（Decap CMS）没有随本次安装的 gxsite 一起提供，所以这里还不能编辑。</p>
<p>请在 gxsite 的源码文件夹中运行 <code>{html.escape(FETCH_HINT)}</code>（需要 npm，只需联网下载一次），
然后重新启动 <code>gxsite serve</code>，再打开本页。</p>
<p>不用编辑器也可以直接修改 <code>content/</code> 中的文件，保存后预览会自动更新。</p>
</main>
</body>
</html>
""").encode("utf-8")
    shown = f'<meta name="gxsite-decap" content="{html.escape(shipped)}">\n' if shipped else ""
    return (head + shown + f"""<link rel="cms-config-url" type="text/yaml" href="./config.yml">
<script>
{_TOKEN_SCRIPT}
</script>
</head>
<body>
<noscript>内容编辑需要启用浏览器的 JavaScript。</noscript>
<script src="./decap-cms.js"></script>
</body>
</html>
""").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Production editing: site.yaml `admin:` → Decap's backend for the county's own Git server.

# Decap 3.16's backends for a self-hosted server. `gitea` refuses the editorial workflow
# ("The Gitea backend does not support editorial workflow"); `forgejo`, `gitlab` and `github` have it.
BACKENDS = {
    "gitea": {"api": "/api/v1", "workflow": False, "needs_base_url": True},
    "forgejo": {"api": "/api/v1", "workflow": True, "needs_base_url": True},
    "gitlab": {"api": "/api/v4", "workflow": True, "needs_base_url": True},
    "github": {"api": "", "workflow": True, "needs_base_url": False},
}
ADMIN_KEYS = ("backend", "repo", "branch", "base_url", "api_root", "app_id", "editorial_workflow")


def production_settings(content: Path, problems: Problems) -> dict | None:
    """site.yaml's `admin:` as Decap's `backend:` plus `publish_mode`, or None (with an error)."""
    rel = "site.yaml"
    text = read_text(content / rel, rel, problems)
    if text is None:
        return None
    raw = parse_yaml(text, rel, problems)
    if not isinstance(raw, dict):
        return None
    admin = raw.get("admin")
    line = raw.line_of("admin") if "admin" in raw else 1

    def fail(message: str, at: int = 0) -> None:
        problems.error(rel, at or line, message)

    if admin is None:
        fail("site.yaml 中没有 admin：生成线上编辑器（--admin）需要写明代码仓库，例如\n"
             "admin: {backend: gitea, repo: zwgk/site, branch: main, base_url: https://git.example.gov.cn, app_id: …}")
        return None
    if not isinstance(admin, dict):
        fail("admin 应为键值对：backend、repo、branch、base_url、app_id")
        return None
    at = getattr(admin, "line_of", lambda key: line)
    for key in admin:
        if key not in ADMIN_KEYS:
            fail(f"admin 中的未知字段“{key}”：可用的有 {'、'.join(ADMIN_KEYS)}", at(key))
    name = str(admin.get("backend") or "").strip()
    if name not in BACKENDS:
        fail(f"admin.backend 应为 {'、'.join(BACKENDS)} 之一（Gitea 写 gitea，Forgejo 写 forgejo，GitLab 写 gitlab）",
             at("backend") if "backend" in admin else line)
        return None
    kind = BACKENDS[name]
    repo = str(admin.get("repo") or "").strip()
    if repo.count("/") < 1 or repo.startswith("/") or repo.endswith("/"):
        fail("admin.repo 应写成“所有者/仓库名”，如 zwgk/site", at("repo") if "repo" in admin else line)
        return None
    backend: dict = {"name": name, "repo": repo, "branch": str(admin.get("branch") or "main").strip()}
    base = str(admin.get("base_url") or "").strip().rstrip("/")
    if base and not base.startswith(("http://", "https://")):
        fail("admin.base_url 应以 http:// 或 https:// 开头，如 https://git.example.gov.cn", at("base_url"))
        return None
    if kind["needs_base_url"] and not base:
        fail(f"admin.base_url 必填：本单位 {name} 服务器的网址，如 https://git.example.gov.cn")
        return None
    if base:
        backend["base_url"] = base
    api = str(admin.get("api_root") or "").strip().rstrip("/")
    if api and not api.startswith(("http://", "https://")):
        fail("admin.api_root 应以 http:// 或 https:// 开头", at("api_root"))
        return None
    if not api and kind["api"] and base:
        api = base + kind["api"]
    if api:
        backend["api_root"] = api
    app_id = str(admin.get("app_id") or "").strip()
    if name in ("gitea", "forgejo", "gitlab") and not app_id:
        fail(f"admin.app_id 必填：在 {name} 中为编辑器建立的 OAuth2 应用的客户端 ID（Client ID）")
        return None
    if app_id:
        backend["app_id"] = app_id
    if name == "gitlab":   # log in from the browser without a client secret
        backend["auth_type"] = "pkce"
    workflow = admin.get("editorial_workflow", kind["workflow"])
    if workflow is True and not kind["workflow"]:
        fail("gitea 后端不支持“草稿 → 审核 → 发布”流程：Forgejo 服务器请改用 backend: forgejo，"
             "或删去 editorial_workflow", at("editorial_workflow"))
        return None
    return {"backend": backend, "publish_mode": "editorial_workflow" if workflow else ""}


def production_config(content: Path, settings: dict) -> bytes:
    """config.yml for the production folder: the same collections as the preview's editor (one
    generator, `config.config`), with the county's backend and, where it has one, the editorial
    workflow. The officers and places files are left out: each is one YAML list, which Decap can
    edit only as the preview's backend wraps it, and a Git server's API hands it over unwrapped."""
    from gxsite.admin import config   # the other half of the editor: config.yml from the schema

    data = config.config(content, "")
    data["backend"] = settings["backend"]
    data.pop("local_backend", None)
    data["publish_mode"] = settings["publish_mode"] or "simple"
    data["collections"] = [c for c in data["collections"] if c.get("name") not in config.LIST_KEYS]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")   # JSON is YAML, as config_yml writes it


class Refused(Exception):
    """A folder gxsite will not write the editor into (the message says why, in Chinese)."""


def write_folder(dest: Path, config_yml: bytes, folder: Path = DECAP) -> dict[str, bytes]:
    """Write the editor into `dest` whole: filled beside it, swapped in. A folder that is neither
    empty nor an editor written before is refused, so that no one's files are replaced."""
    made = files(config_yml, folder)
    if not bundle(folder):
        raise Refused(f"编辑器程序（Decap CMS）尚未下载：请先运行 {FETCH_HINT}")
    if dest.exists():
        if not dest.is_dir():
            raise Refused(f"{dest} 不是文件夹")
        entries = list(dest.iterdir())
        index = dest / "index.html"
        ours = index.is_file() and MARKER.encode() in index.read_bytes()[:2000]
        if entries and not ours:
            raise Refused(f"{dest} 不是空文件夹，也不是以前生成的编辑器：为免覆盖其中的文件，请换一个文件夹或先清空它")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        for name, data in made.items():
            (fresh / name).write_bytes(data)
        os.chmod(fresh, 0o755)   # mkdtemp's 0700 would hide it from the web server
        old = dest.parent / f".{dest.name}.old-{os.getpid()}"
        if dest.exists():
            dest.rename(old)
        fresh.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return made
