"""The pages citizens see, on a phone above all: in both versions (standard and 关怀版) the first
375 × 667 screen of every item page holds its title and the start of its text, the 信息公开目录
folds behind a summary that works without JavaScript, no field shows as an empty “—” row, the
columns an item is in are told apart where their titles are the same, and every attachment
address written out as text is the href's own percent-encoded address.

The bundled example is built once (on a day with a warning in force: its banner is on every
page, as it would be); small trees from conftest pin the cases the example does not have.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from browser import chromium_browser, missing_browser, need_axe, serve, skip, AXE_JS
from conftest import COLUMNS, REPO, TODAY, item, messages, parse
from gxsite import pipeline

PHONE = {"width": 375, "height": 667}
VERSIONS = ["", "/care"]
EMPTY = {"", "—", "-", "－"}


class Built(tuple):
    """(library, output folder), with a short repr (a Library's would fill pytest's report)."""

    def __repr__(self) -> str:
        return f"<example built into {self[1]}>"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("phone") / "output"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok, [str(p) for p in result.problems.errors]
    warnings = [i for i in result.lib.published if i.type == "warning" and i.valid_until >= TODAY]
    assert warnings, "the example is built on a day with a warning in force (the worst first screen)"
    return Built((result.lib, out))


def page_file(out: Path, url: str) -> Path:
    return out / url.lstrip("/") / "index.html"


def text(node) -> str:
    return " ".join(node.text_content().split())


# ---- no empty rows (static, every page) ---------------------------------------------------

def test_no_field_is_shown_as_an_empty_row_on_any_page(example):
    """Key–value lists (<dl>, and tables without a header row such as the 信息公开目录) leave out
    what an item or a record does not have instead of showing “—”."""
    _, out = example
    problems = []
    for path in sorted(out.rglob("*.html")):
        doc = lxml_html.fromstring(path.read_bytes())
        rel = path.relative_to(out).as_posix()
        for dd in doc.iter("dd"):
            if text(dd) in EMPTY:
                problems.append(f"{rel}: <dt>{text(dd.getprevious())}</dt> with an empty value")
        for table in doc.xpath("//table[not(thead)][not(ancestor::div[contains(@class, 'body')])]"):
            for th in table.xpath(".//th[@scope='row']"):
                value = th.getnext()
                if value is None or value.tag != "td" or text(value) in EMPTY:
                    problems.append(f"{rel}: row “{text(th)}” of “{table.findtext('caption')}” is empty")
    assert not problems, "\n".join(problems[:30])


def meta_rows(doc) -> dict[str, str]:
    return {text(th): text(th.getnext()) for th in doc.xpath("//table[@class='meta-table']//th")}


def test_metadata_table_shows_only_the_fields_an_item_has(built):
    result, out = built()
    assert result.ok, messages(result)
    for variant in ("", "care/"):
        notice = parse(out / variant / "items/xzfb/2026/tongzhi-a/index.html")    # no 文号, no 成文日期
        assert list(meta_rows(notice)) == ["索引号", "主题分类", "发布机构", "标题", "发布日期"]
        cells = notice.xpath("//table[@class='meta-table']//td")
        assert [c.get("colspan") for c in cells] == [None, None, "3", "3", "3"]   # a lone field spans the row
        policy = parse(out / variant / "items/sfj/2026/gfxwj/index.html")
        assert meta_rows(policy) == {
            "索引号": "11511525MB1234567X/2026-00001", "主题分类": "政策文件", "发布机构": "测试县司法局",
            "成文日期": "2026年10月16日", "标题": "测试县法律援助实施办法", "文号": "测司规〔2026〕1号",
            "发布日期": "2026年10月20日", "有效性": "现行有效"}
        summary = text(policy.xpath("//details[@class='meta-fold']/summary")[0])
        assert summary == "信息公开目录 2026年10月20日发布"


# ---- chips: columns of the same title --------------------------------------------------------

CLASHING = COLUMNS + """\
- id: zdly
  title: 重点领域信息公开
- id: zdly-gfxwj
  title: 行政规范性文件
  parent: zdly
  select: {type: policy, category: 规范性文件}
- id: bm
  title: 部门信息公开
- id: bm-zcwj
  title: 政策文件
  parent: bm
- id: bm-gfxwj
  title: 行政规范性文件
  parent: bm-zcwj
  select: {type: policy, category: 规范性文件}
"""


def chips(doc) -> list[tuple[str, str]]:
    return [(a.text_content(), a.get("href")) for a in doc.xpath("//section[@class='in-columns']//a")]


def test_columns_of_the_same_title_are_told_apart_by_their_parents(built):
    result, out = built({"columns.yaml": CLASHING})
    assert result.ok, messages(result)
    for variant in ("", "care/"):
        page = out / variant / "items/sfj/2026/gfxwj/index.html"
        found = chips(parse(page))
        assert [label for label, _ in found] == [
            "政策文件",
            "政府信息公开 › 政策文件 › 行政规范性文件",      # 政策文件 › 行政规范性文件 twice: one more level
            "重点领域信息公开 › 行政规范性文件",
            "部门信息公开 › 政策文件 › 行政规范性文件",
        ]
        targets = [(page.parent / href).resolve() for _, href in found]
        assert targets == [(out / variant / "columns" / c).resolve() for c in ("zcwj", "gfxwj", "zdly-gfxwj", "bm-gfxwj")]
        # only where titles clash: another item's columns keep their own titles
        assert [label for label, _ in chips(parse(out / variant / "items/qfz/2026/dongtai/index.html"))] == \
            ["通知公告", "推进乡村振兴", "各镇动态"]


def test_every_item_of_the_example_names_its_columns_distinctly(example):
    lib, out = example
    clashes = 0
    for it in lib.published:
        if not it.in_columns:
            continue
        titles = [c.title for c in it.in_columns]
        clashes += len(titles) != len(set(titles))
        for variant in ("", "care"):
            labels = [label for label, _ in chips(parse(page_file(out / variant, it.url)))]
            assert len(labels) == len(set(labels)) == len(titles), (it.url, labels)
            for label, column in zip(labels, it.in_columns):
                assert label.endswith(column.title) and (label == column.title) == (titles.count(column.title) == 1)
    assert clashes, "the example has items in two columns titled 行政规范性文件"


# ---- attachment addresses written out as text ---------------------------------------------

def test_attachment_addresses_written_out_are_the_percent_encoded_href(built):
    extra = {
        "items/xzfb/2026/fj.md": item("带附件的通知", attachments="[{file: 名单 1.csv, title: 工作组名单}, {file: ./附表.txt}]",
                                      index_no="11511525008745231K/2026-00403"),
        "items/xzfb/2026/fj/名单 1.csv": "序号,单位\n1,县政府办\n",
        "items/xzfb/2026/fj/附表.txt": "附表内容\n",
    }
    result, out = built(extra)
    assert result.ok, messages(result)
    for variant in ("", "care/"):
        page = out / variant / "items/xzfb/2026/fj/index.html"
        links = parse(page).xpath("//section[@class='attachments']//a")
        printed = [a.get("data-print-url") for a in links]
        assert printed == ["https://www.example.gov.cn/items/xzfb/2026/fj/%E5%90%8D%E5%8D%95%201.csv",
                           "https://www.example.gov.cn/items/xzfb/2026/fj/%E9%99%84%E8%A1%A8.txt"]
        for a, address in zip(links, printed):
            assert address.isascii()
            # the same file as the link opens
            assert (page.parent / unquote(a.get("href"))).resolve() == (out / unquote(urlsplit(address).path[1:])).resolve()


# ---- in Chromium, at 375 × 667 ----------------------------------------------------------------

@pytest.fixture(scope="module")
def web(example):
    reason = missing_browser()
    if reason:
        skip(reason)
    _, out = example
    with serve(out) as base, chromium_browser() as browser:
        yield base, browser


def open_page(web, url: str, viewport=PHONE, script: bool = True):
    base, browser = web
    context = browser.new_context(viewport=viewport, java_script_enabled=script, device_scale_factor=1)
    page = context.new_page()
    page.goto(base + url)
    if script:
        page.wait_for_selector("#tools:not([hidden])")
    return context, page


# The first line of the item's text: its body or, where the item opens with what must be read
# before it (本文件已废止 / 已撤回, the comment window), that notice (a repost's 转载 and source too); a message's text is its 留言. Everything above it but the
# title (site chrome, the folded 信息公开目录) must leave it on the first screen.
FIRST_SCREEN = """() => {
  const h1 = document.querySelector("main h1").getBoundingClientRect();
  const first = Array.from(document.querySelectorAll(
      "main article > .notice-banner, main article > .repost-note, main article > .window, main article > .exchange .exchange-ask > p, main article > .body > *"))
    .find(el => el.getClientRects().length && el.textContent.trim());
  const walker = document.createTreeWalker(first, NodeFilter.SHOW_TEXT,
      {acceptNode: n => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  const range = document.createRange();
  range.selectNodeContents(walker.nextNode());
  const line = range.getClientRects()[0];
  const fold = document.querySelector(".meta-fold");
  const table = document.querySelector(".meta-table");
  return {h1Top: h1.top, h1Bottom: h1.bottom, lineTop: line.top, lineBottom: line.bottom,
          what: first.className || first.tagName, height: innerHeight,
          fold: fold ? fold.getClientRects().length > 0 : null,
          table: table ? table.getClientRects().length > 0 : null,
          scroll: document.scrollingElement.scrollWidth};
}"""


@pytest.mark.parametrize("prefix", VERSIONS)
def test_title_and_text_start_on_the_first_phone_screen_of_every_item(example, web, prefix):
    lib, _ = example
    context, page = open_page(web, "/")
    problems = []
    for it in lib.published:
        page.goto(web[0] + prefix + it.url)
        page.wait_for_selector("#tools:not([hidden])")
        m = page.evaluate(FIRST_SCREEN)
        where = f"{prefix}{it.url}"
        if not (0 <= m["h1Top"] and m["h1Bottom"] <= m["height"]):
            problems.append(f"{where}: the title ends at {m['h1Bottom']:.0f} px")
        if not (0 <= m["lineTop"] and m["lineBottom"] <= m["height"]):
            problems.append(f"{where}: the text ({m['what']}) starts at {m['lineTop']:.0f}–{m['lineBottom']:.0f} px")
        if it.type != "page" and not (m["fold"] and m["table"] is False):
            problems.append(f"{where}: the 信息公开目录 is not folded behind its summary ({m})")
        if m["scroll"] > PHONE["width"]:
            problems.append(f"{where}: {m['scroll']} px wide")
    context.close()
    assert not problems, "\n".join(problems[:40])


def item_with_facts(lib):
    """A published policy that is in force, and an item with a list of its type's facts."""
    policy = next(i for i in lib.published if i.type == "policy" and i.doc_no and not i.withdrawn)
    enforcement = next(i for i in lib.published if i.type == "enforcement" and i.case_no)
    return policy, enforcement


@pytest.mark.parametrize("prefix", VERSIONS)
def test_the_fold_opens_without_javascript_and_wide_screens_and_paper_show_the_table(example, web, prefix):
    lib, _ = example
    policy, enforcement = item_with_facts(lib)
    context, page = open_page(web, prefix + enforcement.url, script=False)
    summary = page.locator(".meta-fold summary")
    assert summary.is_visible() and not page.locator(".meta-table").is_visible()
    assert not page.locator("dl.fields").is_visible()          # the type's facts fold with it
    assert summary.inner_text().startswith("信息公开目录及详细信息")
    summary.click()
    assert page.locator(".meta-table").is_visible() and page.locator("dl.fields").is_visible()
    assert enforcement.case_no in page.locator("dl.fields").inner_text()
    assert page.evaluate("document.querySelector('.meta-fold').open")
    summary.click()
    assert not page.locator(".meta-table").is_visible()
    # by keyboard too: the summary is a native disclosure button
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".meta-table").is_visible()
    context.close()

    # on paper, from the phone, the table prints though the fold is closed
    context, page = open_page(web, prefix + policy.url, script=False)
    page.emulate_media(media="print")
    assert page.locator(".meta-table").is_visible() and not page.locator(".meta-fold").is_visible()
    context.close()

    # a wide screen shows the table and no fold
    context, page = open_page(web, prefix + policy.url, viewport={"width": 1280, "height": 900})
    assert page.locator(".meta-table").is_visible() and not page.locator(".meta-fold").is_visible()
    rows = page.locator(".meta-table th").all_inner_texts()
    assert "文号" in rows and "索引号" in rows
    context.close()


@pytest.mark.parametrize("prefix", VERSIONS)
def test_reading_aids_fold_behind_one_button_on_a_phone(example, web, prefix):
    lib, _ = example
    url = prefix + lib.published[0].url
    context, page = open_page(web, url)
    toggle = page.get_by_role("button", name="工具栏", exact=True)
    larger = page.get_by_role("button", name="字号放大", exact=True)
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not larger.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and larger.is_visible()
    larger.click()
    assert page.evaluate("document.documentElement.style.fontSize") == "115%"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false" and not larger.is_visible()
    context.close()
    # the same one row on a wide screen: the toolbar keeps one size on every screen (no shift at load)
    context, page = open_page(web, url, viewport={"width": 1280, "height": 900})
    assert page.get_by_role("button", name="工具栏", exact=True).is_visible()
    assert not page.get_by_role("button", name="字号放大", exact=True).is_visible()
    context.close()


AXE = """async () => (await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}))
  .violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join("; "))"""


@pytest.mark.parametrize("prefix", VERSIONS)
def test_axe_finds_nothing_on_a_phone_with_the_folds_closed_and_open(example, web, prefix):
    need_axe()
    lib, _ = example
    policy, enforcement = item_with_facts(lib)
    problems = []
    for it in (policy, enforcement):
        context, page = open_page(web, prefix + it.url)
        page.add_script_tag(path=str(AXE_JS))
        problems += [f"{it.url} closed: {v}" for v in page.evaluate(AXE)]
        page.locator(".meta-fold summary").click()
        page.get_by_role("button", name="工具栏", exact=True).click()
        problems += [f"{it.url} open: {v}" for v in page.evaluate(AXE)]
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("prefix", VERSIONS)
def test_printed_attachment_and_page_addresses_are_percent_encoded(example, web, prefix):
    lib, _ = example
    site = lib.site.base_url.rstrip("/")
    found = [i for i in lib.published if any(not a.file.isascii() for a in i.attachments)]
    assert found, "the example has attachments with Chinese file names"
    for it in found:
        context, page = open_page(web, prefix + it.url)
        page.emulate_media(media="print")
        shown = page.evaluate("""() => Array.from(document.querySelectorAll('.attachments a')).map(a =>
            [getComputedStyle(a, '::after').content, a.href])""")
        assert len(shown) == len(it.attachments)
        for content, href in shown:
            address = content.strip('"').strip("（）")
            assert address.isascii() and "%" in address, (it.url, address)
            assert urlsplit(address).path == urlsplit(href).path, (address, href)   # what the link opens
            assert address.startswith(site + "/items/")
        own = page.locator(".print-only").inner_text()
        assert own == "本页网址：" + site + it.url and own.split("：", 1)[1].isascii()
        context.close()
