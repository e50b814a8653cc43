"""A build that follows another makes again only what changed, and writes the same bytes as a
build from nothing, for every kind of change an editor or the office makes."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import jinja2
import pytest

from conftest import REPO, TODAY, differing, digest, generate
from gxsite import pipeline
from gxsite.cache import built
from gxsite.core import parallel
from gxsite.cache.memo import Memo


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """A generated tree of 80 items (listings over several pages), built once."""
    root = tmp_path_factory.mktemp("incremental")
    generate(80, root / "content", seed=3)
    return root / "content"


@pytest.fixture
def site(original, tmp_path):
    """A copy of the tree, built into `out` (memo and record beside them)."""
    content = tmp_path / "content"
    shutil.copytree(original, content)
    out = tmp_path / "out"
    first = pipeline.build(content, out, TODAY, progress=False)
    assert first.ok and not first.in_place, [str(p) for p in first.problems.errors]
    return content, out


def from_scratch(content: Path, tmp_path: Path, templates: Path | None = None) -> dict:
    """The same tree built with no memo and no record, into a new folder."""
    fresh = tmp_path / "fresh"
    result = pipeline.build(content, fresh, TODAY, templates, progress=False, force=True, memo=Memo())
    assert result.ok, [str(p) for p in result.problems.errors]
    return digest(fresh)


def again(content: Path, out: Path, templates: Path | None = None):
    result = pipeline.build(content, out, TODAY, templates, progress=False)
    assert result.ok, [str(p) for p in result.problems.errors]
    assert not result.skipped
    return result


def items(content: Path, type_: str) -> list[Path]:
    return sorted(p for p in (content / "items").rglob("*.md") if f"\ntype: {type_}\n" in p.read_text(encoding="utf-8"))


def unlinked(content: Path, candidates: list[Path]) -> Path:
    """An item no other file links to (removing it breaks nothing)."""
    files = {p: p.read_text(encoding="utf-8") for p in (content / "items").rglob("*.md")}
    for path in candidates:
        named = re.compile(rf"\b{re.escape(path.stem)}\b")
        if not any(named.search(text) for other, text in files.items() if other != path) and \
                not re.search(r"^(interprets|of):", files[path], re.M):
            return path
    raise AssertionError("no unlinked item")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, re.M), (path, old)
    path.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")


def text(content):
    path = items(content, "news")[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n本文补充一句说明。\n", encoding="utf-8")
    return path


def date(content):
    path = items(content, "news")[1]
    edit(path, r"^date: \d{4}-(\d\d)-\d\d$", lambda m: m.group(0)[:-2] + "01")
    return path


def moves_columns(content):
    path = unlinked(content, items(content, "news"))
    edit(path, r"^type: news$", "type: notice")
    return path


def summary_field(content):
    path = items(content, "notice")[0]
    edit(path, r"^title: .*$", lambda m: m.group(0) + "\nsummary: 这是一条新写的摘要。")
    return path


def new_item(content):
    source = items(content, "notice")[0]
    text_ = source.read_text(encoding="utf-8")
    text_ = re.sub(r"^index_no: (\S+)/(\d{4})-\d+$", lambda m: f"index_no: {m.group(1)}/{m.group(2)}-09999",
                   text_, count=1, flags=re.M)
    text_ = re.sub(r"^title: (.*)$", r"title: \1（补充通知）", text_, count=1, flags=re.M)
    target = source.with_name("new-notice.md")
    target.write_text(text_, encoding="utf-8")
    return target


def deleted_item(content):
    path = unlinked(content, items(content, "notice"))
    path.unlink()
    return path


def renamed_item(content):
    path = unlinked(content, items(content, "news"))
    target = path.with_name("renamed-" + path.name)
    path.rename(target)
    return target


def attachment(content):
    csv = sorted((content / "items").rglob("*.csv"))[0]
    csv.write_bytes(csv.read_bytes() + "张某,1000\n".encode("utf-8"))
    return csv


def columns_rule(content):
    path = content / "columns.yaml"
    edit(path, r"^  select: \{type: enforcement, stage: 事后\}$", "  select: {type: enforcement, stage: [事中, 事后]}")
    return path


def org_name(content):
    path = content / "orgs.yaml"
    edit(path, r"name: 高县财政局", "name: 高县财政局（县国资办）")
    return path


KINDS = [text, date, moves_columns, summary_field, new_item, deleted_item, renamed_item, attachment,
         columns_rule]


@pytest.mark.parametrize("change", KINDS, ids=[k.__name__ for k in KINDS])
def test_an_update_in_place_writes_what_a_full_build_writes(site, tmp_path, change):
    content, out = site
    change(content)
    result = again(content, out)
    assert result.in_place, "this change is bounded: only what it touches is made again"
    assert 0 < result.rendered < result.pages
    assert differing(digest(out), from_scratch(content, tmp_path)) == []


def test_a_change_every_page_shows_makes_every_page(site, tmp_path):
    content, out = site
    org_name(content)   # the org's name is in the footer and navigation of many pages
    result = again(content, out)
    assert not result.in_place and result.rendered == result.pages
    assert differing(digest(out), from_scratch(content, tmp_path)) == []


def test_asking_for_brotli_twins_gives_every_file_its_twin(site, tmp_path):
    content, out = site
    assert not list(out.rglob("*.br"))   # gzip only, unless site.yaml asks
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "precompress: [gzip, brotli]\n", encoding="utf-8")
    result = again(content, out)
    assert not result.in_place
    assert len(list(out.rglob("*.br"))) == len(list(out.rglob("*.gz"))) > 100
    assert differing(digest(out), from_scratch(content, tmp_path)) == []


def test_templates_are_compiled_once_and_again_only_when_changed(site, tmp_path, monkeypatch):
    content, out = site
    compiled = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)
    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    text(content)
    again(content, out)
    assert compiled == []   # every template came from the memo
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "item.html").write_text((REPO / "templates/item.html").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    again(content, out, templates)
    assert compiled == ["item.html"]


def test_a_template_change_outside_the_map_builds_everything(site, tmp_path):
    content, out = site
    templates = tmp_path / "templates"
    templates.mkdir()
    first = again(content, out, templates)   # the same templates, one more (empty) folder
    (templates / "item.html").write_text(
        (REPO / "templates/item.html").read_text(encoding="utf-8").replace("{% block main %}",
                                                                       "{% block main %}<!-- 县里改过 -->", 1),
        encoding="utf-8")
    result = again(content, out, templates)
    assert first.ok and not result.in_place and result.rendered == result.pages
    assert "县里改过" in next(out.glob("items/*/*/*/index.html")).read_text(encoding="utf-8")
    assert differing(digest(out), from_scratch(content, tmp_path, templates)) == []


def test_nothing_changed_is_skipped_and_a_broken_link_writes_nothing(site, tmp_path):
    content, out = site
    assert pipeline.build(content, out, TODAY, progress=False).skipped
    before = digest(out)
    path = text(content)
    path.write_text(path.read_text(encoding="utf-8") + "\n见[不存在的文件](../../nowhere/x.md)。\n", encoding="utf-8")
    result = pipeline.build(content, out, TODAY, progress=False)
    assert not result.ok and digest(out) == before
    path.write_text(path.read_text(encoding="utf-8").replace("见[不存在的文件](../../nowhere/x.md)。", ""),
                    encoding="utf-8")
    assert again(content, out).ok
    assert differing(digest(out), from_scratch(content, tmp_path)) == []


def test_a_record_cut_short_builds_everything(site, tmp_path):
    """The record's head is read first, what each page was made from only after the plan: when
    that part cannot be read, nothing is known of the output and the whole site is made."""
    content, out = site
    record = out.parent / ".gxsite-cache" / f"{out.name}.built.pickle"
    data = record.read_bytes()
    record.write_bytes(data[: len(data) // 2])   # the head whole, the rest cut short
    assert built.load(out) is not None
    text(content)
    result = again(content, out)
    assert not result.in_place and result.rendered == result.pages
    assert differing(digest(out), from_scratch(content, tmp_path)) == []


def test_link_findings_that_cannot_be_read_are_found_again_in_the_pages(site, tmp_path, monkeypatch):
    content, out = site
    monkeypatch.setattr(built, "read_links", lambda out, record: None)
    text(content)
    result = again(content, out)
    assert result.in_place and result.rendered < result.pages
    fresh = pipeline.build(content, tmp_path / "fresh", TODAY, progress=False, force=True, memo=Memo())
    assert (result.links.pages, result.links.links) == (fresh.links.pages, fresh.links.links) > (0, 0)


def test_digests_worked_out_in_workers_are_those_of_one_process(site, monkeypatch):
    """Items' and pages' digests are worked out on all cores: a page's digest must not depend on
    the process that made it, or a build after one made in-process would make everything again."""
    content, out = site   # 80 items: built in-process
    monkeypatch.setenv("GXSITE_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    path = items(content, "news")[0]
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))   # the same bytes: the build runs, nothing differs
    result = again(content, out)
    assert result.in_place and result.rendered == 0


def test_a_deleted_page_linked_as_a_site_path_is_a_broken_link(site):
    """A body may link to a page by its site path (raw HTML): that link is in no memo, only in the
    output, and a kept page that links to a page that goes must be scanned again."""
    content, out = site
    target = unlinked(content, items(content, "notice"))
    url = "/" + str(target.relative_to(content).with_suffix("")) + "/"
    source = items(content, "news")[-1]
    source.write_text(source.read_text(encoding="utf-8") + f'\n<a href="{url}">通知</a>\n', encoding="utf-8")
    assert again(content, out).ok
    target.unlink()
    result = pipeline.build(content, out, TODAY, progress=False)
    assert not result.ok
    assert any("不存在" in str(p) for p in result.problems.errors)


def test_personal_data_found_once_is_found_again_without_reading_the_file(site, monkeypatch):
    """The scan's findings are kept per file (size and time, the numbers and day judged against):
    a second build reports the same error at the same line, and reads no file to do it."""
    import os
    import time
    from gxsite.checks import personal
    content, out = site
    path = text(content)
    path.write_text(path.read_text(encoding="utf-8") + "\n联系人手机 13912345678。\n", encoding="utf-8")
    old = time.time_ns() - 10_000_000_000   # older than the 2 s a file system's times may lag
    os.utime(path, ns=(old, old))
    first = pipeline.build(content, out, TODAY, progress=False)
    errors = [(p.path, p.line, p.rule) for p in first.problems.errors]
    assert len(errors) == 1 and "个人信息" in first.problems.errors[0].message
    monkeypatch.setattr(personal, "read_any", lambda *a: pytest.fail("a file was read again"))
    again_ = pipeline.build(content, out, TODAY, progress=False)
    assert [(p.path, p.line, p.rule) for p in again_.problems.errors] == errors
    monkeypatch.undo()
    path.write_text(path.read_text(encoding="utf-8").replace("联系人手机 13912345678。", ""), encoding="utf-8")
    assert pipeline.build(content, out, TODAY, progress=False).ok



def test_the_search_index_goes_on_from_the_last_build(site, tmp_path):
    """From the command line, as in a running preview, only an edited item's terms are joined
    again; the others come from the last build's postings, kept with the memo. A kept state whose
    blocks the memo no longer holds is not trusted: everything is joined afresh."""
    from gxsite.cache.memo import for_content
    from gxsite.search import search_index
    content, out = site
    cache = content.parent / ".gxsite-cache" / f"memo-{content.name}"
    assert (cache / f"{search_index.KEPT}.state.pickle").exists()

    def build_with_memo():
        memo = for_content(content)   # as a new `gxsite build` process finds it
        kept = {}
        keep = memo.keep   # the memo writes it and lets go of it at once: caught on its way
        memo.keep = lambda name, value: (kept.setdefault(name, value), keep(name, value))
        assert pipeline.build(content, out, TODAY, progress=False, memo=memo).ok
        assert search_index.KEPT not in memo.states   # not held in memory by a `gxsite build`
        return kept[search_index.KEPT]

    path = text(content)
    path.write_text(path.read_text(encoding="utf-8") + "\n本文再补一个生僻词：龘。\n", encoding="utf-8")
    kept = build_with_memo()
    assert kept.changed is not None and "龘" in kept.changed and len(kept.changed) < len(kept.merged) / 10
    assert differing(digest(out), from_scratch(content, tmp_path)) == []

    for shard in cache.glob("search-block.*"):
        shard.unlink()   # the blocks the kept postings were joined from are gone
    path.write_text(path.read_text(encoding="utf-8") + "\n又补一句。\n", encoding="utf-8")
    kept = build_with_memo()
    assert kept.changed is None   # joined afresh
    assert differing(digest(out), from_scratch(content, tmp_path)) == []


def test_api_documents_are_made_again_only_for_what_changed(site, tmp_path, monkeypatch):
    """The API's item documents and listing pages come back from the memo when the item, or the
    HTML listing page the document mirrors, is as it was; an edit makes its own again, and an org's
    new name (site-wide) makes every one again. The files are those of a build from scratch."""
    from gxsite.site.sections import api
    content, out = site
    made: list[str] = []
    item_document, dump_listing = api.item_document, api.dump_listing
    monkeypatch.setattr(api, "item_document", lambda lib, item, today: made.append(item.id) or
                        item_document(lib, item, today))
    monkeypatch.setattr(api, "dump_listing", lambda lib, doc, entries: made.append(doc["key"]) or
                        dump_listing(lib, doc, entries))
    path = summary_field(content)
    again(content, out)
    edited = path.relative_to(content / "items").with_suffix("").as_posix()
    items_made = [m for m in made if "/" in m]
    assert items_made and edited in items_made and len(items_made) <= 3, items_made
    listings_made = [m for m in made if "/" not in m]
    assert 0 < len(listings_made) < 15, listings_made   # the listings the item is in, not all of them
    assert differing(digest(out), from_scratch(content, tmp_path)) == []

    made.clear()
    org_name(content)
    again(content, out)
    assert len([m for m in made if "/" in m]) > 60
    assert differing(digest(out), from_scratch(content, tmp_path)) == []


def test_feeds_are_made_again_only_when_their_items_changed(site, tmp_path, monkeypatch):
    """A feed whose items are as they were comes back from the memo; the feeds that list an edited
    item are made again, and every feed after a site-wide change. The files are those of a build
    from scratch."""
    from gxsite.site.sections import feeds
    content, out = site
    made: list[str] = []
    atom = feeds.atom
    monkeypatch.setattr(feeds, "atom", lambda lib, feed, today: made.append(feed.folder) or atom(lib, feed, today))
    path = summary_field(content)
    result = again(content, out)
    edited = path.relative_to(content / "items").with_suffix("").as_posix()
    every = feeds.site_feeds(result.lib)
    holding = [f.folder for f in every if any(i.id == edited for i in f.items)]
    assert holding and len(holding) < len(every) and sorted(made) == sorted(holding), (made, holding)
    assert differing(digest(out), from_scratch(content, tmp_path)) == []

    made.clear()
    org_name(content)
    result = again(content, out)
    assert sorted(made) == sorted(f.folder for f in feeds.site_feeds(result.lib))
    assert differing(digest(out), from_scratch(content, tmp_path)) == []
