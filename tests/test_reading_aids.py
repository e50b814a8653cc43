"""The reading aids (issue 15, point 1), in Chromium on the built example, both versions: for each
aid its state (aria-pressed, the visible pressed look), what it does to the page (measured),
persistence across pages and reloads, keyboard use and shortcuts, reset, axe with each aid on,
and no layout shift at load with or without saved settings.

The head script (inline in base.html) applies the saved settings as classes on <html> before the
first paint; assets/toolbar.js wires the buttons. Speech is checked against a recording fake of
window.speechSynthesis that "speaks" each utterance in 20 ms, in order, as a browser does.
"""
from __future__ import annotations

import json
import re

import pytest

from browser import need_axe
from test_accessibility import (  # noqa: F401 - example and web are fixtures used by name
    TOOLBAR_KEY, WCAG_TAGS, axe_violations, example, open_page, page_types, visit, web,
)

VERSIONS = ["", "/care"]


def saved(**settings) -> str:
    """An init script that puts these settings in storage before the page's own scripts run (once
    per browser context: later navigations keep what the page itself saved)."""
    return (f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
            f" localStorage.setItem('{TOOLBAR_KEY}', JSON.stringify({json.dumps(settings)})); }}")


OPEN = saved(open=True)


def stored(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{TOOLBAR_KEY}')") or "{}")


def classes(page) -> list[str]:
    """The reading aids' classes on <html> (ra-nospeech, which says what the browser can do, left out)."""
    return [c for c in page.evaluate("document.documentElement.className").split() if c != "ra-nospeech"]


def button(page, name: str):
    return page.locator("#tools").get_by_role("button", name=name, exact=True)


def pressed(page, name: str) -> str:
    return button(page, name).get_attribute("aria-pressed")


def look(page, name: str) -> dict:
    """What a sighted reader sees of a button: its colours and the tick."""
    return button(page, name).evaluate("""b => { const s = getComputedStyle(b), t = getComputedStyle(b, '::before');
        return {bg: s.backgroundColor, fg: s.color, tick: t.content, width: b.getBoundingClientRect().width}; }""")


def item_url(example) -> str:
    lib, out = example
    return page_types(lib, out)["item: policy"]


# ---- the toolbar itself -------------------------------------------------------------------

@pytest.mark.parametrize("prefix", VERSIONS)
@pytest.mark.parametrize("width", [375, 1280])
def test_the_toolbar_row_has_one_height_with_and_without_javascript(example, web, prefix, width):
    heights = {}
    for script in (True, False):
        context, page = open_page(web, prefix + item_url(example), width=width, script=script)
        heights[script] = page.evaluate("document.getElementById('tools').getBoundingClientRect().height")
        if script:
            assert button(page, "工具栏").is_visible() and not page.locator(".tools-nojs").is_visible()
            assert not page.locator("#tools-panel").is_visible()          # every aid off, the tools closed
            assert classes(page) == ["ra-js"]
        else:
            assert page.locator(".tools-nojs").is_visible() and not page.locator("#tools button").first.is_visible()
        context.close()
    assert heights[True] == heights[False] > 40


LAYOUT_SHIFT = """() => new Promise(done => {
  let total = 0; const seen = [];
  new PerformanceObserver(list => { for (const e of list.getEntries()) { total += e.value;
      seen.push(e.sources.map(s => s.node ? s.node.nodeName + "." + s.node.className : "?").join(", ")); } })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => done({total, seen}), 1000);
})"""

EVERYTHING_ON = dict(zoom=1.5, scale=1.3, scheme="bu", cursor="white", crosshair=True, caption=True,
                     plain=True, point=True, rate=1.5, open=True)


@pytest.mark.parametrize("settings", [None, EVERYTHING_ON, dict(open=True, scheme="yb")],
                         ids=["nothing saved", "every aid saved", "tools open"])
@pytest.mark.parametrize("width", [375, 1280])
def test_no_layout_shift_at_load_with_or_without_saved_settings(example, web, settings, width):
    urls = ["/", item_url(example), "/search/?q=公开"]
    problems = []
    for prefix in VERSIONS:
        for url in urls:
            context, page = open_page(web, "/404.html", width=width, init=saved(**settings) if settings else "")
            visit(page, web[0], prefix + url)
            shift = page.evaluate(LAYOUT_SHIFT)
            if shift["total"] > 0:
                problems.append(f"{prefix}{url}: layout shift {shift['total']:.4f} ({shift['seen']})")
            if settings:
                assert "ra-open" in classes(page) and page.locator("#tools-panel").is_visible()
            context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("prefix", VERSIONS)
def test_the_toolbar_is_a_landmark_opened_and_used_by_keyboard(example, web, prefix):
    context, page = open_page(web, prefix + item_url(example))
    region = page.get_by_role("region", name="阅读辅助", exact=True)
    assert region.is_visible()
    assert page.get_by_role("heading", name="阅读辅助", exact=True).is_visible()
    # Tab: the skip link, the site name, the version switch, then the toolbar's button
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.ra") == "open":
            break
    else:
        pytest.fail("Tab never reached the toolbar")
    switch = button(page, "工具栏")
    assert switch.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert switch.get_attribute("aria-expanded") == "true" and page.locator("#tools-panel").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "页面放大"
    page.keyboard.press("Space")
    assert stored(page)["zoom"] == 1.25
    page.keyboard.press("Escape")                 # Esc in the tools closes them, focus back on their button
    assert switch.get_attribute("aria-expanded") == "false" and not page.locator("#tools-panel").is_visible()
    assert page.evaluate("document.activeElement.dataset.ra") == "open"
    context.close()


def test_the_care_version_keeps_large_type_and_60_px_targets_in_the_toolbar(example, web):
    context, page = open_page(web, "/care" + item_url(example), width=1280, init=OPEN)
    button(page, "快捷键").click()
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('#tools button')).map(b => {
        const r = b.getBoundingClientRect(); return [b.textContent, r.width, r.height, parseFloat(getComputedStyle(b).fontSize)]; })""")
    assert len(sizes) == 22
    for name, width, height, font in sizes:
        assert width >= 59.5 and height >= 59.5 and font >= 24, (name, width, height, font)
    text = page.evaluate("""() => Array.from(document.querySelectorAll('#tools-panel span, #tools-panel td, #tools-panel caption'))
        .filter(e => e.getClientRects().length).map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert text and min(text) >= 24
    context.close()


# ---- 页面缩放 and 字号 --------------------------------------------------------------------

def test_page_zoom_steps_to_200_percent_and_the_page_reflows(example, web):
    context, page = open_page(web, item_url(example), init=OPEN)
    h1 = page.evaluate("document.querySelector('main h1').getBoundingClientRect().height")
    steps = []
    for _ in range(4):
        button(page, "页面放大").click()
        steps.append(page.locator('[data-ra-value="zoom"]').inner_text())
    assert steps == ["125%", "150%", "175%", "200%"]
    assert "ra-zoom" in classes(page) and stored(page)["zoom"] == 2
    assert button(page, "页面放大").get_attribute("aria-disabled") == "true"
    zoomed = page.evaluate("document.querySelector('main h1').getBoundingClientRect().height")
    assert zoomed > 1.8 * h1                       # everything drawn twice as large …
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280     # … and laid out again
    button(page, "页面放大").focus()         # aria-disabled keeps it focusable, so that it can say why
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#tools [role=status]').textContent.includes('最大页面缩放')")
    for _ in range(4):
        button(page, "页面缩小").click()
    assert "ra-zoom" not in classes(page) and page.locator('[data-ra-value="zoom"]').inner_text() == "100%"
    assert page.evaluate("document.querySelector('main h1').getBoundingClientRect().height") == pytest.approx(h1, abs=1)
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_no_horizontal_scrolling_at_200_percent_page_zoom(example, web, width):
    lib, out = example
    pages = page_types(lib, out)
    context, page = open_page(web, "/404.html", width=width, init=saved(zoom=2))
    problems = []
    for name in ("home", "item: policy", "item: open_day", "column", "map", "handbook", "directory", "catalogue",
                 "service", "search results", "policy library", "statistics"):
        for prefix in VERSIONS:
            visit(page, web[0], prefix + pages[name])
            assert "ra-zoom" in classes(page)
            scroll = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll > width:
                problems.append(f"{prefix}{pages[name]}: {scroll} px wide at {width} px, zoom 200%")
    context.close()
    assert not problems, "\n".join(problems)


def test_text_size_steps_and_resets(example, web):
    context, page = open_page(web, item_url(example), init=OPEN)
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    button(page, "字号放大").click()
    button(page, "字号放大").click()
    assert page.evaluate("document.documentElement.style.fontSize") == "130%"
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)") == \
        pytest.approx(before * 1.3, abs=0.5)
    button(page, "默认字号").click()
    assert page.evaluate("document.documentElement.style.fontSize") == "" and stored(page)["scale"] == 1
    context.close()


# ---- 配色 ---------------------------------------------------------------------------------

CONTRASTS = """() => {
  const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el) || el.closest("svg, script, style")) continue;
    seen.add(el);
    if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
    const s = getComputedStyle(el);
    out.push({what: el.tagName + "." + el.className + " " + el.textContent.trim().slice(0, 12),
              link: !!el.closest("a"), fg: s.color, bg: s.backgroundColor, ratio: ratio(s.color, s.backgroundColor)});
  }
  return out;
}"""

SCHEMES = {"黑底黄字": ("yb", "rgb(0, 0, 0)", "rgb(255, 255, 0)"), "白底黑字": ("wb", "rgb(255, 255, 255)", "rgb(0, 0, 0)"),
           "蓝底白字": ("bu", "rgb(0, 48, 110)", "rgb(255, 255, 255)")}


@pytest.mark.parametrize("prefix", VERSIONS)
def test_each_colour_scheme_is_exclusive_and_every_text_and_link_stands_at_7_to_1(example, web, prefix):
    lib, out = example
    pages = page_types(lib, out)
    context, page = open_page(web, prefix + "/", init=OPEN)
    assert pressed(page, "默认配色") == "true"
    for name, (key, bg, fg) in SCHEMES.items():
        visit(page, web[0], prefix + "/")
        button(page, name).click()
        assert [pressed(page, n) for n in ("默认配色", *SCHEMES)] == \
            [str(n == name).lower() for n in ("默认配色", *SCHEMES)]
        assert f"ra-scheme-{key}" in classes(page) and stored(page)["scheme"] == key
        other = next(n for n in SCHEMES if n != name)          # the same length of name, not pressed
        shown, unpressed = look(page, name), look(page, other)
        assert shown["tick"] != unpressed["tick"] and shown["bg"] != unpressed["bg"]     # a visible state …
        assert shown["width"] == pytest.approx(unpressed["width"], abs=0.5)              # … that moves nothing
        for url in ("/", pages["item: policy"], pages["column"], pages["map"], "/search/?q=公开"):
            visit(page, web[0], prefix + url)
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == bg
            assert page.evaluate("getComputedStyle(document.querySelector('main h1')).color") == fg
            found = page.evaluate(CONTRASTS)
            assert any(f["link"] for f in found) and any(not f["link"] for f in found)
            low = [f for f in found if f["ratio"] < 7]
            assert not low, (name, url, low[:5])
    button(page, "默认配色").click()
    assert "ra-scheme" not in classes(page)
    context.close()


# ---- 大鼠标, 十字线, 大字幕 ----------------------------------------------------------------

def test_large_cursor_black_and_white_use_our_own_svg_cursors(example, web):
    _, out = example
    for colour in ("black", "white"):
        for hand in ("", "-hand"):
            svg = (out / f"assets/cursor-{colour}{hand}.svg").read_text(encoding="utf-8")
            assert 'width="64"' in svg and 'height="64"' in svg
    context, page = open_page(web, item_url(example), init=OPEN)
    cursor = "getComputedStyle(document.querySelector(%r)).cursor"
    assert page.evaluate(cursor % "main p") == "auto"
    button(page, "黑色大鼠标").click()
    assert pressed(page, "黑色大鼠标") == "true" and pressed(page, "白色大鼠标") == "false"
    body = page.evaluate(cursor % "main p")
    assert re.search(r'url\("[^"]*/assets/cursor-black\.svg"\) 4 4, default', body), body
    assert "cursor-black-hand.svg" in page.evaluate(cursor % "main a") and "pointer" in page.evaluate(cursor % "main a")
    button(page, "白色大鼠标").click()
    assert pressed(page, "黑色大鼠标") == "false" and pressed(page, "白色大鼠标") == "true"
    assert "cursor-white.svg" in page.evaluate(cursor % "main p")
    assert page.evaluate("fetch(getComputedStyle(document.body).cursor.match(/url\\(\"(.*?)\"/)[1]).then(r => r.status)") == 200
    button(page, "白色大鼠标").click()
    assert page.evaluate(cursor % "main p") == "auto" and stored(page)["cursor"] == ""
    context.close()


def test_crosshair_follows_the_pointer_and_lets_clicks_through(example, web):
    context, page = open_page(web, item_url(example), init=OPEN)
    button(page, "十字线").click()
    assert pressed(page, "十字线") == "true" and "ra-crosshair" in classes(page)
    for x, y in ((200, 300), (640, 500), (1000, 120)):
        page.mouse.move(x, y)
        lines = page.evaluate("""() => Array.from(document.querySelectorAll('.ra-line')).map(l => {
            const r = l.getBoundingClientRect(), s = getComputedStyle(l);
            return {x: r.x, y: r.y, w: r.width, h: r.height, events: s.pointerEvents, hidden: l.getAttribute('aria-hidden'),
                    shown: s.display !== 'none'}; })""")
        horizontal, vertical = lines
        width, height = page.evaluate("[document.documentElement.clientWidth, document.documentElement.clientHeight]")
        assert horizontal["shown"] and vertical["shown"]
        assert abs(horizontal["y"] + horizontal["h"] / 2 - y) <= 1 and horizontal["w"] == width and horizontal["h"] <= 2
        assert abs(vertical["x"] + vertical["w"] / 2 - x) <= 1 and vertical["h"] == height and vertical["w"] <= 2
        assert all(l["events"] == "none" and l["hidden"] == "true" for l in lines)
        assert page.evaluate(f"document.elementFromPoint({x}, {y}).classList.contains('ra-line')") is False
    link = page.locator("nav[aria-label='当前位置'] a").first
    target = link.evaluate("a => a.href")
    box = link.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)
    with page.expect_navigation():
        page.mouse.click(box["x"] + 5, box["y"] + box["height"] / 2)    # both lines cross here: the link still works
    assert page.url == target
    assert "ra-crosshair" in classes(page)
    button(page, "十字线").click()
    assert not page.locator(".ra-line").first.is_visible()
    context.close()


@pytest.mark.parametrize("prefix", VERSIONS)
def test_caption_bar_shows_what_is_pointed_at_or_focused_in_large_type_and_never_covers_focus(example, web, prefix):
    context, page = open_page(web, prefix + item_url(example), width=1280, height=700, init=OPEN)
    button(page, "大字幕").click()
    assert pressed(page, "大字幕") == "true"
    bar = page.locator(".ra-caption-bar")
    assert bar.is_visible() and bar.get_attribute("aria-hidden") == "true"
    info = bar.evaluate("b => ({font: parseFloat(getComputedStyle(b).fontSize), pos: getComputedStyle(b).position, "
                        "top: b.getBoundingClientRect().top, bottom: b.getBoundingClientRect().bottom})")
    assert info["font"] >= 32 and info["pos"] == "fixed" and info["bottom"] == 700
    padding = page.evaluate("parseFloat(getComputedStyle(document.body).paddingBottom)")
    assert padding >= 700 - info["top"]
    h1 = page.locator("main h1")
    h1.hover()
    assert bar.inner_text() == re.sub(r"\s+", " ", h1.inner_text()).strip()
    # keyboard: every focused element is named in the bar and stays above it
    covered = []
    page.keyboard.press("Tab")
    for _ in range(120):
        focus = page.evaluate("""() => { const el = document.activeElement, r = el.getBoundingClientRect();
            return {tag: el.tagName, text: (el.getAttribute('aria-label') || el.innerText || '').replace(/\\s+/g, ' ').trim(),
                    bottom: r.bottom, height: r.height}; }""")
        if focus["tag"] == "BODY":
            break
        if focus["height"] and focus["bottom"] > info["top"] + 0.5:
            covered.append(focus)
        if focus["text"]:
            assert bar.inner_text() == focus["text"][:160] + ("…" if len(focus["text"]) > 160 else ""), focus
        page.keyboard.press("Tab")
    assert not covered, covered[:3]
    visit(page, web[0], prefix + "/")
    assert page.locator(".ra-caption-bar").is_visible()             # kept on the next page
    button(page, "大字幕").click()
    assert not page.locator(".ra-caption-bar").is_visible()
    assert page.evaluate("getComputedStyle(document.body).paddingBottom") == "0px"
    context.close()


# ---- 纯文本 --------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", VERSIONS)
def test_plain_text_hides_pictures_and_layout_keeps_links_and_goes_back(example, web, prefix):
    lib, out = example
    pages = page_types(lib, out)
    context, page = open_page(web, prefix + pages["map"], init=OPEN)
    # pictures, except one that is a link's only content (kept at the height of a line, so the link keeps its target)
    pictures = ("Array.from(document.querySelectorAll('main svg, img')).filter(e => !e.closest('a'))"
                ".filter(e => e.getClientRects().length).length")
    assert page.evaluate(pictures) > 0
    row = "getComputedStyle(document.querySelector('.masthead-row')).flexDirection"
    assert page.evaluate(row) == "row"
    font = "getComputedStyle(document.querySelector('main h1')).fontFamily"
    site_font = page.evaluate(font)
    button(page, "纯文本").click()
    assert pressed(page, "纯文本") == "true" and "ra-plain" in classes(page)
    assert page.evaluate(pictures) == 0
    assert page.evaluate("Array.from(document.querySelectorAll('a img')).every(i => i.getBoundingClientRect().height"
                         " <= 1.7 * parseFloat(getComputedStyle(i).fontSize))")
    assert page.evaluate(row) == "column"                               # one column
    assert page.evaluate(font) != site_font                             # the browser's own font
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    assert page.locator("main .places a").first.is_visible()            # the places still listed
    assert button(page, "纯文本").is_visible()                          # the way back is there
    link = page.locator("main .places a").first
    target = link.evaluate("a => a.href")
    with page.expect_navigation():
        link.click()                                                    # links still work
    assert page.url == target
    assert "ra-plain" in classes(page)                                  # kept on the next page
    button(page, "纯文本").click()
    assert "ra-plain" not in classes(page) and page.evaluate(row) == "row"
    context.close()


# ---- 朗读: 指读, 连读, 语速, 停止 -----------------------------------------------------------

FAKE_SPEECH = """
  window.__spoken = []; window.__cancelled = 0;
  (function () {
    let queue = [], timer = 0;
    function next() {
      timer = 0;
      const u = queue.shift();
      if (!u) return;
      window.__spoken.push({text: u.text, lang: u.lang, rate: u.rate});
      // Each utterance lasts 20 ms, longer while a test holds it (window.__hold).
      const end = () => { if (window.__hold) { timer = setTimeout(end, 10); return; }
                          timer = 0; if (u.onend) u.onend({}); if (!timer) next(); };
      timer = setTimeout(end, 20);
    }
    Object.defineProperty(window, "SpeechSynthesisUtterance", {configurable: true, writable: true,
      value: function (text) { this.text = text; this.rate = 1; }});
    Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
      get speaking() { return !!timer || queue.length > 0; },
      speak(u) { queue.push(u); if (!timer) next(); },
      cancel() { window.__cancelled += 1; queue = []; clearTimeout(timer); timer = 0; },
      getVoices() { return []; }}});
  })();
"""


def spoken(page) -> list[dict]:
    return page.evaluate("window.__spoken")


def test_point_reading_speaks_what_is_pointed_at_or_focused_once_the_pointer_rests(example, web):
    context, page = open_page(web, item_url(example), init=FAKE_SPEECH + OPEN)
    button(page, "指读").click()
    assert pressed(page, "指读") == "true" and stored(page)["point"] is True
    page.evaluate("window.__spoken = []")
    h1 = page.locator("main h1")
    # crossing several elements quickly says nothing until the pointer rests (debounced)
    for el in page.locator("main p").all()[:3]:
        el.hover()
    h1.hover()
    page.wait_for_timeout(600)
    said = spoken(page)
    assert "".join(s["text"] for s in said) == h1.inner_text().strip()
    assert all(s["lang"] == "zh-CN" and s["rate"] == 1 for s in said)
    # by keyboard: focus a link, its name is read
    page.evaluate("window.__spoken = []")
    link = page.locator("main a").first
    link.focus()
    page.wait_for_timeout(600)
    assert "".join(s["text"] for s in spoken(page)) == link.inner_text().strip()
    context.close()


def test_continuous_reading_goes_paragraph_by_paragraph_from_the_chosen_place_highlighted(example, web):
    context, page = open_page(web, item_url(example), init=FAKE_SPEECH + OPEN)
    paragraphs = page.locator("main .body p")
    assert paragraphs.count() >= 3
    second = paragraphs.nth(1)
    second.click()                                         # the place to start from
    button(page, "语速加快").click()
    button(page, "语速加快").click()
    assert page.locator('[data-ra-value="rate"]').inner_text() == "语速 1.5 倍" and stored(page)["rate"] == 1.5
    page.evaluate("window.__hold = true")
    button(page, "连读").click()
    assert pressed(page, "连读") == "true"
    first_said = page.evaluate("window.__spoken[0]")
    texts = page.evaluate("""() => Array.from(document.querySelectorAll('main .body p')).map(p => p.innerText)""")
    assert first_said["rate"] == 1.5 and texts[1].replace("\n", " ").startswith(first_said["text"].strip()[:10])
    assert second.evaluate("p => p.classList.contains('ra-reading')")
    highlight = second.evaluate("p => getComputedStyle(p).outlineStyle")
    assert highlight == "dashed"
    # in order: the third paragraph follows the second (each highlighted while it is read)
    page.evaluate("""() => { window.__marked = [];
        new MutationObserver(changes => { for (const c of changes) if (c.target.classList.contains('ra-reading'))
            window.__marked.push(c.target); }).observe(document.querySelector('main'), {attributes: true, subtree: true,
            attributeFilter: ['class']}); }""")
    page.evaluate("window.__hold = false")
    page.wait_for_function("window.__marked.includes(document.querySelectorAll('main .body p')[2])", timeout=10000)
    joined = "".join(s["text"] for s in spoken(page))
    assert joined.index(texts[1][:8]) < joined.index(texts[2][:8])
    assert not first_said["text"].startswith(page.locator("main h1").inner_text()[:6])     # not from the top
    button(page, "停止朗读").click()
    cancelled = page.evaluate("window.__cancelled")
    count = len(spoken(page))
    page.wait_for_timeout(200)
    assert len(spoken(page)) == count and cancelled >= 1                 # stop means silence
    assert pressed(page, "连读") == "false" and page.locator(".ra-reading").count() == 0
    # Escape stops too
    button(page, "连读").click()
    page.keyboard.press("Escape")
    count = len(spoken(page))
    page.wait_for_timeout(200)
    assert len(spoken(page)) == count and page.locator(".ra-reading").count() == 0
    context.close()


def test_speech_rate_stays_between_half_and_double(example, web):
    context, page = open_page(web, "/", init=FAKE_SPEECH + OPEN)
    for _ in range(2):
        button(page, "语速减慢").click()
    assert stored(page)["rate"] == 0.5 and button(page, "语速减慢").get_attribute("aria-disabled") == "true"
    button(page, "语速减慢").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#tools [role=status]').textContent.includes('最小语速')")
    assert stored(page)["rate"] == 0.5
    for _ in range(6):
        button(page, "语速加快").click()
    assert stored(page)["rate"] == 2 and page.locator('[data-ra-value="rate"]').inner_text() == "语速 2 倍"
    context.close()


# ---- persistence, shortcuts, reset, help --------------------------------------------------

def test_settings_persist_across_pages_reloads_and_both_versions(example, web):
    context, page = open_page(web, item_url(example), init=OPEN)
    for name in ("页面放大", "字号放大", "蓝底白字", "黑色大鼠标", "十字线", "大字幕", "纯文本"):
        button(page, name).click()
    expected = {"ra-zoom", "ra-scheme-bu", "ra-cursor-black", "ra-crosshair", "ra-caption", "ra-plain", "ra-open"}
    for url in ("/", "/care/", "/care" + item_url(example)):
        visit(page, web[0], url)
        assert expected <= set(classes(page)), url
        assert [pressed(page, n) for n in ("蓝底白字", "黑色大鼠标", "十字线", "大字幕", "纯文本")] == ["true"] * 5
        assert page.locator('[data-ra-value="zoom"]').inner_text() == "125%"
    page.reload()
    assert expected <= set(classes(page)) and page.evaluate("document.documentElement.style.fontSize") == "115%"
    context.close()


SHORTCUTS = [("G", "ra-open"), ("Equal", "ra-zoom"), ("P", "ra-scheme-yb"), ("M", "ra-cursor-black"),
             ("X", "ra-crosshair"), ("C", "ra-caption"), ("W", "ra-plain"), ("D", "ra-point")]


@pytest.mark.parametrize("prefix", VERSIONS)
def test_shortcuts_switch_each_aid_and_reset_clears_everything(example, web, prefix):
    context, page = open_page(web, prefix + item_url(example), init=FAKE_SPEECH)
    for key, cls in SHORTCUTS:
        page.keyboard.press(f"Alt+Shift+{key}")
        assert cls in classes(page), key
    assert stored(page)["scheme"] == "yb" and stored(page)["zoom"] == 1.25
    page.keyboard.press("Alt+Shift+BracketRight")
    assert page.evaluate("document.documentElement.style.fontSize") == "115%"
    # help: a disclosure listing the keys; Esc closes it and returns to its button
    page.keyboard.press("Alt+Shift+H")
    assert button(page, "快捷键").get_attribute("aria-expanded") == "true"
    table = page.locator("#tools-help table")
    assert table.is_visible() and "Alt" in table.inner_text() and table.locator("tr").count() >= 10
    page.keyboard.press("Escape")
    assert not table.is_visible() and page.evaluate("document.activeElement.dataset.ra") == "help"
    page.keyboard.press("Alt+Shift+R")
    assert classes(page) == ["ra-js", "ra-open"]                          # the tools stay open on this page only
    assert page.evaluate(f"localStorage.getItem('{TOOLBAR_KEY}')") is None
    assert [pressed(page, n) for n in ("默认配色", "十字线", "大字幕", "纯文本", "指读")] == ["true"] + ["false"] * 4
    page.wait_for_function("document.querySelector('#tools [role=status]').textContent.includes('恢复默认')")
    page.reload()
    assert classes(page) == ["ra-js"]
    # not while typing in a field (Option+Shift+letter types a character on a Mac)
    visit(page, web[0], prefix + "/search/")
    page.locator("main input[type=search], main input[type=text]").first.focus()
    page.keyboard.press("Alt+Shift+X")
    assert "ra-crosshair" not in classes(page)
    page.locator("main h1").click()
    page.keyboard.press("Alt+Shift+X")
    assert "ra-crosshair" in classes(page)
    context.close()


def test_reset_button_clears_storage_and_every_aid(example, web):
    context, page = open_page(web, "/care/", init=saved(**EVERYTHING_ON))
    assert len([c for c in classes(page) if c.startswith("ra-")]) > 6
    button(page, "全部重置").click()
    assert classes(page) == ["ra-js", "ra-open"]
    assert page.evaluate("document.documentElement.style.fontSize") == ""
    assert page.locator(".ra-caption-bar").is_hidden() and page.locator(".ra-line").first.is_hidden()
    assert page.evaluate(f"localStorage.getItem('{TOOLBAR_KEY}')") is None
    context.close()


def test_the_status_line_is_silent_until_the_reader_acts(example, web):
    context, page = open_page(web, "/", init=saved(**EVERYTHING_ON))
    page.wait_for_timeout(500)
    assert page.locator("#tools [role=status]").count() == 1
    assert page.locator("#tools [aria-live], #tools [role=alert], #tools [role=log]").count() == 0
    assert page.locator("#tools [role=status]").inner_text() == ""       # every aid on, and not a word said
    assert page.evaluate("Array.from(document.querySelectorAll('.ra-overlay')).every(o => o.getAttribute('aria-hidden') === 'true')")
    context.close()


# ---- axe with each aid on ------------------------------------------------------------------

AIDS_ON = {"zoom 200%": dict(zoom=2), "text 200%": dict(scale=2), "黑底黄字": dict(scheme="yb"),
           "白底黑字": dict(scheme="wb"), "蓝底白字": dict(scheme="bu"), "大鼠标": dict(cursor="white"),
           "十字线": dict(crosshair=True), "大字幕": dict(caption=True), "纯文本": dict(plain=True),
           "指读": dict(point=True), "everything": EVERYTHING_ON}


@pytest.mark.parametrize("aid", list(AIDS_ON))
def test_axe_finds_nothing_with_each_aid_on(example, web, aid):
    need_axe()
    lib, out = example
    pages = page_types(lib, out)
    settings = dict(AIDS_ON[aid], open=True)
    problems = []
    for prefix in VERSIONS:
        for url in ("/", pages["item: policy"]):
            context, page = open_page(web, "/404.html", init=saved(**settings))
            visit(page, web[0], prefix + url)
            page.mouse.move(300, 300)
            rules = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
            problems += [f"{prefix}{url}: {v}" for v in axe_violations(page, rules)]
            if "scheme" in settings or prefix:
                problems += [f"{prefix}{url}: {v}" for v in
                             axe_violations(page, {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}})]
            context.close()
    assert not problems, "\n".join(problems)
