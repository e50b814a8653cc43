"""Screenshots of the built example for a look by eye: home, an item page and the map, at
375 px (an old phone) and 1280 px (a desktop), in both versions (standard and 关怀版).

    python scripts/screenshots.py                      # builds the example into a temp folder
    python scripts/screenshots.py --site output        # uses a site already built
    python scripts/screenshots.py --out screenshots --item /items/xzfb/2026/some-slug/

Writes <out>/<page>-<version>-<width>.png (full page) and …-top.png (the first screen).
The folder is git-ignored. Needs Debian's chromium and the PyPI playwright package (the
same as the browser tests); no browser is downloaded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import posixpath
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium_browser, missing_browser, serve  # noqa: E402

WIDTHS = (375, 1280)


def first_item(site: Path) -> str:
    """The newest policy document (the richest item page), read from the built listing."""
    from lxml import html
    for listing in ("types/policy/index.html", "index.html"):
        path = site / listing
        if path.exists():
            doc = html.fromstring(path.read_bytes())
            hrefs = doc.xpath("//main//ul[contains(@class,'entries')]//a/@href")
            if hrefs:
                base = "/" + posixpath.dirname(listing) + "/" if "/" in listing else "/"
                return posixpath.normpath(posixpath.join(base, hrefs[0])) + "/"
    raise SystemExit(f"no item found in {site}")


def build_example(folder: Path, today: dt.date) -> Path:
    sys.path.insert(0, str(REPO))
    from gxsite import pipeline
    out = folder / "output"
    result = pipeline.build(REPO / "content", out, today, progress=False)
    if not result.ok:
        raise SystemExit("\n".join(str(p) for p in result.problems.errors))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the example)")
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--today", default="2026-11-26")
    parser.add_argument("--item", help="the item page to shoot (default: the newest policy)")
    args = parser.parse_args(argv)
    reason = missing_browser()
    if reason:
        print("无法截图：" + reason, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_example(Path(tmp), dt.date.fromisoformat(args.today))
        pages = {"home": "/", "item": args.item or first_item(site), "map": "/map/"}
        args.out.mkdir(parents=True, exist_ok=True)
        written = 0
        with serve(site) as base, chromium_browser() as browser:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 740},
                                              device_scale_factor=1)
                page = context.new_page()
                for name, url in pages.items():
                    for version, prefix in (("std", ""), ("care", "/care")):
                        page.goto(base + prefix + url)
                        page.wait_for_load_state("networkidle")
                        stem = args.out / f"{name}-{version}-{width}"
                        page.screenshot(path=f"{stem}-top.png")
                        page.screenshot(path=f"{stem}.png", full_page=True)
                        overflow = page.evaluate("document.scrollingElement.scrollWidth") - width
                        note = f"  （横向溢出 {overflow}px）" if overflow > 0 else ""
                        print(f"{stem}.png  {prefix + url}{note}")
                        written += 2
                context.close()
    print(f"共 {written} 张截图，在 {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
