"""The rules of rules.md: each with a tree that passes and one that fails, dates pinned by --today."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from conftest import REPO, TODAY, item
from gxsite import pipeline
from gxsite.core.problems import ERROR, WARNING, Problems
from gxsite.checks.rules import Calendar, load as load_rules

D = dt.date


def run(tree, extra=None, today=TODAY, base=True):
    """Load, resolve, route and check a tree: (problems, library)."""
    content = tree(extra, base)
    problems = Problems()
    lib = pipeline.read_content(content, today, problems)
    return problems, lib


def found(problems, rule, path=None, severity=None):
    return [p for p in problems.items if p.rule == rule and (path is None or p.path == path)
            and (severity is None or p.severity == severity)]


def policy(title, date, category="规范性文件", org="xzfb", **fields):
    fields.setdefault("doc_no", f"测府规〔{date[:4]}〕{abs(hash(title)) % 90 + 1}号")
    fields.setdefault("issued", date)
    return item(title, type="policy", org=org, date=date, category=category, **fields)


def interpretation(title, date, interprets, org="xzfb"):
    return item(title, type="interpretation", org=org, date=date, interprets=interprets,
                interpreter="{name: 王某, title: 股长, phone: 0831-6502106}")


# ---- the working-day calendar ------------------------------------------------------------


def test_calendar_knows_adjusted_working_days_and_holidays():
    cal = Calendar()
    assert cal.is_workday(D(2026, 10, 10))       # a Saturday, 调休 after National Day
    assert cal.is_workday(D(2026, 9, 20))        # a Sunday, 调休
    assert not cal.is_workday(D(2026, 10, 5))    # a Monday in the National Day holiday
    assert not cal.is_workday(D(2026, 11, 28))   # an ordinary Saturday
    assert cal.add(D(2026, 9, 30), 3) == D(2026, 10, 10)   # 10-08, 10-09, then Saturday 10-10
    assert cal.add(D(2026, 9, 18), 3) == D(2026, 9, 22)    # Sunday 9-20 counts
    assert cal.between(D(2026, 9, 30), D(2026, 10, 12)) == 4


def test_calendar_outside_the_package_falls_back_to_weekdays_and_says_so(tree):
    cal = Calendar()
    assert cal.is_workday(D(2099, 6, 1)) and not cal.is_workday(D(2099, 6, 6))
    problems, _ = run(tree, today=D(2099, 1, 5))
    assert found(problems, "calendar") and "2099" in found(problems, "calendar")[0].message


def test_site_rules_override_thresholds_and_calendar(tree):
    site = ("title: 测试县人民政府\nbase_url: https://www.example.gov.cn/\nrules:\n  interpretation_workdays: 5\n"
            "  comment_dayz: 10\n  feedback_days: -1\n  workdays: [2026-11-28]\n")
    problems, lib = run(tree, {"site.yaml": site})
    rules = load_rules(lib.site)
    assert rules.interpretation_workdays == 5 and rules.feedback_days == 30
    assert rules.calendar.is_workday(D(2026, 11, 28))
    assert "comment_days" in found(problems, "rules-config")[0].message       # a typo: suggests the key
    assert any("feedback_days" in p.message and p.line == 6 for p in problems.errors)


# ---- policy interpretation (国办发〔2016〕80号) ------------------------------------------


@pytest.mark.parametrize("published, interpreted, late", [
    ("2026-11-13", "2026-11-18", False),   # Friday + 3 working days = Wednesday
    ("2026-11-13", "2026-11-19", True),
    ("2026-09-18", "2026-09-22", False),   # the Sunday 9-20 is a working day (调休)
    ("2026-09-18", "2026-09-23", True),    # on weekdays alone this would still be in time
    ("2026-09-30", "2026-10-10", False),   # National Day holiday, then the Saturday working day
    ("2026-09-30", "2026-10-12", True),
])
def test_interpretation_within_three_working_days(tree, published, interpreted, late):
    problems, _ = run(tree, {
        f"items/xzfb/{published[:4]}/gz.md": policy("测试县某某管理办法", published),
        f"items/xzfb/{interpreted[:4]}/gz-jd.md": interpretation("《测试县某某管理办法》解读", interpreted,
                                                                f"xzfb/{published[:4]}/gz"),
    })
    hits = found(problems, "interpretation-late")
    assert bool(hits) == late, [str(p) for p in hits]
    if late:
        assert hits[0].path == f"items/xzfb/{interpreted[:4]}/gz-jd.md" and hits[0].line == 5
        assert hits[0].severity == WARNING


def test_missing_interpretation_is_a_reminder_once_due_and_a_deadline_before(tree):
    problems, lib = run(tree, {"items/xzfb/2026/new.md": policy("新办法", "2026-11-25")})
    assert not found(problems, "interpretation-missing", "items/xzfb/2026/new.md")
    view = lib.overview
    due = [d for d in view.deadlines if d.path == "items/xzfb/2026/new.md"]
    assert due and due[0].due == D(2026, 11, 30)
    # the base tree's 规范性文件 of 2026-10-20 is long overdue
    old = found(problems, "interpretation-missing", "items/sfj/2026/gfxwj.md")
    assert old and old[0].due == "2026-10-23" and old[0].line == 9


def test_interpretation_not_needed_when_said_so(tree):
    problems, _ = run(tree, {"items/sfj/2026/gfxwj.md": policy("测试县法律援助实施办法", "2026-10-20", org="sfj",
                                                                needs_interpretation="false",
                                                                index_no="11511525MB1234567X/2026-00001")})
    assert not found(problems, "interpretation-missing")


# ---- major decisions (国务院令第713号) -----------------------------------------------------


def decision(opens, closes, date=None, **fields):
    return item("关于《某某办法（征求意见稿）》公开征求意见的公告", type="decision", date=date or opens,
                comment=f"{{opens: {opens}, closes: {closes}, phone: 0831-6502101}}", **fields)


def test_comment_window_of_thirty_days(tree):
    problems, _ = run(tree, {
        "items/xzfb/2026/short.md": decision("2026-11-01", "2026-11-20"),
        "items/xzfb/2026/reason.md": decision("2026-11-02", "2026-11-21", short_reason="涉及汛期安全，需尽快出台"),
        "items/xzfb/2026/full.md": decision("2026-11-03", "2026-12-02"),     # 30 days, both ends counted
    })
    hits = found(problems, "comment-window")
    assert [p.path for p in hits] == ["items/xzfb/2026/short.md"]
    assert hits[0].line == 7 and "20 天" in hits[0].message and "short_reason" in hits[0].message


def test_comment_closing_before_opening_is_an_error(tree):
    problems, _ = run(tree, {"items/xzfb/2026/bad.md": decision("2026-11-10", "2026-11-01")})
    assert found(problems, "comment-dates", severity=ERROR)


def test_feedback_due_thirty_days_after_closing(tree):
    feedback = "{date: 2026-11-05, text: 共收到意见5条，采纳3条。}"
    problems, lib = run(tree, {
        "items/xzfb/2026/late.md": decision("2026-09-20", "2026-10-20"),
        "items/xzfb/2026/done.md": decision("2026-09-21", "2026-10-21", feedback=feedback),
        "items/xzfb/2026/soon.md": decision("2026-10-11", "2026-11-10"),
    })
    hits = found(problems, "feedback-missing")
    assert [p.path for p in hits] == ["items/xzfb/2026/late.md"]
    assert hits[0].due == "2026-11-19"
    view = lib.overview
    assert [d.due for d in view.deadlines if d.path == "items/xzfb/2026/soon.md"] == [D(2026, 12, 10)]


# ---- law enforcement (国办发〔2018〕118号) ------------------------------------------------


def enforcement(date, decided, action="行政处罚"):
    return item("行政处罚决定信息公开", type="enforcement", org="sfj", date=date, stage="事后",
                decision_date=decided, action=action, party="测试县某某有限公司")


@pytest.mark.parametrize("action, published, late", [
    ("行政处罚", "2026-11-11", False),   # 2026-11-02 + 7 working days
    ("行政处罚", "2026-11-12", True),
    ("行政许可", "2026-11-12", True),
    ("行政检查", "2026-11-12", False),   # other decisions: 20 working days
    ("行政强制", "2026-12-01", True),
])
def test_decisions_published_within_seven_or_twenty_working_days(tree, action, published, late):
    problems, _ = run(tree, {"items/sfj/2026/cf.md": enforcement(published, "2026-11-02", action)})
    hits = found(problems, "enforcement-late", "items/sfj/2026/cf.md")
    assert bool(hits) == late
    if late:
        assert hits[0].line == 5 and hits[0].due


def test_after_the_fact_decision_needs_its_date(tree):
    text = item("行政处罚决定", type="enforcement", org="sfj", stage="事后", action="行政处罚")
    problems, _ = run(tree, {"items/sfj/2026/nodate.md": text})
    hit = found(problems, "enforcement-date", "items/sfj/2026/nodate.md", ERROR)
    assert hit and hit[0].line == 7


# ---- proactive disclosure within 20 working days (条例 art. 26) ---------------------------


def test_proactive_disclosure_within_twenty_working_days(tree):
    problems, _ = run(tree, {
        "items/xzfb/2026/late.md": item("通知甲", date="2026-11-01", issued="2026-09-01", doc_no="测府办函〔2026〕3号"),
        "items/xzfb/2026/ok.md": item("通知乙", date="2026-09-29", issued="2026-09-01", doc_no="测府办函〔2026〕4号"),
        "items/xzfb/2026/odd.md": item("通知丙", date="2026-11-01", issued="2026-11-03", doc_no="测府办函〔2026〕6号"),
    })
    assert [p.path for p in found(problems, "proactive-late")] == ["items/xzfb/2026/late.md"]
    assert found(problems, "proactive-late")[0].due == "2026-09-29"
    assert [p.path for p in found(problems, "issued-after-date")] == ["items/xzfb/2026/odd.md"]


# ---- 文号, credit codes, index numbers ----------------------------------------------------------


@pytest.mark.parametrize("doc_no, hint", [
    ("测府办函〔2026〕5号", None),
    ("测试县人民政府令第1号", None),
    ("测府办函[2026]5号", "六角括号"),
    ("测府办函（2026）5号", "六角括号"),
    ("测府办函〔2026〕05号", "虚位"),
    ("测府办函〔2026〕第5号", "第"),
    ("测府办函〔2025〕5号", "年份"),
    ("2026年第5号", "机关代字"),
])
def test_doc_number_format(tree, doc_no, hint):
    problems, _ = run(tree, {"items/xzfb/2026/wh.md": item("通知", issued="2026-10-30", doc_no=doc_no)})
    hits = found(problems, "doc-no", "items/xzfb/2026/wh.md")
    assert bool(hits) == bool(hint)
    if hint:
        assert hint in hits[0].message and hits[0].line == 8 and hits[0].severity == WARNING


def test_credit_code_check_character(tree):
    valid = ("- {id: xzfb, name: 测试县人民政府办公室, kind: department, credit_code: 115115250087452317}\n"
             "- {id: sfj, name: 测试县司法局, kind: department, credit_code: 11511525MB1234567U}\n"
             "- {id: qfz, name: 测试县庆符镇人民政府, kind: town, credit_code: 11511525MB7654321Q}\n"
             "- {id: wjz, name: 测试县文江镇人民政府, kind: town, credit_code: 11511525MB1111111M}\n")
    problems, _ = run(tree, {"orgs.yaml": valid})
    assert not found(problems, "credit-code")
    problems, _ = run(tree)   # the fixture's codes have wrong check characters: reminders, not errors
    hits = found(problems, "credit-code")
    assert [p.line for p in hits] == [1, 2, 3, 4] and all(p.severity == WARNING for p in hits)
    assert "11511525008745231K" in hits[0].message


def test_index_number_matches_org_and_year(tree):
    problems, _ = run(tree, {
        "items/sfj/2026/other-org.md": item("借用编号", org="sfj", index_no="11511525008745231K/2026-00009"),
        "items/xzfb/2026/other-year.md": item("年份不符", index_no="11511525008745231K/2025-00009"),
    })
    assert {p.path for p in found(problems, "index-no")} == {"items/sfj/2026/other-org.md",
                                                              "items/xzfb/2026/other-year.md"}
    assert all(p.line == 6 and "不得更改" in p.message for p in found(problems, "index-no"))


# ---- policies no longer in force (国办发〔2017〕47号) ----------------------------------------


def test_repealed_policy_links_its_replacement(tree):
    problems, _ = run(tree, {
        "items/xzfb/2025/old.md": policy("旧办法", "2025-06-01", category="其他文件", status="已废止"),
        "items/xzfb/2025/old2.md": policy("旧办法二", "2025-06-02", category="其他文件", status="已废止",
                                          repealed="2026-06-01", replaced_by="xzfb/2025/fangan"),
    })
    assert [p.path for p in found(problems, "policy-replaced-by")] == ["items/xzfb/2025/old.md"]
    assert [p.path for p in found(problems, "policy-repealed")] == ["items/xzfb/2025/old.md"]
    assert found(problems, "policy-replaced-by")[0].line == 8


# ---- officers ---------------------------------------------------------------------------------


def test_officer_records(tree):
    good = "- {name: 王某某, post: 科员, cert_no: \"51152500101\", category: 司法行政, area: 全县}\n"
    problems, _ = run(tree, {"data/officers/sfj.yaml": good})
    assert not [p for p in problems.items if p.rule.startswith("officer")]
    bad = good + ("- {name: 李某, cert_no: \"51152500101\", category: 司法行政, area: 全县}\n"
                  "- {name: 张某, cert_no: \"1 2\", area: 全县}\n")
    problems, _ = run(tree, {"data/officers/sfj.yaml": bad})
    dup = found(problems, "officer-duplicate", severity=ERROR)
    assert dup and dup[0].line == 2 and "王某某" in dup[0].message
    assert {p.line for p in found(problems, "officer-invalid")} == {3}
    assert any("执法类别" in p.message for p in found(problems, "officer-invalid"))


# ---- 政府开放日 and 局长进大厅 (高府办函〔2023〕55号) -----------------------------------------------


OPEN_DAY_COLUMN = "- id: zfkfr\n  title: 政府开放日\n  select: {type: open_day}\n"


def visit(n, month, day=10, hours=4, problems=""):
    fields = {"event_date": f"2026-{month:02d}-{day:02d}", "leader": "{name: 李某, title: 局长}", "hours": hours}
    if problems:
        fields["problems"] = problems
    return item(f"局长进大厅第{n}次", type="hall_visit", org="sfj", date=f"2026-{month:02d}-{day + 1:02d}", **fields)


def test_open_day_at_least_once_a_year(tree):
    from conftest import COLUMNS
    problems, _ = run(tree, {"columns.yaml": COLUMNS + OPEN_DAY_COLUMN})
    hit = found(problems, "open-day-count")
    assert hit and hit[0].path == "columns.yaml" and hit[0].due == "2026-12-31"
    day = item("2026年政府开放日", type="open_day", date="2026-09-18", event_date="2026-09-17")
    problems, _ = run(tree, {"columns.yaml": COLUMNS + OPEN_DAY_COLUMN, "items/xzfb/2026/kfr.md": day})
    assert not found(problems, "open-day-count")
    problems, _ = run(tree)   # a site without the programme is not reminded of it
    assert not found(problems, "open-day-count")


def test_hall_visits_six_per_half_year_of_four_hours(tree):
    dates = [(7, 10), (8, 10), (9, 10), (10, 10), (11, 10), (11, 20)]     # the second half of 2026
    six = {f"items/sfj/2026/v{n}.md": visit(n, m, d) for n, (m, d) in enumerate(dates, 1)}
    problems, _ = run(tree, six)
    assert not found(problems, "hall-visit-count") and not found(problems, "hall-visit-hours")
    short = dict(six, **{"items/sfj/2026/v6.md": visit(6, 11, 20, hours=3)})
    problems, _ = run(tree, short)
    assert [p.path for p in found(problems, "hall-visit-hours")] == ["items/sfj/2026/v6.md"]
    count = found(problems, "hall-visit-count")
    assert count and count[0].path == "orgs.yaml" and count[0].line == 2 and "5 次" in count[0].message
    assert count[0].due == "2026-12-31"


def test_hall_visit_problem_past_its_due_date(tree):
    late = "[{issue: 窗口排队时间长, action: 增设窗口, status: 办理中, due: 2026-11-20}]"
    done = "[{issue: 材料多, action: 精简材料, status: 已解决, due: 2026-11-20}]"
    problems, _ = run(tree, {"items/sfj/2026/a.md": visit(1, 10, problems=late),
                             "items/sfj/2026/b.md": visit(2, 10, problems=done)})
    assert [p.path for p in found(problems, "hall-problem-overdue")] == ["items/sfj/2026/a.md"]


# ---- freshness and emptiness (2019 inspection indicators) -----------------------------------


def test_stale_and_empty_columns_and_their_tallies(tree):
    from conftest import COLUMNS
    columns = COLUMNS.replace("  select: {type: [notice, news]}\n", "  select: {type: [notice, news]}\n  update_every_days: 5\n")
    columns += "- id: ghjh\n  title: 规划计划\n  select: {type: plan}\n  update_every_days: 30\n"
    plan = item("测试县2026年计划", type="plan", date="2026-09-01")
    problems, lib = run(tree, {"columns.yaml": columns, "items/xzfb/2026/plan.md": plan,
                               "items/xzfb/2026/tongzhi-a.md": item("旧通知", date="2026-11-01",
                                                                    index_no="11511525008745231K/2026-00001")})
    stale = found(problems, "column-stale")
    assert {p.line for p in stale} == {11, 24}
    assert "6 天" in next(p.message for p in stale if p.line == 11)    # newest 2026-11-20, every 5 days
    empty = found(problems, "column-empty")
    assert [p.line for p in empty] == [22] and "政务公开专区" in empty[0].message
    view = lib.overview
    assert (view.stale, view.should_update, view.empty) == (1, 1, 1)
    fresh = {"items/xzfb/2026/tongzhi-a.md": item("新通知", date="2026-11-20", index_no="11511525008745231K/2026-00001",
                                                   columns="[zwgkzq]")}
    recent = item("测试县2026年计划", type="plan", date="2026-11-10")
    problems, _ = run(tree, dict(fresh, **{"columns.yaml": columns.replace("update_every_days: 5", "update_every_days: 14"),
                                           "items/xzfb/2026/plan.md": recent}))
    assert not found(problems, "column-stale") and not found(problems, "column-empty")


def test_home_page_needs_a_new_item_every_fourteen_days(tree):
    problems, _ = run(tree, today=D(2026, 12, 4))     # newest item: 2026-11-20
    assert not found(problems, "home-stale")
    problems, _ = run(tree, today=D(2026, 12, 5))
    hit = found(problems, "home-stale")
    assert hit and hit[0].path == "site.yaml" and "2026-11-20" in hit[0].message


# ---- reminders never block; the example is compliant ----------------------------------------


def test_reminders_do_not_block_the_build(built):
    result, out = built({"items/xzfb/2026/late.md": item("通知甲", date="2026-11-01", issued="2026-09-01",
                                                          doc_no="测府办函[2026]3号")})
    assert result.ok and (out / "index.html").is_file()
    assert {"proactive-late", "doc-no"} <= {p.rule for p in result.problems.warnings}


def test_example_content_has_no_findings():
    problems = Problems()
    pipeline.read_content(REPO / "content", TODAY, problems)
    assert not problems.items, [str(p) for p in problems.items]


def test_example_check_exits_zero():
    run = subprocess.run([sys.executable, "-m", "gxsite", "check", "--today", "2026-11-26"],
                         capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr
    assert "0 个错误" in run.stdout and "Traceback" not in run.stderr
