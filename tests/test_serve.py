"""`gxsite serve`: a live preview that rebuilds when an editor saves a file."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from conftest import REPO, item


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def wait_for(predicate, seconds: float = 20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_preview_serves_and_rebuilds_on_change(tree, tmp_path):
    content = tree()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gxsite", "serve", "--content", str(content), "--out",
                             str(tmp_path / "preview"), "--port", str(port), "--today", "2026-11-26"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = f"http://127.0.0.1:{port}/items/xzfb/2026/tongzhi-a/"
        assert wait_for(lambda: "关于做好政务公开工作的通知" in fetch(page))
        (content / "items/xzfb/2026/tongzhi-a.md").write_text(
            item("改名后的通知", index_no="11511525008745231K/2026-00001"), encoding="utf-8")
        assert wait_for(lambda: "改名后的通知" in fetch(page))
        # A mistake keeps the last good preview and is reported as path:line.
        (content / "items/xzfb/2026/bad.md").write_text(item("坏日期", date="2026-02-30"), encoding="utf-8")
        time.sleep(3)
        assert "改名后的通知" in fetch(page)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "items/xzfb/2026/bad.md:5:" in err
    assert "Traceback" not in err
