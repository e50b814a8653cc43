"""Benchmark `gxsite build` on generated content trees, with Hugo as a baseline (issue 17).

    python benches/bench_build.py [--sizes 1000,10000] [--repeat 3] [--verify]
                                  [--changes text,date,...] [--keep DIR] [--json FILE] [--seed S]

For each size, in one run: generate a tree (gen_content.py); build it cold (no memo, no output)
and build it with Hugo, `--repeat` times interleaved; rebuild it unchanged; then apply one kind
of change at a time (text, date, columns, fields, new item, deleted item, columns.yaml rule,
template) and run `gxsite build` after each, the memo and output of the previous build present.
At checkpoints (every build with --verify) the same tree is also built from scratch into another
folder and both outputs are compared byte for byte. Prints one table; see benches/README.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
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
CACHE_DIR = ".gxsite-cache"   # beside the content folder: the memo, and the output's stamp
# gxsite's own templates, found as gxsite.core.packaged does, without importing gxsite here
# (this process's RSS would count in the children's ru_maxrss).
PACKAGED_TEMPLATES = next(p for p in (os.path.join(REPO, "gxsite", "templates"), os.path.join(REPO, "templates"))
                          if os.path.isdir(p))
TARGET_EDIT, TARGET_COLD, TARGET_UNCHANGED = 0.1, 1.0, 0.1   # issue 17, ratios to Hugo's cold build

# The kinds of change, in the order they are applied (each on top of the previous ones).
# `bounded`: a change the dependency map should handle without a full build (target 1).
CHANGES = [
    ("text", True), ("date", True), ("columns", True), ("fields", True),
    ("new item", True), ("deleted item", True), ("columns.yaml rule", True), ("template", False),
]
# Without --verify, compare with a from-scratch build after these: the last bounded change (the
# tree then holds every bounded change, so a page left stale by any of them shows) and the last.
CHECKPOINTS = {"columns.yaml rule", "template"}
APPENDED = "\n本段为性能测试追加的一句话，用于检验修改一条信息后的生成结果。\n"
TEMPLATE_MARK = "<!-- bench_build: template edit -->"


@dataclass
class Run:
    """One measured subprocess."""
    wall_s: float
    exit_code: int
    peak_tree_mb: float | None  # psutil: summed RSS of the process and its children, sampled
    max_rss_mb: float           # kernel: largest single process RSS (wait4 ru_maxrss), which
                                # also counts this script's own RSS at spawn time (vfork + exec)
    log: str
    cpu_s: float | None = None  # user + sys of the process and every descendant it waited for

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


def measure(cmd: list, cwd: str, log_path: str, env: dict | None = None) -> Run:
    """Run cmd to completion; the waiting thread stays blocked in wait4 so wall time is exact."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env=env)
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
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall_s=wall, exit_code=child.returncode,
               peak_tree_mb=peak[0] / 2**20 if psutil else None,
               max_rss_mb=usage.ru_maxrss / 1024, log=log_path, cpu_s=cpu)  # ru_maxrss is in KiB on Linux


def count_html(folder: str) -> int:
    return sum(name.endswith(".html") for _, _, files in os.walk(folder) for name in files)


def log_tail(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-LOG_TAIL_LINES:])


def peak_mb(run: dict) -> float:
    return run["peak_tree_mb"] if run.get("peak_tree_mb") is not None else run["max_rss_mb"]


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
    result = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    return result.stdout.strip() or None


# ------------------------------------------------------------ planned edits
# The plan is made in a child process (`--plan TREE`): it reads every file of the tree, which
# would leave this process large, and its RSS counts in the children's ru_maxrss.

FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
DOC_NO = re.compile(r"^(?P<head>.*〔\d{4}〕)(?P<n>\d+)(?P<tail>号)$")


def _front(text: str) -> dict:
    match = FRONT.match(text)
    return yaml.load(match.group(1), Loader=_LOADER) if match else {}


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _mentions(text: str, token: str) -> bool:
    """`token` in text as a whole id or slug (not as the start of dt-x-31 for dt-x-3)."""
    start = text.find(token)
    while start != -1:
        before = text[start - 1] if start else " "
        after = text[start + len(token)] if start + len(token) < len(text) else " "
        if not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_"):
            return True
        start = text.find(token, start + 1)
    return False


def plan_edits(tree: str, seed: int) -> dict:
    """Which file each kind of change edits, chosen with the seed among items where the change is
    valid; every choice is a different item. Values are relative to the tree."""
    rng = random.Random(seed)
    items = {}
    for path in sorted(glob.glob(os.path.join(tree, "items", "*", "*", "*.md"))):
        rel = os.path.relpath(path, tree).replace(os.sep, "/")
        items[rel] = _front(_read(path))
    # News items: nothing points at them by date or type, so they can move, appear and go.
    news = [rel for rel, fm in items.items() if fm.get("type") == "news" and "updated" not in fm
            and "columns" not in fm]
    picked = rng.sample(news, min(len(news), 24))
    plan: dict = {}
    used: set = set()

    def take(ok=lambda rel: True):
        for rel in picked:
            if rel not in used and ok(rel):
                used.add(rel)
                return rel
        return None

    plan["text"] = {"file": take()}
    rel = take()
    if rel:
        old = items[rel]["date"]
        last = dt.date(old.year, 12, 28) if old.year < 2026 else dt.date(2026, 11, 20)
        new = last if last != old else last - dt.timedelta(days=1)
        plan["date"] = {"file": rel, "old": old.isoformat(), "new": new.isoformat()}
    columns = yaml.load(_read(os.path.join(tree, "columns.yaml")), Loader=_LOADER)
    parents = {c.get("parent") for c in columns}
    named = [c["id"] for c in columns if "select" not in c and c["id"] not in parents]
    rel = take()
    if rel and named:
        plan["columns"] = {"file": rel, "column": named[0]}
    # A policy with an interpretation: its 文号 shows on the interpretation's page too.
    interpreted = {fm.get("interprets") for fm in items.values() if fm.get("type") == "interpretation"}
    policies = [r for r, fm in items.items() if fm.get("type") == "policy" and DOC_NO.match(str(fm.get("doc_no", "")))]
    policies = [r for r in policies if r[len("items/"):-len(".md")] in interpreted] or policies
    if policies:
        rel = policies[rng.randrange(len(policies))]
        m = DOC_NO.match(items[rel]["doc_no"])
        plan["fields"] = {"file": rel, "field": "doc_no", "old": items[rel]["doc_no"],
                          "new": f"{m['head']}{int(m['n']) + 1000}{m['tail']}"}
    rel = take()
    if rel:
        folder = rel.rsplit("/", 1)[0]
        prefix = items[rel]["index_no"].rsplit("-", 1)[0]   # <credit code>/<yyyy>
        serials = [int(fm["index_no"].rsplit("-", 1)[1]) for r, fm in items.items()
                   if r.rsplit("/", 1)[0] == folder and str(fm.get("index_no", "")).startswith(prefix + "-")]
        slug = rel.rsplit("/", 1)[1][:-len(".md")] + "-bench"
        plan["new item"] = {"file": f"{folder}/{slug}.md", "copy_of": rel,
                            "index_no": f"{prefix}-{max(serials) + 1:05d}", "old_index_no": items[rel]["index_no"]}
    # Deleted: an item no other file names (by id or by file name, as related:, links, …).
    candidates = [r for r in picked if r not in used]
    tokens = {r: (r[len("items/"):-len(".md")], r.rsplit("/", 1)[1]) for r in candidates}
    named_elsewhere = set()
    for path in glob.glob(os.path.join(tree, "**", "*"), recursive=True):
        if not os.path.isfile(path) or not path.endswith((".md", ".yaml", ".yml", ".csv")):
            continue
        rel_path = os.path.relpath(path, tree).replace(os.sep, "/")
        text = _read(path)
        for r, (item_id, filename) in tokens.items():
            if r != rel_path and r not in named_elsewhere and (_mentions(text, item_id) or _mentions(text, filename)
                                                               or _mentions(text, item_id.rsplit("/", 1)[1])):
                named_elsewhere.add(r)
    rel = take(lambda r: r not in named_elsewhere)
    if rel:
        plan["deleted item"] = {"file": rel}
    # columns.yaml: one column's rule narrowed, so its items of that kind leave it.
    for column in columns:
        select = column.get("select") or {}
        for key in ("org_kind", "domains"):
            if isinstance(select.get(key), list) and len(select[key]) > 1:
                plan["columns.yaml rule"] = {"file": "columns.yaml", "column": column["id"], "key": key,
                                             "old": select[key], "new": select[key][:-1]}
                break
        if "columns.yaml rule" in plan:
            break
    plan["template"] = {"file": "../templates/base.html"}
    return plan


def apply_edit(kind: str, edit: dict, tree: str) -> str:
    """Apply one planned change to the tree; returns a one-line description."""
    path = os.path.normpath(os.path.join(tree, edit["file"]))
    before = _read(path) if os.path.exists(path) else None
    what = _apply(kind, edit, tree, path)
    if (_read(path) if os.path.exists(path) else None) == before:
        raise RuntimeError(f"the {kind} change left {edit['file']} as it was")
    return what


def _apply(kind: str, edit: dict, tree: str, path: str) -> str:
    if kind == "text":
        _write(path, _read(path).rstrip("\n") + "\n" + APPENDED)
        return f"appended a sentence to {edit['file']}"
    if kind == "date":
        text = _read(path)
        _write(path, text.replace(f"\ndate: {edit['old']}\n", f"\ndate: {edit['new']}\n", 1))
        return f"{edit['file']}: date {edit['old']} → {edit['new']}"
    if kind == "columns":
        text = _read(path)
        head = FRONT.match(text).group(0)
        _write(path, head[:-len("---\n")] + f"columns: [{edit['column']}]\n---\n" + text[len(head):])
        return f"{edit['file']}: added columns: [{edit['column']}]"
    if kind == "fields":
        text = _read(path)
        _write(path, re.sub(r"(?m)^doc_no: .*$", lambda _: f"doc_no: {edit['new']}", text, count=1))
        return f"{edit['file']}: doc_no {edit['old']} → {edit['new']}"
    if kind == "new item":
        text = _read(os.path.join(tree, edit["copy_of"]))
        text = text.replace(f"\nindex_no: {edit['old_index_no']}\n", f"\nindex_no: {edit['index_no']}\n", 1)
        text = re.sub(r"(?m)^title: (.*)$", lambda m: f"title: {m[1]}（续）", text, count=1)
        _write(path, text)
        return f"new {edit['file']} (copy of {edit['copy_of']}, index_no {edit['index_no']})"
    if kind == "deleted item":
        os.remove(path)
        return f"removed {edit['file']}"
    if kind == "columns.yaml rule":
        # The generator's own YAML style, so that only the rule's line changes.
        from gen_content import dump_yaml
        columns = yaml.load(_read(path), Loader=_LOADER)
        for column in columns:
            if column["id"] == edit["column"]:
                column["select"][edit["key"]] = edit["new"]
        _write(path, dump_yaml(columns))
        return f"columns.yaml: {edit['column']} select {edit['key']} {edit['old']} → {edit['new']}"
    if kind == "template":
        text = _read(path)
        _write(path, text.replace("</body>", TEMPLATE_MARK + "\n</body>", 1) if "</body>" in text
               else text + TEMPLATE_MARK + "\n")
        return "templates/base.html (the site's own copy): a comment added before </body>"
    raise ValueError(kind)


# --------------------------------------------------------------------- bench


def build_env() -> dict:
    # Asks gxsite for its stage times (one JSON line on stderr) where it supports it.
    return dict(os.environ, GXSITE_STAGES="1")


def parse_log(path: str) -> dict:
    """What a build's log says beyond its exit code: stage times, page count, reminders."""
    found: dict = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith('{"stages"'):
                try:
                    found["stages"] = json.loads(line)["stages"]
                except (ValueError, KeyError):
                    pass
            elif m := re.search(r"(\d+) 个页面", line):
                found["pages_reported"] = int(m[1])
            if m := re.search(r"另有 (\d+) 条提醒", line):
                found["warnings"] = int(m[1])
            if "内容未变化" in line:
                found["skipped"] = True
    return found


def compare_trees(a: str, b: str, limit: int = 20) -> dict:
    """Every file of both folders, byte for byte (the .gz/.br twins as well)."""
    def files(root):
        return {os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names}
    fa, fb = files(a), files(b)
    differ = []
    for rel in sorted(fa & fb):
        pa, pb = os.path.join(a, rel), os.path.join(b, rel)
        if os.path.getsize(pa) != os.path.getsize(pb):
            differ.append(rel)
            continue
        with open(pa, "rb") as x, open(pb, "rb") as y:
            if x.read() != y.read():
                differ.append(rel)
    only_a, only_b = sorted(fa - fb), sorted(fb - fa)
    return {"identical": not (differ or only_a or only_b), "files": len(fa),
            "differ": len(differ), "only_incremental": len(only_a), "only_scratch": len(only_b),
            "examples": (differ[:limit], only_a[:limit], only_b[:limit])}


class Bench:
    """One size: the work folder and its measured commands."""

    def __init__(self, n: int, work: str, seed: int, hugo: bool, repeat: int, verify: bool,
                 changes: list[str] | None = None):
        self.n, self.work, self.seed, self.with_hugo, self.repeat, self.verify = n, work, seed, hugo, repeat, verify
        self.changes = changes   # the kinds of change to apply (None: every kind)
        self.tree, self.out = os.path.join(work, "content"), os.path.join(work, "out")
        self.cache = os.path.join(work, CACHE_DIR)
        self.logs = os.path.join(work, "logs")
        os.makedirs(self.logs, exist_ok=True)

    def run(self, cmd: list, name: str, cwd: str = REPO) -> dict:
        r = measure(cmd, cwd, os.path.join(self.logs, name + ".log"), env=build_env())
        d = asdict(r)
        d.update(parse_log(r.log))
        if not r.ok:
            d["tail"] = log_tail(r.log)
        return d

    def build(self, name: str, out: str, force: bool = False) -> dict:
        cmd = [sys.executable, "-m", "gxsite", "build", "--content", self.tree, "--out", out, "--today", TODAY]
        return self.run(cmd + (["--force"] if force else []), name)

    def cold(self, name: str) -> dict:
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.rmtree(self.out, ignore_errors=True)
        return self.build(name, self.out, force=True)

    def hugo(self, name: str) -> dict:
        site, out = os.path.join(self.work, "hugo"), os.path.join(self.work, "hugo-out")
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(os.path.join(site, "resources"), ignore_errors=True)
        d = self.run(["hugo", "--quiet", "-d", out], name, cwd=site)
        d["pages"] = count_html(out) if d["exit_code"] == 0 else None
        return d

    def from_scratch(self, name: str) -> dict:
        """The tree as it is now, built with no memo and no output; the chain's memo is moved away
        and back so the next incremental build finds it as it was."""
        scratch = os.path.join(self.work, "scratch-out")
        aside = self.cache + ".chain"
        shutil.rmtree(scratch, ignore_errors=True)
        if os.path.exists(self.cache):
            os.rename(self.cache, aside)
        try:
            run = self.build(name, scratch, force=True)
        finally:
            shutil.rmtree(self.cache, ignore_errors=True)
            if os.path.exists(aside):
                os.rename(aside, self.cache)
        result = {"run": run}
        if run["exit_code"] == 0:
            result.update(compare_trees(self.out, scratch))
        return result

    def go(self) -> dict:
        gen = self.run([sys.executable, os.path.join(BENCHES, "gen_content.py"), str(self.n), self.tree,
                        "--seed", str(self.seed)], "gen")
        if gen["exit_code"] != 0:
            raise RuntimeError(f"gen_content.py failed:\n{gen['tail']}")
        row: dict = {"size": self.n, "gen_s": gen["wall_s"]}
        # The site's own templates folder (beside content/) with an unchanged copy of base.html:
        # the template change edits it, and every build of the run sees the same folders.
        os.makedirs(os.path.join(self.work, "templates"), exist_ok=True)
        shutil.copyfile(os.path.join(PACKAGED_TEMPLATES, "base.html"), os.path.join(self.work, "templates", "base.html"))
        plan_log = os.path.join(self.logs, "plan.json")
        planned = subprocess.run([sys.executable, os.path.abspath(__file__), "--plan", self.tree, "--seed", str(self.seed)],
                                 cwd=REPO, capture_output=True, text=True, check=False)
        if planned.returncode != 0:
            raise RuntimeError(f"planning the edits failed:\n{planned.stderr}")
        plan = json.loads(planned.stdout)
        _write(plan_log, json.dumps(plan, ensure_ascii=False, indent=2))
        row["plan"] = plan

        if self.with_hugo:
            write_hugo_site(self.tree, os.path.join(self.work, "hugo"))
        row["cold"], row["hugo"] = [], []
        for k in range(self.repeat):   # interleaved, so load on the machine hits both alike
            row["cold"].append(self.cold(f"cold-{k + 1}"))
            progress(f"size {self.n}: cold build {k + 1}/{self.repeat}", row["cold"][-1])
            if self.with_hugo:
                row["hugo"].append(self.hugo(f"hugo-{k + 1}"))
                progress(f"size {self.n}: hugo {k + 1}/{self.repeat}", row["hugo"][-1])
        last_cold = row["cold"][-1]
        row["pages"] = count_html(self.out) if last_cold["exit_code"] == 0 else None

        steps = []
        unchanged = {"change": "unchanged", "description": "nothing changed", "run": self.build("unchanged", self.out)}
        if self.verify:
            unchanged["scratch"] = self.from_scratch("unchanged-scratch")
            progress(f"size {self.n}: unchanged, from scratch", unchanged["scratch"]["run"])
        steps.append(unchanged)
        progress(f"size {self.n}: unchanged", unchanged["run"])
        applied = [k for k, _ in CHANGES if self.changes is None or k in self.changes]
        # With --changes, the last one applied is the checkpoint: the tree then holds them all.
        checkpoints = CHECKPOINTS if self.changes is None else set(applied[-1:])
        for kind, bounded in CHANGES:
            if kind not in applied:
                continue
            step = {"change": kind, "bounded": bounded}
            if kind not in plan:
                step["skipped"] = "no item in the tree allows this change"
                steps.append(step)
                continue
            step["description"] = apply_edit(kind, plan[kind], self.tree)
            name = kind.replace(" ", "-").replace(".", "-")
            step["run"] = self.build(name, self.out)
            progress(f"size {self.n}: {kind}", step["run"])
            if self.verify or kind in checkpoints:
                step["scratch"] = self.from_scratch(name + "-scratch")
                progress(f"size {self.n}: {kind}, from scratch", step["scratch"]["run"])
            steps.append(step)
        row["steps"] = steps
        row["targets"] = targets(row)
        return row


def progress(what: str, run: dict) -> None:
    state = f"{run['wall_s']:.2f} s" if run["exit_code"] == 0 else f"FAILED (exit {run['exit_code']})"
    print(f"{what}: {state}", file=sys.stderr, flush=True)


def ok_walls(runs: list) -> list:
    return [r["wall_s"] for r in runs if r["exit_code"] == 0]


def hugo_cold(row: dict) -> float | None:
    walls = ok_walls(row["hugo"])
    return statistics.median(walls) if walls else None


def identical(step: dict) -> str:
    scratch = step.get("scratch")
    if scratch is None:
        return "-"
    if scratch["run"]["exit_code"] != 0:
        return "scratch FAILED"
    return "yes" if scratch["identical"] else "NO"


def targets(row: dict) -> dict:
    hugo = hugo_cold(row)
    cold = ok_walls(row["cold"])
    result: dict = {"hugo_cold_s": hugo, "cold_s": statistics.median(cold) if cold else None}
    edits = [s for s in row["steps"] if s.get("bounded")]
    failed = [s["change"] for s in row["steps"] if "run" in s and s["run"]["exit_code"] != 0]
    differ = [s["change"] for s in row["steps"] if identical(s) == "NO"]
    scratch_failed = [s["change"] for s in row["steps"] if identical(s) == "scratch FAILED"]
    result.update(failed=failed, not_identical=differ, scratch_failed=scratch_failed,
                  identical_checked=[s["change"] for s in row["steps"] if identical(s) != "-"])
    if hugo is None:
        return result
    if result["cold_s"] is not None:
        result["cold_ratio"] = result["cold_s"] / hugo
        result["cold_met"] = result["cold_ratio"] <= TARGET_COLD
    walls = [(s["run"]["wall_s"] / hugo, s["change"]) for s in edits if "run" in s and s["run"]["exit_code"] == 0]
    if walls:
        worst = max(walls)
        result.update(edit_worst_ratio=worst[0], edit_worst_change=worst[1],
                      edit_met=worst[0] <= TARGET_EDIT and len(walls) == len(edits) and not differ
                      and not scratch_failed)
    unchanged = row["steps"][0]["run"]
    if unchanged["exit_code"] == 0:
        result["unchanged_ratio"] = unchanged["wall_s"] / hugo
        result["unchanged_met"] = result["unchanged_ratio"] <= TARGET_UNCHANGED
    return result


def fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def wall_cell(run: dict, value: float | None = None) -> str:
    if run["exit_code"] != 0:
        return f"FAILED (exit {run['exit_code']})"
    return f"{run['wall_s'] if value is None else value:.2f}"


def table(rows: list) -> str:
    header = ["size", "change", "gxsite wall s", "peak MB", "hugo cold s", "ratio", "identical"]
    lines = [header]
    for r in rows:
        hugo = hugo_cold(r)
        def ratio(s, hugo=hugo):
            return "-" if hugo is None or s is None else f"{s / hugo:.2f}×"
        cold_walls = ok_walls(r["cold"])
        cold_median = statistics.median(cold_walls) if cold_walls else None
        first_failed = next((c for c in r["cold"] if c["exit_code"] != 0), None)
        label = "cold" + (f" (median of {len(r['cold'])})" if len(r["cold"]) > 1 else "")
        lines.append([str(r["size"]), label,
                      wall_cell(first_failed) if first_failed else f"{cold_median:.2f}",
                      fmt(max(peak_mb(c) for c in r["cold"]), ".0f"), fmt(hugo, ".2f"),
                      ratio(cold_median if not first_failed else None), "-"])
        for s in r["steps"]:
            change = s["change"] + (" (full build expected)" if s.get("bounded") is False else "")
            if "skipped" in s:
                lines.append([str(r["size"]), change, "skipped", "-", fmt(hugo, ".2f"), "-", "-"])
                continue
            run = s["run"]
            lines.append([str(r["size"]), change, wall_cell(run), fmt(peak_mb(run), ".0f"), fmt(hugo, ".2f"),
                          ratio(run["wall_s"] if run["exit_code"] == 0 else None), identical(s)])
        if r["hugo"]:
            failed = next((h for h in r["hugo"] if h["exit_code"] != 0), None)
            lines.append([str(r["size"]), "hugo cold" + (f" (median of {len(r['hugo'])})" if len(r["hugo"]) > 1 else ""),
                          wall_cell(failed) if failed else f"{hugo:.2f}",
                          fmt(max(peak_mb(h) for h in r["hugo"]), ".0f"), fmt(hugo, ".2f"),
                          "1.00×" if hugo else "-", "-"])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)


def target_lines(row: dict) -> list:
    t = row["targets"]
    if t.get("hugo_cold_s") is None:
        return [f"targets (issue 17), size {row['size']}: not judged, no Hugo build"]
    met = lambda flag: "met" if flag else "NOT met"
    parts = []
    if "edit_worst_ratio" in t:
        parts.append(f"one edit ≤ {TARGET_EDIT}× Hugo cold: {met(t['edit_met'])} "
                     f"(slowest: {t['edit_worst_change']} {t['edit_worst_ratio']:.2f}×)")
    if "cold_ratio" in t:
        parts.append(f"cold ≤ {TARGET_COLD}×: {met(t['cold_met'])} ({t['cold_ratio']:.2f}×)")
    if "unchanged_ratio" in t:
        parts.append(f"unchanged ≤ {TARGET_UNCHANGED}×: {met(t['unchanged_met'])} ({t['unchanged_ratio']:.2f}×)")
    checked = t["identical_checked"]
    parts.append("byte-identical to a from-scratch build: "
                 + ("NO for " + ", ".join(t["not_identical"]) if t["not_identical"]
                    else "not known, the from-scratch build failed after " + ", ".join(t["scratch_failed"])
                    if t["scratch_failed"] else "yes" if checked else "not checked")
                 + (f" (checked after: {', '.join(checked)})" if checked else ""))
    ran = [s["change"] for s in row["steps"][1:] if "run" in s]
    if len(ran) < len(CHANGES):   # --changes: the edit target is judged on these only
        parts.append(f"changes applied: {', '.join(ran) or 'none'} (of {len(CHANGES)} kinds)")
    return [f"targets (issue 17), size {row['size']}: " + "; ".join(parts[:1])] + ["  " + p for p in parts[1:]]


def problems(rows: list) -> list:
    """The log tails of failed builds and the first differing files, to print under the table."""
    out = []
    for r in rows:
        for c in r["cold"] + r["hugo"]:
            if c["exit_code"] != 0:
                out.append(f"size {r['size']}: {os.path.basename(c['log'])} exit {c['exit_code']}; log tail:\n{c['tail']}")
        for s in r["steps"]:
            for run in [s.get("run"), (s.get("scratch") or {}).get("run")]:
                if run and run["exit_code"] != 0:
                    out.append(f"size {r['size']}: {s['change']}: {os.path.basename(run['log'])} exit "
                               f"{run['exit_code']}; log tail:\n{run['tail']}")
            scratch = s.get("scratch")
            if scratch and scratch["run"]["exit_code"] == 0 and not scratch["identical"]:
                differ, only_inc, only_scr = scratch["examples"]
                out.append(f"size {r['size']}: after {s['change']}: {scratch['differ']} file(s) differ, "
                           f"{scratch['only_incremental']} only in the incremental output, "
                           f"{scratch['only_scratch']} only in the from-scratch one; e.g. "
                           + ", ".join((differ + only_inc + only_scr)[:8]))
        warned = [(s["change"], s["run"].get("warnings")) for s in r["steps"] if "run" in s]
        base = r["cold"][-1].get("warnings")
        more = [(c, w) for c, w in warned if w is not None and base is not None and w > base + 1]
        if more:
            out.append(f"size {r['size']}: reminders grew after an edit (cold build: {base}): {more}")
    return out


def parse_changes(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in dict(CHANGES)]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown kind of change {', '.join(unknown)}; "
                                         f"known: {', '.join(k for k, _ in CHANGES)}")
    return kinds


def parse_sizes(text: str) -> list:
    sizes = [int(s) for s in text.split(",") if s.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers, e.g. 1000,10000")
    return sizes


def load_average() -> list | None:
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark gxsite build (cold, unchanged, one edit of each kind) "
                                                 "against Hugo's cold build.")
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10000], help="comma-separated item counts")
    parser.add_argument("--repeat", type=int, default=1, help="cold builds of gxsite and Hugo, interleaved (median)")
    parser.add_argument("--verify", action="store_true",
                        help="compare with a from-scratch build after every build, not only at the checkpoints")
    parser.add_argument("--keep", metavar="DIR", help="keep trees, outputs and logs in DIR/<size>/")
    parser.add_argument("--json", metavar="FILE", help="also write every measurement as JSON")
    parser.add_argument("--changes", type=parse_changes, default=None,
                        help="comma-separated kinds of change to apply, of: " + ", ".join(k for k, _ in CHANGES)
                        + " (default: all). At 100,000 items, --changes text measures the scale target in ~15 min")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plan", metavar="TREE", help=argparse.SUPPRESS)   # internal: the edits, as JSON
    args = parser.parse_args(argv)
    if args.plan:
        print(json.dumps(plan_edits(args.plan, args.seed), ensure_ascii=False))
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    hugo = hugo_version()
    if hugo is None:
        print("hugo not found on PATH: skipping the Hugo baseline", file=sys.stderr)
    meta = {"date": dt.date.today().isoformat(), "today_flag": TODAY, "python": platform.python_version(),
            "platform": platform.platform(), "cpus": os.cpu_count(), "hugo": hugo, "seed": args.seed,
            "repeat": args.repeat, "verify": args.verify, "psutil": psutil is not None,
            "changes": args.changes or [k for k, _ in CHANGES],
            "load_start": load_average()}
    rows = []
    for n in args.sizes:
        if args.keep:
            work = os.path.join(os.path.abspath(args.keep), str(n))
            if os.path.exists(work) and os.listdir(work):
                print(f"bench_build: {work} is not empty; remove it or choose another --keep", file=sys.stderr)
                return 2
            os.makedirs(work, exist_ok=True)
            rows.append(Bench(n, work, args.seed, hugo is not None, args.repeat, args.verify, args.changes).go())
        else:
            with tempfile.TemporaryDirectory(prefix=f"gxsite-bench-{n}-") as work:
                rows.append(Bench(n, work, args.seed, hugo is not None, args.repeat, args.verify, args.changes).go())
    meta["load_end"] = load_average()

    print(table(rows))
    for r in rows:
        print("\n".join(target_lines(r)))
    notes = problems(rows)
    if notes:
        print()
        print("\n\n".join(notes))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"meta": meta, "results": rows}, f, ensure_ascii=False, indent=2)
    bad = any(r["targets"]["failed"] or r["targets"]["not_identical"] or r["targets"]["scratch_failed"]
              or any(c["exit_code"] != 0 for c in r["cold"]) for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
