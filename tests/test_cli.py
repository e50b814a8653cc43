"""The command line as editors and CI use it: exit codes, one-line errors, no tracebacks."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO, item


def gxsite(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or REPO)


def test_build_ok_exit_0_and_quiet_progress_when_not_a_tty(tree, tmp_path):
    content = tree()
    run = gxsite("build", "--content", content, "--out", tmp_path / "site", "--today", "2026-11-26")
    assert run.returncode == 0, run.stderr
    assert "已生成" in run.stdout
    assert run.stderr == ""            # no progress bar when stderr is not a terminal
    assert (tmp_path / "site/index.html").is_file()


def test_content_errors_exit_1_one_line_each_no_traceback(tree, tmp_path):
    content = tree({
        "items/xzfb/2026/bad.md": item("坏日期", date="2026-02-30"),
        "items/xzfb/2026/bad2.md": item("坏领域", domains="[nosuch]"),
    })
    run = gxsite("build", "--content", content, "--out", tmp_path / "site", "--today", "2026-11-26")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines = [l for l in run.stderr.splitlines() if l.startswith(f"{content}/items/")]   # outside the working folder: absolute
    assert len(lines) == 2
    for line in lines:
        assert re.match(rf"^{re.escape(str(content))}/items/xzfb/2026/bad2?\.md:\d+: \S", line), line
    assert not (tmp_path / "site").exists()


def test_usage_errors_exit_2(tree, tmp_path):
    assert gxsite("build", "--today", "tomorrow").returncode == 2
    assert gxsite("frobnicate").returncode == 2
    assert gxsite("build", "--content", tmp_path / "nowhere").returncode == 2
    run = gxsite()
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_check_writes_nothing_and_strict_fails_on_reminders(tree, tmp_path):
    content = tree({"items/xzfb/2026/typo.md": item("拼写", titel="'多余字段'",
                                                      index_no="11511525008745231K/2026-00600")})
    run = gxsite("check", "--content", content, "--today", "2026-11-26")
    assert run.returncode == 0, run.stderr
    assert "titel" in run.stderr and "是不是“title”" in run.stderr
    assert gxsite("check", "--content", content, "--strict", "--today", "2026-11-26").returncode == 1
    assert not (REPO / "content" / "output").exists()


def test_number_assigns_next_free_index_number(tree):
    content = tree({"items/xzfb/2026/new1.md": item("待编号甲", index_no=False, date="2026-11-02"),
                    "items/xzfb/2026/new2.md": item("待编号乙", index_no=False, date="2026-11-03")})
    run = gxsite("number", "--content", content)
    assert run.returncode == 0, run.stderr
    first = (content / "items/xzfb/2026/new1.md").read_text(encoding="utf-8")
    second = (content / "items/xzfb/2026/new2.md").read_text(encoding="utf-8")
    assert "index_no: 11511525008745231K/2026-00002" in first      # 00001 is taken by tongzhi-a
    assert "index_no: 11511525008745231K/2026-00003" in second
    assert gxsite("check", "--content", content, "--today", "2026-11-26").returncode == 0


def test_new_creates_a_numbered_item(tree):
    content = tree()
    run = gxsite("new", "notice", "--org", "sfj", "--title", "关于开展普法宣传的通知", "--date", "2026-11-20",
                 "--slug", "pufa", "--content", content)
    assert run.returncode == 0, run.stderr
    text = (content / "items/sfj/2026/pufa.md").read_text(encoding="utf-8")
    assert "index_no: 11511525MB1234567X/2026-00002" in text
    assert gxsite("check", "--content", content, "--today", "2026-11-26").returncode == 1   # placeholder body
    (content / "items/sfj/2026/pufa.md").write_text(text.replace("正文写在这里。", "请各单位开展普法宣传。"),
                                                     encoding="utf-8")
    assert gxsite("check", "--content", content, "--today", "2026-11-26").returncode == 0
    assert gxsite("new", "nosuchtype", "--org", "sfj", "--title", "x", "--content", content).returncode == 1
