"""留言选登 (type message) and 转载 (type repost): their pages, the 互动交流 page, the 留言办理
statistics, reposts kept out of the county's own 主动公开 figures and 目录, and the asker check."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from conftest import COLUMNS, REPO, SITE, TODAY, item, messages, parse
from gxsite import pipeline
from gxsite.checks import personal, rules
from gxsite.site.sections import interaction, stats

MORE_COLUMNS = COLUMNS + """\
- id: sjwj
  title: 上级政策文件
  parent: zcwj
  select: {type: repost}
- id: lyxd
  title: 留言选登
  select: {type: message}
"""


def message(title, date, asked, n, reply=None, asker="王**", question="小区门口路灯不亮，希望尽快维修。", **fields):
    extra = {"question": question, "asked": asked, **fields}
    if asker:
        extra["asker"] = asker
    if reply:
        extra["reply"] = "{date: %s, org: sfj, text: 已安排维修，路灯已恢复照明。}" % reply
    return item(title, type="message", date=date, index_no=f"11511525008745231K/{date[:4]}-{700 + n:05d}", **extra)


def repost(title="四川省人民政府关于印发某某管理办法的通知", date="2026-09-05", **fields):
    fields = {"doc_no": "川府规〔2026〕3号", "issued": "2026-09-01",
              "source": "{name: 四川省人民政府, url: 'https://www.sc.gov.cn/zcwj/example.html', date: 2026-09-02}",
              **fields}
    return item(title, type="repost", date=date, index_no="11511525008745231K/2026-00800",
                body="各市（州）人民政府：现印发给你们。", **fields)


# Known dates, judged on TODAY (2026-11-26): 2026 has replies after 10 and 20 days, one message
# unanswered since July (over 3 months) and one since November; 2025 has a reply after 20 days
# (given in 2026) and one unanswered since May.
MESSAGES = {
    "items/xzfb/2026/ly-a.md": message("关于路灯维修的留言", "2026-03-12", "2026-03-01", 1, reply="2026-03-11"),
    "items/xzfb/2026/ly-b.md": message("关于道路积水的留言", "2026-06-22", "2026-06-01", 2, reply="2026-06-21",
                                       asker="李先生"),
    "items/xzfb/2026/ly-c.md": message("关于垃圾清运的留言", "2026-07-02", "2026-07-01", 3, asker="匿名"),
    "items/xzfb/2026/ly-d.md": message("关于公交站台的留言", "2026-11-02", "2026-11-01", 4, asker=""),
    "items/xzfb/2026/ly-e.md": message("关于冬季供暖的留言", "2026-01-10", "2025-12-20", 5, reply="2026-01-09",
                                       asker="张女士"),
    "items/xzfb/2025/ly-f.md": message("关于农贸市场的留言", "2025-05-06", "2025-05-05", 6),
}


@pytest.fixture
def site(built):
    result, out = built({"columns.yaml": MORE_COLUMNS, **MESSAGES, "items/xzfb/2026/zz.md": repost()})
    assert result.ok, messages(result)
    return result.lib, out


def main(out, path):
    return parse(out / path / "index.html").xpath("//main")[0]


def text(node) -> str:
    return " ".join(node.text_content().split())


def facts(node) -> dict[str, str]:
    """A section's <dl>: term → value."""
    return {text(d): text(d.getnext()) for d in node.xpath(".//dl/dt")}


# ---- the example's pages ------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "output"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok, messages(result)
    return result.lib, out


@pytest.mark.parametrize("prefix", ["", "care/"])
def test_example_message_page_pairs_question_and_reply_with_dates_org_and_days(example, prefix):
    _, out = example
    page = main(out, prefix + "items/xzfb/2026/ly-qfz-zaoyin")
    ask, reply = page.xpath(".//section[h2='留言']")[0], page.xpath(".//section[h2='答复']")[0]
    assert "工地最近经常在晚上十点以后施工" in text(ask) and "王**" in text(ask)
    assert ask.xpath(".//time/@datetime") == ["2026-10-16"]
    assert "已责令其立即停止夜间施工" in text(reply)
    assert reply.xpath(".//time/@datetime") == ["2026-10-24"]
    assert facts(reply) == {"答复单位": "高县综合行政执法局", "答复日期": "2026年10月24日", "办理用时": "8 天"}
    assert facts(ask) == {"留言人": "王**", "留言日期": "2026年10月16日"}
    assert page.xpath(".//table[contains(@class, 'meta-table')]")          # the 目录 meta table stays
    assert "本留言通过县长信箱收到" in text(page.xpath(".//div[@class='body']")[0])   # and the body


@pytest.mark.parametrize("prefix", ["", "care/"])
def test_example_unanswered_message_says_it_is_being_handled(example, prefix):
    _, out = example
    page = main(out, prefix + "items/xzfb/2026/ly-yibao-jiaofei")
    reply = page.xpath(".//section[h2='答复']")[0]
    assert "正在办理，答复后公布" in text(reply)
    assert reply.xpath(".//time/@datetime") == ["2026-11-18"]
    assert "答复单位" not in text(reply)


@pytest.mark.parametrize("prefix", ["", "care/"])
def test_example_repost_page_says_repost_and_links_its_source(example, prefix):
    _, out = example
    page = main(out, prefix + "items/xzfb/2026/zz-sc-zwfw-yijian")
    note = page.xpath(".//*[@role='note'][.//strong='转载']")[0]
    h1 = page.xpath(".//h1")[0]
    assert h1.getnext() is note                                            # at the top, under the title
    source = note.xpath(".//a")[0]
    assert source.get("href") == "https://www.sc.gov.cn/10462/zfwjts/2026/11/10/example.shtml"
    assert source.text == "四川省人民政府" and "来源：四川省人民政府" in text(note)
    assert note.xpath(".//time/@datetime") == ["2026-11-10"] and "原文发布日期" in text(note)
    meta = {text(th): text(th.getnext()) for th in page.xpath(".//table[contains(@class, 'meta-table')]//th")}
    assert meta["发布机构"] == "高县人民政府办公室"      # the county org that reposted it
    assert meta["文号"] == "川办发〔2026〕41号" and meta["成文日期"] == "2026年11月05日"


def test_example_reposts_are_listed_with_a_label_but_not_in_the_directory(example):
    lib, out = example
    entries = main(out, "columns/sjwj").xpath(".//ul[@class='entries']/li")
    assert len(entries) == 3 and all("转载" in text(li) for li in entries)
    assert not any("转载" in text(li) for li in main(out, "columns/lyxd").xpath(".//ul[@class='entries']/li"))
    directory = text(main(out, "xxgk/mulu"))
    reposts = [i for i in lib.published if i.type == "repost"]
    assert len(reposts) == 3 and not any(i.title in directory for i in reposts)
    assert any(i.title in directory for i in lib.published if i.type == "message")
    feed = (out / "columns/sjwj/feed.xml").read_text(encoding="utf-8")
    assert all(i.title in feed for i in reposts)


def test_example_interaction_page(example):
    _, out = example
    page = main(out, "hudong")
    channels = page.xpath(".//section[h2='咨询建言']")[0]
    assert channels.xpath(".//a[.='县长信箱']/@href") == ["https://www.gaoxian.gov.cn/hudong/xzxx/"]
    assert channels.xpath(".//a[@href='tel:12345']")
    assert "7×24 小时受理咨询" in text(channels)
    rows = [[text(c) for c in tr.xpath("th|td")] for tr in page.xpath(".//table//tbody/tr")]
    assert rows == [["2026年", "3", "2", "11.0"], ["2025年", "1", "1", "21.0"]]
    assert page.xpath(".//a[@href='../columns/lyxd/']")
    assert parse(out / "care/hudong/index.html").xpath("//main//table")


# ---- small trees ----------------------------------------------------------------------------


def test_message_figures_by_year_received(site):
    lib, _ = site
    this, last = (interaction.year_figures(lib, y, TODAY) for y in (2026, 2025))
    assert (this.received, this.replied, this.unanswered, this.average, this.longest, this.overdue) == (4, 2, 2, 15.0, 20, 1)
    assert (last.received, last.replied, last.unanswered, last.average, last.longest, last.overdue) == (2, 1, 1, 20.0, 20, 1)
    dt_date = dt.date.fromisoformat
    # three months to the day: unanswered since 2026-08-26 is not yet overdue on 2026-11-26
    assert rules.add_months(dt_date("2026-08-26"), 3) == TODAY
    assert rules.add_months(dt_date("2026-11-30"), 3) == dt_date("2027-02-28")


def test_stats_page_has_the_message_table(site):
    _, out = site
    for prefix in ("", "care/"):
        section = main(out, prefix + "stats").xpath(".//section[h2='留言办理']")[0]
        head = [text(th) for th in section.xpath(".//thead//th")]
        assert head == ["项目", "2026年", "2025年"]
        rows = {text(tr.xpath("th")[0]): [text(td) for td in tr.xpath("td")] for tr in section.xpath(".//tbody/tr")}
        assert rows == {"收到留言": ["4", "2"], "已答复": ["2", "1"], "未答复": ["2", "1"],
                        "平均办理用时（天）": ["15.0", "20.0"], "最长用时（天）": ["20", "20"],
                        "超过3个月未答复": ["1", "1"]}


def test_interaction_page_on_a_small_tree(site):
    _, out = site
    page = main(out, "hudong")
    assert page.xpath(".//section[h2='咨询建言']//a[.='县长信箱']/@href") == ["https://www.example.gov.cn/hudong/xzxx/"]
    assert page.xpath(".//section[h2='咨询建言']//a[@href='tel:12345']")
    rows = [[text(c) for c in tr.xpath("th|td")] for tr in page.xpath(".//table//tbody/tr")]
    assert rows == [["2026年", "4", "2", "15.0"], ["2025年", "2", "1", "20.0"]]
    assert "已选登公开留言 6 条" in text(page)
    newest = page.xpath(".//section[h2='最新留言']//ul[contains(@class, 'entries')]/li")
    states = {text(li.xpath("a")[0]): text(li.xpath(".//span[contains(@class, 'badge')]")[0]) for li in newest}
    assert states == {"关于公交站台的留言": "办理中", "关于垃圾清运的留言": "办理中", "关于道路积水的留言": "已答复",
                      "关于路灯维修的留言": "已答复", "关于冬季供暖的留言": "已答复", "关于农贸市场的留言": "办理中"}
    assert page.xpath(".//a[@href='../columns/lyxd/']")
    assert not page.xpath(".//a[@href='../columns/sjwj/']")


def test_interaction_page_without_channels_or_messages(built):
    result, out = built({"site.yaml": SITE.split("channels:")[0]})
    assert result.ok, messages(result)
    page = main(out, "hudong")
    assert "咨询建言渠道正在建设中" in text(page) and "暂无选登的留言" in text(page)
    assert [[text(c) for c in tr.xpath("th|td")] for tr in page.xpath(".//table//tbody/tr")] == \
        [["2026年", "0", "0", "—"], ["2025年", "0", "0", "—"]]


def test_small_message_pages_answered_and_not(site):
    _, out = site
    page = main(out, "items/xzfb/2026/ly-e")
    reply = page.xpath(".//section[h2='答复']")[0]
    assert facts(reply) == {"答复单位": "测试县司法局", "答复日期": "2026年01月09日", "办理用时": "20 天"}
    assert page.xpath(".//section[h2='留言']//time/@datetime") == ["2025-12-20"]
    pending = main(out, "items/xzfb/2026/ly-d")
    assert "正在办理，答复后公布" in text(pending)
    assert facts(pending.xpath(".//section[h2='留言']")[0]) == {"留言日期": "2026年11月01日"}   # no asker given


def test_reposts_leave_the_county_counts_and_the_directory_but_stay_in_columns(site):
    lib, out = site
    # the annual report's 行政规范性文件: only the county's own policy (sfj/2026/gfxwj), not the repost
    report = stats.annual(lib, 2026, TODAY)
    made = next(line for b in report.blocks for line in b.lines if line.label == "行政规范性文件")
    assert made.values[0] == "1"
    assert any("转载上级机关文件 1 件" in n and "未计入" in n for n in report.notes)
    assert not any(i.type == "repost" for i in stats.counted(lib))
    view = stats.overview(lib, TODAY)
    assert "转载" not in [r.label for r in view.types]
    own_2026 = sum(1 for i in lib.published if i.listed and i.type not in ("page", "repost") and i.date.year == 2026)
    assert view.total[0] == own_2026 and view.reposts == [1, 0]
    assert "另转载上级机关文件 1 条" in text(main(out, "stats"))
    annual_page = text(main(out, "stats/annual/2026"))
    assert "转载上级机关文件 1 件" in annual_page
    assert "某某管理办法" not in text(main(out, "xxgk/mulu"))
    assert "测试县法律援助实施办法" in text(main(out, "xxgk/mulu"))
    entry = [li for li in main(out, "columns/sjwj").xpath(".//ul[@class='entries']/li") if "某某管理办法" in text(li)]
    assert entry and entry[0].xpath(".//span[contains(@class, 'badge')]")[0].text == "转载"
    assert "某某管理办法" in (out / "feed.xml").read_text(encoding="utf-8")


def test_asker_mask_forms():
    for masked in ("王**", "王*", "李先生", "张女士", "匿名", "网友", "刘某", "赵同志", "热心市民", "王老师"):
        assert not personal.unmasked_asker(masked), masked
    for bare in ("王小明", "李明", "欧阳娜娜", " 张伟 "):
        assert personal.unmasked_asker(bare), bare
    assert not personal.unmasked_asker("庆符镇南广路居民们")   # longer than a name: not judged


def test_unmasked_asker_is_a_reminder_with_file_and_line(tree):
    text_ = message("关于学校周边交通的留言", "2026-10-02", "2026-10-01", 9, asker="王小明")
    content = tree({"items/xzfb/2026/ly-name.md": text_})
    line = text_.splitlines().index("asker: 王小明") + 1
    run = subprocess.run([sys.executable, "-m", "gxsite", "check", "--content", str(content), "--today", "2026-11-26",
                          "--no-links"], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    found = [l for l in (run.stdout + run.stderr).splitlines() if "王小明" in l]
    assert len(found) == 1, run.stderr
    assert found[0].startswith(f"{content}/items/xzfb/2026/ly-name.md:{line}: 提醒：")
    assert "王**" in found[0] and "王先生" in found[0]
    strict = subprocess.run([sys.executable, "-m", "gxsite", "check", "--content", str(content), "--today",
                             "2026-11-26", "--no-links", "--strict"], capture_output=True, text=True, cwd=REPO)
    assert strict.returncode == 1


def test_asker_rule_id_and_masked_askers_pass(built):
    result, _ = built({"columns.yaml": MORE_COLUMNS, **MESSAGES,
                       "items/xzfb/2026/ly-name.md": message("关于停车的留言", "2026-10-02", "2026-10-01", 9,
                                                             asker="李明")})
    reminders = [p for p in result.problems.items if p.rule == "message-asker"]
    assert [(p.path, p.severity) for p in reminders] == [("items/xzfb/2026/ly-name.md", "warning")]


def test_mobile_number_in_a_question_is_caught(built):
    text_ = message("关于噪音的留言", "2026-10-02", "2026-10-01", 10, question="晚上施工噪音大，请回电13812345678。")
    result, _ = built({"items/xzfb/2026/ly-phone.md": text_})
    found = [p for p in result.problems.errors if p.rule == "personal-mobile"]
    line = next(n for n, l in enumerate(text_.splitlines(), 1) if l.startswith("question:"))
    assert [(p.path, p.line) for p in found] == [("items/xzfb/2026/ly-phone.md", line)]
    assert "138****5678" in found[0].message and "13812345678" not in found[0].message
