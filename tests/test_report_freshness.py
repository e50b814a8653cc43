"""Issue 16, point 6: the office's report judges every column as the 2019 inspection (国办秘函〔2019〕19号) would,
and lists the departments and towns that published nothing in the last 12 months."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from conftest import ORGS, REPO, SITE, TODAY, item, parse
from gxsite import pipeline
from gxsite.core.problems import Problems

D = dt.date

COLUMNS = """\
- id: zfxxgk
  title: 政府信息公开
- id: ghjh
  title: 规划计划
  parent: zfxxgk
  select: {type: plan}
- id: gzdt
  title: 工作动态
  select: {type: news}
- id: zhen
  title: 各镇动态
  select: {org_kind: town}
- id: tzgg
  title: 通知公告
  select: {type: notice}
- id: zcwj
  title: 政策文件
  select: {type: policy}
- id: qtwj
  title: 其他文件
  parent: zcwj
  select: {type: policy, category: 其他文件}
"""


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def plan(date: str, slug: str = "plan") -> dict:
    return {f"items/xzfb/{date[:4]}/{slug}.md": item(f"测试县工作计划{slug}", type="plan", date=date)}


def news(date: str, slug: str = "news") -> dict:
    return {f"items/xzfb/{date[:4]}/{slug}.md": item(f"工作动态{slug}", type="news", date=date)}


def town(date: str, slug: str = "zhen") -> dict:
    """A town's item of no key type: only 各镇动态 (chosen by org_kind, a 动态 column by its title) lists it."""
    return {f"items/qfz/{date[:4]}/{slug}.md": item(f"庆符镇回应群众关切{slug}", type="response", org="qfz", date=date)}


def notice(date: str, slug: str = "notice") -> dict:
    return {f"items/xzfb/{date[:4]}/{slug}.md": item(f"关于{slug}的通知", date=date)}


def policy(date: str, slug: str = "policy") -> dict:
    return {f"items/xzfb/{date[:4]}/{slug}.md": item(f"测试县{slug}办法", type="policy", date=date,
                                                     doc_no=f"测府发〔{date[:4]}〕{len(slug)}号", issued=date,
                                                     category="其他文件")}


def fresh(**skip) -> dict:
    """One recent item for every column, so that a test ages only the column it is about."""
    files = {**plan(ago(3)), **news(ago(3)), **town(ago(3)), **notice(ago(3)), **policy(ago(3))}
    for path in skip.values():
        files.pop(path)
    return files


def check(tree, files: dict, today: dt.date = TODAY, columns: str = COLUMNS, site: str = SITE):
    content = tree({"columns.yaml": columns, "site.yaml": site, **files}, base=False)
    problems = Problems()
    lib = pipeline.read_content(content, today, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    stale = {p.message.split("（")[1].split("）")[0]: p for p in problems.items if p.rule == "column-stale"}
    return stale, {c.column.id: c for c in lib.overview.columns}, lib.overview


def gxsite(*args):
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], capture_output=True, text=True, cwd=REPO, check=False)


# ---- every column has a rhythm ---------------------------------------------------------------


def test_a_column_without_a_rhythm_is_stale_after_a_year(tree):
    old = fresh(plan="items/xzfb/2026/plan.md")
    stale, columns, view = check(tree, {**old, **plan(ago(400), "old")})
    assert set(stale) == {"ghjh", "zfxxgk"}           # the container is judged by its subtree's newest item
    assert "已 400 天未更新" in stale["ghjh"].message and "按 365 天检查" in stale["ghjh"].message
    assert stale["ghjh"].due == ago(35) and stale["ghjh"].line == 3
    assert columns["ghjh"].rhythm.basis == "default" and columns["ghjh"].kind == "其他"
    assert (view.stale, view.should_update, view.empty) == (0, 2, 0)
    stale, columns, _ = check(tree, {**old, **plan(ago(300), "old")})
    assert not stale and columns["ghjh"].state == "ok" and columns["zfxxgk"].age == 300


def test_a_dynamic_column_needs_an_item_within_fourteen_days(tree):
    aged = fresh(news="items/xzfb/2026/news.md", zhen="items/qfz/2026/zhen.md")
    stale, columns, view = check(tree, {**aged, **news(ago(20)), **town(ago(10))})
    assert set(stale) == {"gzdt"} and "国办秘函〔2019〕19号" in stale["gzdt"].message
    assert "动态要闻类栏目 14 天内应有新信息" in stale["gzdt"].message
    assert columns["zhen"].kind == "动态" and columns["zhen"].state == "ok"    # by its title: no type in select
    assert (view.stale, view.should_update) == (1, 0)
    stale, _, _ = check(tree, {**aged, **news(ago(14)), **town(ago(15))})
    assert set(stale) == {"zhen"}


def test_notices_and_policies_get_six_calendar_months(tree):
    aged = fresh(notice="items/xzfb/2026/notice.md", policy="items/xzfb/2026/policy.md")
    five = {**aged, **notice("2026-06-26"), **policy("2026-05-26")}     # 5 months; exactly 6 months
    stale, columns, _ = check(tree, five)
    assert not stale and columns["tzgg"].due == D(2026, 12, 26) and columns["tzgg"].rhythm.label == "6 个月"
    seven = {**aged, **notice("2026-04-26"), **policy("2026-05-25")}    # 7 months; 6 months and a day
    stale, columns, view = check(tree, seven)
    assert set(stale) == {"tzgg", "zcwj"} and "通知公告类栏目 6 个月内应有新信息" in stale["tzgg"].message
    # 其他文件 sits inside 政策文件: the 6 months are the 政策文件 column's, the sub-column counts as any other
    assert columns["qtwj"].kind == "政策文件" and columns["qtwj"].judged == "其他" and columns["qtwj"].state == "ok"
    assert (view.stale, view.should_update) == (2, 0)
    assert view.stale_by_kind() == {"动态": 0, "通知公告": 1, "政策文件": 1, "其他": 0}


def test_a_declared_update_every_days_wins(tree):
    columns = (COLUMNS.replace("  select: {type: notice}\n", "  select: {type: notice}\n  update_every_days: 30\n")
               .replace("  select: {type: plan}\n", "  select: {type: plan}\n  update_every_days: 500\n"))
    files = {**fresh(notice="items/xzfb/2026/notice.md", plan="items/xzfb/2026/plan.md"),
             **notice(ago(40)), **plan(ago(400), "old")}
    stale, states, view = check(tree, files, columns=columns)
    assert set(stale) == {"tzgg", "zfxxgk"}          # the container has no rhythm of its own: a year
    assert "应每 30 天至少更新一次（columns.yaml 中的 update_every_days）" in stale["tzgg"].message
    assert states["ghjh"].state == "ok" and states["ghjh"].rhythm.basis == "declared"
    assert (view.stale, view.should_update) == (1, 1)


def test_site_yaml_overrides_the_default_rhythm(tree):
    files = {**fresh(plan="items/xzfb/2026/plan.md"), **plan(ago(200), "old")}
    stale, _, _ = check(tree, files)
    assert not stale
    strict = SITE + "rules:\n  column_default_days: 180\n"
    stale, states, view = check(tree, files, site=strict)
    assert set(stale) == {"ghjh", "zfxxgk"} and "按 180 天检查" in stale["ghjh"].message
    assert states["gzdt"].rhythm.label == "14 天"    # the inspection's own periods are not the county's to relax
    assert "未设更新周期的按 180 天" in view.tallies()[1][0]


def test_the_tallies_count_each_kind_in_its_veto_bucket(tree, tmp_path):
    columns = COLUMNS + "- id: kong\n  title: 要闻\n  select: {type: news, org: sfj}\n"
    files = {**fresh(news="items/xzfb/2026/news.md", zhen="items/qfz/2026/zhen.md", notice="items/xzfb/2026/notice.md",
                     plan="items/xzfb/2026/plan.md", policy="items/xzfb/2026/policy.md"),
             **news(ago(30)), **town(ago(30)), **notice(ago(250)), **plan(ago(500), "old"),
             **policy(ago(100))}
    content = tree({"columns.yaml": columns, **files}, base=False)
    run = gxsite("check", "--content", content, "--today", TODAY, "--no-links", "--json", tmp_path / "r.json")
    assert run.returncode == 0, run.stderr
    # dynamic 2 + notices 1 in the first bucket; 规划计划 and its container in the second; 要闻 is empty, not stale
    newest = TODAY - dt.timedelta(days=30)   # the news, the newest item
    assert f"考核指标：首页最新信息 {newest.isoformat()}，30 天前（超过 14 天未更新即否决）；" in run.stdout
    assert ("栏目未按期更新（其中动态要闻类 2 个、通知公告类 1 个） 3 个（5 个即否决）；"
            "其他应更新而未更新的栏目（未设更新周期的按 365 天） 2 个（10 个即否决）；空白栏目 1 个（5 个即否决）。") in run.stdout
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["inspection"]["stale_columns"] == {"count": 3, "veto": 5,
                                                   "by_kind": {"动态": 2, "通知公告": 1, "政策文件": 0}}
    assert data["inspection"]["should_update_columns"]["count"] == 2 and data["inspection"]["empty_columns"]["count"] == 1
    by_id = {c["id"]: c for c in data["columns"]}
    assert by_id["tzgg"]["rhythm"] == {"count": 6, "unit": "months", "basis": "inspection"}
    assert by_id["tzgg"]["state"] == "stale" and by_id["tzgg"]["counted_as"] == "通知公告"
    assert by_id["ghjh"]["update_every_days"] is None and by_id["ghjh"]["rhythm"]["count"] == 365
    assert by_id["kong"]["state"] == "empty" and by_id["kong"]["kind"] == "动态"
    assert data["thresholds"]["column_default_days"] == 365
    assert data["inspection"]["home"] == {"newest": newest.isoformat(), "age_days": 30, "veto_days": 14}


# ---- units that published nothing ------------------------------------------------------------


def test_units_with_nothing_in_twelve_months_are_listed_in_the_json_and_the_dashboard(tree, tmp_path):
    orgs = ORGS + ("- {id: lfz, name: 测试县来复镇人民政府, short: 来复镇, kind: town}\n"
                   "- {id: xcb, name: 中共测试县委宣传部, short: 县委宣传部, kind: party}\n")
    old = item("文江镇召开院坝会", type="news", org="wjz", date="2025-06-01")
    content = tree({"orgs.yaml": orgs, "items/wjz/2025/yuanba.md": old})
    run = gxsite("check", "--content", content, "--today", TODAY, "--no-links", "--json", tmp_path / "r.json",
                 "--report", tmp_path / "report")
    assert run.returncode == 0, run.stderr
    units = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["units"]
    assert units["months"][0] == "2025-12" and units["months"][-1] == "2026-11"
    by_org = {u["org"]: u for u in units["orgs"]}
    assert by_org["wjz"] == {"org": "wjz", "name": "测试县文江镇人民政府", "kind": "town", "per_month": [0] * 12,
                             "last_12_months": 0, "last_published": "2025-06-01", "silent": True}
    assert by_org["lfz"]["silent"] and by_org["lfz"]["last_published"] is None
    assert not by_org["sfj"]["silent"] and by_org["sfj"]["last_published"] == "2026-10-20"
    assert "xcb" not in by_org                       # party organs are listed once they publish
    assert [u["org"] for u in units["orgs"]][-2:] == ["lfz", "wjz"]   # never published first, then the longest silent

    doc = parse(tmp_path / "report" / "index.html")
    rows = {tr.get("data-org"): tr for tr in doc.xpath("//table[@id='monthly-table']/tbody/tr")}
    assert {o for o, tr in rows.items() if tr.get("class") == "silent"} == {"wjz", "lfz"}
    wjz = [c.text_content().strip() for c in rows["wjz"]]
    assert wjz[0] == "测试县文江镇人民政府 （未发布）" and wjz[1:13] == ["0"] * 12 and wjz[-1] == "2025-06-01"
    assert rows["lfz"][-1].text_content().strip() == "从未发布"
    assert "（未发布）" not in rows["sfj"][0].text_content()
    note = doc.xpath("//section[@aria-labelledby='monthly']/p[@class='warning']")[0].text_content()
    assert "2 个" in note and "测试县来复镇人民政府（从未发布）" in note and "测试县文江镇人民政府（最近一次 2025-06-01）" in note
    card = next(li for li in doc.xpath("//ul[@class='cards']/li") if "未发布信息的单位" in li.text_content())
    assert card.xpath("strong")[0].text_content() == "2"


def test_a_declared_kind_wins_over_title_and_types(tree):
    """`kind:` in columns.yaml says how the inspection judges a column whose title and types do not."""
    columns = COLUMNS + "- id: bmxx\n  title: 部门信息\n  kind: 动态\n  select: {type: plan}\n"
    aged = fresh(plan="items/xzfb/2026/plan.md")
    stale, columns_, _ = check(tree, {**aged, **plan(ago(20), "old")}, columns=columns)
    assert columns_["bmxx"].kind == "动态" and "bmxx" in stale and "ghjh" not in stale
