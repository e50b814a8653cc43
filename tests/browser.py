"""Shared helper for tests that look at built pages in a real browser (Debian Chromium via
the PyPI `playwright` package) and with the W3C Nu checker and axe-core (npm, tests/.node/).

Nothing here downloads a browser: Playwright drives the system's /usr/bin/chromium. On a
machine without it (or without playwright, Java or the npm modules) the tests that need
them are skipped with a message naming what is missing and how `.ci/run` installs it.

    from browser import serve, chromium_browser

    def test_x(tmp_path):
        with serve(out) as base, chromium_browser() as browser:     # skips without Chromium
            page = browser.new_page()
            page.goto(base + "/care/")
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = Path(__file__).resolve().parent / ".node" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
INSTALL_HINT = "（.ci/run installs it: apt-get install chromium fonts-wqy-microhei default-jre-headless; " \
               "pip install playwright; npm ci --prefix tests/.node）"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} " + INSTALL_HINT
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed " + INSTALL_HINT
    return None


def skip(reason: str) -> None:
    """Skip a test that needs a missing tool; fail instead where GXSITE_REQUIRE_BROWSER is set
    (.ci/run sets it, so that a broken install can never pass as a run of skipped checks)."""
    if os.environ.get("GXSITE_REQUIRE_BROWSER"):
        pytest.fail("GXSITE_REQUIRE_BROWSER is set but " + reason)
    pytest.skip(reason)


def need_chromium() -> None:
    reason = missing_browser()
    if reason:
        skip(reason)


def need_axe() -> Path:
    need_chromium()
    if not AXE_JS.exists():
        skip(f"axe-core is not installed at {AXE_JS} " + INSTALL_HINT)
    return AXE_JS


def need_vnu() -> list[str]:
    """The command that runs the Nu checker (java -jar vnu.jar), or skip."""
    java = shutil.which("java")
    if not java:
        skip("no java on PATH for the W3C Nu checker " + INSTALL_HINT)
    if not VNU_JAR.exists():
        skip(f"vnu-jar is not installed at {VNU_JAR} " + INSTALL_HINT)
    return [java, "-jar", str(VNU_JAR)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) in a thread; yields the base URL, no slash."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def chromium_browser():
    """A headless Chromium (the system's) driven by Playwright; closed on exit."""
    need_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
