"""The bundled 高县 example: believable, complete, and it builds cleanly."""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import REPO, TODAY, parse
from gxsite import pipeline
from gxsite.content import schema
from gxsite.core.problems import Problems

CONTENT = REPO / "content"
TOWNS = {"文江", "庆符", "沙河", "嘉乐", "罗场", "蕉村", "可久", "来复", "月江", "胜天", "复兴", "落润", "庆岭"}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "output"
    result = pipeline.build(CONTENT, out, TODAY, progress=False)
    assert result.ok, [str(p) for p in result.problems.errors]
    return result.lib, out


def test_example_has_the_contracted_breadth(example):
    lib, _ = example
    items = list(lib.items.values())
    assert len(items) >= 80
    assert set(Counter(i.type for i in items)) == set(schema.ITEM_TYPES)
    assert len({i.org for i in items}) >= 8
    towns_touched = {i.org for i in items if lib.orgs[i.org].kind == "town"} | {t for i in items for t in i.towns}
    assert len(towns_touched) >= 5
    assert {o.name.replace("高县", "").replace("镇人民政府", "") for o in lib.orgs.values() if o.kind == "town"} == TOWNS
    assert len(lib.domains) == 30
    assert len(lib.officers) >= 1 and len(lib.services) >= 12
    assert len([c for c in lib.catalog if c.entries]) >= 6
    kinds = Counter(p.kind for p in lib.places.values())
    assert kinds["便民服务中心"] >= 13 and kinds["政务服务大厅"] >= 1


def test_example_contains_the_seed_document(example):
    lib, out = example
    seed = lib.items["xzfb/2023/zwgk-jcnl-fangan"]
    assert seed.doc_no == "高府办函〔2023〕55号"
    doc = parse(out / "items/xzfb/2023/zwgk-jcnl-fangan/index.html")
    text = doc.xpath("//main")[0].text_content()
    assert "重大行政决策预公开" in text and "政务公开专区" in text
    assert "高府办函〔2023〕55号" in text


def test_seed_columns_exist(example):
    lib, _ = example
    titles = "".join(c.title for c in lib.columns.values())
    for name in ("重大决策预公开", "政府开放日", "局长进大厅", "行政执法", "政策解读", "政务公开专区", "乡村振兴"):
        assert name in titles, name


def test_example_is_deterministic(example, tmp_path):
    _, out = example
    again = tmp_path / "again"
    assert pipeline.build(CONTENT, again, TODAY, progress=False).ok
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert first == second


def test_example_check_has_no_errors():
    problems = Problems()
    pipeline.read_content(CONTENT, TODAY, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
