"""The preview (gxsite serve) builds with the same mechanism as `gxsite build`: after any edit the
output must be byte for byte what a full build writes, only what the edit touched is made
again, an edit with errors writes nothing, and a change the dependency map cannot bound
rebuilds the whole site."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, TODAY, differing, digest, generate
from gxsite.content import model
from gxsite import pipeline
from gxsite.search import search_index
from gxsite.cache.memo import Memo
from gxsite.core.page import Page
from gxsite.preview import serve
from gxsite.preview.serve import Preview
from gxsite.site import depends


def differing_from_full_build(content: Path, out: Path, tmp: Path) -> list[str]:
    full = tmp / "full"
    shutil.rmtree(full, ignore_errors=True)
    result = pipeline.build(content, full, TODAY, progress=False, force=True, memo=Memo())   # nothing shared with the preview
    assert result.ok, [str(p) for p in result.problems.errors]
    return differing(digest(out), digest(full))


def edit(path: Path, title_prefix: str = "", extra: str = "", summary: str | None = None) -> None:
    text = path.read_text(encoding="utf-8")
    if title_prefix:
        text = re.sub(r"(?m)^title: ", "title: " + title_prefix, text, count=1)
    if summary is not None:
        text = re.sub(r"(?m)^summary: .*\n", "", text)
        text = re.sub(r"(?m)^---\n", f"---\nsummary: {summary}\n", text, count=1)
    path.write_text(text + extra, encoding="utf-8")


def refresh(preview: Preview, monkeypatch) -> pipeline.Result:
    """The preview's refresh, with the build's result kept for the test to look at."""
    results = []
    real = serve.pipeline.build
    monkeypatch.setattr(serve.pipeline, "build", lambda *a, **k: results.append(real(*a, **k)) or results[-1])
    preview.refresh()
    monkeypatch.setattr(serve.pipeline, "build", real)
    assert len(results) == 1
    return results[0]


def written(out: Path, before: dict) -> set[str]:
    """Output paths added, changed or removed since `before`."""
    now = digest(out)
    return {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}


@pytest.fixture
def example(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    preview = Preview(content, tmp_path / "out", TODAY)
    assert preview.build()
    return preview, tmp_path


def test_text_edits_of_every_type_write_what_a_full_build_writes(example, monkeypatch):
    preview, tmp = example
    lib = preview.lib
    one_per_type: dict[str, model.Item] = {}
    for item in sorted(lib.published, key=lambda i: i.id):
        one_per_type.setdefault(item.type, item)
    assert len(one_per_type) >= 12
    warnings = {i.id for i in pipeline.render.active_warnings(lib, TODAY)}
    for n, item in enumerate(one_per_type.values()):
        if item.id in warnings:
            continue   # on every page: the whole site (tested below)
        before = digest(preview.out)
        edit(preview.content / item.path, title_prefix="修订：", extra=f"\n\n补充说明第{n}条：增量预览测试词。\n",
             summary="摘要改写。" if n % 3 == 0 else None)
        result = refresh(preview, monkeypatch)
        assert result.ok and result.in_place, item.id
        changed = written(preview.out, before)
        assert f"items/{item.id}/index.html" in changed and f"care/items/{item.id}/index.html" in changed
        assert any(p.startswith(search_index.FOLDER) for p in changed)
        assert any(p.startswith(search_index.FOLDER) for p in set(before) - set(digest(preview.out))), \
            "the old index's files are gone, not left beside the new ones"
        assert result.rendered < result.pages / 4   # only what shows the item
        assert len(changed) < len(before) / 8
    assert differing_from_full_build(preview.content, preview.out, tmp) == []


def test_the_static_index_finds_the_edit_at_once(example, monkeypatch):
    preview, tmp = example
    from test_search import js_top
    item = next(i for i in preview.lib.published if i.type == "news")
    edit(preview.content / item.path, extra="\n\n本次新增独有词：翡翠蜻蜓观测点。\n")
    assert refresh(preview, monkeypatch).in_place
    top = js_top(preview.out, preview.lib.search_manifest, ["翡翠蜻蜓"])[0]
    assert [u["url"] for u in top["top"]] == [item.url]


def test_an_edit_with_errors_writes_nothing_and_says_where(example, monkeypatch):
    preview, tmp = example
    item = next(i for i in preview.lib.published if i.type == "notice")
    path = preview.content / item.path
    original = path.read_text(encoding="utf-8")
    before = digest(preview.out)
    lines = original.count("\n") + 2

    path.write_text(original + "\n联系人手机 13912345678。\n", encoding="utf-8")
    result = refresh(preview, monkeypatch)
    assert not result.ok
    assert [f"{p.path}:{p.line}" for p in result.problems.errors] == [f"{item.path}:{lines}"]
    assert "个人信息" in result.problems.errors[0].message

    path.write_text(original + "\n见[不存在的文件](../2020/nothing-here.md)。\n", encoding="utf-8")
    assert [p.path for p in refresh(preview, monkeypatch).problems.errors] == [item.path]

    path.write_text(original.replace("title:", "title: [未闭合", 1), encoding="utf-8")
    errors = refresh(preview, monkeypatch).problems.errors
    assert errors and errors[0].path == item.path and errors[0].line > 0
    assert digest(preview.out) == before

    # Links that only the output's link check sees: site paths and raw HTML.
    for bad in ("[办事指南](/no-such-page/)", '<a href="../../../nowhere/">别处</a>', "![图](/nope.png)"):
        path.write_text(original + f"\n另见{bad}。\n", encoding="utf-8")
        errors = refresh(preview, monkeypatch).problems.errors
        assert [(p.path, p.rule) for p in errors] == [(item.path, "link-broken")], bad
        assert errors[0].line == lines, bad
    assert digest(preview.out) == before

    # Mended, the same file is published.
    path.write_text(original.replace("title: ", "title: 已改正", 1), encoding="utf-8")
    assert refresh(preview, monkeypatch).in_place
    assert differing_from_full_build(preview.content, preview.out, tmp) == []   # refused edits left nothing behind


@pytest.mark.parametrize("change", ["date", "columns", "new file", "deleted", "attachment link", "warning"])
def test_every_change_writes_what_a_full_build_writes(example, monkeypatch, change):
    preview, tmp = example
    lib = preview.lib
    item = next(i for i in lib.published if i.type == "notice" and not i.attachments)
    path = preview.content / item.path
    text = path.read_text(encoding="utf-8")
    if change == "date":
        path.write_text(re.sub(r"(?m)^date: (\d{4})-\d\d-\d\d", r"date: \1-01-02", text, count=1), encoding="utf-8")
    elif change == "columns":
        path.write_text(text.replace("---\n", "---\ncolumns: [zwgkzq]\n", 1), encoding="utf-8")
    elif change == "new file":
        (path.parent / "live-new.md").write_text(text, encoding="utf-8")
    elif change == "deleted":
        path.unlink()
    elif change == "attachment link":
        other = next(i for i in lib.published if i.attachments and i.attachments[0].url)
        rel = Path(other.path[: -len(".md")]) / other.attachments[0].file
        path.write_text(text + f"\n\n[附件]({Path('../' * 3, rel).as_posix()})\n", encoding="utf-8")
    elif change == "warning":
        active = pipeline.render.active_warnings(lib, TODAY)
        assert active, "the example has a warning valid on TODAY"
        edit(preview.content / active[0].path, title_prefix="更新：")
    before = digest(preview.out)
    result = refresh(preview, monkeypatch)
    if change == "new file":   # a copy keeps the 索引号: refused, nothing written
        assert not result.ok and digest(preview.out) == before
        return
    assert result.ok
    if change == "warning":   # the banner is on every page
        assert not result.in_place and result.rendered == result.pages
    assert differing_from_full_build(preview.content, preview.out, tmp) == []


def test_a_page_counts_the_items_of_its_data_but_not_of_whole_listings():
    a, b, c = (model.Item(id=f"o/2026/{x}", path="", title=x, type="notice", org="o", date=TODAY) for x in "abc")
    policy = model.Item(id="o/2026/p", path="", title="p", type="policy", org="o", date=TODAY)
    policy.interpretations = [c]
    column = model.Column(id="col", title="栏目", items=[b])
    listing = model.Listing("orgs", "o", "机构", "/orgs/o/", items=[a, b, c])
    lib = model.Library(model.Site("县", "https://x.gov.cn/"), items={i.id: i for i in (a, b, c, policy)})
    page = Page("/x/", "listing.html", "x", {"listing": listing, "entries": [a], "blocks": [(column, [policy])]})
    inputs = depends.Inputs(lib, TODAY, [], b"")
    first = inputs.page(page)
    for item in (a, b, c, policy):   # shown: in the entries, in a column, interpreting a shown policy
        item.title += "（改）"
        assert depends.Inputs(lib, TODAY, [], b"").page(page) != first, item.id
        item.title = item.title[:-3]
    assert depends.Inputs(lib, TODAY, [], b"").page(page) == first
    only_listing = Page("/y/", "listing.html", "y", {"listing": listing, "entries": []})
    before = inputs.page(only_listing)
    b.title = "改过"   # in the listing, not on this page
    assert depends.Inputs(lib, TODAY, [], b"").page(only_listing) == before
    listing.items.append(policy)   # the count the page shows
    assert depends.Inputs(lib, TODAY, [], b"").page(only_listing) != before


def test_many_edits_on_a_generated_site_match_a_full_build(tmp_path, monkeypatch):
    content = tmp_path / "content"
    generate(600, str(content), seed=5)
    preview = Preview(content, tmp_path / "out", TODAY)
    assert preview.build()
    rng = random.Random(5)
    items = sorted(preview.lib.published, key=lambda i: i.id)
    for n in range(8):
        chosen = rng.sample(items, 1 + n % 3)   # one to three files saved at once
        for item in chosen:
            edit(preview.content / item.path, title_prefix="改" if n % 2 else "",
                 extra=f"\n\n第{n}次修改的内容，新增词语{n}{rng.randrange(10**6)}。\n")
        assert refresh(preview, monkeypatch).in_place
    assert differing_from_full_build(content, preview.out, tmp_path) == []


def test_the_preview_keeps_an_existing_whoosh_index_up_to_date(example, monkeypatch):
    from gxsite.search import search_cli, whoosh_index
    preview, _ = example
    search_cli.up_to_date_index(preview.content, TODAY)   # the first `gxsite search` creates it
    item = next(i for i in preview.lib.published if i.type == "policy")
    edit(preview.content / item.path, extra="\n\n新增独有词：琥珀蜻蜓。\n")
    assert preview.refresh()
    # `gxsite search` now reads nothing: reading the tree would fail here.
    monkeypatch.setattr(search_cli, "load", lambda *a, **k: pytest.fail("gxsite search read the tree"))
    ix, problems, _ = search_cli.up_to_date_index(preview.content, TODAY)
    assert not problems.errors
    assert [h.id for h in whoosh_index.search(ix, "琥珀蜻蜓")] == [item.id]
    assert ix.doc_count() == len(search_cli.entries_of(preview.lib))


def test_a_mistake_is_tried_once_per_save_not_on_every_event(example, monkeypatch):
    preview, _ = example
    builds = []
    real = serve.pipeline.build
    monkeypatch.setattr(serve.pipeline, "build", lambda *a, **k: builds.append(1) or real(*a, **k))
    item = next(i for i in preview.lib.published if i.type == "notice")
    path = preview.content / item.path
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("---\n", "---\ncolumns: [no-such-column]\n", 1), encoding="utf-8")
    assert preview.refresh() is False and len(builds) == 1          # refused
    assert preview.refresh() is False and len(builds) == 1          # no change since: not tried again
    path.write_text(original.replace("---\n", "---\ncolumns: [no-such-column-2]\n", 1), encoding="utf-8")
    assert preview.refresh() is False and len(builds) == 2
    path.write_text(original, encoding="utf-8")
    assert preview.refresh() is True and len(builds) == 3
    path.write_text(original + "\n手机 13912345678\n", encoding="utf-8")
    assert preview.refresh() is False and preview.refresh() is False and len(builds) == 4
    path.write_text(original + "\n补充一句。\n", encoding="utf-8")
    assert preview.refresh() is True and len(builds) == 5


def test_editors_own_files_leave_the_preview_alone(example):
    from gxsite.search import search_cli
    preview, _ = example
    state = search_cli.tree_state(preview.content, TODAY)
    for name in (".x.md.swp", "x.md~", "#x.md#", "x.md___jb_tmp___", "4913"):
        (preview.content / "items" / "xzfb" / name).write_text("scratch", encoding="utf-8")
    assert search_cli.tree_state(preview.content, TODAY) == state
    assert preview.refresh() is False
