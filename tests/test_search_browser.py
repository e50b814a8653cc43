"""The search page in a real browser: typing, results, filters, the URL, escaping, no JavaScript."""
from __future__ import annotations

import pytest

from browser import chromium_browser, need_chromium, serve
from conftest import REPO, TODAY
from test_search import RANKING
from gxsite import pipeline


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need_chromium()
    out = tmp_path_factory.mktemp("search") / "output"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok
    with serve(out) as base, chromium_browser() as browser:
        yield base, browser


def results(page):
    page.wait_for_function("document.getElementById('search-status').textContent.indexOf('找到') >= 0"
                           " || document.getElementById('search-status').textContent.indexOf('没有') >= 0")
    return page.eval_on_selector_all("#search-results > li h2 a", "els => els.map(e => [e.textContent, e.href])")


def test_typing_a_query_finds_the_seed_document(site):
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/search/")
    page.fill("#q", "高府办函〔2023〕55号")
    with page.expect_navigation():   # the form submits to /search/?q=…: wait for that page, not the old one
        page.press("#q", "Enter")
    found = results(page)
    assert "q=" in page.url
    assert found[0][0].startswith("高县人民政府办公室关于印发高县深化政务公开")
    assert found[0][1] == base + "/items/xzfb/2023/zwgk-jcnl-fangan/"
    status = page.get_attribute("#search-status", "role")
    assert status == "status" and "找到" in page.text_content("#search-status")
    assert page.eval_on_selector("#search-results mark", "m => m.textContent")
    snippet = page.text_content("#search-results > li .meta")
    assert "高县人民政府办公室" in snippet and "2023-10-19" in snippet


def test_query_in_the_url_and_filters(site):
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/search/?q=" + "局长进大厅")
    everything = results(page)
    assert len(everything) >= 10
    page.select_option("#f-year", "2026")
    page.wait_for_url("**year=2026**")
    filtered = results(page)
    assert 0 < len(filtered) <= len(everything)
    assert page.input_value("#q") == "局长进大厅"


def test_care_version_search_links_to_care_pages(site):
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/care/search/?q=政务公开")
    found = results(page)
    assert found and all(href.startswith(base + "/care/items/") for _, href in found)


def test_keyboard_only(site):
    base, browser = site
    page = browser.new_page()
    page.goto(base + "/search/")
    page.focus("#q")
    page.keyboard.type("乡村振兴")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert results(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("INPUT", "BUTTON", "SELECT", "A")


def test_without_javascript_the_page_says_so(site, tmp_path):
    base, browser = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/search/?q=政务")
    text = page.text_content("main")
    assert "需要浏览器启用 JavaScript" in text
    links = page.eval_on_selector_all("main noscript a, main a", "els => els.map(e => e.getAttribute('href'))")
    assert any("catalog" in (h or "") for h in links)
    context.close()


def test_titles_from_the_index_are_text_never_html(site, tree, tmp_path):
    _, browser = site
    content = tree(RANKING)
    out = tmp_path / "xss-site"
    assert pipeline.build(content, out, TODAY, progress=False).ok
    with serve(out) as base:
        page = browser.new_page()
        alerts = []
        page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
        page.goto(base + "/search/?q=汛期")
        found = results(page)
        assert found[0][0] == "<img src=x onerror=alert(1)>防汛提示"
        assert page.eval_on_selector_all("#search-results img", "els => els.length") == 0
        assert alerts == []
