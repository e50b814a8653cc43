"""Benchmark `gxsite build` on generated content trees, with Hugo as a baseline.

    python benches/bench_build.py [--sizes 1000,10000] [--keep DIR] [--json FILE] [--seed S]

For each size: generate a tree (gen_content.py), build it with
`python -m gxsite build` (cwd: the repository), build it again unchanged, and,
when `hugo` is on PATH, build the same items as a minimal Hugo site. Prints one
table row per size; see benches/README.md for what each number means.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass

import yaml

try:
    import psutil
except ImportError:  # peak RSS then comes from wait4 alone (largest process, not the tree)
    psutil = None

BENCHES = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCHES)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TODAY = "2026-11-26"
SAMPLE_SECONDS = 0.05
LOG_TAIL_LINES = 15


@dataclass
class Run:
    """One measured subprocess."""
    wall_s: float
    exit_code: int
    peak_tree_mb: float | None  # psutil: summed RSS of the process and its children, sampled
    max_rss_mb: float           # kernel: largest single process RSS (wait4 ru_maxrss), which
                                # also counts this script's own RSS at spawn time (vfork + exec)
    log: str

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def tree_rss(proc) -> int:
    total = 0
    try:
        members = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:  # exited between listing and reading
            pass
    return total


def measure(cmd: list, cwd: str, log_path: str) -> Run:
    """Run cmd to completion; the waiting thread stays blocked in wait4 so wall time is exact."""
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
        peak = [0]
        done = threading.Event()

        def sample(ps):
            while True:
                peak[0] = max(peak[0], tree_rss(ps))
                if done.wait(SAMPLE_SECONDS):
                    return

        # The Process handle is taken before wait4 can reap the child, however fast it exits.
        sampler = threading.Thread(target=sample, args=(psutil.Process(child.pid),), daemon=True) if psutil else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        done.set()
        if sampler:
            sampler.join()
    return Run(wall_s=wall, exit_code=child.returncode,
               peak_tree_mb=peak[0] / 2**20 if psutil else None,
               max_rss_mb=usage.ru_maxrss / 1024, log=log_path)  # ru_maxrss is in KiB on Linux


def count_html(folder: str) -> int:
    return sum(name.endswith(".html") for _, _, files in os.walk(folder) for name in files)


def log_tail(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-LOG_TAIL_LINES:])


# ------------------------------------------------------------------ Hugo site

HUGO_CONFIG = """baseURL = "https://www.gaoxian.gov.cn/"
languageCode = "zh-cn"
title = "高县人民政府"
paginate = 20
[taxonomies]
  org = "orgs"
"""
HUGO_HEAD = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
             '<title>{{ .Title }} - {{ .Site.Title }}</title></head><body>'
             '<nav><a href="{{ "/" | relURL }}">首页</a></nav><main>')
HUGO_FOOT = "</main></body></html>\n"
HUGO_LAYOUTS = {
    "_default/single.html": HUGO_HEAD + '<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}'
    '{{ range .Params.orgs }} <a href="{{ (printf "/orgs/%s/" .) | relURL }}">{{ . }}</a>{{ end }}'
    "</p>{{ .Content }}" + HUGO_FOOT,
    "_default/list.html": HUGO_HEAD + "<h1>{{ .Title }}</h1><ul>"
    '{{ range (.Paginate .Pages).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> '
    '{{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>'
    '{{ template "_internal/pagination.html" . }}' + HUGO_FOOT,
    "index.html": HUGO_HEAD + "<h1>{{ .Site.Title }}</h1><ul>"
    "{{ range first 20 .Site.RegularPages.ByDate.Reverse }}"
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>' + HUGO_FOOT,
}


def write_hugo_site(tree: str, site: str) -> None:
    """The tree's items as Hugo pages, same bodies: one section per type, one `orgs` taxonomy."""
    for rel, text in [("config.toml", HUGO_CONFIG)] + [(f"layouts/{k}", v) for k, v in HUGO_LAYOUTS.items()]:
        os.makedirs(os.path.dirname(os.path.join(site, rel)), exist_ok=True)
        with open(os.path.join(site, rel), "w", encoding="utf-8") as f:
            f.write(text)
    for source in glob.glob(os.path.join(tree, "items", "*", "*", "*.md")):
        with open(source, encoding="utf-8") as f:
            head, body = f.read()[len("---\n"):].split("\n---\n", 1)
        fm = yaml.load(head, Loader=_LOADER)
        org, year, name = os.path.relpath(source, os.path.join(tree, "items")).split(os.sep)
        path = os.path.join(site, "content", fm["type"], f"{org}-{year}-{name}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        front = yaml.safe_dump({"title": fm["title"], "date": fm["date"], "orgs": [org]},
                               allow_unicode=True, sort_keys=False)
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"---\n{front}---\n{body}")


def hugo_version() -> str | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    result = subprocess.run([hugo, "version"], capture_output=True, text=True)
    return result.stdout.strip() or None


# --------------------------------------------------------------------- bench


def bench_size(n: int, work: str, seed: int, with_hugo: bool) -> dict:
    tree, out = os.path.join(work, "content"), os.path.join(work, "out")
    # A child process generates, so this one stays small: ru_maxrss of later children counts it.
    gen = measure([sys.executable, os.path.join(BENCHES, "gen_content.py"), str(n), tree, "--seed", str(seed)],
                  REPO, os.path.join(work, "gen.log"))
    if not gen.ok:
        raise RuntimeError(f"gen_content.py failed:\n{log_tail(gen.log)}")
    row = {"size": n, "gen_s": gen.wall_s}

    build = [sys.executable, "-m", "gxsite", "build", "--content", tree, "--out", out, "--today", TODAY]
    first = measure(build, REPO, os.path.join(work, "build.log"))
    row["build"] = asdict(first)
    if first.ok:
        row["pages"] = count_html(out)
        row["rebuild"] = asdict(measure(build, REPO, os.path.join(work, "rebuild.log")))
    else:
        row["error"] = log_tail(first.log)

    if with_hugo:
        site = os.path.join(work, "hugo")
        write_hugo_site(tree, site)
        hugo_out = os.path.join(work, "hugo-out")
        hugo = measure(["hugo", "--quiet", "-d", hugo_out], site, os.path.join(work, "hugo.log"))
        row["hugo"] = asdict(hugo)
        row["hugo_pages"] = count_html(hugo_out) if hugo.ok else None
    return row


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(rows: list) -> str:
    header = ["size", "pages", "items/s", "pages/s", "wall s", "peak MB", "rebuild s", "hugo s", "gxsite/hugo"]
    lines = [header]
    for r in rows:
        build, rebuild, hugo = r["build"], r.get("rebuild"), r.get("hugo")
        ok = build["exit_code"] == 0
        hugo_ok = hugo is not None and hugo["exit_code"] == 0
        wall = build["wall_s"]
        # The sampled tree sum when psutil is there: ru_maxrss sees one process only.
        peak = build["peak_tree_mb"] if build["peak_tree_mb"] is not None else build["max_rss_mb"]
        lines.append([
            str(r["size"]), fmt(r.get("pages"), "d"),
            fmt(r["size"] / wall if ok else None, ".0f"),
            fmt(r["pages"] / wall if ok else None, ".0f"),
            f"{wall:.2f}" if ok else f"FAILED ({build['exit_code']})",
            fmt(peak if ok else None, ".0f"),
            fmt(rebuild["wall_s"] if rebuild and rebuild["exit_code"] == 0 else None, ".2f"),
            fmt(hugo["wall_s"] if hugo_ok else None, ".2f"),
            f"{wall / hugo['wall_s']:.1f}×" if ok and hugo_ok else "-",
        ])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)


def parse_sizes(text: str) -> list:
    sizes = [int(s) for s in text.split(",") if s.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers, e.g. 1000,10000")
    return sizes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark gxsite build (and Hugo) on generated content.")
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10000], help="comma-separated item counts")
    parser.add_argument("--keep", metavar="DIR", help="keep trees, outputs and logs in DIR/<size>/")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    hugo = hugo_version()
    if hugo is None:
        print("hugo not found on PATH: skipping the Hugo baseline", file=sys.stderr)
    rows = []
    for n in args.sizes:
        if args.keep:
            work = os.path.join(os.path.abspath(args.keep), str(n))
            if os.path.exists(work) and os.listdir(work):
                print(f"bench_build: {work} is not empty; remove it or choose another --keep", file=sys.stderr)
                return 2
            os.makedirs(work, exist_ok=True)
            rows.append(bench_size(n, work, args.seed, hugo is not None))
        else:
            with tempfile.TemporaryDirectory(prefix=f"gxsite-bench-{n}-") as work:
                rows.append(bench_size(n, work, args.seed, hugo is not None))
        print(f"size {n}: done", file=sys.stderr)

    print(table(rows))
    for r in rows:
        if "error" in r:
            print(f"\ngxsite build failed at size {r['size']} (exit {r['build']['exit_code']}); log tail:\n{r['error']}")
    if args.json:
        meta = {"date": dt.date.today().isoformat(), "today_flag": TODAY, "python": platform.python_version(),
                "cpus": os.cpu_count(), "hugo": hugo, "seed": args.seed, "psutil": psutil is not None}
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "results": rows}, f, ensure_ascii=False, indent=2)
    return 0 if all(r["build"]["exit_code"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
