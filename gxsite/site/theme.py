"""How the site looks beyond gxsite's own templates: a site's templates layered over them, file
by file, and what site.yaml's theme keys (logo, colors, footer) add.

Like Hugo's layouts/ or MkDocs' custom_dir: a file in the site's own templates folder (beside
content/, or named with --templates) replaces gxsite's file of the same path (404.html,
base.html, assets/toolbar.js …); a part put in an assets/<name>.css.d/ folder joins gxsite's
parts in name order, and a part of the same name replaces gxsite's. docs/templates.md says it
for editors.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gxsite.content import model
from gxsite.core import packaged
from gxsite.core.problems import Problems
from gxsite.core.source import is_scratch, walk

PACKAGED = packaged.TEMPLATES
BUNDLE_SUFFIX = ".d"
# site.yaml's colours and logo as one more part of site.css: after the base styles, before the
# phone, high-contrast and print parts, which must still win over them.
THEME_PART = "15-site-yaml.css"
MIN_CONTRAST = 4.5   # WCAG 2.1 AA for text of normal size
# gxsite's own colours (templates/assets/site.css.d/10-base.css): what a key left out keeps.
MASTHEAD, MASTHEAD_TEXT, NAV, LINK = "#b31b1b", "#ffffff", "#8e1515", "#0b4f9c"
PAGE_BACKGROUNDS = ("#ffffff", "#f4f6f8")   # links stand on the page and on the footer's grey


@dataclass(frozen=True)
class Templates:
    """The folders a template or asset is looked up in, the site's own first, gxsite's last."""

    folders: tuple[Path, ...]

    def files(self) -> dict[str, Path]:
        """Every file by its path under the folders, the first folder that has it winning; editors'
        scratch files (backups, swap files) are no part of the site."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            for f in walk(folder):
                if not is_scratch(f.rel):
                    found[f.rel] = folder / f.rel
        return dict(sorted(found.items(), key=lambda kv: kv[0].split("/")))

    def assets(self) -> list[tuple[str, Path]]:
        """Files under assets/ copied as they are, as (output path, source); not the parts of bundles."""
        return [(rel, path) for rel, path in self.files().items()
                if rel.startswith("assets/") and not rel.split("/")[-2].endswith(BUNDLE_SUFFIX)]

    def bundles(self, site: model.Site) -> list[tuple[str, bytes]]:
        """assets/<name>.d/*.css concatenated in name order into assets/<name>, so each concern keeps
        its own file; site.yaml's theme keys add a part to site.css."""
        parts: dict[str, dict[str, bytes]] = {}
        for rel, path in self.files().items():
            folder, _, name = rel.rpartition("/")
            if folder.count("/") == 1 and folder.startswith("assets/") and folder.endswith(BUNDLE_SUFFIX) \
                    and name.endswith(".css"):
                parts.setdefault(folder, {})[name] = path.read_bytes()
        extra = site_css(site)
        if extra:
            parts.setdefault("assets/site.css" + BUNDLE_SUFFIX, {})[THEME_PART] = extra
        return [(folder[: -len(BUNDLE_SUFFIX)], b"\n".join(data for _, data in sorted(named.items())))
                for folder, named in sorted(parts.items())]


def find(content: Path, templates: Path | None = None) -> Templates:
    """gxsite's templates with the site's own over them: `templates` (--templates DIR), else a
    templates/ folder beside the content folder. In gxsite's own repository that folder is gxsite's
    templates themselves, and there is nothing to layer."""
    own_templates = PACKAGED.resolve()
    site = (templates if templates is not None else content.resolve().parent / "templates").resolve()
    if site == own_templates or not site.is_dir():
        return Templates((own_templates,))
    return Templates((site, own_templates))


# ---- site.yaml's colours ----------------------------------------------------------------


def luminance(color: str) -> float:
    """Relative luminance of #rrggbb (WCAG 2.1)."""
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(color[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(a: str, b: str, share: float) -> str:
    """`share` of b mixed into a."""
    return "#" + "".join(f"{round(int(a[i:i + 2], 16) * (1 - share) + int(b[i:i + 2], 16) * share):02x}"
                         for i in (1, 3, 5))


def masthead(colors: model.Colors) -> tuple[str, str, str]:
    """(background, text, menu background) of the masthead. The menu under it is the background
    moved a fifth away from the text, so its contrast is never lower than the masthead's."""
    bg, fg = colors.masthead or MASTHEAD, colors.masthead_text or MASTHEAD_TEXT
    if not colors.masthead:
        return bg, fg, NAV
    return bg, fg, _mix(bg, "#000000" if luminance(fg) > luminance(bg) else "#ffffff", 0.2)


def site_css(site: model.Site) -> bytes:
    """The styles site.yaml's logo and colours ask for; nothing when it sets neither, so that a
    site without them is byte for byte what gxsite's own styles make. Only the standard version:
    the 关怀版 keeps its own palette, made for 7:1."""
    colors = site.colors
    rules = []
    if colors.masthead or colors.masthead_text:
        bg, fg, nav = masthead(colors)
        rules += [f".std .masthead {{ background: {bg}; color: {fg}; }}",
                  f".std .mainnav {{ background: {nav}; }}",
                  f".std .masthead a, .std .mainnav a {{ color: {fg}; }}",
                  f".std .version-switch a {{ border-color: {fg}; }}"]
    if colors.link:
        rules.append(f".std {{ --link: {colors.link}; }}")
    if site.logo:
        rules.append(".site-name img { display: block; height: 3rem; width: auto; }")
    if not rules:
        return b""
    return ("/* site.yaml: logo and colors (gxsite/site/theme.py) */\n" + "\n".join(rules) + "\n").encode()


def check(site: model.Site, problems: Problems) -> None:
    """Reminders for colours readers could not read well: text below 4.5:1 against its background."""
    colors = site.colors
    if colors.masthead or colors.masthead_text:
        bg, fg, nav = masthead(colors)
        worst = min(contrast(fg, bg), contrast(fg, nav))
        if worst < MIN_CONTRAST:
            line = colors.lines.get("masthead_text") or colors.lines.get("masthead", 0)
            problems.warn("site.yaml", line, f"刊头文字颜色 {fg} 与刊头底色 {bg}（导航栏 {nav}）的对比度只有 "
                          f"{worst:.2f}:1，低于 4.5:1，部分读者看不清：请让文字和底色一深一浅，拉开差别",
                          rule="theme-contrast")
    if colors.link:
        worst = min(contrast(colors.link, b) for b in PAGE_BACKGROUNDS)
        if worst < MIN_CONTRAST:
            problems.warn("site.yaml", colors.lines.get("link", 0), f"链接颜色 {colors.link} 与页面底色的对比度只有 "
                          f"{worst:.2f}:1，低于 4.5:1，部分读者看不清：请改用更深的颜色", rule="theme-contrast")
