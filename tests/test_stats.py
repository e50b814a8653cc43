"""Statistics: /stats/ and the annual report's table of proactive disclosure (国办公开办函〔2021〕30号)."""
from __future__ import annotations

import csv
import io

import pytest

from conftest import TODAY, item, messages, parse
from gxsite.site.sections import stats


def norm(title, date, issued, **fields):
    return item(title, type="policy", date=date, issued=issued, category="规范性文件",
                doc_no=f"测府规〔{issued[:4]}〕{abs(hash(title)) % 90 + 1}号", needs_interpretation="false", **fields)


def decision(title, date, decided, action, **fields):
    return item(title, type="enforcement", org="sfj", date=date, stage="事后", decision_date=decided,
                action=action, party="测试县某某公司", **fields)


EXTRA = {
    "items/xzfb/2025/gf1.md": norm("旧管理办法", "2025-03-05", "2025-03-01", status="已废止", repealed="2026-06-30",
                                   replaced_by="sfj/2026/gfxwj"),
    "items/xzfb/2026/gf2.md": norm("年末办法", "2026-01-05", "2025-12-30"),
    "items/sfj/2026/cf1.md": decision("处罚一", "2026-03-05", "2026-03-02", "行政处罚"),
    "items/sfj/2026/cf2.md": decision("处罚二", "2026-04-03", "2026-04-01", "行政处罚",
                                      withdrawn="{date: 2026-05-01, reason: 经复议撤销}"),
    "items/sfj/2026/xk1.md": decision("许可一", "2026-05-08", "2026-05-06", "行政许可"),
    "items/sfj/2026/qz1.md": decision("强制一", "2026-06-05", "2026-06-03", "行政强制"),
    "items/sfj/2026/cf0.md": decision("处罚零", "2026-01-05", "2025-12-30", "行政处罚"),
}


@pytest.fixture
def site(built):
    result, out = built(EXTRA)
    assert result.ok, messages(result)
    return result.lib, out


def table_values(report, label):
    for block in report.blocks:
        for line in block.lines:
            if line.label == label:
                return dict(zip(block.headers, line.values))
    raise KeyError(label)


def test_annual_table_counts_from_the_content(site):
    lib, _ = site
    this = stats.annual(lib, 2026, TODAY)
    assert table_values(this, "行政规范性文件") == {"本年制发件数": "1", "本年废止件数": "1", "现行有效件数": "2"}
    assert table_values(this, "行政许可") == {"本年处理决定数量": "1"}
    assert table_values(this, "行政处罚") == {"本年处理决定数量": "2"}       # by decision date, withdrawn included
    assert table_values(this, "行政强制") == {"本年处理决定数量": "1"}
    assert table_values(this, "规章") == {"本年制发件数": "0", "本年废止件数": "0", "现行有效件数": "0"}
    assert table_values(this, "行政事业性收费") == {"本年收费金额（单位：万元）": "不适用"}
    assert any("撤回" in n for n in this.notes) and any("截至 2026-11-26" in n for n in this.notes)
    last = stats.annual(lib, 2025, TODAY)
    assert table_values(last, "行政规范性文件") == {"本年制发件数": "2", "本年废止件数": "0", "现行有效件数": "2"}
    assert table_values(last, "行政处罚") == {"本年处理决定数量": "1"}
    assert [b.clause for b in last.blocks] == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]


def test_annual_pages_and_csv_for_every_year(site):
    _, out = site
    for year in (2025, 2026):
        for prefix in ("", "care/"):
            page = parse(out / f"{prefix}stats/annual/{year}/index.html")
            assert "主动公开政府信息情况" in page.xpath("//main")[0].text_content()
            assert len(page.xpath("//main//table/caption")) == 4
        data = (out / f"stats/annual/{year}/zhudong-gongkai-{year}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == stats.CSV_HEADER
        assert [r[1] for r in rows[1:]] == ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]
    rows = list(csv.reader(io.StringIO((out / "stats/annual/2026/zhudong-gongkai-2026.csv").read_text(encoding="utf-8-sig"))))
    assert rows[2][:5] == ["第二十条第（一）项", "行政规范性文件", "1", "1", "2"]
    assert rows[4][5] == "2" and rows[6][6] == "不适用"
    assert not (out / "stats/annual/2024").exists()


def test_stats_page_counts_per_org_type_column_and_month(site):
    lib, out = site
    view = stats.overview(lib, TODAY)
    assert view.years == [2026, 2025]
    sfj = next(r for r in view.orgs if r.label == "测试县司法局")
    assert sfj.counts == [5, 0] and sfj.url == "/orgs/sfj/"      # gfxwj, cf1, xk1, qz1, cf0 (cf2 withdrawn)
    enforcement = next(r for r in view.types if r.label == "行政执法公示")
    assert enforcement.counts == [4, 0]
    policies = next(r for r in view.columns if r.label == "政策文件")
    assert policies.counts == [2, 2] and policies.depth == 1
    assert [r.counts for r in view.months][2] == [1, 2]            # March: cf1; 2025: gf1 and fangan
    doc = parse(out / "stats/index.html")
    main = doc.xpath("//main")[0]
    assert main.xpath(".//table/caption") and "测试县司法局" in main.text_content()
    assert main.xpath(".//a[@href='../stats/annual/2025/']")
    assert parse(out / "care/stats/index.html").xpath("//main//table")


def test_example_annual_table():
    from conftest import REPO
    from gxsite import pipeline
    from gxsite.core.problems import Problems
    lib = pipeline.read_content(REPO / "content", TODAY, Problems())
    report = stats.annual(lib, 2025, TODAY)
    # the example's 2025 annual report (xzfb/2026/2025-zfxxgk-ndbg) says 2 规范性文件 were made
    assert table_values(report, "行政规范性文件")["本年制发件数"] == "2"
    assert stats.years(lib, TODAY)[0] == 2026
