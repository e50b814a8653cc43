"""`gxsite serve`: build, serve the output on localhost and rebuild when content or templates change.

Each rebuild is a full, safe build (temporary folder, swap on success): a preview never
shows a half-written site, and an editor's mistake is printed as `path:line: message`
while the last good site stays up.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from . import pipeline


def rebuild(content: Path, out: Path, today: dt.date) -> bool:
    result = pipeline.build(content, out, today, progress=False)
    for p in result.problems.errors:
        print(p, file=sys.stderr)
    if result.ok:
        print(f"已更新预览：{result.items} 条信息，用时 {result.seconds:.1f} 秒。", file=sys.stderr)
    return result.ok


def run(content: Path, out: Path, today: dt.date, host: str, port: int) -> int:
    from livereload import Server  # imported here: only the preview needs it

    rebuild(content, out, today)
    server = Server()
    for folder in (content, pipeline.TEMPLATES):
        server.watch(str(folder / "**" / "*"), lambda: rebuild(content, out, today), delay=0.5)
    print(f"预览地址：http://{host}:{port}/ （Ctrl+C 结束）", file=sys.stderr)
    server.serve(root=str(out), host=host, port=port, open_url_delay=None, restart_delay=0)
    return 0
