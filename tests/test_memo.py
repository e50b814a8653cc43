"""The memo (gxsite/cache/memo.py) never changes what a build writes: after each kind of edit, a
build that reuses the memo writes the same bytes as a build without one."""
from __future__ import annotations

import pickle
import re
from collections import Counter
import shutil
from pathlib import Path

import pytest

from conftest import TODAY, differing, digest, generate
from gxsite.cache import memo
from gxsite import pipeline
from gxsite.search import search_index

class Counting(memo.Memo):
    """A memo that counts the entries it hands out, per kind."""

    def __init__(self, folder):
        super().__init__(folder)
        self.hits: Counter = Counter()

    def get(self, kind, key):
        value = super().get(kind, key)
        self.hits[kind] += value is not None
        return value


def build_both_ways(content: Path, tmp: Path) -> tuple[dict, dict, pipeline.Result]:
    """(output with the memo of earlier builds, output without any memo, the first result)."""
    counting = Counting(memo.for_content(content).folder)
    warm = pipeline.build(content, tmp / "warm", TODAY, progress=False, force=True, memo=counting)
    assert warm.ok, [str(p) for p in warm.problems.errors]
    # The warm build did take work from the memo (else warm == cold would prove nothing).
    assert all(counting.hits[kind] > 0 for kind in ("stat", "item", "body", "search-block")), counting.hits
    kept = tmp / "kept-memo"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(memo.for_content(content).folder, kept)
    shutil.rmtree(memo.for_content(content).folder)
    cold = pipeline.build(content, tmp / "cold", TODAY, progress=False, force=True)
    assert cold.ok
    shutil.rmtree(memo.for_content(content).folder)   # go on from the warm build's memo
    shutil.copytree(kept, memo.for_content(content).folder)
    return digest(tmp / "warm"), digest(tmp / "cold"), warm


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("memo")
    content = tmp / "content"
    generate(600, content, seed=3)
    first = pipeline.build(content, tmp / "first", TODAY, progress=False, force=True)
    assert first.ok
    assert list(memo.for_content(content).folder.glob("item.*.pickle"))
    return content, tmp


LINK = re.compile(r"\]\(((?:\.\./)+[a-z0-9-]+/(\d{4})/[a-z0-9-]+\.md)\)")


def test_edits_give_the_same_site_with_and_without_the_memo(generated):
    content, tmp = generated
    items = sorted((content / "items").rglob("*.md"))

    # 1. One body gets a sentence.
    target = items[len(items) // 2]
    target.write_text(target.read_text(encoding="utf-8") + "\n新增一句话，测试增量更新。\n", encoding="utf-8")
    warm, cold, _ = build_both_ways(content, tmp)
    assert differing(warm, cold) == []

    # 2. A new item, the newest of all (it changes the first counting block only).
    newest = content / "items" / items[0].parent.parent.name / "2026" / "memo-new.md"
    newest.parent.mkdir(parents=True, exist_ok=True)
    text = items[0].read_text(encoding="utf-8")
    text = re.sub(r"(?m)^date: .*$", "date: 2026-11-25", text)
    text = re.sub(r"(?m)^index_no: (.*)/\d{4}-\d{5}$", r"index_no: \1/2026-99999", text)
    newest.write_text(text, encoding="utf-8")
    warm, cold, result = build_both_ways(content, tmp)
    assert differing(warm, cold) == []
    assert any(i.id.endswith("/2026/memo-new") for i in result.lib.published)

    # 3. An item another body links to moves to the future: the linking body must be rendered
    # again (its link now leads nowhere public), not taken from the memo.
    linked = None
    for path in items:
        for rel, year in LINK.findall(path.read_text(encoding="utf-8")):
            if year == "2026":
                linked = (path.parent / rel).resolve()
                break
        if linked:
            break
    assert linked is not None and linked.exists()
    text = linked.read_text(encoding="utf-8")
    linked.write_text(re.sub(r"(?m)^date: .*$", "date: 2026-12-30", text), encoding="utf-8")
    warm, cold, _ = build_both_ways(content, tmp)
    assert differing(warm, cold) == []

    # 4. An item is deleted (nothing links to the newest one).
    newest.unlink()
    warm, cold, _ = build_both_ways(content, tmp)
    assert differing(warm, cold) == []


def test_a_memo_from_other_code_or_a_broken_file_is_ignored(tmp_path):
    folder = tmp_path / "memo"
    folder.mkdir()
    for n in range(memo.SHARDS):
        (folder / f"item.{n:x}.pickle").write_bytes(b"not a pickle")
    from gxsite.cache import stamp
    for n in range(memo.SHARDS):   # a well-formed memo made by other code
        (folder / f"body.{n:x}.pickle").write_bytes(pickle.dumps((memo.VERSION, "other-code", {b"k": "old"})))
    assert (memo.VERSION, stamp.code_version()) != (memo.VERSION, "other-code")
    m = memo.Memo(folder)
    assert m.get("item", b"k") is None
    assert m.get("body", b"k") is None
    m.put("item", b"k", (b"v", ()))
    m.save()
    assert memo.Memo(folder).get("item", b"k") == (b"v", ())
    assert memo.Memo(folder).get("body", b"k") is None


def test_counting_blocks_follow_the_documents_not_their_positions(generated):
    # A block ends where a document's id says so: a new first document leaves later blocks as they were.
    content, _ = generated
    from gxsite.core.problems import Problems
    lib = pipeline.read_content(content, TODAY, Problems())
    docs = search_index.documents(lib)
    before = [[d.item.id for d in b] for b in search_index.blocks(docs)]
    after = [[d.item.id for d in b] for b in search_index.blocks(docs[1:])]
    assert len(before) > 3
    assert before[1:] == after[1:] or before[2:] == after[1:]


def test_a_file_changed_in_place_is_read_again_even_at_the_same_size(tree):
    # Unchanged size and mtime mean "not read again"; here the bytes change at the same size and
    # the time moves (both in the past, so the recorded stat would be trusted if it matched).
    import os
    import time
    from gxsite.content.load import load
    from gxsite.core.problems import Problems
    content = tree()
    path = content / "items/qfz/2026/dongtai.md"
    old = time.time() - 60
    os.utime(path, (old, old))
    kept = memo.for_content(content)
    assert load(content, Problems(), kept).items["qfz/2026/dongtai"].title == "庆符镇开展法律进乡村活动"
    kept.save()
    path.write_text(path.read_text(encoding="utf-8").replace("法律进乡村", "防汛进乡村"), encoding="utf-8")
    os.utime(path, (old + 30, old + 30))
    again = memo.for_content(content)
    assert load(content, Problems(), again).items["qfz/2026/dongtai"].title == "庆符镇开展防汛进乡村活动"


def test_a_run_that_does_not_ask_for_a_kind_keeps_it(tmp_path):
    # A build that fails before its search stage must not wipe the search counts of the last one.
    m = memo.Memo(tmp_path / "memo")
    m.put("search-block", b"k", ("counts", ()))
    m.put("item", b"i", (b"v", ()))
    m.save()
    m.get("item", b"i")   # the next run reads items only, then stops
    m.save()
    assert m.get("search-block", b"k") == ("counts", ())
    assert memo.Memo(tmp_path / "memo").get("search-block", b"k") == ("counts", ())


def test_a_settled_kind_is_written_at_once_and_let_go(tmp_path):
    """A `gxsite build` lets go of each kind once its stage is over (load's files, the search
    blocks) and writes the state it keeps at once; a running preview's memo, held between
    changes, keeps all of it in memory until it saves."""
    key = memo.digest("a")
    loose = memo.Memo(tmp_path / "loose")
    loose.put("k", key, ("value", 1))
    loose.settle("k")
    assert "k" not in loose.old and "k" not in loose.new
    with pytest.raises(RuntimeError):
        loose.get("k", key)   # a stage asking for it after its stage was over
    assert memo.Memo(tmp_path / "loose").get("k", key) == ("value", 1)   # on disk already
    loose.keep("state", [1, 2])
    assert "state" not in loose.states and memo.Memo(tmp_path / "loose").state("state") == [1, 2]
    loose.save()
    assert loose.get("k", key) == ("value", 1)   # the next run reads it back

    held = memo.Memo(tmp_path / "held", held=True)
    held.put("k", key, "v")
    held.settle("k")
    held.keep("state", [3])
    assert held.get("k", key) == "v" and held.state("state") == [3]
    assert not (tmp_path / "held").exists()   # nothing written before it saves

    (tmp_path / "blocked").write_text("a file where the memo's folder would be")
    unwritable = memo.Memo(tmp_path / "blocked" / "memo")
    unwritable.put("k", key, "v")
    unwritable.settle("k")    # only a speed-up: not an error, and the run goes on with it in memory
    unwritable.keep("state", [4])
    assert unwritable.get("k", key) == "v" and unwritable.state("state") == [4]


def test_a_build_lets_go_of_what_it_read_files_with(generated, tmp_path):
    content, _ = generated
    m = memo.for_content(content)
    assert pipeline.build(content, tmp_path / "out", TODAY, progress=False, force=True, memo=m).ok
    assert not {"stat", "item", "personal-stat", "search-block", "api-item", "api-listing", "feed"} & set(m.old)
    assert "body" in m.old   # kept to the end: the items hold the same strings anyway
    again = Counting(memo.for_content(content).folder)   # what was let go of was written first
    assert pipeline.build(content, tmp_path / "out", TODAY, progress=False, force=True, memo=again).ok
    assert all(again.hits[kind] > 0 for kind in ("stat", "item", "search-block", "api-item", "api-listing", "feed"))
