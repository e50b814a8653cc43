"""政府网站工作年度报表 (国办函〔2018〕12号): counted from a small tree with known items, the
rest from site.yaml; what is not given reads 未填报. Checked on the built pages and CSV."""
from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath

import pytest

from conftest import COLUMNS, REPO, SITE, TODAY, item, parse
from gxsite import pipeline
from gxsite.core.problems import Problems
from gxsite.site.sections import website_report

PARTS = ["网站基本信息", "信息发布", "专栏专题", "解读回应", "办事服务", "互动交流", "安全防护", "移动新媒体", "创新发展"]

REPORT = """\
sponsor: 测试县人民政府办公室
icp: 蜀ICP备12345678号-1
website_report:
  2025:
    page_views: 123456
    leader_interpretations: 1
    security_officer: true
    emergency_drill: false
    weibo: {name: 测试发布, posts: 300}
    innovations: [无障碍浏览, 智能客服]
    filed: 2026-01-15
  2026:
    page_views: 1
"""

INTERPRETER = "{name: 王某, title: 股长}"

ITEMS_2025 = {
    # 信息发布: 2 notices + 1 news (政务动态), 1 page (概况类), 1 withdrawn enforcement notice (left out)
    "items/xzfb/2025/tz1.md": item("通知一", date="2025-02-01"),
    "items/xzfb/2025/tz2.md": item("通知二", date="2025-12-31"),
    "items/qfz/2025/dt.md": item("庆符镇动态", type="news", org="qfz", date="2025-06-01"),
    "items/xzfb/2025/gk.md": item("县情概况", type="page", date="2025-01-10"),
    # a repost: published on the site, but not in the 政府信息公开目录
    "items/xzfb/2025/zz.md": item("转载省政府文件", type="repost", date="2025-08-01",
                                  source="{name: 四川省人民政府, url: 'https://www.sc.gov.cn/x.html'}"),
    "items/xzfb/2025/ch.md": item("撤回的公示", type="enforcement", date="2025-05-01", stage="事前",
                                  withdrawn="{date: 2025-05-03, reason: 内容有误}"),
    # 解读回应: one 图解 (产品), one 文字 (材料), one response
    "items/xzfb/2025/jd1.md": item("图解实施方案", type="interpretation", date="2025-03-12",
                                   interprets="xzfb/2025/fangan", interpreter=INTERPRETER, form="图解"),
    "items/xzfb/2025/jd2.md": item("解读实施方案", type="interpretation", date="2025-03-12",
                                   interprets="xzfb/2025/fangan", interpreter=INTERPRETER, form="文字"),
    "items/xzfb/2025/hy.md": item("关于停水的回应", type="response", date="2025-07-01"),
    # 留言: two asked in 2025 (replied after 4 and 10 days), one unanswered; one asked in 2024
    "items/xzfb/2025/ly1.md": item("留言一", type="message", date="2025-04-20", question="问一", asked="2025-04-01",
                                   reply="{date: 2025-04-05, org: xzfb, text: 答一}"),
    "items/xzfb/2025/ly2.md": item("留言二", type="message", date="2025-09-20", question="问二", asked="2025-09-01",
                                   reply="{date: 2025-09-11, org: xzfb, text: 答二}"),
    "items/xzfb/2025/ly3.md": item("留言三", type="message", date="2025-12-20", question="问三", asked="2025-12-15"),
    "items/xzfb/2025/ly0.md": item("留言零", type="message", date="2025-01-05", question="问零", asked="2024-12-20",
                                   reply="{date: 2025-01-04, org: xzfb, text: 答零}"),
}

SERVICE = """\
name: {name}
basis: [某法]
conditions: 无
materials: [{{name: 申请表}}]
steps: [申请, 办结]
fee: 不收费
phone: 0831-6500003
address: 测试县某某路3号
hours: 工作日
"""

FILES = {
    "site.yaml": SITE + REPORT,
    **ITEMS_2025,
    "data/services/sfj/flyz.yaml": SERVICE.format(name="法律援助申请") + "online: https://www.example.gov.cn/flyz\n",
    "data/services/sfj/gzzm.yaml": SERVICE.format(name="公证证明"),
}


def report_of(tree, extra=None, today=TODAY):
    content = tree({**FILES, **(extra or {})})
    problems = Problems()
    lib = pipeline.read_content(content, today, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert lib.items["xzfb/2025/ch"].withdrawn is not None
    return website_report.report(lib, 2025, today), lib


def values(rep) -> dict[tuple[str, str], str]:
    return {(part.title, row.label): row.value for part in rep.parts for row in part.rows}


def test_the_counts_of_a_known_year(tree):
    rep, lib = report_of(tree)
    v = values(rep)
    # 2025: tz1, tz2, dt, gk, jd1, jd2, hy, ly0-3 and the base tree's fangan = 12 (ch is withdrawn,
    # zz another government's document)
    assert v["信息发布", "信息发布总数（单位：条）"] == "12"
    assert v["信息发布", "其中：概况类信息更新量（单位：条）"] == "1"
    assert v["信息发布", "其中：政务动态信息更新量（单位：条）"] == "3"
    assert v["信息发布", "其中：信息公开目录信息更新量（单位：条）"] == "12"   # every one has its 索引号
    assert v["解读回应", "解读信息发布总数（单位：条）"] == "2"
    assert v["解读回应", "解读材料数量（单位：条）"] == "1"
    assert v["解读回应", "解读产品数量（单位：个）"] == "1"
    assert v["解读回应", "其中：主要负责同志解读（单位：篇）"] == "1"
    assert v["解读回应", "回应公众关注热点或重大舆情数量（单位：次）"] == "1"
    assert v["办事服务", "政务服务事项数量（单位：项）"] == "2"
    assert v["办事服务", "其中：可全程在线办理政务服务事项数量（单位：项）"] == "1"
    assert v["办事服务", "是否发布服务事项目录"] == "是"
    assert v["互动交流", "留言办理：收到留言数量（单位：条）"] == "3"      # asked in 2025
    assert v["互动交流", "留言办理：办结留言数量（单位：条）"] == "2"
    assert v["互动交流", "留言办理：平均办理时间（单位：天）"] == "7.0"   # (4 + 10) / 2
    assert v["互动交流", "留言办理：公开答复数量（单位：条）"] == "2"
    # 专栏专题: no 专题专栏 column, so every column with items in 2025
    with_items = [c for c in lib.columns.values() if any(i.date.year == 2025 for i in c.items)]
    assert v["专栏专题", "维护数量（单位：个）"] == str(len(with_items)) != "0"
    assert int(v["专栏专题", "新开设数量（单位：个）"]) == sum(
        1 for c in with_items if min(i.date for i in c.items).year == 2025)


def test_topics_are_the_columns_under_zhuanti_zhuanlan(tree):
    columns = COLUMNS + """\
- id: ztzl
  title: 专题专栏
- id: zt-a
  title: 专题甲
  parent: ztzl
  select: {type: response}
- id: zt-b
  title: 专题乙
  parent: ztzl
  select: {type: fund}
"""
    rep, _ = report_of(tree, {"columns.yaml": columns,
                              "items/xzfb/2024/hy.md": item("旧回应", type="response", date="2024-07-01")})
    v = values(rep)
    assert v["专栏专题", "维护数量（单位：个）"] == "1"       # 专题甲 has a 2025 item; 专题乙 none
    assert v["专栏专题", "新开设数量（单位：个）"] == "0"     # 专题甲 began in 2024
    assert any("“专题专栏”下的各专题" in n for n in rep.notes)


def test_figures_from_site_yaml_and_not_given(tree):
    rep, _ = report_of(tree)
    v = values(rep)
    assert v["网站基本信息", "网站总访问量（单位：次）"] == "123456"
    assert v["网站基本信息", "独立用户访问总量（单位：个）"] == "未填报"
    assert v["网站基本信息", "主办单位"] == "测试县人民政府办公室"
    assert v["网站基本信息", "政府网站标识码"] == "5115250001"
    assert v["网站基本信息", "ICP备案号"] == "蜀ICP备12345678号-1"
    assert v["网站基本信息", "公安机关备案号"] == "未填报"
    assert v["网站基本信息", "网站类型"] == "政府门户网站"
    assert v["安全防护", "是否明确网站安全负责人"] == "是"
    assert v["安全防护", "是否开展应急演练"] == "否"
    assert v["安全防护", "安全检测评估次数（单位：次）"] == "未填报"
    assert v["移动新媒体", "是否有移动新媒体"] == "是"          # a weibo account is given
    assert v["移动新媒体", "微博：名称"] == "测试发布" and v["移动新媒体", "微博：关注量（单位：个）"] == "未填报"
    assert v["移动新媒体", "微信：名称"] == "未填报"
    assert v["创新发展", "无障碍浏览"] == "是" and v["创新发展", "千人千网"] == "否"
    assert v["创新发展", "其他"] == "智能客服"
    assert v["办事服务", "注册用户数（单位：个）"] == "未填报"
    filing = {r.label: r.value for r in rep.filing}
    assert filing["填报日期"] == "2026-01-15" and filing["填报人"] == "未填报"


def test_message_figures_given_in_site_yaml_replace_the_counted_ones(tree):
    site = SITE + REPORT.replace("    page_views: 123456\n", "    messages_received: 40\n    messages_avg_days: 5.5\n", 1)
    rep, _ = report_of(tree, {"site.yaml": site})
    v = values(rep)
    assert v["互动交流", "留言办理：收到留言数量（单位：条）"] == "40"
    assert v["互动交流", "留言办理：平均办理时间（单位：天）"] == "5.5"
    assert v["互动交流", "留言办理：办结留言数量（单位：条）"] == "2"   # still counted
    assert any("公开了其中 3 条" in n for n in rep.notes)


@pytest.fixture
def site(built):
    result, out = built(FILES)
    assert result.ok, [str(p) for p in result.problems.errors]
    return out


def test_the_page_has_the_nine_parts_as_accessible_tables(site):
    for prefix in ("", "care/"):
        doc = parse(site / prefix / "stats/website/2025/index.html")
        main = doc.find(".//main")
        assert main.findtext(".//h1") == "政府网站工作年度报表（2025年度）"
        assert [s.findtext("h2") for s in main.findall(".//section")] == PARTS
        for section in main.findall(".//section"):
            table, = section.iter("table")
            assert table.findtext("caption") == "2025年度" + section.findtext("h2")
            assert [th.get("scope") for th in table.findall("thead/tr/th")] == ["col", "col", "col"]
            assert all(tr.find("th").get("scope") == "row" for tr in table.findall("tbody/tr"))
        rows = {tr.findtext("th"): [td.text_content() for td in tr.findall("td")] for tr in main.iter("tr")}
        assert rows["独立用户访问总量（单位：个）"] == ["未填报", "填报"]
        assert rows["网站总访问量（单位：次）"] == ["123456", "填报"]
        assert rows["信息发布总数（单位：条）"] == ["12", "网站内容统计"]
    # 2026 has not ended: no page yet, though site.yaml has an entry
    assert not (site / "stats/website/2026").exists()


def test_the_index_links_every_year_and_the_csv_matches_the_page(site):
    index = parse(site / "stats/website/index.html").find(".//main")
    links = [posixpath.normpath(posixpath.join("/stats/website/", a.get("href"))) for a in index.iter("a")]
    assert "/stats/website/2025" in links and (site / "stats/website/2025/index.html").is_file()
    assert "暂无" not in index.text_content()
    page = parse(site / "stats/website/2025/index.html").find(".//main")
    link = next(a for a in page.iter("a") if a.get("download") is not None)
    data = (site / "stats/website/2025" / link.get("href")).read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["栏目", "指标", "数值", "数据来源"]
    table = [(s.findtext("h2"), tr.findtext("th"), tr.find("td").text_content())
             for s in page.findall(".//section") for tr in s.iter("tr") if tr.find("td") is not None]
    assert [tuple(r[:3]) for r in rows[1:len(table) + 1]] == table
    assert ["填报信息", "填报日期", "2026-01-15", "填报"] in rows


def test_no_entry_no_year_page_and_the_index_says_so(built):
    result, out = built({"site.yaml": SITE})
    assert result.ok
    main = parse(out / "stats/website/index.html").find(".//main")
    assert "暂无已公开的年度报表" in main.text_content()
    assert not (out / "stats/website/2025").exists()
    assert (out / "care/stats/website/index.html").is_file()


def test_the_example_has_its_2025_report_with_example_figures():
    lines = (REPO / "content/site.yaml").read_text(encoding="utf-8").splitlines()
    at = lines.index("website_report:")
    assert "示例数据" in lines[at - 1]      # the figures say they are made up
    problems = Problems()
    lib = pipeline.read_content(REPO / "content", dt.date(2026, 11, 26), problems)
    assert website_report.years(lib, dt.date(2026, 11, 26)) == [2025]
    rep = website_report.report(lib, 2025, dt.date(2026, 11, 26))
    assert values(rep)["网站基本信息", "网站总访问量（单位：次）"] != "未填报"
