"""The mistakes editors make, each reported by `gxsite check` on the file and line where it is,
with what to do about it: a table of real files, checked with the real command line."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import COLUMNS, ORGS, REPO, SITE, TODAY, digest
from gxsite import cli
from gxsite.content import load, resolve
from gxsite.core.problems import Problems
from gxsite.preview.serve import Preview

ITEM = "items/sfj/2026/pufa-2026.md"
BASE = {"title": "title: 关于开展普法宣传的通知", "type": "type: notice", "org": "org: sfj",
        "date": "date: 2026-11-01", "index_no": "index_no: 11511525MB1234567X/2026-00050"}


def notice(*extra: str, **lines: str) -> str:
    """An item file: title on line 2, type 3, org 4, date 5, index_no 6 (each replaceable by
    key, whole line), then the `extra` lines from line 7, the closing `---` and a body."""
    head = [lines.get(key, line) for key, line in BASE.items()] + list(extra)
    return "---\n" + "\n".join(head) + "\n---\n\n正文第一段。\n"


ENFORCEMENT = {"type": "type: enforcement"}
DECISION = {"type": "type: decision"}
ORG_LINE = "- {id: sfj, name: 测试县司法局, short: 县司法局, kind: department, credit_code: 11511525MB1234567X}"


def orgs_with(line2: str) -> str:
    """orgs.yaml with its second line (the 司法局) replaced."""
    assert ORG_LINE in ORGS
    return ORGS.replace(ORG_LINE, line2)


# (files written over the valid test tree, file reported, line, part of the message, --strict)
MISTAKES = [
    # YAML syntax: the line of the mistake, not the line where PyYAML gave up
    pytest.param({ITEM: notice("stage: 事后", "case_no: 高司罚〔2026〕1号", "action：行政处罚", "party: 某某有限公司", **ENFORCEMENT)},
                 ITEM, 9, "全角的“：”：请改成半角冒号加空格，写成 action: 行政处罚", False, id="full-width-colon"),
    pytest.param({ITEM: notice("stage: 事后", "action：行政处罚", **ENFORCEMENT)},
                 ITEM, 8, "全角的“：”", False, id="full-width-colon-last-key"),
    pytest.param({ITEM: notice("stage；事后", **ENFORCEMENT)},
                 ITEM, 7, "全角的“；”", False, id="full-width-semicolon-as-colon"),
    pytest.param({ITEM: notice("topic:司法行政", "summary: 普法宣传")},
                 ITEM, 7, "“topic:”后面少了空格", False, id="no-space-after-colon"),
    pytest.param({ITEM: notice("summary: 普法宣传", "topic:司法行政")},
                 ITEM, 8, "写成 topic: 司法行政", False, id="no-space-after-colon-last-key"),
    pytest.param({ITEM: notice(org="  org: sfj")},
                 ITEM, 4, "“org”比上面的“type”多缩进了 2 个空格", False, id="over-indented-key"),
    pytest.param({ITEM: notice("comment:", "  opens: 2026-11-01", " closes: 2026-12-01", **DECISION)},
                 ITEM, 9, "与上面同一层的“opens”（2 个空格）对不齐", False, id="misaligned-key"),
    pytest.param({ITEM: notice("comment:", "\topens: 2026-11-01", **DECISION)},
                 ITEM, 8, "请把行首的 Tab 改成空格", False, id="tab-indent"),
    pytest.param({ITEM: notice(title="title: 普法宣传: 第二期")},
                 ITEM, 2, "请给整个值加英文引号", False, id="colon-in-value"),
    pytest.param({ITEM: notice(title="title: “普法宣传: 第二期”")},
                 ITEM, 2, "用了中文引号", False, id="chinese-quotes"),
    pytest.param({ITEM: notice(title='title: "普法"宣传')},
                 ITEM, 2, "引号后面还有文字", False, id="text-after-quote"),
    pytest.param({ITEM: notice(title='title: "关于开展普法宣传的通知')},
                 ITEM, 2, "引号没有闭合", False, id="unclosed-quote"),
    pytest.param({ITEM: notice("domains: [ggflfw, xczx")},
                 ITEM, 7, "括号或引号没有闭合", False, id="unclosed-bracket"),
    pytest.param({ITEM: notice("title: 又一个标题")},
                 ITEM, 7, "（第 2 行已有），请删去其中一个", False, id="duplicate-key"),
    pytest.param({"columns.yaml": COLUMNS.replace("  title: 政府信息公开", "  title:政府信息公开")},
                 "columns.yaml", 2, "冒号后应加一个空格", False, id="no-space-in-list-file"),
    pytest.param({"orgs.yaml": orgs_with("- {id：sfj, name: 测试县司法局, kind: department, credit_code: 11511525MB1234567X}")},
                 "orgs.yaml", 2, "全角的“：”", False, id="full-width-colon-in-braces"),
    pytest.param({"orgs.yaml": orgs_with("- {id: sfj，name: 测试县司法局, kind: department, credit_code: 11511525MB1234567X}")},
                 "orgs.yaml", 2, "请改成半角逗号", False, id="full-width-comma-in-braces"),
    # text and dates
    pytest.param({ITEM: notice().encode("gbk")}, ITEM, 2, "请用 UTF-8 另存", False, id="gbk-file"),
    pytest.param({ITEM: notice(date="date: 2026-02-30")}, ITEM, 5, "不存在，请检查年月日", False, id="date-does-not-exist"),
    pytest.param({ITEM: notice(date="date: 2026-11-01 10:00:00")}, ITEM, 5, "不带时间", False, id="date-with-time"),
    pytest.param({ITEM: notice(date="date: '2026-11-01'")}, ITEM, 5, "不加引号", False, id="quoted-date"),
    pytest.param({ITEM: notice(date="date: 2026-11-1")}, ITEM, 5, "应写成 2026-11-01", False, id="one-digit-day"),
    pytest.param({ITEM: notice(date="date: 2026年11月1日")}, ITEM, 5, "应写成 2026-11-01", False, id="chinese-date"),
    # front matter
    pytest.param({ITEM: notice()[4:]}, ITEM, 1, "缺少文件头：第一行应为“---”", False, id="no-front-matter"),
    pytest.param({ITEM: "\n\n" + notice()}, ITEM, 1, "请删去第 1 至第 2 行", False, id="blank-lines-before-front-matter"),
    pytest.param({ITEM: "——\n" + notice()[4:]}, ITEM, 1, "应为三个半角减号", False, id="chinese-dashes"),
    pytest.param({ITEM: notice().replace("---\n\n", "\n", 1)}, ITEM, 7, "文件头没有结束：请在第 7 行之前", False,
                 id="front-matter-not-closed"),
    # fields
    pytest.param({ITEM: notice("sumary: 普法宣传")}, ITEM, 7, "是不是“summary”？请改正拼写", True, id="unknown-field-typo"),
    pytest.param({ITEM: notice(type="type: policy")}, ITEM, 2, "缺少必填字段 doc_no（文号）：请加上", False, id="missing-required"),
    pytest.param({ITEM: notice(org="org: [sfj]")}, ITEM, 4, "只能写一个值，不能写成列表：请去掉方括号", False, id="list-for-one-value"),
    pytest.param({ITEM: notice("level: 紫色", "valid_until: 2026-12-01", type="type: warning")},
                 ITEM, 7, "不是可选值", False, id="bad-choice"),
    pytest.param({ITEM: notice(type="type: 通知公告")}, ITEM, 3, "请改为 type: notice", False, id="type-by-chinese-name"),
    pytest.param({ITEM: notice(type="type: notise")}, ITEM, 3, "是不是 notice（通知公告）", False, id="type-typo"),
    # ids: full-width separators, and names where an id belongs
    pytest.param({ITEM: notice("domains: [ggflfw，xczx]")}, ITEM, 7, "请用半角逗号分隔，写成 [ggflfw, xczx]", False,
                 id="full-width-comma-in-list"),
    pytest.param({ITEM: notice("towns: qfz、wjz")}, ITEM, 7, "写成 [qfz, wjz]", False, id="enumeration-comma"),
    pytest.param({ITEM: notice("domains: 公共法律服务")}, ITEM, 7, "应写领域编号而不是名称，请改为 ggflfw（公共法律服务）", False,
                 id="domain-by-name"),
    pytest.param({ITEM: notice(org="org: 司法局")}, ITEM, 4, "请改为 sfj（测试县司法局）", False, id="org-by-name"),
    pytest.param({ITEM: notice(org="org: SFJ")}, ITEM, 4, "请改为 sfj（测试县司法局）", False, id="org-in-capitals"),
    pytest.param({ITEM: notice("towns: [庆符镇]")}, ITEM, 7, "请改为 qfz（测试县庆符镇人民政府）", False, id="town-by-name"),
    pytest.param({ITEM: notice("columns: [通知公告]")}, ITEM, 7, "请改为 tzgg（通知公告）", False, id="column-by-title"),
    # where files are
    pytest.param({"items/xzfb/2026/pufa-2026.md": notice()}, "items/xzfb/2026/pufa-2026.md", 4,
                 "请把文件移到 items/sfj/", False, id="wrong-org-folder"),
    pytest.param({"items/sfj/2025/pufa-2026.md": notice()}, "items/sfj/2025/pufa-2026.md", 5,
                 "请移到 2026/ 文件夹", False, id="wrong-year-folder"),
    pytest.param({"items/sfj/2026/普法宣传.md": notice()}, "items/sfj/2026/普法宣传.md", 0,
                 "只能用小写字母、数字和连字符，请改名", False, id="chinese-file-name"),
    pytest.param({"items/sfj/2026/pufa-2026.md.txt": notice()}, "items/sfj/2026/pufa-2026.md.txt", 0,
                 "文件名以 .md.txt 结尾（记事本隐藏了扩展名）：请改名为 pufa-2026.md", False, id="notepad-md-txt"),
    pytest.param({"items/sfj/2026/PUFA-2026.MD": notice()}, "items/sfj/2026/PUFA-2026.MD", 0,
                 "请改名为 pufa-2026.md", False, id="upper-case-md"),
    pytest.param({ITEM: notice(), "items/sfj/2026/pufa-2026.docx": b"PK\x03\x04"}, "items/sfj/2026/pufa-2026.docx", 0,
                 "请放到所属信息的附件文件夹 items/sfj/2026/pufa-2026/ 里", False, id="attachment-loose-in-year-folder"),
    pytest.param({"items/sfj/2026/pufa/名单.pdf": b"%PDF-1.4"}, "items/sfj/2026/pufa", 0,
                 "旁边没有同名的信息文件 pufa.md", False, id="attachment-folder-without-item"),
    pytest.param({"items/sfj/pufa-2026.md": notice()}, "items/sfj/pufa-2026.md", 0,
                 "应放在 items/sfj/<年份>/pufa-2026.md", False, id="item-without-year-folder"),
    pytest.param({"site.yaml": None, "site.yml": SITE}, "site.yml", 0, "请改名为 site.yaml", False, id="yml"),
    pytest.param({"orgs.yaml.txt": ORGS}, "orgs.yaml.txt", 0, "请改名为 orgs.yaml", False, id="notepad-yaml-txt"),
    pytest.param({"工作说明.docx": b"PK\x03\x04"}, "工作说明.docx", 0, "请把它移出 content/", False, id="stray-top-file"),
    pytest.param({"data/officers/sfj.yml": '- {name: 王某, cert_no: "5100001"}\n'}, "data/officers/sfj.yml", 0,
                 "请改名为 sfj.yaml", False, id="officers-yml"),
    pytest.param({"data/officer/sfj.yaml": '- {name: 王某, cert_no: "5100001"}\n'}, "data/officer", 0,
                 "是不是 officers？请改名为 officers", False, id="data-folder-typo"),
    pytest.param({"data/services/qyslbl.yaml": "name: 企业设立登记\n"}, "data/services/qyslbl.yaml", 0,
                 "data/services/<机构编号>/<文件名>.yaml", False, id="service-outside-org-folder"),
]


@pytest.mark.parametrize("files, path, line, fragment, strict", MISTAKES)
def test_mistake_is_reported_on_its_line_with_the_fix(tree, tmp_path, monkeypatch, capsys, files, path, line,
                                                      fragment, strict):
    tree(files)
    monkeypatch.chdir(tmp_path)   # the site folder: paths are printed as content/…
    code = cli.main(["check", "--no-links", "--content", "content", "--today", TODAY.isoformat()]
                    + (["--strict"] if strict else []))
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and "内部错误" not in err, err
    where = f"content/{path}:{line}: " if line else f"content/{path}: "
    said = [l[len(where):] for l in err.splitlines() if l.startswith(where)]
    assert any(fragment in m for m in said), f"{where}…{fragment} not in:\n{err}"
    message = next(m for m in said if fragment in m)
    assert re.search("[请应改]", message), message   # says what to do, not only what is wrong


def test_the_table_is_broad():
    assert len(MISTAKES) >= 25


def gxsite(*args, cwd):
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_paths_are_printed_as_typed_from_where_the_editor_stands(tree, tmp_path):
    content = tree({ITEM: notice(date="date: 2026-02-30")})
    here = gxsite("check", "--no-links", "--today", TODAY, cwd=tmp_path)   # from the site folder, --content left out
    assert here.returncode == 1 and "Traceback" not in here.stderr
    assert f"content/{ITEM}:5: 日期“2026-02-30”不存在" in here.stderr
    inside = gxsite("check", "--no-links", "--today", TODAY, "--content", ".", cwd=content)
    assert f"\n{ITEM}:5: " in "\n" + inside.stderr
    away = gxsite("check", "--no-links", "--today", TODAY, "--content", content, "--json", tmp_path / "r.json", cwd=REPO)
    assert f"{content}/{ITEM}:5: " in away.stderr    # content outside the working folder: absolute
    found = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["findings"]
    assert {"file": ITEM, "line": 5} in [{"file": f["file"], "line": f["line"]} for f in found]   # JSON: relative to content/


def test_missing_content_folder_says_where_it_looked_in_one_line(tmp_path):
    run = gxsite("check", cwd=tmp_path)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert str(tmp_path / "content") in lines[0] and "--content 目录" in lines[0]


def test_editors_scratch_files_stay_unmentioned(tree, tmp_path, monkeypatch, capsys):
    scratch = {f"items/sfj/2026/{name}": b"x" for name in (".pufa.md.swp", "pufa.md~", "#pufa.md#", "~$fangan.docx", "Thumbs.db")}
    tree({**scratch, "data/officers/.sfj.yaml.swp": b"x", ".DS_Store": b"x", "desktop.ini": b"x"})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-links", "--content", "content", "--today", TODAY.isoformat()]) == 0
    err = capsys.readouterr().err
    assert not [name for name in (*scratch, ".DS_Store", "desktop.ini", ".sfj.yaml.swp") if name in err], err


def test_attachments_in_their_items_folder_are_not_mentioned(tree, tmp_path, monkeypatch, capsys):
    tree({ITEM: notice(body="见[名单](pufa-2026/名单.csv)。"), "items/sfj/2026/pufa-2026/名单.csv": "姓名\n",
          "items/sfj/2026/pufa-2026/图片/现场.jpg": b"\xff\xd8"})
    monkeypatch.chdir(tmp_path)
    cli.main(["check", "--no-links", "--content", "content", "--today", TODAY.isoformat()])
    assert "pufa-2026/" not in capsys.readouterr().err


def test_a_stray_file_saved_during_preview_is_reported_by_a_full_build(tree, tmp_path, capsys):
    content = tree()
    preview = Preview(content, tmp_path / "out", TODAY)
    assert preview.build()
    before = digest(preview.out)
    (content / "items/sfj/2026/pufa-2026.md.txt").write_text(notice(), encoding="utf-8")
    assert preview.refresh() is False   # refused: the last good site stays up
    assert "items/sfj/2026/pufa-2026.md.txt: 文件名以 .md.txt 结尾" in capsys.readouterr().err
    assert digest(preview.out) == before
    (content / "items/sfj/2026/pufa-2026.md.txt").rename(content / ITEM)
    assert preview.refresh() is True
    assert (preview.out / "items/sfj/2026/pufa-2026/index.html").is_file()


def test_suggest_id_finds_the_id_of_a_name(tree):
    lib = load.load(tree(), Problems())
    assert resolve.suggest_id("司法局", lib.orgs.values()) == "sfj（测试县司法局）"
    assert resolve.suggest_id("县司法局", lib.orgs.values()) == "sfj（测试县司法局）"
    assert resolve.suggest_id("sjf", lib.orgs.values()) == "sfj（测试县司法局）"
    assert resolve.suggest_id("公共法律服务", lib.domains.values()) == "ggflfw（公共法律服务）"
    assert resolve.suggest_id("通知公告", lib.columns.values()) == "tzgg（通知公告）"
    assert resolve.suggest_id("气象局", lib.orgs.values()) == ""
