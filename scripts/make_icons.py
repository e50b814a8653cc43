"""Draw the site's icons (our own drawing: a white government hall on the site's red) and write
templates/assets/favicon.svg and templates/assets/apple-touch-icon.png (180 × 180, opaque, square:
iOS rounds the corners itself).

The PNG is rendered from the same SVG by Debian's Chromium through the playwright package (as the
tests drive it; no browser is downloaded). Run by hand after changing the drawing, and commit both:

    python scripts/make_icons.py
"""
from __future__ import annotations

import base64
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "templates" / "assets"
RED, GOLD, WHITE = "#b31b1b", "#ffd200", "#ffffff"   # --red of site.css

# The hall on a 64 × 64 grid: pediment with a gold emblem, architrave, four columns, two steps.
HALL = (
    f'<path d="M32 8 56 21H8Z" fill="{WHITE}"/>'
    f'<circle cx="32" cy="16.5" r="3" fill="{GOLD}"/>'
    f'<rect x="10" y="23" width="44" height="4" fill="{WHITE}"/>'
    + "".join(f'<rect x="{x}" y="29" width="5" height="17" fill="{WHITE}"/>' for x in (14, 24.5, 34.5, 45))
    + f'<rect x="10" y="47" width="44" height="4" fill="{WHITE}"/>'
    f'<rect x="6" y="52" width="52" height="4" fill="{WHITE}"/>'
)


def svg(rounded: bool) -> str:
    corner = ' rx="12"' if rounded else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
            f'<rect width="64" height="64"{corner} fill="{RED}"/>{HALL}</svg>\n')


def render_png(source: str, size: int) -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import chromium_browser
    data = "data:image/svg+xml;base64," + base64.b64encode(source.encode()).decode()
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
        page.set_content(f'<body style="margin:0"><img src="{data}" width="{size}" height="{size}" '
                         f'style="display:block"></body>')
        page.wait_for_function("document.images[0].complete")
        return page.screenshot(clip={"x": 0, "y": 0, "width": size, "height": size}, omit_background=False)


def main() -> None:
    (ASSETS / "favicon.svg").write_text(svg(rounded=True), encoding="utf-8")
    (ASSETS / "apple-touch-icon.png").write_bytes(render_png(svg(rounded=False), 180))
    print("wrote", ASSETS / "favicon.svg", "and", ASSETS / "apple-touch-icon.png")


if __name__ == "__main__":
    main()
