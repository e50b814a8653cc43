"""gxsite's search against Pagefind, side by side in one run, on a generated content tree.

    python benches/bench_search.py [--items 10000] [--seed 0] [--keep DIR] [--json FILE]

1. Generates a tree (gen_content.py) and builds it with `python -m gxsite build --force`
   (timed, peak memory of the process tree), reading the build's own stage times.
2. Runs Pagefind (extended) over the same built HTML, the standard item pages only
   (`items/**/*.html`, content under <main>): time, peak memory, bytes, files.
3. Recall@3 on the 20 probe queries of probes.py (gxsite in Chromium on the real /search/
   page and through its JS API, in node, and in `gxsite search`; Pagefind through its JS API).
4. Bytes Chromium downloads for those 20 queries, one page session per engine.
5. One item's body changes: time until the static index (a full `gxsite build`) and the whoosh
   index (`gxsite search`) find it; also the whoosh index's first run, and Pagefind's re-run.
Prints a table (ratios gxsite/Pagefind); see benches/README.md for every figure's meaning.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import glob
import http.server
import importlib.util
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict

from bench_build import TODAY, log_tail, measure, psutil
import probes as probe_mod

BENCHES = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCHES)
RUN_SEARCH_JS = os.path.join(REPO, "tests", "js", "run_search.js")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MARKERS = ["篪簋", "甪鳜", "夔龢", "鼗鞀"]   # rare characters for the edited item: checked absent first
BENCH_PAGE = "__bench/index.html"

# `python -m gxsite build …` exactly (runpy, as -m does), saving the build's stage times.
BUILD_WRAPPER = r"""
import json, runpy, sys
from gxsite import pipeline
stages_file = sys.argv[1]
real_build = pipeline.build
def build(*args, **kwargs):
    result = real_build(*args, **kwargs)
    with open(stages_file, "w") as f:
        json.dump({"stages": result.stages, "seconds": result.seconds, "skipped": result.skipped,
                   "items": result.items, "pages": result.pages, "files": result.files}, f)
    return result
pipeline.build = build
sys.argv = ["gxsite"] + sys.argv[2:]
runpy.run_module("gxsite", run_name="__main__", alter_sys=True)
"""

# The 20 probes through `gxsite search`'s own code (one process: reading the tree once).
WHOOSH_PROBES = r"""
import datetime as dt, json, sys
from pathlib import Path
from gxsite.search import search_cli, whoosh_index
content, today, queries = Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), json.load(open(sys.argv[3]))
found, problems, _ = search_cli.entries(content, today)
ix, changed = whoosh_index.open_index(search_cli.index_folder(content), found)
answers = []
for q in queries:
    hits = whoosh_index.search(ix, q)
    answers.append({"total": len(hits), "top": [h.url for h in hits[:10]]})
print(json.dumps({"changed": changed, "answers": answers}, ensure_ascii=False))
"""

GX_API_JS = """async ([q, manifest, show]) => {
  if (!window.GxSearch) {
    await new Promise((ok, bad) => { const s = document.createElement("script");
      s.src = "/assets/search-core.js"; s.onload = ok; s.onerror = bad; document.head.appendChild(s); });
  }
  if (!window.__gx) {   // the fetcher of templates/assets/search.js
    window.__gx = new GxSearch.Index(manifest, (url, kind) => fetch(url).then(r => {
      if (!r.ok) { throw new Error(url); } return kind === "json" ? r.json() : r.arrayBuffer(); }));
  }
  const t0 = performance.now();
  const hits = await window.__gx.search(q, { org: "", type: "", year: "" });
  const frags = await Promise.all(hits.slice(0, show).map(h => window.__gx.fragment(h.doc)));
  return { total: hits.length, urls: frags.map(f => f.url), ms: performance.now() - t0 };
}"""

PF_API_JS = """async ([q, show]) => {
  if (!window.__pf) { window.__pf = await import("/pagefind/pagefind.js"); }
  const t0 = performance.now();
  const s = await window.__pf.search(q);
  const data = await Promise.all(s.results.slice(0, show).map(r => r.data()));
  return { total: s.results.length, urls: data.map(d => d.url), ms: performance.now() - t0 };
}"""

PAGE_DONE_JS = """q => { const s = document.getElementById("search-status");
  if (!s) { return false; } const t = s.textContent;
  return (t.includes("“" + q + "”") && (t.includes("找到") || t.includes("没有"))) || t.includes("暂时不可用"); }"""


# ------------------------------------------------------------------ helpers


def folder_stats(folder: str, skip=("index.html",)) -> tuple[int, int]:
    """Bytes and number of files under folder (the top-level names in `skip` left out)."""
    total = files = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if dirpath == folder and name in skip:
                continue
            total += os.path.getsize(os.path.join(dirpath, name))
            files += 1
    return total, files


def manifest_path(out: str) -> str:
    found = glob.glob(os.path.join(out, "search", "manifest.*.json"))
    if len(found) != 1:
        raise RuntimeError(f"expected one search manifest in {out}/search, found {len(found)}")
    return "/search/" + os.path.basename(found[0])


def node_search(out: str, queries: list) -> list | None:
    node = shutil.which("node")
    if not node:
        return None
    run = subprocess.run([node, RUN_SEARCH_JS, out, manifest_path(out), json.dumps(queries, ensure_ascii=False)],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return [{"total": a["total"], "top": [t["url"] for t in a["top"]]} for a in json.loads(run.stdout)]


def rank_of(urls: list, expected: list) -> int | None:
    """1-based rank of the first expected URL among the results, or None."""
    want = set(expected)
    for n, u in enumerate(urls, 1):
        if u in want:
            return n
    return None


def site_path(url: str) -> str:
    """/items/x/y/z/ from an absolute URL or a path (index.html dropped)."""
    path = urllib.parse.urlsplit(url).path
    path = urllib.parse.unquote(path)
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path


def run_cmd(cmd: list, work: str, name: str) -> dict:
    """measure() (wall, peak memory), plus the CPU seconds (user + sys) of the process and every
    descendant it waited for: less sensitive than wall time to other load on the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = measure(cmd, REPO, os.path.join(work, name + ".log"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    d = asdict(r)
    d["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not r.ok:
        d["tail"] = log_tail(r.log)
    return d


def peak_mb(run: dict) -> float:
    return run["peak_tree_mb"] if run.get("peak_tree_mb") is not None else run["max_rss_mb"]


def gxsite_build(content: str, out: str, work: str, name: str, force: bool) -> dict:
    stages_file = os.path.join(work, name + ".stages.json")
    cmd = [sys.executable, "-c", BUILD_WRAPPER, stages_file, "build", "--content", content, "--out", out,
           "--today", TODAY] + (["--force"] if force else [])
    run = run_cmd(cmd, work, name)
    if run["exit_code"] == 0:
        with open(stages_file, encoding="utf-8") as f:
            run["result"] = json.load(f)
    return run


# ------------------------------------------------------------------ browser


class _Server:
    """http.server on 127.0.0.1 (no compression, Last-Modified only, as python -m http.server),
    logging every response: path, status and body bytes sent."""

    def __init__(self, folder: str):
        log = self.log = []
        lock = threading.Lock()

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_response(self, code, message=None):
                self._code, self._length = int(code), 0
                super().send_response(code, message)

            def send_header(self, keyword, value):
                if keyword.lower() == "content-length":
                    self._length = int(value)
                super().send_header(keyword, value)

            def end_headers(self):
                with lock:
                    log.append((self.path, self._code, self._length if self.command != "HEAD" else 0))
                super().end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=folder))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def _search_file(path: str, engine: str) -> bool:
    """Is this request part of the engine's search (index files and search scripts)?"""
    path = urllib.parse.urlsplit(path).path
    if engine == "pagefind":
        return path.startswith("/pagefind/")
    name = path.rsplit("/", 1)[-1]
    return (path.startswith("/search/") and "." in name and not name.endswith(".html")) or \
        path in ("/assets/search-core.js", "/assets/search.js")


def _phase_bytes(entries: list, engine: str) -> dict:
    search = sum(n for p, code, n in entries if code == 200 and _search_file(p, engine))
    other = sum(n for p, code, n in entries if not _search_file(p, engine))
    return {"search_bytes": search, "other_bytes": other, "requests": len(entries),
            "search_requests": sum(_search_file(p, engine) for p, _, _ in entries)}


def browser_missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def run_browser(out: str, queries: list, show: int, with_pagefind: bool) -> dict:
    from playwright.sync_api import sync_playwright

    os.makedirs(os.path.join(out, os.path.dirname(BENCH_PAGE)), exist_ok=True)
    with open(os.path.join(out, BENCH_PAGE), "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>bench</title>'
                '</head><body><p>search benchmark page</p></body></html>\n')
    manifest = manifest_path(out)
    result = {}
    with _Server(out) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            result["gxsite_api"] = _api_session(browser, server, "gxsite", queries,
                                                lambda page, q: page.evaluate(GX_API_JS, [q, manifest, show]))
            if with_pagefind:
                result["pagefind_api"] = _api_session(browser, server, "pagefind", queries,
                                                      lambda page, q: page.evaluate(PF_API_JS, [q, show]))
            result["gxsite_page"] = _page_session(browser, server, queries)
        finally:
            browser.close()
    return result


def _api_session(browser, server: _Server, engine: str, queries: list, ask) -> list:
    """One page (a fresh context: empty cache) running every query through the engine's JS API."""
    context = browser.new_context()
    page = context.new_page()
    bodies = {}   # Chromium's view: URL path -> body bytes of each response

    def finished(request):
        response = request.response()
        if response is not None and response.status == 200:
            try:
                bodies[urllib.parse.urlsplit(request.url)._replace(scheme="", netloc="").geturl()] = len(response.body())
            except Exception:  # noqa: BLE001 - a body Chromium no longer holds
                pass

    page.on("requestfinished", finished)
    page.goto(server.base + "/" + BENCH_PAGE)
    page.wait_for_load_state("load")
    rows = []
    for q in queries:
        start = len(server.log)
        answer = ask(page, q)
        entries = server.log[start:]
        wanted = [path for path, code, _ in entries if code == 200 and _search_file(path, engine)]
        deadline = time.monotonic() + 5
        while any(w not in bodies for w in wanted) and time.monotonic() < deadline:
            page.wait_for_timeout(20)
        row = {"query": q, "total": answer["total"], "top": [site_path(u) for u in answer["urls"]],
               "ms": answer["ms"], **_phase_bytes(entries, engine),
               "chromium_bytes": sum(bodies.get(w, 0) for w in wanted),
               "files": [[path, n] for path, code, n in entries if _search_file(path, engine)]}
        rows.append(row)
    context.close()
    return rows


def _page_session(browser, server: _Server, queries: list) -> list:
    """gxsite's real search page: open /search/?q=<first>, then type each query into #q and submit."""
    context = browser.new_context()
    page = context.new_page()
    rows = []
    for n, q in enumerate(queries):
        start = len(server.log)
        t0 = time.perf_counter()
        if n == 0:
            page.goto(server.base + "/search/?q=" + urllib.parse.quote(q))
        else:
            page.fill("#q", q)
            page.press("#q", "Enter")
        page.wait_for_function(PAGE_DONE_JS, arg=q, timeout=60_000)
        ms = (time.perf_counter() - t0) * 1000
        status = page.text_content("#search-status")
        hrefs = page.eval_on_selector_all("#search-results > li h2 a", "els => els.map(e => e.href)")
        entries = server.log[start:]
        rows.append({"query": q, "status": status, "top": [site_path(h) for h in hrefs], "ms": ms,
                     "url": page.url, **_phase_bytes(entries, "gxsite"),
                     "files": [[path, code, b] for path, code, b in entries]})
    context.close()
    return rows


# ------------------------------------------------------------------ the run


def choose_edit(items: list, seed: int) -> tuple[object, str]:
    texts = [e.text for e in items]
    marker = next((m for m in MARKERS if not any(c in t for t in texts for c in m)), None)
    if marker is None:
        raise RuntimeError("every marker character already occurs in the tree")
    eligible = sorted((e for e in items if e.eligible), key=lambda e: e.id)
    return random.Random(seed + 1).choice(eligible), marker


def bench(n: int, work: str, seed: int, show: int, root_selector: str, rerun_pagefind: bool) -> dict:
    content, out = os.path.join(work, "content"), os.path.join(work, "out")
    row: dict = {"items": n, "load_avg_start": os.getloadavg()}

    gen = run_cmd([sys.executable, os.path.join(BENCHES, "gen_content.py"), str(n), content, "--seed", str(seed)],
                  work, "gen")
    if gen["exit_code"]:
        raise RuntimeError("gen_content.py failed:\n" + gen.get("tail", ""))
    row["gen"] = gen
    say(f"generated {n} items in {gen['wall_s']:.1f}s")

    # 1. gxsite build
    build = gxsite_build(content, out, work, "build", force=True)
    row["build"] = build
    if build["exit_code"]:
        raise RuntimeError("gxsite build failed:\n" + build.get("tail", ""))
    row["gxsite_index_bytes"], row["gxsite_index_files"] = folder_stats(os.path.join(out, "search"))
    say(f"gxsite build {build['wall_s']:.1f}s (index stage {build['result']['stages'].get('index', 0):.1f}s)")

    # 2. Pagefind over the same HTML: the standard item pages
    pagefind_cmd = [sys.executable, "-m", "pagefind", "--site", out, "--output-subdir", "pagefind",
                    "--glob", "items/**/*.html"] + (["--root-selector", root_selector] if root_selector else [])
    row["pagefind_cmd"] = pagefind_cmd
    pf = run_cmd(pagefind_cmd, work, "pagefind")
    row["pagefind"] = pf
    if pf["exit_code"] == 0:
        row["pagefind_bytes"], row["pagefind_files"] = folder_stats(os.path.join(out, "pagefind"), skip=())
        with open(pf["log"], encoding="utf-8", errors="replace") as f:
            row["pagefind_log"] = [line.strip() for line in f if "Indexed" in line]
        say(f"pagefind {pf['wall_s']:.1f}s")
    else:
        say("pagefind FAILED:\n" + pf.get("tail", ""))

    # 3. probes
    items = probe_mod.read_items(content, dt.date.fromisoformat(TODAY))
    chosen = probe_mod.choose(items, seed)
    for p in chosen:
        for url in p.expected:
            if not os.path.exists(os.path.join(out, url.strip("/"), "index.html")):
                raise RuntimeError(f"probe {p.query!r}: no page for expected {url}")
    queries = [p.query for p in chosen]
    row["probes"] = [asdict(p) for p in chosen]
    row["node"] = node_search(out, queries)

    # 4. Chromium
    missing = browser_missing()
    if missing:
        say(f"skipping the browser measurements: {missing}")
        row["browser_skipped"] = missing
    else:
        row["browser"] = run_browser(out, queries, show, pf["exit_code"] == 0)
        say("browser measurements done")

    # 5. whoosh: first run, unchanged run, the probes
    search_cmd = [sys.executable, "-m", "gxsite", "search", "--content", content, "--today", TODAY,
                  "--json", "--limit", "3"]
    row["whoosh_first"] = run_cmd(search_cmd + [queries[0]], work, "whoosh-first")
    row["whoosh_unchanged"] = run_cmd(search_cmd + [queries[0]], work, "whoosh-unchanged")
    qfile = os.path.join(work, "queries.json")
    with open(qfile, "w", encoding="utf-8") as f:
        json.dump(queries, f, ensure_ascii=False)
    wp = subprocess.run([sys.executable, "-c", WHOOSH_PROBES, content, TODAY, qfile], cwd=REPO,
                        capture_output=True, text=True)
    row["whoosh_probes"] = json.loads(wp.stdout)["answers"] if wp.returncode == 0 else {"error": wp.stderr[-2000:]}
    say(f"whoosh first run {row['whoosh_first']['wall_s']:.1f}s")

    # 6. one item changes
    edited, marker = choose_edit(items, seed)
    path = os.path.join(content, "items", edited.id + ".md")
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n本次修订补充了{marker}的有关说明。\n")
    row["edit"] = {"item": edited.id, "url": edited.url, "marker": marker}
    # gxsite search first: it finds the change on its own (the build after it gains nothing from it
    # but the edited file's parse, a few milliseconds).
    row["whoosh_after_edit"] = run_cmd(search_cmd + [marker], work, "whoosh-edit")
    try:
        with open(row["whoosh_after_edit"]["log"], encoding="utf-8") as f:
            text = f.read()
        row["edit"]["whoosh_top"] = [h["id"] for h in json.loads(text[text.index("["):])]
    except (ValueError, OSError):
        row["edit"]["whoosh_top"] = None
    rebuild = gxsite_build(content, out, work, "rebuild", force=False)
    row["rebuild"] = rebuild
    if rebuild["exit_code"] == 0:
        found = node_search(out, [marker])
        row["edit"]["static_top"] = found[0]["top"][:3] if found else None
    if rerun_pagefind and pf["exit_code"] == 0 and rebuild["exit_code"] == 0:
        row["pagefind_rerun"] = run_cmd(pagefind_cmd, work, "pagefind-rerun")
    row["load_avg_end"] = os.getloadavg()
    return row


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ report


def summarize(row: dict) -> dict:
    """The headline figures (also written to the JSON as `summary`)."""
    s: dict = {}
    probes = row["probes"]
    expected = [p["expected"] for p in probes]

    def recall(answers) -> int | None:
        if not answers or isinstance(answers, dict):
            return None
        return sum(1 for a, e in zip(answers, expected) if rank_of(a["top"][:3], e) is not None)

    b = row.get("browser", {})
    s["recall"] = {"gxsite_page": recall(b.get("gxsite_page")), "gxsite_api": recall(b.get("gxsite_api")),
                   "gxsite_node": recall(row.get("node")), "gxsite_search_cli": recall(row.get("whoosh_probes")),
                   "pagefind": recall(b.get("pagefind_api"))}
    for key, rows, field in (("gxsite_api", b.get("gxsite_api"), "search_bytes"),
                             ("gxsite_page", b.get("gxsite_page"), "search_bytes"),
                             ("gxsite_page_all", b.get("gxsite_page"), None),
                             ("pagefind_api", b.get("pagefind_api"), "search_bytes")):
        if not rows:
            continue
        vals = [r["search_bytes"] + r["other_bytes"] if field is None else r[field] for r in rows]
        later = vals[1:]
        s[key] = {"first": vals[0], "median": statistics.median(later), "max": max(later),
                  "total": sum(vals), "ms_median": statistics.median(r["ms"] for r in rows[1:])}
        if key == "gxsite_api" or key == "pagefind_api":
            s[key]["chromium_first"] = rows[0]["chromium_bytes"]
            s[key]["chromium_matches_server"] = all(r["chromium_bytes"] == r["search_bytes"] for r in rows)
    return s


def fmt_kb(n) -> str:
    return "-" if n is None else f"{n / 1000:,.1f} kB"


def ratio(a, b) -> str:
    if a is None or b is None or not b:
        return "-"
    return f"{a / b:.2f}×"


def table(row: dict, s: dict, meta: dict) -> str:
    build, pf = row["build"], row.get("pagefind", {})
    pf_ok = pf.get("exit_code") == 0
    stage = build["result"]["stages"].get("index")
    lines = [["", "gxsite", "Pagefind", "gxsite/Pagefind"]]

    def add(label, g, p, r="-"):
        lines.append([label, g, p, r])

    pf_s = pf["wall_s"] if pf_ok else None
    add("index build s", f"{stage:.2f} (index stage)", f"{pf_s:.2f} (whole run)" if pf_ok else "-", ratio(stage, pf_s))
    add("  full gxsite build s", f"{build['wall_s']:.2f} (stage {stage / build['wall_s']:.0%})", "-")
    add("CPU s (user+sys)", f"{build['cpu_s']:.1f} (whole build)", f"{pf['cpu_s']:.1f}" if pf_ok else "-",
        ratio(build["cpu_s"], pf["cpu_s"] if pf_ok else None))
    add("peak memory MB", f"{peak_mb(build):.0f} (whole build)", f"{peak_mb(pf):.0f}" if pf_ok else "-",
        ratio(peak_mb(build), peak_mb(pf) if pf_ok else None))
    add("index size", fmt_kb(row["gxsite_index_bytes"]), fmt_kb(row.get("pagefind_bytes")),
        ratio(row["gxsite_index_bytes"], row.get("pagefind_bytes")))
    add("index files", str(row["gxsite_index_files"]), str(row.get("pagefind_files", "-")),
        ratio(row["gxsite_index_files"], row.get("pagefind_files")))
    r = {k: "-" if v is None else f"{v}/{len(row['probes'])}" for k, v in s["recall"].items()}
    add("recall@3 (20 probes)", f"{r['gxsite_page']} page, {r['gxsite_api']} api", r["pagefind"])
    add("  same index elsewhere", f"{r['gxsite_node']} node, {r['gxsite_search_cli']} gxsite search", "")
    g, gp, p = s.get("gxsite_api"), s.get("gxsite_page"), s.get("pagefind_api")
    if g:
        add("first search bytes (api)", fmt_kb(g["first"]), fmt_kb(p and p["first"]), ratio(g["first"], p and p["first"]))
        add("later query bytes median", fmt_kb(g["median"]), fmt_kb(p and p["median"]), ratio(g["median"], p and p["median"]))
        add("later query bytes max", fmt_kb(g["max"]), fmt_kb(p and p["max"]), ratio(g["max"], p and p["max"]))
        add("20 queries bytes", fmt_kb(g["total"]), fmt_kb(p and p["total"]), ratio(g["total"], p and p["total"]))
        add("later query ms median", f"{g['ms_median']:.1f}", f"{p['ms_median']:.1f}" if p else "-",
            ratio(g["ms_median"], p and p["ms_median"]))
    if gp:
        add("/search/ page: first search", fmt_kb(gp["first"]), "", ratio(gp["first"], p and p["first"]))
        add("  later median / max", f"{fmt_kb(gp['median'])} / {fmt_kb(gp['max'])}", "",
            ratio(gp["median"], p and p["median"]))
        ga = s["gxsite_page_all"]
        add("  with HTML+CSS: first, median", f"{fmt_kb(ga['first'])}, {fmt_kb(ga['median'])}", "")
    rb, wf, wu, we = row["rebuild"], row["whoosh_first"], row["whoosh_unchanged"], row["whoosh_after_edit"]
    rerun = row.get("pagefind_rerun")
    after_pf = rb["wall_s"] + rerun["wall_s"] if rerun and rerun["exit_code"] == 0 else None
    add("one item changed: static s", f"{rb['wall_s']:.2f} (gxsite build)",
        f"{after_pf:.2f} (build + pagefind)" if after_pf else "-", ratio(rb["wall_s"], after_pf))
    add("  index stage of that build s", f"{rb['result']['stages'].get('index', 0):.2f}" if rb["exit_code"] == 0
        else "FAILED", "")
    add("  whoosh (gxsite search) s", f"{we['wall_s']:.2f} (cpu {we['cpu_s']:.1f})", "")
    add("whoosh first run s", f"{wf['wall_s']:.2f} (cpu {wf['cpu_s']:.1f})", "")
    add("whoosh unchanged run s", f"{wu['wall_s']:.2f} (cpu {wu['cpu_s']:.1f})", "")
    e = row["edit"]
    add("edited item found first", f"static {'yes' if (e.get('static_top') or [None])[0] == e['url'] else 'NO'}, "
        f"whoosh {'yes' if (e.get('whoosh_top') or [None])[0] == e['item'] else 'NO'}", "")
    widths = [max(len(str(l[i])) for l in lines) for i in range(4)]
    head = (f"gxsite search vs Pagefind {meta.get('pagefind') or '?'}"
            f"{' extended' if meta.get('pagefind_extended') else ''} — {row['items']} items, "
            f"{meta['cpus']} CPUs, load avg {row['load_avg_start'][0]:.1f} → {row['load_avg_end'][0]:.1f}")
    body = "\n".join("  ".join(str(c).ljust(w) for c, w in zip(l, widths)).rstrip() for l in lines)
    return head + "\n" + body


def probe_table(row: dict) -> str:
    b = row.get("browser", {})
    cols = [("page", b.get("gxsite_page")), ("api", b.get("gxsite_api")), ("node", row.get("node")),
            ("cli", row.get("whoosh_probes") if isinstance(row.get("whoosh_probes"), list) else None),
            ("pagefind", b.get("pagefind_api"))]
    lines = [["#", "kind", "query", "exp", "titles"] + [c for c, _ in cols] + ["pf total", "pf top1"]]
    for n, p in enumerate(row["probes"]):
        ranks = []
        for _, answers in cols:
            if not answers:
                ranks.append("-")
                continue
            r = rank_of(answers[n]["top"], p["expected"])
            ranks.append(str(r) if r else "miss")
        pfa = b.get("pagefind_api")
        lines.append([str(n + 1), p["kind"], p["query"], str(len(p["expected"])), str(p["titles_containing"])] + ranks +
                     [str(pfa[n]["total"]) if pfa else "-", (pfa[n]["top"][:1] or ["-"])[0] if pfa else "-"])
    widths = [max(_width(l[i]) for l in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(c + " " * (w - _width(c)) for c, w in zip(l, widths)).rstrip() for l in lines)


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark gxsite's search against Pagefind on generated content.")
    parser.add_argument("--items", type=int, default=10000, help="items in the generated tree (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", metavar="DIR", help="keep the tree, outputs and logs in DIR (new or empty)")
    parser.add_argument("--json", metavar="FILE", help="also write every measurement as JSON")
    parser.add_argument("--show", type=int, default=10, help="results whose text each query loads (default 10, "
                        "as the search page shows)")
    parser.add_argument("--pagefind-root", default="main", help="Pagefind --root-selector (default main: the "
                        "page content, no navigation; '' for the whole <body>)")
    parser.add_argument("--no-pagefind-rerun", action="store_true", help="skip Pagefind's re-run after the edit")
    args = parser.parse_args(argv)
    if args.items < 16:
        parser.error("--items must be at least 16")

    pf_version = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True)
    meta = {"date": dt.date.today().isoformat(), "today_flag": TODAY, "python": platform.python_version(),
            "cpus": os.cpu_count(), "seed": args.seed, "psutil": psutil is not None, "show": args.show,
            "pagefind": pf_version.stdout.strip().replace("pagefind ", "") if pf_version.returncode == 0 else None,
            "pagefind_extended": importlib.util.find_spec("pagefind_bin_extended") is not None,
            "pagefind_root": args.pagefind_root}
    if meta["pagefind"] is None:
        print("pagefind is not installed: pip install 'pagefind[extended]'", file=sys.stderr)
        return 2

    def go(work):
        return bench(args.items, work, args.seed, args.show, args.pagefind_root, not args.no_pagefind_rerun)

    try:
        if args.keep:
            work = os.path.abspath(args.keep)
            if os.path.exists(work) and os.listdir(work):
                print(f"bench_search: {work} is not empty", file=sys.stderr)
                return 2
            os.makedirs(work, exist_ok=True)
            row = go(work)
        else:
            with tempfile.TemporaryDirectory(prefix=f"gxsite-search-{args.items}-") as work:
                row = go(work)
    except RuntimeError as exc:
        print(f"bench_search: {exc}", file=sys.stderr)
        return 1

    summary = summarize(row)
    print(table(row, summary, meta))
    print()
    print(probe_table(row))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "summary": summary, "results": row}, f, ensure_ascii=False, indent=1)
    return 0 if row["rebuild"]["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
