"""索引号 never reused (broken files, concurrent runs), what `gxsite new` writes, and the
reminders for unfinished items: placeholder text, unpaired title marks, scheduled items."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import COLUMNS, DOMAINS, ORGS, REPO, SITE, TODAY, item, write_tree
from gxsite.checks import compliance
from gxsite.content import numbering, schema
from gxsite import pipeline
from gxsite.core.problems import Problems

SFJ = "11511525MB1234567X"
CODES = {"xzfb": "11511525008745231K", "sfj": SFJ, "qfz": "11511525MB7654321A"}
DAY = dt.date(2026, 11, 20)
NUMBER_LINE = re.compile(r"^index_no: (\S+)$", re.M)


def gxsite(*args, content):
    """Run in the content folder, so that files are named items/… however the terminal shows them."""
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args), "--content", "."], capture_output=True,
                          text=True, cwd=content)


def new(content, item_type="notice", org="sfj", title="关于开展普法宣传的通知", date=DAY, slug=None):
    problems, created = numbering.new_item(content, item_type, org, title, date, slug)
    assert created is not None, [str(p) for p in problems.items]
    return problems, created


def errors_of(content, today=TODAY):
    problems = Problems()
    pipeline.read_content(content, today, problems)
    return [str(p) for p in problems.errors]


# ---- numbers in broken files are never reused -----------------------------------------

BROKEN_FORMS = {
    "plain": "index_no: {no}\n",
    "double quotes": 'index_no: "{no}"\n',
    "single quotes": "index_no: '{no}'\n",
    "quoted key, no space": '"index_no":{no}\n',
    "full-width colon": "index_no：{no}\n",
    "comment after": "index_no: {no}   # 已发布\n",
}


@pytest.mark.parametrize("form", BROKEN_FORMS)
@pytest.mark.parametrize("bom_crlf", [False, True])
def test_a_number_in_a_file_with_broken_yaml_is_not_reused(tree, form, bom_crlf):
    text = "---\ntitle: [没有闭合\ntype: notice\n" + BROKEN_FORMS[form].format(no=f"{SFJ}/2026-00007") + "---\n\n正文。\n"
    data = text.replace("\n", "\r\n").encode("utf-8-sig") if bom_crlf else text.encode("utf-8")
    content = tree({"items/sfj/2026/broken.md": data})
    assert errors_of(content)   # the file really is broken: the loader leaves it out
    _, created = new(content)
    assert created.index_no == f"{SFJ}/2026-00008"


def test_numbers_in_files_missing_fields_or_in_the_wrong_folder_are_not_reused(tree):
    content = tree({
        "items/sfj/2026/no-title.md": f"---\ntype: notice\norg: sfj\ndate: 2026-11-01\nindex_no: {SFJ}/2026-00011\n---\n\nx\n",
        "items/xzfb/2026/wrong-org.md": item("放错文件夹", org="sfj", index_no=f"{SFJ}/2026-00012"),
        "items/sfj/misplaced.md": item("放错层级", org="sfj", index_no=f"{SFJ}/2026-00013"),
    })
    _, created = new(content)
    assert created.index_no == f"{SFJ}/2026-00014"


def test_number_skips_broken_files_and_fails_only_for_files_it_cannot_number(tree):
    content = tree({
        "items/sfj/2026/broken.md": f"---\ntitle: [x\nindex_no: '{SFJ}/2026-00007'\n---\nx\n",
        "items/sfj/2026/pending.md": item("待编号", org="sfj", index_no=False, date="2026-11-02"),
        "items/sfj/2026/empty.md": item("留空的索引号", org="sfj", index_no=False, date="2026-11-03").replace(
            "date: 2026-11-03\n", "date: 2026-11-03\nindex_no:\n"),
    })
    run = gxsite("number", content=content)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""    # the broken file has its number: nothing to say about it
    pending = (content / "items/sfj/2026/pending.md").read_text(encoding="utf-8")
    empty = (content / "items/sfj/2026/empty.md").read_text(encoding="utf-8")
    assert NUMBER_LINE.findall(pending) == [f"{SFJ}/2026-00008"]
    assert NUMBER_LINE.findall(empty) == [f"{SFJ}/2026-00009"]    # filled in, not written twice

    (content / "items/sfj/2026/cannot.md").write_text("---\ntitle: [x\norg: sfj\n---\nx\n", encoding="utf-8")
    (content / "items/sfj/2026/later.md").write_text(item("再编号", org="sfj", index_no=False), encoding="utf-8")
    run = gxsite("number", content=content)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert re.fullmatch(r"items/sfj/2026/cannot\.md:\d+: 无法编索引号：.*gxsite number\n", run.stderr), run.stderr
    later = (content / "items/sfj/2026/later.md").read_text(encoding="utf-8")
    assert NUMBER_LINE.findall(later) == [f"{SFJ}/2026-00010"]    # the others are numbered all the same


def test_new_after_new_gives_distinct_numbers_and_reports_only_its_own_file(tree):
    content = tree({"items/xzfb/2026/bad.md": item("坏日期", date="2026-02-30"),
                    "items/sfj/2026/bad.md": "---\ntitle: [x\n---\n"})
    first = gxsite("new", "policy", "--org", "sfj", "--title", "测试县法律援助办法", "--date", "2026-11-20",
                   content=content)
    second = gxsite("new", "notice", "--org", "sfj", "--title", "关于开展普法宣传的通知", "--date", "2026-11-20",
                    content=content)
    for run in (first, second):
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""       # nothing about bad.md, nor about the new file's empty fields
    numbers = [re.search(r"索引号 (\S+)。", run.stdout).group(1) for run in (first, second)]
    assert numbers == [f"{SFJ}/2026-00002", f"{SFJ}/2026-00003"]
    assert "发布前请填写：第 7 行 文号（doc_no）；第 8 行 成文日期（issued）；第 12 行 正文" in first.stdout
    assert "发布前请填写：第 9 行 正文" in second.stdout
    policy = (content / "items/sfj/2026/policy-1120-1.md").read_text(encoding="utf-8")
    assert NUMBER_LINE.findall(policy) == [numbers[0]]


def test_new_reports_an_unpaired_mark_of_its_title_and_writes_any_title_as_given(tree):
    content = tree()
    title = '关于"扫黑除恶"专项\\斗争的通知"'
    run = gxsite("new", "notice", "--org", "sfj", "--title", title, "--slug", "saohei", "--date", "2026-11-20",
                 content=content)
    assert run.returncode == 0
    assert re.fullmatch(r'items/sfj/2026/saohei\.md:2: 提醒：标题中的标点不成对：第 17 个字 " 没有配对的 ".*\n',
                        run.stderr), run.stderr
    problems = Problems()
    lib = pipeline.read_content(content, TODAY, problems)
    assert lib.items["sfj/2026/saohei"].title == title


def test_new_refuses_what_it_cannot_number(tree):
    content = tree({"orgs.yaml": ORGS + "- {id: nocode, name: 无代码单位}\n"})
    for args, says in ((["nosuchtype", "--org", "sfj"], "类型“nosuchtype”不存在"),
                       (["notice", "--org", "nosuch"], "机构“nosuch”不在 orgs.yaml 中"),
                       (["notice", "--org", "nocode"], "没有统一社会信用代码"),
                       (["notice", "--org", "sfj", "--slug", "Bad_Name"], "只能用小写字母")):
        run = gxsite("new", *args, "--title", "标题", content=content)
        assert run.returncode == 1 and says in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert not list((content / "items").glob("nocode/**/*.md"))


# ---- concurrent runs -------------------------------------------------------------------

RACER = """
import os, sys, time
from gxsite import cli, pipeline   # imported before the start: the runs overlap
from gxsite.content import numbering
from gxsite.checks import compliance
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.001)
sys.exit(cli.main(sys.argv[2:]))
"""


def test_concurrent_new_and_number_never_give_the_same_number(tree, tmp_path):
    content = tree({"items/sfj/2026/pending.md": item("待编号", org="sfj", index_no=False)})
    go = tmp_path / "go"
    runs = [["new", "notice", "--org", "sfj", "--title", f"通知{n}", "--date", "2026-11-20", "--content", content]
            for n in range(8)] + [["number", "--content", content]]
    procs = [subprocess.Popen([sys.executable, "-c", RACER, go, *map(str, args)], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for args in runs]
    time.sleep(1.5)   # every process waits at the start line
    go.touch()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    files = sorted((content / "items/sfj/2026").glob("*.md"))
    assert len(files) == 1 + 1 + 8      # gfxwj, pending and one file per `new` (none overwritten)
    numbers = [n for f in files for n in NUMBER_LINE.findall(f.read_text(encoding="utf-8"))]
    assert len(numbers) == len(files)
    assert sorted(numbers) == [f"{SFJ}/2026-{n:05d}" for n in range(1, 11)]


# ---- property: whatever is broken, a written number is new -----------------------------

ORG_IDS = ("xzfb", "sfj", "qfz")
KINDS = ("ok", "double-quoted", "single-quoted", "bad-yaml", "missing-fields", "other-folder", "misplaced",
         "bom-crlf", "no-number", "empty-number", "no-number-bad-yaml")

file_spec = st.tuples(st.sampled_from(KINDS), st.sampled_from(ORG_IDS), st.sampled_from((2025, 2026)),
                      st.integers(1, 40), st.sampled_from(ORG_IDS))


def _planted_file(n, kind, org, year, serial, other):
    """(path, bytes, the number the file holds or None)."""
    no = f"{CODES[org]}/{year}-{serial:05d}"
    date = f"{year}-06-{n % 28 + 1:02d}"
    head = f"title: 信息{n}\ntype: notice\norg: {org}\ndate: {date}\n"
    path = f"items/{org}/{year}/f{n}.md"
    if kind == "ok":
        text = f"---\n{head}index_no: {no}\n---\n\n正文。\n"
    elif kind == "double-quoted":
        text = f'---\n{head}index_no: "{no}"\n---\n\n正文。\n'
    elif kind == "single-quoted":
        text = f"---\n{head}index_no: '{no}'\n---\n\n正文。\n"
    elif kind == "bad-yaml":
        text = f"---\ntitle: [没闭合\n{head[head.index('type'):]}index_no: {no}\n---\n\n正文。\n"
    elif kind == "missing-fields":
        text = f"---\norg: {org}\nindex_no: {no}\n---\n"
    elif kind == "other-folder":
        path = f"items/{other}/{2025 if year == 2026 else 2026}/f{n}.md"
        text = f"---\n{head}index_no: {no}\n---\n\n正文。\n"
    elif kind == "misplaced":
        path = f"items/{org}/f{n}.md"
        text = f"---\n{head}index_no: {no}\n---\n\n正文。\n"
    elif kind == "bom-crlf":
        return path, f"---\n{head}index_no: {no}\n---\n\n正文。\n".replace("\n", "\r\n").encode("utf-8-sig"), no
    elif kind == "no-number":
        return path, f"---\n{head}---\n\n正文。\n".encode(), None
    elif kind == "empty-number":
        return path, f"---\n{head}index_no: \"\"\n---\n\n正文。\n".encode(), None
    else:   # no-number-bad-yaml: `number` cannot number it and says so
        return path, f"---\ntitle: [x\n{head[head.index('type'):]}---\n".encode(), None
    return path, text.encode(), no


def _key(number):
    code, _, rest = number.partition("/")
    year, _, serial = rest.partition("-")
    return (code, year), int(serial)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(file_spec, max_size=14), news=st.lists(st.tuples(st.sampled_from(ORG_IDS),
                                                                         st.sampled_from((2025, 2026))), max_size=3))
def test_every_number_written_is_new_and_above_every_number_in_the_tree(specs, news):
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        files = {"site.yaml": SITE, "orgs.yaml": ORGS, "domains.yaml": DOMAINS, "columns.yaml": COLUMNS}
        planted = []
        for n, spec in enumerate(specs):
            path, data, no = _planted_file(n, *spec)
            files[path] = data
            if no:
                planted.append(no)
        write_tree(content, files)
        problems, numbered = numbering.number_all(content)
        written = [no for _, no in numbered]
        for org, year in news:
            _, created = new(content, org=org, date=dt.date(year, 12, 1))
            written.append(created.index_no)

        assert len(set(written)) == len(written)
        assert not set(written) & set(planted)
        for number in written:
            key, serial = _key(number)
            assert all(s < serial for k, s in map(_key, planted) if k == key)
        # `number` numbered every file it could, once, and reported exactly the others
        paths = [_planted_file(n, *spec)[0] for n, spec in enumerate(specs)]
        for path, (kind, *_) in zip(paths, specs):
            if kind in ("no-number", "empty-number"):
                assert len(NUMBER_LINE.findall((content / path).read_text(encoding="utf-8"))) == 1
        assert {p.path for p in problems.errors} == {
            path for path, (kind, *_) in zip(paths, specs) if kind == "no-number-bad-yaml"}


# ---- what `gxsite new` writes passes the checks once filled in --------------------------

FILL = {
    "doc_no": "测司发〔2026〕3号", "issued": "2026-11-18", "interprets": "sfj/2026/gfxwj",
    "interpreter": "{name: 王某, title: 股长, phone: 0831-6502106}", "comment.opens": "2026-11-20",
    "comment.closes": "2026-12-20", "event_date": "2026-11-18", "leader": "{name: 李某, title: 局长}",
    "decision_date": "2026-11-18", "of": "sfj/2026/plan", "valid_until": "2026-12-31",
    "question": "建议在文江镇增设法律援助工作站。", "asked": "2026-11-10",
    "source.name": "四川省人民政府", "source.url": "https://www.sc.gov.cn/",
    "": "本条信息的正文。",
}
PLAN = item("测试县法治建设规划", type="plan", org="sfj", date="2026-10-01", index_no=f"{SFJ}/2026-00005")


def fill(path: Path, placeholders, body=True) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    for p in placeholders:
        if p.field or body:
            old = lines[p.line - 1]
            indent = old[: len(old) - len(old.lstrip())]
            key = p.field.rpartition(".")[2]
            lines[p.line - 1] = f"{indent}{key}: {FILL[p.field]}" if p.field else FILL[""]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("item_type", sorted(schema.ITEM_TYPES))
def test_the_new_file_passes_the_checks_once_its_placeholders_are_filled(tree, item_type):
    content = tree({"items/sfj/2026/plan.md": PLAN})
    _, created = new(content, item_type, title=f"测试县{schema.ITEM_TYPES[item_type]}")
    assert created.placeholders[-1].field == ""          # the body is always to be written
    assert all(p.label for p in created.placeholders)
    fill(created.path, created.placeholders, body=False)
    body_line = created.placeholders[-1].line
    assert errors_of(content) == [f"{created.rel}:{body_line}: 正文还是 gxsite new 写入的占位文字"
                                  f"“{numbering.PLACEHOLDER_BODY}”：请换成正文后再发布"]
    fill(created.path, created.placeholders)
    assert errors_of(content) == []


def test_gxsite_check_fails_while_the_placeholder_body_stays(tree):
    content = tree()
    _, created = new(content, "policy", title="测试县法律援助办法")
    run = gxsite("check", "--no-links", "--today", "2026-11-26", content=content)
    assert run.returncode == 1
    assert f"{created.rel}:7: 文号（doc_no）不能为空" in run.stderr
    fill(created.path, created.placeholders, body=False)
    run = gxsite("check", "--no-links", "--today", "2026-11-26", content=content)
    assert run.returncode == 1
    assert f"{created.rel}:12: 正文还是 gxsite new 写入的占位文字“正文写在这里。”" in run.stderr
    fill(created.path, created.placeholders)
    run = gxsite("check", "--no-links", "--today", "2026-11-26", content=content)
    assert run.returncode == 0, run.stderr


def test_placeholder_text_in_title_or_summary_is_an_error(tree):
    content = tree({"items/sfj/2026/x.md": item("正文写在这里。", org="sfj", summary="'正文写在这里。'",
                                                index_no=f"{SFJ}/2026-00009")})
    assert errors_of(content) == [
        "items/sfj/2026/x.md:2: 标题还是 gxsite new 写入的占位文字“正文写在这里。”：请改好后再发布",
        "items/sfj/2026/x.md:7: 摘要还是 gxsite new 写入的占位文字“正文写在这里。”：请改好后再发布"]


# ---- unpaired marks in titles ------------------------------------------------------------


@pytest.mark.parametrize("title, unpaired", [
    ('关于开展普法宣传的通知"', ['第 12 个字 " 没有配对的 "']),
    ("“关于开展普法宣传的通知", ["第 1 个字 “ 没有配对的 ”"]),
    ("关于开展普法宣传的通知”", ["第 12 个字 ” 没有配对的 “"]),
    ("关于印发《测试县法律援助办法的通知", ["第 5 个字 《 没有配对的 》"]),
    ("测试县法律援助办法（试行", ["第 10 个字 （ 没有配对的 ）"]),
    ("测司规〔2026号", ["第 4 个字 〔 没有配对的 〕"]),
    ("关于“扫黑除恶“的通知", ["第 3 个字 “ 没有配对的 ”", "第 8 个字 “ 没有配对的 ”"]),
    ("《测试县办法（试行》）", ["第 7 个字 （ 没有配对的 ）", "第 11 个字 ） 没有配对的 （"]),
])
def test_an_unpaired_mark_in_a_title_is_a_reminder_on_the_title_line(tree, title, unpaired):
    content = tree({"items/sfj/2026/x.md": item(title, org="sfj", index_no=f"{SFJ}/2026-00009")})
    problems = Problems()
    pipeline.read_content(content, TODAY, problems)
    found = [p for p in problems.items if p.rule == "title-marks"]
    assert [(p.path, p.line, p.severity) for p in found] == [("items/sfj/2026/x.md", 2, "warning")]
    assert found[0].message.startswith("标题中的标点不成对：" + "；".join(unpaired) + "。")


@pytest.mark.parametrize("title", [
    "关于“扫黑除恶”专项斗争的《通知》（试行）", '关于"ASCII 引号"的通知', "测司规〔2026〕1号【解读】",
    "Xi'an 交流活动", "《〈条例〉释义》（2026年版）",
])
def test_balanced_titles_get_no_reminder(tree, title):
    assert compliance.title_marks_problem(title) == ""
    content = tree({"items/sfj/2026/x.md": item(title, org="sfj", index_no=f"{SFJ}/2026-00009")})
    problems = Problems()
    pipeline.read_content(content, TODAY, problems)
    assert not [p for p in problems.items if p.rule == "title-marks"]


# ---- scheduled items ----------------------------------------------------------------------


def test_check_lists_what_is_scheduled_and_when(tree, tmp_path):
    content = tree({
        "items/sfj/2026/later.md": item("关于开展普法宣传的通知", org="sfj", date="2026-12-05",
                                        index_no=f"{SFJ}/2026-00008"),
        "items/xzfb/2026/sooner.md": item("测试县冬季供暖公告", date="2026-11-27",
                                          index_no="11511525008745231K/2026-00009"),
    })
    out = tmp_path / "check.json"
    run = gxsite("check", "--no-links", "--today", "2026-11-26", "--json", out, content=content)
    assert run.returncode == 0, run.stderr
    assert ("定时发布 2 条：2026-11-27 items/xzfb/2026/sooner.md 《测试县冬季供暖公告》；"
            "2026-12-05 items/sfj/2026/later.md 《关于开展普法宣传的通知》") in run.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["scheduled"] == [
        {"date": "2026-11-27", "file": "items/xzfb/2026/sooner.md", "title": "测试县冬季供暖公告", "org": "xzfb"},
        {"date": "2026-12-05", "file": "items/sfj/2026/later.md", "title": "关于开展普法宣传的通知", "org": "sfj"}]
    # the same rule as the build: on its date an item is published, no longer scheduled
    run = gxsite("check", "--no-links", "--today", "2026-12-05", content=content)
    assert "定时发布" not in run.stdout + run.stderr
