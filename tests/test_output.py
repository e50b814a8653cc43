"""Safe, reproducible output: deterministic bytes, collisions refused."""
from __future__ import annotations

from conftest import TODAY, digest, item, messages
from gxsite import pipeline


def test_same_input_and_today_give_identical_bytes(tree, tmp_path):
    content = tree()
    a, b = tmp_path / "a", tmp_path / "b"
    assert pipeline.build(content, a, TODAY, progress=False).ok
    assert pipeline.build(content, b, TODAY, progress=False).ok
    assert digest(a) == digest(b)
    assert len(digest(a)) > 40


def test_writing_one_path_twice_is_an_error(built, tmp_path):
    # An attachment named like the page the item itself produces.
    extra = {
        "items/xzfb/2026/clash.md": item("冲突", attachments="[{file: index.html}]",
                                         index_no="11511525008745231K/2026-00500"),
        "items/xzfb/2026/clash/index.html": "<p>x</p>",
    }
    result, out = built(extra)
    assert not result.ok
    assert any("同一个输出文件" in m for m in messages(result))
    assert not out.exists()
    assert not list(tmp_path.glob("output.tmp-*"))


def test_unchanged_rebuild_is_skipped_and_any_change_rebuilds(tree, tmp_path):
    content = tree()
    out = tmp_path / "site"
    first = pipeline.build(content, out, TODAY, progress=False)
    assert first.ok and not first.skipped
    again = pipeline.build(content, out, TODAY, progress=False)
    assert again.skipped and again.pages == first.pages and again.items == first.items
    # another day, a changed file, or a touched output all rebuild
    import datetime as dt
    assert not pipeline.build(content, out, TODAY + dt.timedelta(days=1), progress=False).skipped
    assert not pipeline.build(content, out, TODAY, progress=False).skipped
    (content / "items/xzfb/2026/tongzhi-a.md").write_text(item("改过的通知", index_no="11511525008745231K/2026-00001"),
                                                          encoding="utf-8")
    changed = pipeline.build(content, out, TODAY, progress=False)
    assert not changed.skipped
    assert "改过的通知" in (out / "items/xzfb/2026/tongzhi-a/index.html").read_text(encoding="utf-8")
    (out / "index.html").unlink()
    assert not pipeline.build(content, out, TODAY, progress=False).skipped
    assert (out / "index.html").is_file()
    assert pipeline.build(content, out, TODAY, progress=False, force=False).skipped
    assert not pipeline.build(content, out, TODAY, progress=False, force=True).skipped
