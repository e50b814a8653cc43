"""Screenshots of the editor (/admin/) for docs/editors-guide.md, taken in Chromium.

    python scripts/admin_screenshots.py        # writes docs/img/admin-*.png

Runs `gxsite serve` on a copy of content/ (nothing in the repository is written but docs/img/),
with the system's Chromium (/usr/bin/chromium) driven by playwright; no request leaves 127.0.0.1.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "img"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gxsite-shots-") as tmp:
        site = Path(tmp)
        shutil.copytree(REPO / "content", site / "content")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([sys.executable, "-m", "gxsite", "serve", "--content", str(site / "content"),
                                 "--out", str(site / "output"), "--port", str(port), "--today", "2026-12-01"],
                                cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            end = time.monotonic() + 120
            while not (ready(base + "/admin/") and (site / "output" / "index.html").is_file()):
                if time.monotonic() > end:
                    print("gxsite serve did not start", file=sys.stderr)
                    return 1
                time.sleep(0.3)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
                tab = browser.new_page(viewport={"width": 1200, "height": 760}, locale="zh-CN")
                tab.route("**/*", lambda r: r.abort() if urlsplit(r.request.url).hostname != "127.0.0.1"
                          else r.continue_())
                tab.goto(base + "/admin/")
                login = tab.get_by_role("button", name="登录")
                login.wait_for(timeout=30000)
                shot(tab, "admin-login.png")
                login.click()
                tab.goto(base + "/admin/#/collections/notice")
                tab.get_by_text("＋ 通知公告").wait_for(timeout=30000)
                tab.wait_for_timeout(800)
                shot(tab, "admin-list.png")
                tab.goto(base + "/admin/#/collections/notice/new")
                tab.get_by_label("标题", exact=True).fill("关于开展政务公开培训的通知", timeout=30000)
                tab.get_by_label("发布日期", exact=True).fill("2026-11-20")
                body = tab.locator("[contenteditable=true]").last
                body.click()
                tab.keyboard.type("各镇人民政府、县级各部门：现将有关事项通知如下。")
                tab.get_by_role("button", name="发布").first.click()
                tab.get_by_text("立即发布").click()   # 发布机构 left empty: Decap names the missing field
                tab.wait_for_timeout(800)
                shot(tab, "admin-missing-field.png")
                org = tab.get_by_label("发布机构", exact=True)
                org.click()
                org.press_sequentially("xzfb")
                tab.keyboard.press("Enter")
                tab.mouse.click(5, 300)
                tab.wait_for_timeout(500)
                shot(tab, "admin-new-notice.png")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return 0


def shot(tab, name: str) -> None:
    path = OUT / name
    tab.screenshot(path=str(path))
    print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    sys.exit(main())
