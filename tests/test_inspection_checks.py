"""The inspection's veto items (国办秘函〔2019〕19号) as reminders with file and line: 办事指南要素,
咨询建言 channels, messages left unanswered, the footer's 网站标识码 and the yearly 网站工作报表."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from conftest import REPO, SITE, TODAY, item, parse
from gxsite import pipeline
from gxsite.checks import rules
from gxsite.core.problems import ERROR, WARNING, Problems

D = dt.date

COMPLETE = """\
name: 法律援助申请
kind: 公共服务
basis: [《法律援助法》]
conditions: 经济困难的公民
materials: [{name: 申请表, copies: 1}]
steps: [申请, 审查, 指派]
fee: 不收费
phone: 0831-6500003
address: 测试县某某路3号法律援助中心
hours: 周一至周五 9:00-17:00
"""

# Names only; the place gives 办理地点, 办理时间 and 联系电话
AT_PLACE = COMPLETE.replace("phone: 0831-6500003\n", "").replace("address: 测试县某某路3号法律援助中心\n", "") \
    .replace("hours: 周一至周五 9:00-17:00\n", "")

PLACES = """\
- id: zwfwzx
  name: 测试县政务服务中心
  address: 测试县某某路2号
  hours: 周一至周五 9:00-17:00
  phone: 0831-6500001
  services: [sfj/zxzx]
"""

# the footer identity complete: no site-identity reminder
IDENTITY = SITE + """\
icp: 蜀ICP备00000000号-1
police_record: 川公网安备51152500000000号
conac: {image: images/conac.svg, url: "https://bszs.conac.cn/sitename?method=show&id=1"}
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def run(tree, extra=None, today=TODAY, base=True):
    content = tree({"images/conac.svg": SVG, "site.yaml": IDENTITY, **(extra or {})}, base)
    problems = Problems()
    lib = pipeline.read_content(content, today, problems)
    return problems, lib


def found(problems, rule, severity=WARNING):
    return [p for p in problems.items if p.rule == rule and p.severity == severity]


def gxsite(*args):
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=300)


def message(asked: str, reply: str | None = None, date: str = "2026-11-01") -> str:
    fields = {"question": "村道路灯坏了，什么时候修？", "asked": asked}
    if reply:
        fields["reply"] = f"{{date: {reply}, org: qfz, text: 已于近日修复。}}"
    return item("关于村道路灯的留言", type="message", date=date, **fields)


# ---- 办事指南 -----------------------------------------------------------------------------


def test_a_complete_guide_and_one_completed_by_its_place_have_no_reminder(tree):
    problems, lib = run(tree, {"data/services/sfj/flyz.yaml": COMPLETE, "data/services/sfj/zxzx.yaml": AT_PLACE,
                               "data/places.yaml": PLACES})
    assert len(lib.services) == 2
    assert found(problems, "service-incomplete") == []


def test_each_missing_element_is_named_with_its_key_on_one_line(tree):
    problems, _ = run(tree, {"data/services/sfj/flyz.yaml": "# 法律援助\nname: 法律援助申请\nbasis: [《法律援助法》]\n"
                                                           "phone: 0831-6500003\n"})
    p, = found(problems, "service-incomplete")
    assert (p.path, p.line) == ("data/services/sfj/flyz.yaml", 1)
    assert p.message == ("办事指南缺少 申请条件（conditions）、办理材料（materials）、办理地点（address，或在 places.yaml "
                         "中列出办理场所）、收费标准（fee）、办理时间（hours，或办理场所的 hours）、办理流程（steps）："
                         "办事指南要素不全是检查指标的单项否决项")
    assert "联系电话" not in p.message and "设定依据" not in p.message


def test_a_place_without_address_does_not_give_the_guide_one(tree):
    places = PLACES.replace("  address: 测试县某某路2号\n", "").replace("  phone: 0831-6500001\n", "")
    problems, _ = run(tree, {"data/services/sfj/zxzx.yaml": AT_PLACE, "data/places.yaml": places})
    p, = found(problems, "service-incomplete")
    assert p.path == "data/services/sfj/zxzx.yaml"
    assert "办理地点（address，或为 places.yaml 中列出本事项的办理场所填写 address）" in p.message
    assert "联系电话（phone，或办理场所的 phone）" in p.message and "办理时间" not in p.message


def test_the_service_page_shows_its_own_address_and_hours(built):
    result, out = built({"data/services/sfj/flyz.yaml": COMPLETE})
    assert result.ok
    main = parse(out / "services/sfj/flyz/index.html").find(".//main")
    got = {d.text_content().strip(): " ".join(d.getnext().text_content().split()) for d in main.iter("dt")}
    assert got["办理地点"] == "测试县某某路3号法律援助中心"
    assert got["办理时间"] == "周一至周五 9:00-17:00"
    handbook = parse(out / "handbook/index.html").get_element_by_id("svc-sfj_flyz")
    assert "测试县某某路3号法律援助中心" in handbook.text_content()


# ---- 咨询建言 and messages ----------------------------------------------------------------


def test_no_channels_is_a_reminder_on_site_yaml(tree):
    site = IDENTITY.split("channels:")[0] + IDENTITY.split('phone: "12345"}\n')[1]
    assert "channels" not in site and "icp" in site
    problems, _ = run(tree, {"site.yaml": site})
    p, = found(problems, "channels-missing")
    assert p.path == "site.yaml" and "领导信箱" in p.message and "12345" in p.message and "channels" in p.message
    problems, _ = run(tree)
    assert found(problems, "channels-missing") == []


@pytest.mark.parametrize("asked, today, late", [
    ("2026-08-26", D(2026, 11, 26), False),     # three months to the day: still in time
    ("2026-08-25", D(2026, 11, 26), True),      # one day more
    ("2026-08-27", D(2026, 11, 26), False),
    ("2026-11-30", D(2027, 2, 28), False),      # no 30 February: due the 28th
    ("2026-11-30", D(2027, 3, 1), True),
    ("2027-11-30", D(2028, 2, 29), False),      # leap year
    ("2027-11-30", D(2028, 3, 1), True),
])
def test_unanswered_after_three_calendar_months(tree, asked, today, late):
    path = f"items/xzfb/{asked[:4]}/ly.md"
    problems, lib = run(tree, {path: message(asked, date=asked)}, today=today)
    hits = found(problems, "message-unanswered")
    if not late:
        assert hits == []
        return
    p, = hits
    msg = lib.items[f"xzfb/{asked[:4]}/ly"]
    assert (p.path, p.line) == (path, msg.lines["asked"])
    assert "已超过 3 个月未答复" in p.message and "reply:" in p.message


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert rules.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert rules.add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)
    assert rules.add_months(D(2026, 10, 31), 3) == D(2027, 1, 31)
    assert rules.add_months(D(2026, 5, 31), 3) == D(2026, 8, 31)


def test_an_answered_message_is_not_unanswered_but_a_late_reply_is_reminded(tree):
    problems, lib = run(tree, {"items/xzfb/2026/ly.md": message("2026-05-10", reply="2026-08-10"),
                               "items/xzfb/2026/ly2.md": message("2026-05-10", reply="2026-08-11")})
    assert found(problems, "message-unanswered") == []
    p, = found(problems, "message-late-reply")
    assert (p.path, p.line) == ("items/xzfb/2026/ly2.md", lib.items["xzfb/2026/ly2"].lines["reply"])
    assert "2026-08-10 前答复" in p.message


def test_a_reply_dated_after_today_is_no_reply_yet(tree):
    problems, lib = run(tree, {"items/xzfb/2026/ly.md": message("2026-07-01", reply="2026-12-01")})
    assert len(found(problems, "message-unanswered")) == 1
    p, = found(problems, "message-reply-date")   # the page shows it already: most likely a mistyped date
    assert (p.path, p.line) == ("items/xzfb/2026/ly.md", lib.items["xzfb/2026/ly"].lines["reply"])
    assert "2026-12-01 晚于今天" in p.message
    problems, _ = run(tree, {"items/xzfb/2026/ly.md": message("2026-07-01", reply="2026-12-01")}, today=D(2026, 12, 1))
    assert found(problems, "message-unanswered") == [] and found(problems, "message-late-reply") != []
    assert found(problems, "message-reply-date") == []


def test_a_message_not_published_yet_is_not_judged(tree):
    problems, _ = run(tree, {"items/xzfb/2026/ly.md": message("2026-01-05", date="2026-12-20")})
    assert found(problems, "message-unanswered") == []


# ---- 网站标识码 --------------------------------------------------------------------------


def test_footer_identity_complete_has_no_reminder(tree):
    problems, _ = run(tree)
    assert found(problems, "site-identity") == []


def test_missing_identity_is_listed_on_one_line(tree):
    problems, _ = run(tree, {"site.yaml": SITE.replace('site_code: "5115250001"\n', "")})
    p, = found(problems, "site-identity")
    assert p.path == "site.yaml"
    assert "网站标识码（site_code）、ICP备案号（icp）、公安机关备案号（police_record）、党政机关网站标识（conac）" in p.message
    problems, _ = run(tree, {"site.yaml": SITE})     # the code given: only the rest
    p, = found(problems, "site-identity")
    assert "网站标识码（site_code）" not in p.message and "页脚还缺少 ICP备案号（icp）" in p.message


def test_placeholders_of_gxsite_init_count_as_missing(tree):
    site = IDENTITY.replace('"5115250001"', '"511525XXXX"').replace("蜀ICP备00000000号-1", "（待填写：ICP备案号）")
    problems, _ = run(tree, {"site.yaml": site})
    p, = found(problems, "site-identity")
    assert "网站标识码（site_code）、ICP备案号（icp）：" in p.message


def test_site_code_of_another_division_is_its_own_reminder(tree):
    problems, _ = run(tree, {"site.yaml": IDENTITY.replace('"5115250001"', '"5115260001"')})
    p, = found(problems, "site-identity")
    assert "“5115260001”的前 6 位应为本地行政区划代码 511525" in p.message
    both = IDENTITY.replace('"5115250001"', '"5115260001"').replace("icp: 蜀ICP备00000000号-1\n", "")
    problems, _ = run(tree, {"site.yaml": both})
    assert len(found(problems, "site-identity")) == 2


# ---- 政府网站工作年度报表 -------------------------------------------------------------------


def report_site(block: str) -> str:
    return IDENTITY + "website_report:\n" + block


def test_report_missing_after_31_january_only(tree):
    problems, _ = run(tree, today=D(2026, 1, 31))
    assert found(problems, "website-report-missing") == []
    problems, _ = run(tree, today=D(2026, 2, 1))
    p, = found(problems, "website-report-missing")
    assert p.path == "site.yaml" and "2025 年的政府网站工作年度报表" in p.message and "2026-01-31" in p.message
    problems, _ = run(tree, {"site.yaml": report_site("  2025:\n    page_views: 1000\n")}, today=D(2026, 2, 1))
    assert found(problems, "website-report-missing") == []
    problems, _ = run(tree, {"site.yaml": report_site('  "2025":\n    page_views: 1000\n')}, today=D(2026, 2, 1))
    assert found(problems, "website-report-missing") == []


def test_no_report_is_due_for_a_site_without_items_of_last_year(tree):
    items = {"items/xzfb/2026/a.md": item("通知甲", date="2026-03-01")}
    problems, lib = run(tree, items, today=D(2026, 11, 26), base=False)
    assert lib.published and found(problems, "website-report-missing") == []
    problems, _ = run(tree, items, today=D(2027, 2, 1), base=False)
    assert len(found(problems, "website-report-missing")) == 1


def test_report_keys_are_checked_with_their_lines(tree):
    block = ("  2025:\n"               # line n+1
             "    page_views: 1000\n"
             "    pageviews: 12\n"      # unknown: a reminder with the suggestion
             "    security_checks: 十二\n"   # wrong type: an error
             "    smart_qa: 是\n"
             "    weibo: {name: 测试发布, posts: many}\n"
             "  二〇二五:\n"
             "    page_views: 1\n")
    site = report_site(block)
    first = site.splitlines().index("  2025:") + 1
    problems, _ = run(tree, {"site.yaml": site})
    unknown = [p for p in found(problems, "website-report") if "pageviews" in p.message]
    assert [(p.path, p.line) for p in unknown] == [("site.yaml", first + 2)]
    assert "是不是“page_views”" in unknown[0].message
    errors = {p.line: p.message for p in found(problems, "website-report", ERROR)}
    assert set(errors) == {first + 3, first + 4, first + 5}
    assert "安全检测评估次数（security_checks）应为不小于 0 的整数" in errors[first + 3]
    assert "true（是）或 false（否）" in errors[first + 4]
    year, = [p for p in found(problems, "website-report") if "二〇二五" in p.message]
    assert year.line == first + 6 and "不是年份" in year.message


def test_figures_that_cannot_be_are_reminded(tree):
    block = ("  2025:\n    security_issues: 3\n    security_fixed: 5\n    cases_total: 10\n    cases_person: 8\n"
             "    cases_legal: 5\n    filed: 2026-02-10\n    leader_interpretations: 2\n")
    site = report_site(block)
    first = site.splitlines().index("  2025:") + 1
    problems, _ = run(tree, {"site.yaml": site})
    lines = {p.line: p.message for p in found(problems, "website-report")}
    assert "问题整改数量不能多于发现问题数量" in lines[first + 2]
    assert "多于办件量总数" in lines[first + 4]
    assert "晚于 2026-01-31" in lines[first + 6]
    assert "主要负责同志解读（2 篇）多于网站当年发布的政策解读（0 条）" in lines[first + 7]


# ---- through the command line ---------------------------------------------------------


def test_check_prints_the_reminders_and_strict_fails(tree):
    content = tree({"images/conac.svg": SVG, "site.yaml": IDENTITY,
                    "data/services/sfj/flyz.yaml": "name: 法律援助申请\nbasis: [《法律援助法》]\n",
                    "items/xzfb/2026/ly.md": message("2026-07-01", date="2026-07-02")})
    run = gxsite("check", "--content", content, "--today", "2026-11-26", "--no-links")
    assert run.returncode == 0, run.stderr
    out = run.stdout + run.stderr
    assert "data/services/sfj/flyz.yaml:1: 提醒：办事指南缺少 申请条件（conditions）" in out
    assert "items/xzfb/2026/ly.md:" in out and "已超过 3 个月未答复" in out
    strict = gxsite("check", "--content", content, "--today", "2026-11-26", "--no-links", "--strict")
    assert strict.returncode == 1


def test_example_passes_the_strict_check():
    run = gxsite("check", "--today", "2026-11-26", "--strict")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    assert "0 个错误，0 条提醒" in run.stdout
