"""How long after an editor saves an item its change is in the site and in both search indexes.

    python benches/bench_live.py [--items 10000] [--edits 10] [--seed 0] [--keep DIR] [--json FILE]

1. Generates a tree (gen_content.py), builds it once (`gxsite build --force`, which also fills
   the memo), then appends a paragraph to one item and builds again: the baseline, what one edit
   costs without a running preview.
2. Runs `gxsite search` once (whoosh's first index), untimed in the table but reported.
3. Starts `gxsite serve` on the tree and waits for its first build.
4. For each of --edits items (notices, news and policies, chosen at random): appends a paragraph
   holding a word found nowhere else, then
   - waits (polling every 5 ms) for the preview's line saying it applied the edit on its quick
     path, printed once every page and index file is replaced and the old index files are gone:
     the time from the save to the static index and pages being out (an edit that took a full
     build instead is flagged and left out of the figures); /search/ must name a new manifest;
   - polls until the preview has brought whoosh's index up to date too (it rewrites the
     index's tree.json last): the time from the save to `gxsite search` having nothing to read;
   - checks in node (templates/assets/search-core.js) that the new index ranks the item first
     for that word, and that the item's page holds it;
   - times `gxsite search WORD` (start-up included), checks it ranks the item first and that
     it did not have to read the tree (whoosh's tree.json is left as it was).
5. Builds the edited tree from scratch (no memo) into another folder and compares every file
   with the preview's output: they must be byte-identical.
Prints a table; ratios are against the baseline of step 1, measured in the same run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCHES = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCHES)
TODAY = "2026-11-26"
POLL_S = 0.005
QUICK = "个文件，用时"        # the preview's line after an update in place (serve.Preview.build)
FULL = "个页面重新生成，用时"  # its line after a whole build (temporary folder, swap)
MANIFEST = re.compile(r"manifest\.[0-9a-f]{8}\.json")


def gxsite(*args: str, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "gxsite", *args], cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if check and run.returncode != 0:
        sys.exit(f"gxsite {' '.join(args)} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return seconds, run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manifest_of(out: str) -> str:
    try:
        with open(os.path.join(out, "search", "index.html"), encoding="utf-8") as f:
            found = MANIFEST.search(f.read())
        return found.group(0) if found else ""
    except OSError:
        return ""


def whoosh_state(content: str) -> str:
    try:
        with open(os.path.join(os.path.dirname(content), ".gxsite-cache", "whoosh-" + os.path.basename(content),
                               "tree.json"), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def append(path: str, word: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n\n补充说明：本条新增检索词 {word}，用于测试预览更新。\n")


def item_files(content: str, types=("notice", "news", "policy")) -> list[str]:
    out = []
    for root, _, files in os.walk(os.path.join(content, "items")):
        for name in files:
            if name.endswith(".md") and root.count(os.sep) - content.count(os.sep) == 3:
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    head = f.read(400)
                kind = re.search(r"(?m)^type: (\w+)", head)
                date = re.search(r"(?m)^date: (\S+)", head)
                if kind and kind.group(1) in types and date and date.group(1) <= TODAY:
                    out.append(path)
    return sorted(out)


def url_of(content: str, path: str) -> str:
    rel = os.path.relpath(path, os.path.join(content, "items"))[: -len(".md")]
    return f"/items/{rel.replace(os.sep, '/')}/"


def node_top(out: str, manifest: str, query: str) -> list[str]:
    run = subprocess.run(["node", os.path.join(REPO, "tests", "js", "run_search.js"), out, "/search/" + manifest,
                          json.dumps([query])], capture_output=True, text=True, check=True)
    return [hit["url"] for hit in json.loads(run.stdout)[0]["top"]]


def digests(folder: str) -> dict[str, str]:
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = hashlib.blake2b(f.read(), digest_size=16).hexdigest()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", help="work in this folder (new or empty) and keep it")
    ap.add_argument("--json", help="write the measurements to this file")
    args = ap.parse_args()

    work = args.keep or tempfile.mkdtemp(prefix="gxsite-bench-live-")
    os.makedirs(work, exist_ok=True)
    if os.listdir(work):   # a memo or whoosh index left there would make the cold figures warm
        sys.exit(f"{work} is not empty")
    content, out, full = (os.path.join(work, n) for n in ("content", "live-out", "full-out"))
    rng = random.Random(args.seed)
    sys.path.insert(0, BENCHES)
    from gen_content import generate

    print(f"generating {args.items} items …", file=sys.stderr)
    generate(args.items, content, seed=args.seed)
    candidates = item_files(content)

    # 1. Baseline: a whole build after one edit (the memo warm from the first build).
    cold_s, _ = gxsite("build", "--force", "--content", content, "--out", full, "--today", TODAY)
    append(rng.choice(candidates), "baselineedit")
    rebuild_s, _ = gxsite("build", "--content", content, "--out", full, "--today", TODAY)
    print(f"cold build {cold_s:.1f} s, build after one edit {rebuild_s:.1f} s", file=sys.stderr)

    # 2. whoosh's first index (before the preview starts, so the two do not share the CPUs).
    whoosh_first_s, _ = gxsite("search", "公开", "--content", content, "--today", TODAY, "--limit", "1")

    # 3. The preview.
    port = free_port()
    started = time.perf_counter()
    serve = subprocess.Popen([sys.executable, "-m", "gxsite", "serve", "--content", content, "--out", out,
                              "--port", str(port), "--today", TODAY],
                             cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    ready = threading.Event()

    def read_log():
        for line in serve.stderr:
            log.append(line.rstrip("\n"))
            if "预览地址" in line:
                ready.set()
    threading.Thread(target=read_log, daemon=True).start()
    rows = []
    try:
        if not ready.wait(1800):
            sys.exit("the preview did not start:\n" + "\n".join(log[-20:]))
        serve_start_s = time.perf_counter() - started
        time.sleep(2)   # the watcher is up once the server runs
        # 4. Edits.
        for n in range(args.edits):
            path = rng.choice(candidates)
            word = f"gxlive{n}q{rng.randrange(10**6)}"
            before, whoosh_before = manifest_of(out), whoosh_state(content)
            lines_before = len(log)
            t0 = time.perf_counter()
            append(path, word)
            while not any(QUICK in line or FULL in line for line in log[lines_before:]):
                if time.perf_counter() - t0 > 120:
                    sys.exit("the preview did not update within 120 s:\n" + "\n".join(log[-20:]))
                time.sleep(POLL_S)
            static_s = time.perf_counter() - t0
            quick = any(QUICK in line for line in log[lines_before:])
            if manifest_of(out) == before:
                sys.exit("the preview updated without a new search index:\n" + "\n".join(log[-20:]))
            while whoosh_state(content) == whoosh_before:
                if time.perf_counter() - t0 > 120:
                    sys.exit("the preview did not update whoosh within 120 s:\n" + "\n".join(log[-20:]))
                time.sleep(POLL_S)
            kept_s = time.perf_counter() - t0
            reported = [float(m.group(1)) for line in log[lines_before:]
                        for m in [re.search(r"用时 ([\d.]+) 秒", line)] if m]
            url = url_of(content, path)
            with open(os.path.join(out, url.strip("/"), "index.html"), encoding="utf-8") as f:
                page_ok = word in f.read()
            node = node_top(out, manifest_of(out), word)
            kept_state = whoosh_state(content)
            whoosh_s, run = gxsite("search", word, "--content", content, "--today", TODAY, "--json")
            whoosh = [f"/items/{hit['id']}/" for hit in json.loads(run.stdout)]
            rows.append({"item": url, "quick": quick, "static_s": static_s, "whoosh_kept_s": kept_s,
                         "preview_reported_s": reported[-1] if reported else None,
                         "page_ok": page_ok, "static_first": node[:1] == [url], "whoosh_s": whoosh_s,
                         "whoosh_read_nothing": whoosh_state(content) == kept_state,
                         "whoosh_first": whoosh[:1] == [url]})
            print(f"edit {n + 1}: {'quick' if quick else 'FULL BUILD'}, static index {static_s:.2f} s, "
                  f"whoosh kept {kept_s:.2f} s, search {whoosh_s:.2f} s "
                  f"(read nothing: {rows[-1]['whoosh_read_nothing']}), "
                  f"found first: {node[:1] == [url]}/{whoosh[:1] == [url]}", file=sys.stderr)
            time.sleep(0.5)
    finally:
        serve.terminate()
        serve.wait(30)

    # 5. The preview's output against a whole build of the same tree, made without any memo.
    shutil.rmtree(full, ignore_errors=True)
    shutil.rmtree(os.path.join(work, ".gxsite-cache", "memo-content"), ignore_errors=True)
    gxsite("build", "--force", "--content", content, "--out", full, "--today", TODAY)
    a, b = digests(out), digests(full)
    differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))

    timed = [r for r in rows if r["quick"]]   # an edit that took a full build is not the quick path
    if not timed:
        sys.exit("no edit took the preview's quick path")
    static = [r["static_s"] for r in timed]
    whoosh = [r["whoosh_s"] for r in timed]
    kept = [r["whoosh_kept_s"] for r in timed]
    summary = {
        "items": args.items, "edits": len(rows), "quick": len(timed), "cpus": os.cpu_count(),
        "cold_build_s": cold_s, "build_after_edit_s": rebuild_s, "serve_start_s": serve_start_s,
        "whoosh_first_s": whoosh_first_s,
        "static_median_s": statistics.median(static), "static_max_s": max(static),
        "whoosh_kept_median_s": statistics.median(kept), "whoosh_kept_max_s": max(kept),
        "whoosh_median_s": statistics.median(whoosh), "whoosh_max_s": max(whoosh),
        "found_first_static": sum(r["static_first"] and r["page_ok"] for r in rows),
        "found_first_whoosh": sum(r["whoosh_first"] for r in rows),
        "whoosh_read_nothing": sum(r["whoosh_read_nothing"] for r in rows),
        "identical_to_full_build": not differing, "differing": differing[:20], "rows": rows,
    }
    print()
    print(f"{args.items} items, {len(rows)} edits ({len(timed)} on the quick path, the figures), {os.cpu_count()} CPUs")
    print(f"{'':44} {'median':>8} {'max':>8} {'vs build':>9}")
    print(f"{'baseline: gxsite build after one edit':44} {rebuild_s:8.2f} {'':8} {1:9.2f}")
    print(f"{'preview: save → static index and pages out':44} {summary['static_median_s']:8.2f} "
          f"{summary['static_max_s']:8.2f} {summary['static_median_s'] / rebuild_s:9.3f}")
    print(f"{'preview: save → whoosh index up to date':44} {summary['whoosh_kept_median_s']:8.2f} "
          f"{summary['whoosh_kept_max_s']:8.2f} {summary['whoosh_kept_median_s'] / rebuild_s:9.3f}")
    print(f"{'then gxsite search WORD (whoosh)':44} {summary['whoosh_median_s']:8.2f} "
          f"{summary['whoosh_max_s']:8.2f} {summary['whoosh_median_s'] / rebuild_s:9.3f}")
    print(f"found first: static {summary['found_first_static']}/{len(rows)}, whoosh "
          f"{summary['found_first_whoosh']}/{len(rows)}; gxsite search read nothing: "
          f"{summary['whoosh_read_nothing']}/{len(rows)}; preview output identical to a full build: "
          f"{'yes' if not differing else 'NO ' + str(differing[:5])}")
    print(f"cold build {cold_s:.1f} s; preview start {serve_start_s:.1f} s; whoosh first index {whoosh_first_s:.1f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False, indent=1)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    ok = not differing and summary["found_first_static"] == len(rows) and summary["found_first_whoosh"] == len(rows)
    ok = ok and summary["whoosh_read_nothing"] == len(rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
