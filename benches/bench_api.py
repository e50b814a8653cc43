"""What the content API (/api/, issue 18) adds to a cold build, and how big it is.

    python benches/bench_api.py [--size 10000] [--repeat 1] [--content DIR] [--json FILE]

Generates a tree (gen_content.py) unless --content names one, then builds it cold (no memo, no
output) with `gxsite build`, alternately without the API section and with it, `--repeat` times
each; prints the medians of wall and CPU time (the CPU figure is steadier on a virtual disk whose
write latency varies run to run), the ratio (target: the API adds under 20 %), and the API's size in
files and bytes (the JSON, and the .gz/.br twins beside it). "Without" is the same build with the
API section taken out of site/sections' list in that process, nothing else changed.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCHES = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCHES)
TODAY = "2026-11-26"
TARGET = 0.20

# Run in the child: gxsite's CLI, with the API section dropped when asked.
CHILD = """
import sys
from gxsite import cli
from gxsite.site import sections
if sys.argv[1] == "without":
    sections.SECTIONS[:] = [s for s in sections.SECTIONS if getattr(s.files, "__module__", "") != "gxsite.site.sections.api"]
sys.exit(cli.main(sys.argv[2:]))
"""


def cold(content: str, out: str, with_api: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the build and its workers)."""
    for path in (out, os.path.join(os.path.dirname(content), ".gxsite-cache"),
                 os.path.join(os.path.dirname(out), ".gxsite-cache")):
        shutil.rmtree(path, ignore_errors=True)
    os.sync()   # the last build's gigabyte of dirty pages is flushed before this one is timed, not during it
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD, "with" if with_api else "without", "build", "--content", content,
                    "--out", out, "--today", TODAY, "--quiet"], check=True, cwd=REPO)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def size(folder: str) -> dict:
    json_files = json_bytes = twin_files = twin_bytes = largest = 0
    for root, _, names in os.walk(folder):
        for name in names:
            n = os.path.getsize(os.path.join(root, name))
            if name.endswith(".json"):
                json_files += 1
                json_bytes += n
                largest = max(largest, n)
            else:
                twin_files += 1
                twin_bytes += n
    return {"json_files": json_files, "json_bytes": json_bytes, "twin_files": twin_files,
            "twin_bytes": twin_bytes, "largest_json_bytes": largest}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--content", help="an existing content tree (else one is generated)")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(argv)
    work = tempfile.mkdtemp(prefix="gxsite-bench-api-")
    try:
        content = args.content
        if content is None:
            content = os.path.join(work, "content")
            subprocess.run([sys.executable, os.path.join(BENCHES, "gen_content.py"), str(args.size), content],
                           check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(work, "out")
        without, with_api = [], []
        for _ in range(args.repeat):
            without.append(cold(content, out, False))
            with_api.append(cold(content, out, True))
        figures = {"size": args.size if args.content is None else None, "content": content,
                   "without_api_s": statistics.median(w for w, _ in without),
                   "with_api_s": statistics.median(w for w, _ in with_api),
                   "without_api_cpu_s": statistics.median(c for _, c in without),
                   "with_api_cpu_s": statistics.median(c for _, c in with_api),
                   "runs_without": without, "runs_with": with_api, **size(os.path.join(out, "api"))}
        figures["added"] = figures["with_api_s"] / figures["without_api_s"] - 1
        figures["added_cpu"] = figures["with_api_cpu_s"] / figures["without_api_cpu_s"] - 1
        figures["target_met"] = figures["added"] < TARGET
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mb = 1024 * 1024
    print(f"cold build without the API  {figures['without_api_s']:8.2f} s wall {figures['without_api_cpu_s']:8.2f} s CPU")
    print(f"cold build with the API     {figures['with_api_s']:8.2f} s wall {figures['with_api_cpu_s']:8.2f} s CPU")
    print(f"added by the API            {figures['added'] * 100:7.1f} %   (target < {TARGET * 100:.0f} %: "
          f"{'met' if figures['target_met'] else 'NOT met'}), CPU {figures['added_cpu'] * 100:+.1f} %")
    print(f"runs (wall s): without {', '.join(f'{w:.1f}' for w, _ in without)}; "
          f"with {', '.join(f'{w:.1f}' for w, _ in with_api)}")
    print(f"API files                   {figures['json_files']:8d} JSON, {figures['json_bytes'] / mb:.1f} MB; "
          f"{figures['twin_files']} twins, {figures['twin_bytes'] / mb:.1f} MB; "
          f"largest {figures['largest_json_bytes'] / 1024:.0f} KB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
