"""The county plan's tasks as site features: decisions, events, catalogue, officers, policies, hub, home."""
from __future__ import annotations

import csv
import datetime as dt
import io

from conftest import item, messages, parse


def text_of(doc, xpath: str = "//main") -> str:
    return " ".join(doc.xpath(xpath)[0].text_content().split())


def decision(title, opens, closes, date, n, **extra):
    comment = f"{{opens: {opens}, closes: {closes}, email: yj@example.gov.cn, phone: 0831-6500001, address: 测试县某路1号}}"
    return item(title, type="decision", date=date, index_no=f"11511525008745231K/{date[:4]}-0070{n}",
                comment=comment, body="## 草案\n\n草案正文。\n\n## 起草说明\n\n依据和理由。", **extra)


DECISIONS = {
    "items/xzfb/2026/jc-open.md": decision("征求意见中的决策", "2026-11-10", "2026-12-15", "2026-11-10", 1),
    "items/xzfb/2026/jc-later.md": decision("尚未开始的决策", "2026-12-05", "2027-01-10", "2026-11-20", 2),
    "items/xzfb/2026/jc-closed.md": decision("已结束的决策", "2026-06-01", "2026-07-05", "2026-06-01", 3,
                                             feedback="{date: 2026-07-20, text: 共收到意见12条，采纳8条。}"),
    "items/xzfb/2026/jc-nofeedback.md": decision("已结束未反馈的决策", "2026-08-01", "2026-09-05", "2026-11-25", 4),
    "columns.yaml": "- {id: zdjcygk, title: 重大决策预公开, select: {type: decision}}\n- {id: tzgg, title: 通知公告, select: {type: notice}}\n",
}


def test_decision_window_states_and_how_to_comment(built):
    result, out = built(DECISIONS)
    assert result.ok, messages(result)
    open_page = parse(out / "items/xzfb/2026/jc-open/index.html")
    assert "征求意见中（还剩 20 天）" in text_of(open_page)          # 11-26 … 12-15 inclusive
    assert open_page.xpath("//a[@href='mailto:yj@example.gov.cn']")
    assert "0831-6500001" in text_of(open_page) and "测试县某路1号" in text_of(open_page)
    assert "起草说明" in text_of(open_page)
    assert "未开始" in text_of(parse(out / "items/xzfb/2026/jc-later/index.html"))
    closed = parse(out / "items/xzfb/2026/jc-closed/index.html")
    assert "已结束" in text_of(closed)
    feedback = text_of(closed, "//section[@class='feedback']")
    assert "意见采纳情况" in feedback and "采纳8条" in feedback
    assert "正在整理" in text_of(parse(out / "items/xzfb/2026/jc-nofeedback/index.html"), "//section[@class='feedback']")


def test_decision_column_lists_open_consultations_first(built):
    _, out = built(DECISIONS)
    doc = parse(out / "columns/zdjcygk/index.html")
    titles = doc.xpath("//main//ul[@class='entries']/li/a/text()")
    assert titles[0] == "征求意见中的决策"
    titles += parse(out / "columns/zdjcygk/page/2/index.html").xpath("//main//ul[@class='entries']/li/a/text()")
    assert set(titles) == {"征求意见中的决策", "尚未开始的决策", "已结束的决策", "已结束未反馈的决策"}
    home = parse(out / "index.html")
    assert home.xpath("//section[@class='consultations']//a/text()") == ["征求意见中的决策"]


def test_window_changes_with_today(built):
    _, out = built(DECISIONS, today=dt.date(2026, 12, 15))
    assert "还剩 1 天" in text_of(parse(out / "items/xzfb/2026/jc-open/index.html"))
    _, out = built(DECISIONS, today=dt.date(2026, 12, 16))
    assert "已结束" in text_of(parse(out / "items/xzfb/2026/jc-open/index.html"))


EVENTS = {
    "items/xzfb/2025/kfr.md": item("2025年政府开放日", type="open_day", date="2025-09-10",
                                   index_no="11511525008745231K/2025-00800", event_date="2025-09-09",
                                   place="县政府常务会议室",
                                   participants="[{group: 人大代表, count: 5}, {group: 群众代表, count: 12}]"),
    "items/sfj/2026/jdt1.md": item("局长进大厅（一）", type="hall_visit", org="sfj", date="2026-03-03",
                                   index_no="11511525MB1234567X/2026-00801", event_date="2026-03-02",
                                   leader="{name: 李某, title: 县司法局局长}", hours="4",
                                   problems="[{issue: 窗口排队长, action: 增开窗口, status: 已解决}, {issue: 指引不清, status: 办理中, due: 2026-04-01}]"),
    "items/sfj/2026/jdt2.md": item("局长进大厅（二）", type="hall_visit", org="sfj", date="2026-08-03",
                                   index_no="11511525MB1234567X/2026-00802", event_date="2026-08-01",
                                   leader="{name: 李某, title: 县司法局局长}", hours="4.5"),
}


def test_event_pages_and_yearly_overview(built):
    result, out = built(EVENTS)
    assert result.ok, messages(result)
    visit = parse(out / "items/sfj/2026/jdt1/index.html")
    assert "李某" in text_of(visit) and "4 小时" in text_of(visit)
    rows = visit.xpath("//table[contains(caption, '发现的问题')]/tbody/tr")
    assert [r.xpath("string(th)") for r in rows] == ["窗口排队长", "指引不清"]
    assert "已解决 1 项，办理中 1 项" in visit.xpath("string(//table[contains(caption, '发现的问题')]/caption)")
    day = parse(out / "items/xzfb/2025/kfr/index.html")
    assert "县政府常务会议室" in text_of(day) and "17 人" in text_of(day)
    overview = parse(out / "events/index.html")
    rows = {r.xpath("string(th)"): [" ".join(td.text_content().split()) for td in r.xpath("td")]
            for r in overview.xpath("//table/tbody/tr")}
    assert rows["测试县人民政府办公室"][0] == "2025年 1 次"
    assert rows["测试县司法局"][1] == "2026年上半年 1 次；2026年下半年 1 次"
    assert rows["测试县司法局"][2:] == ["1", "1"]


CATALOG = """\
domain: ggflfw
entries:
  - name: 法律援助
    content: 法律援助的范围、条件、程序、机构及联系方式
    basis: 《中华人民共和国法律援助法》
    time_limit: 信息形成或者变更之日起20个工作日内
    subject: sfj
    method: 主动公开
    channels: [政府网站, 政务公开专区]
    audience: 全社会
    level: 县级
    column: xczx
  - name: 人民调解
    content: 人民调解组织名录
    subject: sfj
    method: 依申请公开
    channels: [政府网站]
    audience: 特定群体
    level: 县乡两级
"""


def test_catalog_page_and_csv(built):
    result, out = built({"data/catalog/ggflfw.yaml": CATALOG})
    assert result.ok, messages(result)
    doc = parse(out / "catalog/index.html")
    table = doc.xpath("//table[contains(@class, 'catalog')]")[0]
    headers = [th.text_content() for th in table.xpath("thead/tr/th")]
    assert headers[:9] == ["事项名称", "公开内容", "公开依据", "公开时限", "公开主体", "公开方式", "公开渠道", "公开对象", "公开层级"]
    first = table.xpath("tbody/tr")[0]
    assert first.xpath("string(th)") == "法律援助"
    cells = [td.text_content() for td in first.xpath("td")]
    assert cells[3] == "测试县司法局" and cells[5] == "政府网站、政务公开专区"
    link = first.xpath("td[last()]/a")[0]
    assert (out / "catalog" / link.get("href")).resolve() == (out / "columns/xczx").resolve()
    assert "（2条）" in first.xpath("string(td[last()])")
    assert "公共法律服务" in text_of(doc) and "测试县司法局" in text_of(doc)
    raw = (out / "catalog/catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][2:11] == ["事项名称", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开方式", "公开渠道", "公开对象", "公开层级"]
    assert len(rows) == 3 and rows[1][2] == "法律援助" and rows[2][10] == "县乡两级"
    href = doc.xpath("//a[@download]/@href")[0]
    assert (out / "catalog" / href).resolve() == (out / "catalog/catalog.csv").resolve()


OFFICERS = """\
- {name: 王某某, post: 科员, cert_no: "51152500123", category: 司法行政, area: 全县}
- {name: 李某, post: 股长, cert_no: "51152500124", category: 司法行政, area: 庆符镇}
"""


def test_officers_table(built):
    result, out = built({"data/officers/sfj.yaml": OFFICERS})
    assert result.ok, messages(result)
    doc = parse(out / "officers/index.html")
    table = doc.xpath("//main//table")[0]   # the toolbar's shortcut table comes first in the page
    assert [th.text_content() for th in table.xpath("thead/tr/th")] == ["姓名", "单位", "职务", "执法证号", "执法类别", "执法区域"]
    rows = [[c.text_content() for c in tr.xpath("th|td")] for tr in table.xpath("tbody/tr")]
    assert rows[0] == ["王某某", "县司法局", "科员", "51152500123", "司法行政", "全县"]
    assert rows[1][5] == "庆符镇"
    assert table.xpath("caption")


def test_invalid_officer_record_is_an_error(built):
    result, _ = built({"data/officers/sfj.yaml": "- {name: 王某, post: 科员}\n"})
    assert any("cert_no" in m and m.startswith("data/officers/sfj.yaml:1:") for m in messages(result))


ENFORCEMENT = {
    "items/sfj/2026/cf.md": item("行政处罚决定书（某某公司）", type="enforcement", org="sfj", date="2026-11-05",
                                 index_no="11511525MB1234567X/2026-00901", stage="事后", decision_date="2026-11-02",
                                 case_no="测司罚〔2026〕3号", action="行政处罚", party="测试县某某商贸有限公司"),
    "items/sfj/2026/cf-ch.md": item("行政处罚决定书（张某）", type="enforcement", org="sfj", date="2026-10-05",
                                    index_no="11511525MB1234567X/2026-00902", stage="事后", decision_date="2026-10-01",
                                    action="行政处罚", party="张某",
                                    withdrawn="{date: 2026-10-20, reason: 经复议撤销原处罚决定}"),
    "items/sfj/2026/sq.md": item("行政执法事项清单", type="enforcement", org="sfj", date="2026-01-05",
                                 index_no="11511525MB1234567X/2026-00903", stage="事前"),
    "columns.yaml": """\
- {id: xzzf, title: 行政执法信息集中公开, select: {type: enforcement}}
- {id: sq, title: 事前公开, parent: xzzf, select: {type: enforcement, stage: 事前}}
- {id: sh, title: 事后公开, parent: xzzf, select: {type: enforcement, stage: 事后}}
""",
}


def test_enforcement_grouped_and_withdrawn_decisions_leave_listings(built):
    result, out = built(ENFORCEMENT)
    assert result.ok, messages(result)
    page = parse(out / "items/sfj/2026/cf/index.html")
    fields = text_of(page, "//dl[@class='fields']")
    assert "测司罚〔2026〕3号" in fields and "行政处罚" in fields and "2026年11月02日" in fields
    assert parse(out / "columns/sh/index.html").xpath("//main//ul[@class='entries']/li/a/text()") == ["行政处罚决定书（某某公司）"]
    assert parse(out / "columns/sq/index.html").xpath("//main//ul[@class='entries']/li/a/text()") == ["行政执法事项清单"]
    withdrawn = parse(out / "items/sfj/2026/cf-ch/index.html")
    assert "已于 2026年10月20日 撤回" in text_of(withdrawn) and "经复议撤销原处罚决定" in text_of(withdrawn)
    for listing in list(out.glob("columns/**/index.html")) + list(out.glob("orgs/**/index.html")) + [out / "index.html"]:
        assert "张某" not in listing.read_text(encoding="utf-8"), listing


POLICIES = {
    "items/xzfb/2024/old.md": item("测试县旧办法", type="policy", date="2024-03-01", index_no="11511525008745231K/2024-00001",
                                   doc_no="测府规〔2024〕1号", issued="2024-02-27", category="规范性文件",
                                   status="已废止", repealed="2026-05-01", replaced_by="xzfb/2026/new"),
    "items/xzfb/2026/new.md": item("测试县新办法", type="policy", date="2026-05-01", index_no="11511525008745231K/2026-00011",
                                   doc_no="测府规〔2026〕1号", issued="2026-04-28", category="规范性文件"),
    "items/xzfb/2026/new-jd.md": item("《测试县新办法》政策解读", type="interpretation", date="2026-05-02",
                                      index_no="11511525008745231K/2026-00012", interprets="xzfb/2026/new",
                                      interpreter="{name: 王某, title: 县政府办公室副主任, phone: 0831-6500002}", form="图解"),
    "items/xzfb/2026/plan.md": item("2026年民生实事", type="plan", date="2026-02-01", index_no="11511525008745231K/2026-00013",
                                    period="'2026'", kind="民生实事"),
    "items/xzfb/2026/p1.md": item("民生实事一季度进展", type="progress", date="2026-04-01", index_no="11511525008745231K/2026-00014",
                                  of="xzfb/2026/plan", percent="25"),
    "items/xzfb/2026/p2.md": item("民生实事三季度进展", type="progress", date="2026-10-01", index_no="11511525008745231K/2026-00015",
                                  of="xzfb/2026/plan", percent="80"),
    "items/xzfb/2026/fund.md": item("2026年耕地地力保护补贴发放", type="fund", date="2026-06-01",
                                    index_no="11511525008745231K/2026-00016", program="耕地地力保护补贴", amount="1234567.5"),
    "items/xzfb/2026/warn.md": item("地质灾害气象风险黄色预警", type="warning", date="2026-11-24",
                                    index_no="11511525008745231K/2026-00017", level="黄色", valid_until="2026-11-30", hazard="地质灾害"),
    "items/xzfb/2026/warn-red.md": item("暴雨红色预警", type="warning", date="2026-11-25",
                                        index_no="11511525008745231K/2026-00018", level="红色", valid_until="2026-11-27"),
    "items/xzfb/2026/warn-old.md": item("森林火险橙色预警", type="warning", date="2026-03-01",
                                        index_no="11511525008745231K/2026-00019", level="橙色", valid_until="2026-03-10"),
}


def test_policy_validity_banner_and_interpretation_both_ways(built):
    result, out = built(POLICIES)
    assert result.ok, messages(result)
    old = parse(out / "items/xzfb/2024/old/index.html")
    banner = old.xpath("//div[@class='notice-banner']")[0]
    assert "本文件已废止" in banner.text_content()
    href = banner.xpath(".//a/@href")[0]
    assert (out / "items/xzfb/2024/old" / href).resolve() == (out / "items/xzfb/2026/new").resolve()
    new = parse(out / "items/xzfb/2026/new/index.html")
    links = new.xpath("//section[h2='政策解读']//a/@href")
    assert (out / "items/xzfb/2026/new" / links[0]).resolve() == (out / "items/xzfb/2026/new-jd").resolve()
    jd = parse(out / "items/xzfb/2026/new-jd/index.html")
    assert "王某" in text_of(jd, "//dl[@class='fields']") and "0831-6500002" in text_of(jd) and "图解" in text_of(jd)
    back = jd.xpath("//section[h2='解读的政策文件']//a/@href")[0]
    assert (out / "items/xzfb/2026/new-jd" / back).resolve() == (out / "items/xzfb/2026/new").resolve()


def test_plan_shows_latest_progress_and_fund_amount(built):
    _, out = built(POLICIES)
    plan = parse(out / "items/xzfb/2026/plan/index.html")
    assert "最新进度80%" in text_of(plan, "//dl[@class='fields']")
    assert len(plan.xpath("//section[h2='推进情况']//li")) == 2
    fund = text_of(parse(out / "items/xzfb/2026/fund/index.html"), "//dl[@class='fields']")
    assert "耕地地力保护补贴" in fund and "1,234,567.50 元" in fund


def test_valid_warnings_banner_on_every_page_most_severe_first(built):
    _, out = built(POLICIES)
    for page in out.rglob("*.html"):
        doc = parse(page)
        banners = doc.xpath("//section[@class='warnings']/div[contains(@class, 'warning')]/a/text()")
        assert banners == ["暴雨红色预警", "地质灾害气象风险黄色预警"], page
    _, out = built(POLICIES, today=dt.date(2026, 12, 1))
    assert not parse(out / "index.html").xpath("//section[@class='warnings']")


def test_disclosure_hub_and_directory(built):
    extra = {
        **POLICIES,
        "columns.yaml": """\
- {id: zcwj, title: 政策文件, select: {type: policy}}
- {id: gfxwj, title: 行政规范性文件, parent: zcwj, select: {type: policy, category: 规范性文件}}
- {id: zcjd, title: 政策解读, select: {type: interpretation}}
- {id: xxgkzn, title: 政府信息公开指南}
- {id: ndbg, title: 政府信息公开工作年度报告, select: {type: report}}
""",
        "items/xzfb/2026/zhinan.md": item("测试县政府信息公开指南", type="page", columns="[xxgkzn]",
                                          index_no="11511525008745231K/2026-00050"),
    }
    result, out = built(extra)
    assert result.ok, messages(result)
    hub = parse(out / "xxgk/index.html")
    headings = hub.xpath("//main//h2/text()")
    for part in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开工作年度报告"):
        assert part in headings
    assert "测试县政府信息公开指南" in hub.xpath("//section[@aria-labelledby='hub-guide']//a/text()")
    statutory = {r.xpath("string(th)"): r.xpath("td/a/text()") for r in hub.xpath("//section[@aria-labelledby='statutory-h']//tbody/tr")}
    assert statutory["行政法规、规章和行政规范性文件"] == ["政策文件"]   # not its child again
    assert statutory["政策解读"] == ["政策解读"]
    directory = parse(out / "xxgk/mulu/index.html")
    table = directory.xpath("//table[@data-sortable]")[0]
    assert [th.text_content() for th in table.xpath("thead/tr/th")] == ["索引号", "标题", "发布机构", "文号", "发布日期"]
    dates = table.xpath("tbody/tr/td[5]/time/@datetime")
    assert dates == sorted(dates, reverse=True) and len(dates) == len(result.lib.published)
    assert directory.xpath("//script[contains(@src, 'assets/sort.js')]")
    assert (out / "assets/sort.js").is_file()


def test_home_page_entry_points(built):
    _, out = built(POLICIES)
    home = parse(out / "index.html")
    targets = home.xpath("//nav[@aria-label='便民入口']//a/@href")
    resolved = {(out / t).resolve() for t in targets}
    for path in ("search", "catalog", "services", "map", "care", "xxgk", "handbook"):
        assert (out / path).resolve() in resolved, path
    latest = home.xpath("//section[@aria-labelledby='latest-h']//li/a/text()")
    assert latest[0] == "暴雨红色预警" and len(latest) <= 10


def test_every_domain_has_a_page_with_its_responsible_org(built):
    from conftest import DOMAINS
    result, out = built({**EVENTS, "domains.yaml": DOMAINS + "- {id: aqsc, name: 安全生产, org: sfj}\n"})
    assert result.ok, messages(result)
    empty = parse(out / "domains/aqsc/index.html")        # no item names aqsc
    assert "责任单位：测试县司法局" in text_of(empty)
    assert "暂无信息" in text_of(empty)
    assert not [a for a in empty.xpath("//main//a/@href") if "catalog" in a]   # no catalogue entries yet
    result, out = built({**EVENTS, "domains.yaml": DOMAINS + "- {id: aqsc, name: 安全生产, org: sfj}\n",
                         "data/catalog/aqsc.yaml": "domain: aqsc\nentries:\n  - {name: 安全生产检查, subject: sfj}\n"})
    anchor = [a for a in parse(out / "domains/aqsc/index.html").xpath("//main//a/@href") if "catalog" in a][0]
    assert anchor.endswith("#domain-aqsc")


def test_column_pages_link_their_overviews(built):
    extra = dict(EVENTS)
    extra["columns.yaml"] = ("- {id: jzjdt, title: 局长进大厅, select: {type: hall_visit}}\n"
                             "- {id: xzzf, title: 行政执法, select: {type: enforcement}}\n")
    extra.update({k: v for k, v in ENFORCEMENT.items() if k != "columns.yaml"})
    _, out = built(extra)
    hrefs = parse(out / "columns/jzjdt/index.html").xpath("//main//a/@href")
    assert any(h.endswith("events/") for h in hrefs)
    assert any(h.endswith("officers/") for h in parse(out / "columns/xzzf/index.html").xpath("//main//a/@href"))
