"""Search: one tokenizer and one ranking in Python (whoosh, CLI) and JavaScript (the site)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TODAY, item, messages
from gxsite import pipeline
from gxsite.search import search_index, tokenize, whoosh_index
from gxsite.search.search_cli import entries

JS = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node")

PARITY_STRINGS = [
    "乡村振兴实施方案", "高府办函〔2023〕55号", "11511525MB1234567X/2023-00055", "ＡＢＣ２０２３年",
    "县", "高县 政务公开", "  政务  公开 实施 ", "Gao County 政务 open-day 2026", "〔2024〕", "",
    "兴实", "民生实事项目人大代表票决制", "第12345号", "ｗｗｗ．gaoxian．gov．cn", "﨑崎 測試", "a1b2 c3",
]


def need_node():
    if NODE is None:
        pytest.skip("node is not installed (tokenizer and ranking parity run the site's JavaScript in node)")


def test_tokenizer_parity_python_and_javascript():
    need_node()
    run = subprocess.run([NODE, str(JS / "tokens.js")], input=json.dumps(PARITY_STRINGS), capture_output=True,
                         text=True, check=True)
    for text, js in zip(PARITY_STRINGS, json.loads(run.stdout)):
        q = tokenize.query(text)
        assert js["tokens"] == tokenize.tokens(text), text
        assert (js["query"]["required"], js["query"]["optional"]) == (list(q.required), list(q.optional)), text


def test_tokens_cover_substrings_numbers_and_phrases():
    assert "兴实" in tokenize.tokens("乡村振兴实施方案")
    assert tokenize.query("兴实").required == ("兴实",)
    assert tokenize.query("县").required == ("县",)
    assert tokenize.query("高府办函〔2023〕55号").required == ("高府", "府办", "办函", "2023", "55", "号")
    assert tokenize.query("11511525MB1234567X/2023-00055").required == ("11511525mb1234567x", "2023", "00055")
    assert tokenize.query("高县 政务公开").optional == ("县政",)
    # Where a word meets its neighbour, a joint token: the 文号 typed whole is a phrase bonus.
    assert tokenize.tokens("发〔2021〕2号") == ["发", "2021", "发 2021", "2", "2021 2", "号", "2 号"]
    assert tokenize.query("高市监发〔2021〕2号").optional == ("发 2021", "2021 2", "2 号")
    assert tokenize.query("政务 2023").optional == ("务 2023",)
    assert not any(" " in t for t in tokenize.tokens("乡村振兴，实施方案。"))   # only where a word is


# ---- ranking, on a small tree --------------------------------------------------------------

RANKING = {
    "items/xzfb/2026/title-hit.md": item("乡村振兴工作推进会召开", date="2026-03-01",
                                         index_no="11511525008745231K/2026-00101", body="会议部署了有关工作。"),
    "items/xzfb/2026/body-hit.md": item("县政府常务会议召开", date="2026-10-01", index_no="11511525008745231K/2026-00102",
                                        body="会议研究了乡村振兴、乡村振兴示范村建设和乡村振兴资金等事项。"),
    "items/xzfb/2026/phrase.md": item("关于高县政务公开的通知", date="2026-05-01", index_no="11511525008745231K/2026-00103",
                                      body="正文。"),
    "items/xzfb/2026/scattered.md": item("关于政务公开和高县的通知", date="2026-05-01",
                                         index_no="11511525008745231K/2026-00104", body="正文。"),
    "items/xzfb/2026/old-tie.md": item("防汛值班安排", date="2026-01-01", index_no="11511525008745231K/2026-00105",
                                       body="做好防汛值班。"),
    "items/xzfb/2026/new-tie.md": item("防汛值班安排", date="2026-09-01", index_no="11511525008745231K/2026-00106",
                                       body="做好防汛值班。"),
    "items/xzfb/2026/xss.md": item("'<img src=x onerror=alert(1)>防汛提示'", date="2026-08-01",
                                   index_no="11511525008745231K/2026-00107", body="汛期提示。"),
    "items/xzfb/2026/future.md": item("未来的防汛通知", date="2026-12-20", index_no="11511525008745231K/2026-00108"),
    "items/sfj/2021/doc-no.md": item("关于开展食品安全检查的通知", org="sfj", date="2021-04-02",
                                       index_no="11511525MB1234567X/2021-00002", doc_no="高市监发〔2021〕2号",
                                       body="各乡镇：现将有关事项通知如下。" * 6),
    "items/sfj/2021/scattered-no.md": item("检查通知", org="sfj", date="2021-06-02",
                                             index_no="11511525MB1234567X/2021-00012", doc_no="高市监发〔2021〕12号",
                                             body="2号楼。"),
    "items/sfj/2026/cf.md": item("撤回的防汛处罚决定", type="enforcement", org="sfj", date="2026-10-05",
                                 index_no="11511525MB1234567X/2026-00109", stage="事后", decision_date="2026-10-01",
                                 withdrawn="{date: 2026-10-20, reason: 复议撤销}"),
}


@pytest.fixture
def ranked(built):
    result, out = built(RANKING)
    assert result.ok, messages(result)
    lib = result.lib

    def whoosh_ids(query, folder=out.parent / "wh"):
        ix, _ = whoosh_index.open_index(folder, [whoosh_index.Entry(
            d.item.id, d.item.title, d.heading, d.body, (d.item.date - search_index.EPOCH).days, d.item.url,
            d.item.org, "")
            for d in search_index.documents(lib)])
        return [h.id for h in whoosh_index.search(ix, query)]
    return out, lib, whoosh_ids


def js_top(out: Path, manifest: str, queries: list[str]) -> list[dict]:
    need_node()
    run = subprocess.run([NODE, str(JS / "run_search.js"), str(out), manifest, json.dumps(queries, ensure_ascii=False)],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def ids(answer: dict) -> list[str]:
    return [u["url"].strip("/").removeprefix("items/") for u in answer["top"]]


def test_title_matches_rank_above_body_matches(ranked):
    out, lib, whoosh_ids = ranked
    assert whoosh_ids("乡村振兴")[:2] == ["xzfb/2026/title-hit", "xzfb/2026/body-hit"]
    assert ids(js_top(out, lib.search_manifest, ["乡村振兴"])[0])[:2] == ["xzfb/2026/title-hit", "xzfb/2026/body-hit"]


def test_exact_phrase_ranks_above_scattered_words(ranked):
    out, lib, whoosh_ids = ranked
    assert whoosh_ids("高县 政务公开")[:2] == ["xzfb/2026/phrase", "xzfb/2026/scattered"]
    assert ids(js_top(out, lib.search_manifest, ["高县 政务公开"])[0])[:2] == ["xzfb/2026/phrase", "xzfb/2026/scattered"]


def test_doc_no_typed_whole_ranks_its_document_first(ranked):
    # The short item has 高市监发, 2021, 2 and 号 too, scattered (12号, 2号楼): BM25 alone favours it.
    out, lib, whoosh_ids = ranked
    assert whoosh_ids("高市监发〔2021〕2号")[:2] == ["sfj/2021/doc-no", "sfj/2021/scattered-no"]
    assert ids(js_top(out, lib.search_manifest, ["高市监发〔2021〕2号"])[0])[:2] == [
        "sfj/2021/doc-no", "sfj/2021/scattered-no"]


def test_newer_first_on_ties_and_all_terms_required(ranked):
    out, lib, whoosh_ids = ranked
    assert whoosh_ids("防汛值班")[:2] == ["xzfb/2026/new-tie", "xzfb/2026/old-tie"]
    answers = js_top(out, lib.search_manifest, ["防汛值班", "防汛 不存在的词", "汛期"])
    assert ids(answers[0])[:2] == ["xzfb/2026/new-tie", "xzfb/2026/old-tie"]
    assert answers[1]["total"] == 0 and whoosh_ids("防汛 不存在的词") == []
    assert ids(answers[2]) == ["xzfb/2026/xss"]


def test_withdrawn_and_future_items_are_never_indexed(ranked):
    out, lib, whoosh_ids = ranked
    found = js_top(out, lib.search_manifest, ["防汛"])[0]
    assert "xzfb/2026/future" not in ids(found) and "sfj/2026/cf" not in ids(found)
    assert set(whoosh_ids("防汛")) == set(ids(found))
    everything = b"".join(p.read_bytes() for p in (out / "search").iterdir() if p.name != "index.html")
    assert "未来的防汛通知".encode() not in everything and "撤回的防汛处罚决定".encode() not in everything


def test_index_only_holds_items_not_navigation(ranked):
    out, lib, whoosh_ids = ranked
    # "栏目导航" and "关怀版" are on every page, in the navigation: never in the index.
    assert js_top(out, lib.search_manifest, ["栏目导航", "关怀版"]) == [{"total": 0, "top": []}] * 2


def test_index_files_are_content_hashed_and_split(ranked):
    out, lib, _ = ranked
    names = sorted(p.name for p in (out / "search").iterdir()
                   if p.name != "index.html" and p.suffix not in (".gz", ".br"))   # precompressed twins aside
    assert any(n.startswith("manifest.") for n in names)
    assert all(n.split(".")[1].isalnum() and len(n.split(".")[1]) == 8 for n in names)
    manifest = json.loads((out / lib.search_manifest.lstrip("/")).read_text(encoding="utf-8"))
    assert len(manifest["shards"]) == 8 * len(manifest["shard_starts"])
    assert manifest["shard_starts"] == sorted(manifest["shard_starts"])


# ---- whoosh and the browser agree, on the bundled example -----------------------------------

EXAMPLE_QUERIES = ["政务公开", "乡村振兴", "高府办函〔2023〕55号", "县", "局长进大厅", "行政处罚", "地质灾害 预警",
                   "民生实事", "政策解读", "2025", "便民服务", "开放日", "社会救助", "征求意见", "兴实"]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("ex") / "output"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok
    return out, result.lib


def test_whoosh_and_browser_give_the_same_top_10(example, tmp_path):
    out, lib = example
    found, problems, _ = entries(REPO / "content", TODAY)
    ix, _ = whoosh_index.open_index(tmp_path / "wh", found)
    answers = js_top(out, lib.search_manifest, EXAMPLE_QUERIES)
    for query, answer in zip(EXAMPLE_QUERIES, answers):
        hits = whoosh_index.search(ix, query)
        assert [h.id for h in hits[:10]] == ids(answer), query
        assert len(hits) == answer["total"], query
        for h, js in zip(hits, answer["top"]):
            assert abs(h.score - js["score"]) < 1e-5, query


def test_whoosh_index_updates_incrementally(tree, tmp_path):
    content = tree()
    folder = tmp_path / "wh"
    found, _, _ = entries(content, TODAY)
    _, changes = whoosh_index.open_index(folder, found)
    assert changes == {"added": len(found), "changed": 0, "removed": 0}
    _, changes = whoosh_index.open_index(folder, found)
    assert changes == {"added": 0, "changed": 0, "removed": 0}
    (content / "items/qfz/2026/dongtai.md").write_text(item("庆符镇开展防汛演练", type="news", org="qfz",
                                                            date="2026-11-20", index_no="11511525MB7654321A/2026-00001"),
                                                       encoding="utf-8")
    found, _, _ = entries(content, TODAY)
    ix, changes = whoosh_index.open_index(folder, found)
    assert changes == {"added": 0, "changed": 1, "removed": 0}
    assert [h.id for h in whoosh_index.search(ix, "防汛演练")] == ["qfz/2026/dongtai"]
    assert whoosh_index.search(ix, "法律进乡村") == []


def gxsite(*args):
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], capture_output=True, text=True, cwd=REPO)


def test_cli_search_text_json_and_limit(tree):
    content = tree(RANKING)
    run = gxsite("search", "乡村振兴", "--content", content, "--today", "2026-11-26")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "1. 乡村振兴工作推进会召开"
    assert "xzfb/2026/title-hit" in lines[1] and "2026-03-01" in lines[1]
    assert lines[2].strip() == "https://www.example.gov.cn/items/xzfb/2026/title-hit/"
    data = json.loads(gxsite("search", "防汛", "--json", "--limit", "2", "--content", content,
                             "--today", "2026-11-26").stdout)
    assert [d["id"] for d in data] == ["xzfb/2026/new-tie", "xzfb/2026/old-tie"]
    assert set(data[0]) >= {"id", "title", "date", "url"}
    assert "没有找到" in gxsite("search", "不存在的词语", "--content", content, "--today", "2026-11-26").stdout
    assert "Warning" not in run.stderr


def test_whoosh_update_of_named_documents_only(tree, tmp_path):
    # The preview names the documents it changed; the rest of the index is left as it is.
    from gxsite.search.search_cli import entries
    content = tree(RANKING)
    found, _, _ = entries(content, TODAY)
    folder = tmp_path / "wh"
    whoosh_index.open_index(folder, found)
    target = found[0]
    changed = whoosh_index.Entry(target.id, target.title, target.heading, target.body + " 新增琉璃词", target.day,
                                 target.url, target.org, target.date)
    ix, changes = whoosh_index.open_index(folder, [changed], afresh=False, only={target.id})
    assert changes == {"added": 0, "changed": 1, "removed": 0}
    assert [h.id for h in whoosh_index.search(ix, "琉璃")] == [target.id]
    # Every other document is still there, and the kept fingerprints match the whole set.
    assert ix.doc_count() == len(found)
    other = found[1]
    assert other.id in [h.id for h in whoosh_index.search(ix, other.title)]
    _, again = whoosh_index.open_index(folder, [changed, *found[1:]])
    assert again == {"added": 0, "changed": 0, "removed": 0}
    assert whoosh_index.open_index(tmp_path / "none", [changed], afresh=True, only={target.id}) == (None, {})
