"""Accessibility of both versions (standard and 关怀版), checked the way an auditor would:
axe-core and real layout measurements in Chromium, the W3C Nu checker on every page.

The bundled example is built once. The static checks (lxml) always run; the browser and
checker tests skip with a message where Chromium, playwright, Java or the npm modules
(tests/.node/, installed by .ci/run) are missing.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from browser import AXE_JS, chromium_browser, missing_browser, need_axe, need_vnu, serve, skip
from conftest import REPO, TODAY
from gxsite.site.sections import disclosure
from gxsite import pipeline
from gxsite.content import schema

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TOOLBAR_KEY = "gxsite-reading"
BUTTONS = ["工具栏", "页面放大", "页面缩小", "字号放大", "字号缩小", "默认字号", "默认配色", "黑底黄字", "白底黑字",
           "蓝底白字", "黑色大鼠标", "白色大鼠标", "十字线", "大字幕", "纯文本", "指读", "连读", "语速减慢", "语速加快",
           "停止朗读", "全部重置", "快捷键"]
OPEN_TOOLS = f"localStorage.setItem('{TOOLBAR_KEY}', JSON.stringify({{open: true}}))"


# ---- the built example and the pages that stand for every page type ----------------------

class Built(tuple):
    """(library, output folder). Its repr stays short: pytest prints a failing test's arguments,
    and the repr of a whole Library (items ↔ columns, recursively) would fill the memory."""

    def __repr__(self) -> str:
        return f"<example built into {self[1]}>"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y") / "output"
    with pytest.MonkeyPatch.context() as mp:   # the 目录 split by year, as a large site has it
        mp.setattr(disclosure, "MAX_ROWS", 50)
        result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok, [str(p) for p in result.problems.errors]
    return Built((result.lib, out))


def page_types(lib, out: Path) -> dict[str, str]:
    """One URL (standard version) per page type: name → URL."""
    pages = {
        "home": "/", "404": "/404.html", "column index": "/columns/", "catalogue": "/catalog/",
        "officers": "/officers/", "services": "/services/", "handbook": "/handbook/", "map": "/map/",
        "disclosure hub": "/xxgk/", "directory": "/xxgk/mulu/", "events": "/events/",
        "search": "/search/", "search results": "/search/?q=公开", "statistics": "/stats/",
    }
    for type_ in schema.ITEM_TYPES:
        found = [i for i in lib.published if i.type == type_]
        assert found, f"the example has no published item of type {type_}"
        with_attachments = [i for i in found if i.attachments]
        pages[f"item: {type_}"] = (with_attachments or found)[0].url
    columns = [l for l in lib.listings if l.column is not None]
    paged = next(l for l in columns if len(l.items) > lib.site.per_page)
    pages["column"] = paged.url
    pages["column, page 2"] = paged.url + "page/2/"
    pages["column with sub-columns"] = next(l for l in columns if l.column.children).url
    for kind in ("orgs", "domains", "types", "towns", "years"):
        pages[f"{kind} index"] = f"/{kind}/"
        pages[f"{kind} listing"] = next(l for l in lib.listings if l.kind == kind).url
    years = sorted((out / "xxgk/mulu").glob("*/index.html"))
    assert years, "the example fixture builds the 目录 split by year"
    pages["directory, one year"] = "/xxgk/mulu/" + years[0].parent.name + "/"
    pages["service"] = next(iter(lib.services.values())).url
    pages["place"] = next(iter(lib.places.values())).url
    if (out / "xxgk/ndbg/index.html").exists():   # only when the content has an annual report
        pages["annual report"] = "/xxgk/ndbg/"
    # The pages the national inspection asks for (issue 14)
    pages.update({"policy library": "/zcwjk/", "policies in force": "/zcwjk/xxyx/", "interaction": "/hudong/",
                  "site map": "/sitemap/", "contact": "/contact/", "website reports": "/stats/website/",
                  "website report": "/stats/website/2025/"})
    return pages


def visit(page, base: str, url: str) -> None:
    """Open a page; a search waits until its results (or its message) are on the page."""
    page.goto(base + url)
    if "?q=" in url:
        page.wait_for_function("(document.querySelector('main [role=status]') || {}).textContent", timeout=15000)


def both(pages: dict[str, str]) -> list[tuple[str, str]]:
    return [(name, url) for name, url in pages.items()] + \
           [(name + " (关怀版)", "/care" + url) for name, url in pages.items()]


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def parse(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def rel_url(out: Path, path: Path) -> str:
    rel = path.relative_to(out).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


# ---- static checks on every generated page (no browser needed) --------------------------

def test_every_page_has_lang_a_unique_title_a_skip_link_and_landmarks(example):
    _, out = example
    titles: dict[str, str] = {}
    problems = []
    for path in html_files(out):
        doc, url = parse(path), rel_url(out, path)
        title = doc.findtext(".//title") or ""
        if doc.get("lang") != "zh-CN":
            problems.append(f"{url}: <html lang> is {doc.get('lang')!r}")
        if not title.strip():
            problems.append(f"{url}: empty <title>")
        elif title in titles:
            problems.append(f"{url}: the same <title> as {titles[title]}: {title}")
        titles.setdefault(title, url)
        skip = doc.xpath("//body/*[1][self::a][@href='#main']")
        if not skip:
            problems.append(f"{url}: the first thing in <body> is not the skip link to #main")
        if len(doc.xpath("//main[@id='main']")) != 1:
            problems.append(f"{url}: not exactly one <main id=main>")
        for landmark in ("header", "footer", "nav[@aria-label='主导航']"):
            if len(doc.xpath(f"//body/{landmark} | //body/header/{landmark}")) != 1:
                problems.append(f"{url}: no single {landmark}")
        labels = [n.get("aria-label") or " ".join(doc.get_element_by_id(i).text_content()
                                                  for i in n.get("aria-labelledby", "").split()) or None
                  for n in doc.iter("nav")]
        if len(labels) != len(set(labels)) or None in labels:
            problems.append(f"{url}: navigation landmarks without distinct labels: {labels}")
    assert not problems, "\n".join(problems[:40])


def test_headings_start_at_one_h1_and_never_skip_a_level(example):
    _, out = example
    problems = []
    for path in html_files(out):
        # The reading aids' landmark has its own heading (阅读辅助) ahead of the page's: not part of its outline.
        levels = [int(h.tag[1]) for h in parse(path).iter("h1", "h2", "h3", "h4", "h5", "h6")
                  if not h.xpath("ancestor::section[@id='tools']")]
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{rel_url(out, path)}: headings {levels[:8]} (one h1, first)")
        for before, after in zip(levels, levels[1:]):
            if after > before + 1:
                problems.append(f"{rel_url(out, path)}: h{before} followed by h{after}")
                break
    assert not problems, "\n".join(problems[:40])


def test_tables_have_headers_and_the_sites_own_tables_have_captions(example):
    """Every table has header cells; every table the templates draw has a caption. (Tables that
    editors write in Markdown have a header row; Markdown has no caption syntax.)"""
    _, out = example
    problems = []
    for path in html_files(out):
        for table in parse(path).iter("table"):
            url = rel_url(out, path)
            if not table.xpath(".//th"):
                problems.append(f"{url}: a table without header cells")
            in_body = table.xpath("ancestor::div[contains(concat(' ', @class, ' '), ' body ')]")
            if not in_body and not (table.findtext("caption") or "").strip():
                problems.append(f"{url}: a table without a caption")
    assert not problems, "\n".join(problems[:40])


def test_images_and_drawings_have_text_alternatives(example):
    _, out = example
    problems = []
    for path in html_files(out):
        doc = parse(path)
        for img in doc.iter("img"):
            if img.get("alt") is None:
                problems.append(f"{rel_url(out, path)}: <img src={img.get('src')}> without alt")
        for svg in doc.iter("svg"):
            if not (svg.get("aria-label") or svg.get("aria-labelledby") or svg.get("aria-hidden") == "true"):
                problems.append(f"{rel_url(out, path)}: <svg> without a name")
    assert not problems, "\n".join(problems[:40])


def test_every_page_links_to_its_twin_and_the_toolbar_keeps_its_size_without_javascript(example):
    _, out = example
    for path in html_files(out):
        doc, url = parse(path), rel_url(out, path)
        care = url.startswith("/care/")
        switch = doc.xpath("//p[@class='version-switch']/a")
        assert len(switch) == 1 and switch[0].text_content() == ("切换到标准版" if care else "切换到关怀版（大字）"), url
        tools = doc.get_element_by_id("tools")
        # A landmark with a heading; nothing in it `hidden` for a script to reveal (that moved the page)
        assert tools.tag == "section" and doc.get_element_by_id(tools.get("aria-labelledby")).text_content() == "阅读辅助", url
        assert not tools.xpath(".//*[@hidden]"), f"{url}: the toolbar's size must not wait for toolbar.js"
        assert [b.text_content() for b in tools.iter("button")] == BUTTONS, url
        assert all(b.get("aria-pressed") in (None, "true" if b.text_content() == "默认配色" else "false")
                   for b in tools.iter("button")), f"{url}: every aid off by default"
        assert tools.xpath(".//*[@role='status']") and tools.xpath(".//*[@class='tools-nojs']"), url
        # the saved settings apply in <head> (inline, before the first paint); the rest waits for the page
        inline = doc.xpath("//head/script[not(@src)][contains(., 'gxsite-reading')]")
        deferred = doc.xpath("//head/script[contains(@src, 'assets/toolbar.js')]")
        assert inline and deferred and deferred[0].get("defer") is not None, url
        assert not doc.xpath("//*[@role='alert']"), f"{url}: a static page has nothing to alert"


def test_care_navigation_is_home_search_and_the_pages_own_section(example):
    lib, out = example
    pages = page_types(lib, out)
    for name, url in pages.items():
        if "?" in url:
            continue
        doc = parse(out / ("care" + url).lstrip("/") / ("" if url.endswith(".html") else "index.html"))
        links = doc.xpath("//nav[@aria-label='主导航']//a")
        texts = [a.text_content() for a in links]
        assert texts[:2] == ["首页", "站内搜索"], (name, texts)
        assert len(texts) <= 3, (name, texts)
        crumbs = doc.xpath("//nav[@aria-label='当前位置']//a")
        if len(texts) == 3:
            assert texts[2].startswith("返回："), (name, texts)
            assert links[2].get("href") == crumbs[-1].get("href"), (name, "返回 goes up one level")
    item = next(i for i in lib.published if i.in_columns)
    doc = parse(out / "care" / item.url.strip("/") / "index.html")
    back = doc.xpath("//nav[@aria-label='主导航']//a")[2]
    assert back.text_content() == "返回：" + item.in_columns[0].title
    # the standard version keeps the full navigation
    assert len(parse(out / "index.html").xpath("//nav[@aria-label='主导航']//a")) > 3


def test_no_pop_ups_on_any_page(example):
    _, out = example
    for path in html_files(out):
        doc = parse(path)
        assert not doc.xpath("//a[@target] | //dialog | //*[@onclick] | //meta[@http-equiv='refresh']"), \
            rel_url(out, path)


def test_404_page_in_both_versions_links_from_the_site_root(example):
    _, out = example
    for path, twin in ((out / "404.html", "/care/404.html"), (out / "care/404.html", "/404.html")):
        doc = parse(path)
        assert doc.findtext(".//h1") == "页面未找到"
        hrefs = doc.xpath("//a/@href")
        assert twin in hrefs
        assert all(h.startswith(("/", "#", "mailto:", "tel:", "https:")) for h in hrefs), hrefs
        main_links = doc.xpath("//main//a/@href")
        assert any(h.endswith("/search/") for h in main_links) and any(h.endswith("/xxgk/mulu/") for h in main_links)


def test_print_stylesheet_drops_site_chrome_and_keeps_the_document(example):
    _, out = example
    css = (out / "assets/site.css").read_text(encoding="utf-8")
    assert "@page" in css
    printed = css[css.index("Paper (item pages"):]
    chrome = printed[printed.index("@media print"):printed.index("display: none !important")]
    for selector in (".masthead", ".mainnav", ".tools", ".crumbs", ".footer", ".warnings"):
        assert selector in chrome


# ---- the W3C Nu checker on every page --------------------------------------------------

def test_nu_html_checker_finds_no_errors_on_any_page(example):
    command = need_vnu()
    _, out = example
    run = subprocess.run(command + ["--errors-only", "--skip-non-html", str(out)],
                         capture_output=True, text=True, timeout=600)
    report = (run.stdout + run.stderr).strip()
    assert run.returncode == 0 and not report, report[:6000]


# ---- in Chromium ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(example):
    reason = missing_browser()
    if reason:
        skip(reason)
    _, out = example
    with serve(out) as base, chromium_browser() as browser:
        yield base, browser


def open_page(web, url: str, width: int = 1280, height: int = 900, script: bool = True, init: str = ""):
    base, browser = web
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=script,
                                  device_scale_factor=1)
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.goto(base + url)
    return context, page


AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({id: v.id, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\\s+/g, " "))}));
}"""


def axe_violations(page, options: dict) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(AXE_RUN, options)
    return [f"{v['id']}: {v['help']}: " + "; ".join(v["nodes"][:3]) for v in found]


def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page_type_of_either_version(example, web):
    need_axe()
    lib, out = example
    context, page = open_page(web, "/")
    problems = []
    for name, url in both(page_types(lib, out)):
        visit(page, web[0], url)
        problems += [f"{name} {url}: {v}" for v in
                     axe_violations(page, {"runOnly": {"type": "tag", "values": WCAG_TAGS}})]
        if url.startswith("/care/"):  # the 关怀版 aims at 7:1 (WCAG AAA 1.4.6)
            problems += [f"{name} {url}: {v}" for v in
                         axe_violations(page, {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}})]
    context.close()
    assert not problems, "\n".join(problems)


def test_axe_finds_nothing_in_high_contrast_mode_at_the_largest_text_size(example, web):
    need_axe()
    lib, out = example
    pages = page_types(lib, out)
    init = f"localStorage.setItem('{TOOLBAR_KEY}', JSON.stringify({{scale: 2, scheme: 'yb', open: true}}))"
    context, page = open_page(web, "/", init=init)
    problems = []
    for name, url in both({k: pages[k] for k in ("home", "item: policy", "map", "column")}):
        visit(page, web[0], url)
        assert page.evaluate("document.documentElement.classList.contains('ra-scheme-yb')")
        problems += [f"{name} {url}: {v}" for v in
                     axe_violations(page, {"runOnly": {"type": "tag", "values": WCAG_TAGS}})]
    context.close()
    assert not problems, "\n".join(problems)


TEXT_SIZES = """() => {
  const bad = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el) || el.closest("svg, script, style")) continue;
    seen.add(el);
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width < 2 || box.height < 2 || style.visibility === "hidden") continue;
    const size = parseFloat(style.fontSize);
    const line = style.lineHeight === "normal" ? 0 : parseFloat(style.lineHeight);
    if (size < 23.95 || line < 1.5 * size - 0.05)
      bad.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}": ${size}px / ${style.lineHeight}`);
  }
  return bad;
}"""

TARGETS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
  .map(el => { const r = el.getBoundingClientRect();
               return {text: el.textContent.trim().slice(0, 20), width: r.width, height: r.height}; })"""

TARGET_SELECTOR = (".mainnav a, .tools button, main .entries a, .version-switch a, .crumbs a, .pager a, "
                   ".pager [aria-current], main .chips a, .entry-points a, .attachments a")

ONE_COLUMN = """() => {
  const bad = [];
  for (const parent of document.querySelectorAll("main *")) {
    if (parent.closest("table, svg, .pager, p, h1, h2, h3, a, dd > ul, .body")) continue;
    const kids = Array.from(parent.children).filter(el => {
      const style = getComputedStyle(el);
      return el.getClientRects().length && !style.display.startsWith("inline") && style.position !== "absolute";
    }).map(el => [el, el.getBoundingClientRect()]);
    for (let i = 1; i < kids.length; i++) {
      const [a, ra] = kids[i - 1], [b, rb] = kids[i];
      if (rb.top < ra.bottom - 2 && rb.width > 2 && ra.width > 2)
        bad.push(`${parent.tagName.toLowerCase()}.${parent.className}: ${a.tagName} and ${b.tagName} side by side`);
    }
  }
  return bad;
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_care_version_text_line_height_targets_and_one_column(example, web, width):
    lib, out = example
    pages = page_types(lib, out)
    context, page = open_page(web, "/care/", width=width)
    problems = []
    checked_targets = 0
    for name, url in pages.items():
        visit(page, web[0], "/care" + url)
        page.wait_for_selector("#tools:not([hidden])")
        problems += [f"{name}: text {b}" for b in page.evaluate(TEXT_SIZES)]
        for t in page.evaluate(TARGETS, TARGET_SELECTOR):
            checked_targets += 1
            if t["width"] < 59.5 or t["height"] < 59.5:
                problems.append(f"{name}: target “{t['text']}” is {t['width']:.0f}×{t['height']:.0f} px")
        if width > 600:
            problems += [f"{name}: {b}" for b in page.evaluate(ONE_COLUMN)]
        assert page.evaluate("document.getAnimations().length") == 0, name
    context.close()
    assert checked_targets > 300
    assert not problems, "\n".join(problems[:60])


def test_pages_reflow_at_320_px_without_horizontal_scrolling(example, web):
    lib, out = example
    context, page = open_page(web, "/", width=320, height=640)
    problems = []
    for name, url in both(page_types(lib, out)):
        visit(page, web[0], url)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 320:
            problems.append(f"{name} {url}: {width} px wide at a 320 px viewport")
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [1280, 640])
def test_text_at_200_percent_fits_without_horizontal_scrolling(example, web, width):
    lib, out = example
    pages = page_types(lib, out)
    init = f"localStorage.setItem('{TOOLBAR_KEY}', JSON.stringify({{scale: 2, contrast: false}}))"
    context, page = open_page(web, "/", width=width, init=init)
    problems = []
    for name, url in both({k: pages[k] for k in ("home", "item: policy", "item: open_day", "column", "map",
                                                  "handbook", "directory", "catalogue", "service")}):
        visit(page, web[0], url)
        root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert root == 32, (name, root)
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll > width:
            problems.append(f"{name} {url}: {scroll} px wide at {width} px with text at 200%")
    context.close()
    assert not problems, "\n".join(problems)


FOCUS = """() => { const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
  return {tag: el.tagName, text: (el.textContent || "").trim().slice(0, 12), outline: s.outlineStyle,
          width: parseFloat(s.outlineWidth), shadow: s.boxShadow, inView: r.right > 0 && r.bottom > 0 && r.left < innerWidth}; }"""


@pytest.mark.parametrize("prefix", ["", "/care"])
def test_keyboard_focus_is_always_visible_and_the_skip_link_comes_first(example, web, prefix):
    lib, out = example
    context, page = open_page(web, prefix + page_types(lib, out)["item: decision"])
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS)
    assert first["text"] == "跳到正文" and first["inView"], first
    for _ in range(200):
        focus = page.evaluate(FOCUS)
        if focus["tag"] == "BODY":      # past the last link of the page
            break
        assert focus["inView"] and (focus["outline"] != "none" and focus["width"] >= 2 or focus["shadow"] != "none"), focus
        page.keyboard.press("Tab")
    else:
        pytest.fail("focus never left the page's last link")
    visit(page, web[0], prefix + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    context.close()


def font_px(page, selector: str) -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({json.dumps(selector)})).fontSize)")


def test_toolbar_text_size_and_contrast_work_by_mouse_and_keyboard_and_persist(example, web):
    lib, out = example
    pages = page_types(lib, out)
    context, page = open_page(web, pages["item: policy"])
    toolbar = page.get_by_role("region", name="阅读辅助", exact=True)
    assert toolbar.is_visible()
    toolbar.get_by_role("button", name="工具栏", exact=True).click()     # the tools open below their row
    status = page.locator("#tools [role=status]")
    before = font_px(page, "main p")
    toolbar.get_by_role("button", name="字号放大", exact=True).click()
    after = font_px(page, "main p")
    assert after > before
    page.wait_for_function("document.querySelector('#tools [role=status]').textContent.includes('115%')")
    assert toolbar.get_by_role("button", name="字号缩小", exact=True).get_attribute("aria-disabled") == "false"

    # the size holds on the next page, in both versions
    visit(page, web[0], "/")
    assert page.evaluate("document.documentElement.style.fontSize") == "115%"
    assert font_px(page, "main h2") > 20
    visit(page, web[0], "/care/")
    assert font_px(page, "main p, main li") == pytest.approx(24 * 1.15, abs=0.5)

    # high contrast by keyboard: Tab to the button, press Space
    contrast = page.get_by_role("button", name="黑底黄字", exact=True)
    assert contrast.get_attribute("aria-pressed") == "false"
    contrast.focus()
    page.keyboard.press("Space")
    assert contrast.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.classList.contains('ra-scheme-yb')")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    visit(page, web[0], pages["map"])
    assert page.evaluate("document.documentElement.classList.contains('ra-scheme-yb')")
    assert page.get_by_role("button", name="黑底黄字", exact=True).get_attribute("aria-pressed") == "true"

    # reset by Enter; contrast off again
    page.get_by_role("button", name="默认字号", exact=True).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.style.fontSize") == ""
    page.get_by_role("button", name="默认配色", exact=True).click()
    assert not page.evaluate("document.documentElement.classList.contains('ra-scheme')")
    saved = json.loads(page.evaluate(f"localStorage.getItem('{TOOLBAR_KEY}')"))
    assert saved["scale"] == 1 and saved["scheme"] == "" and saved["open"] is True

    # at the limits the buttons say so rather than doing nothing silently
    smaller = page.get_by_role("button", name="字号缩小", exact=True)
    assert smaller.get_attribute("aria-disabled") == "true"
    smaller.focus()                 # aria-disabled keeps it in the tab order, so it can explain itself
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#tools [role=status]').textContent.includes('最小')")
    assert status.count() == 1
    context.close()


def test_read_aloud_speaks_the_main_text_in_chinese(example, web):
    lib, out = example
    fake = """
      window.__spoken = []; window.__cancelled = 0;
      Object.defineProperty(window, "SpeechSynthesisUtterance", {configurable: true, writable: true,
        value: function (text) { this.text = text; }});
      Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
        speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); },
        cancel() { window.__cancelled += 1; }, getVoices() { return []; }}});
    """
    url = page_types(lib, out)["item: policy"]
    context, page = open_page(web, url, init=fake + OPEN_TOOLS)
    button = page.get_by_role("button", name="连读", exact=True)     # from the top: nothing chosen yet
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and all(s["lang"] == "zh-CN" for s in spoken)
    text = "".join(s["text"] for s in spoken)
    assert page.locator("main h1").inner_text() in text
    assert "跳到正文" not in text and "切换到关怀版" not in text      # the main text only
    assert max(len(s["text"]) for s in spoken) < 400                   # in short utterances
    assert button.get_attribute("aria-pressed") == "true"
    stop = page.get_by_role("button", name="停止朗读", exact=True)
    assert stop.is_visible()
    stop.click()
    assert page.evaluate("window.__cancelled") >= 2
    assert button.get_attribute("aria-pressed") == "false"
    context.close()


@pytest.mark.parametrize("prefix", ["", "/care"])
def test_read_aloud_says_so_plainly_where_the_browser_cannot_speak(example, web, prefix):
    gone = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"
    context, page = open_page(web, prefix + "/", init=gone + OPEN_TOOLS)
    assert page.evaluate("typeof window.speechSynthesis") == "undefined"
    # said before anything is pressed, and the speech buttons are marked unavailable
    assert page.locator("#tools .tools-nospeech").is_visible()
    for name in ("指读", "连读", "停止朗读"):
        assert page.get_by_role("button", name=name, exact=True).get_attribute("aria-disabled") == "true"
    page.get_by_role("button", name="连读", exact=True).focus()     # aria-disabled: still focusable, so it explains
    page.keyboard.press("Enter")
    message = page.locator("#tools [role=status]")
    message.filter(has_text="不支持朗读").wait_for()
    assert message.is_visible()
    context.close()


def test_page_reads_fully_with_javascript_off(example, web):
    lib, out = example
    pages = page_types(lib, out)
    for url in (pages["item: policy"], "/care" + pages["item: policy"], "/care/"):
        context, page = open_page(web, url, script=False)
        assert page.locator("#tools .tools-nojs").is_visible()      # a note where the tools would be
        assert not page.get_by_role("button").count()
        main = page.locator("main")
        assert main.is_visible() and len(main.inner_text()) > 100
        assert page.locator("main h1").is_visible()
        context.close()


def test_item_pages_print_without_site_chrome_and_with_link_addresses(example, web):
    lib, out = example
    item = next(i for i in lib.published if i.attachments)
    for prefix in ("", "/care"):
        context, page = open_page(web, prefix + item.url, init=OPEN_TOOLS)
        page.get_by_role("button", name="字号放大", exact=True).click()
        page.emulate_media(media="print")
        for selector in (".masthead", "#tools", ".mainnav", ".crumbs", ".footer"):
            assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).display") == "none", selector
        assert page.locator("main h1").is_visible()
        assert page.locator(".meta-table").is_visible()
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"   # 12pt
        after = page.evaluate("getComputedStyle(document.querySelector('.attachments a'), '::after').content")
        assert "https://www.gaoxian.gov.cn/items/" in after
        address = page.locator(".print-only")
        assert address.is_visible() and item.url in address.inner_text()
        page.emulate_media(media="screen")
        assert not address.is_visible()
        context.close()
