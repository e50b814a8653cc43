"""Personal data (条例 art. 15): ID, mobile and bank card numbers are errors; look-alikes are not.

The test set (tests/fixtures/personal_cases.yaml) measures precision and recall; run
`python -m pytest tests/test_personal.py -q -s` to see the figures.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import TODAY, item, messages
from gxsite.checks import personal

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "personal_cases.yaml").read_text(encoding="utf-8"))


def kinds(text: str, official=()) -> list[str]:
    return [f.kind for f in personal.scan(text, official, TODAY)]


def test_the_test_set_is_large_enough():
    assert len(CASES["planted"]) >= 60 and len(CASES["lookalikes"]) >= 60
    assert {c["kind"] for c in CASES["planted"]} == {"id", "id15", "mobile", "bankcard"}


def measure() -> dict:
    tp = fn = fp = tn = 0
    for case in CASES["planted"]:
        got = kinds(case["text"])
        if case["kind"] in got:
            tp += 1
        else:
            fn += 1
        fp += sum(1 for k in got if k != case["kind"])     # a second or wrong-kind finding
    for case in CASES["lookalikes"]:
        got = kinds(case["text"], case.get("official", ()))
        fp += len(got)
        tn += not got
    return {"tp": tp, "fn": fn, "fp": fp, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn)}


def test_precision_and_recall(capsys):
    m = measure()
    with capsys.disabled():
        print(f"\n个人信息识别：{len(CASES['planted'])} 个植入样本，{len(CASES['lookalikes'])} 个相似样本；"
              f"TP={m['tp']} FN={m['fn']} FP={m['fp']} TN={m['tn']}；"
              f"precision={m['precision']:.3f} recall={m['recall']:.3f}")
    assert m["recall"] == 1.0, [c for c in CASES["planted"] if c["kind"] not in kinds(c["text"])]
    assert m["precision"] == 1.0, [c for c in CASES["lookalikes"] if kinds(c["text"], c.get("official", ()))]


@pytest.mark.parametrize("case", CASES["planted"], ids=lambda c: c["text"][:24])
def test_planted(case):
    assert kinds(case["text"]) == [case["kind"]]


@pytest.mark.parametrize("case", CASES["lookalikes"], ids=lambda c: c["why"])
def test_lookalike(case):
    assert kinds(case["text"], case.get("official", ())) == []


def test_check_digits():
    assert personal.id18_valid("11010519491231002X", TODAY)
    assert not personal.id18_valid("110105194912310021", TODAY)
    assert not personal.id18_valid("511525203001011239", TODAY)          # born in the future
    assert personal.id15_valid("511525650312041", TODAY)
    assert personal.luhn_valid("6222029458073021579") and not personal.luhn_valid("6222029458073021578")
    assert personal.credit_code_valid("11511525MB6209489A")
    assert not personal.credit_code_valid("11511525008745231K")          # the test fixture's code


def test_findings_are_masked_and_located():
    text = "第一行\n联系人：王某 13812345678，身份证 511525196503120411\n卡号6222029458073021579"
    found = personal.scan(text, today=TODAY)
    assert [(f.line, f.kind, f.masked) for f in found] == [
        (2, "mobile", "138****5678"), (2, "id", "511525********0411"), (3, "bankcard", "6222***********1579")]
    for f in found:
        message = personal.message(f)
        assert "13812345678" not in message and "511525196503120411" not in message
        assert "6222029458073021579" not in message


# ---- in a content tree: every place editors write, as errors that stop the build ------------


def test_personal_data_anywhere_in_content_stops_the_build(built, tmp_path):
    body = "为方便联系，现公布经办人信息。\n\n经办人：李某，手机 13990831234。\n"
    extra = {
        "items/xzfb/2026/mingdan.md": item("补贴发放名单公示", body=body, party="'张某（511525196503120411）'",
                                           attachments="[{file: 名单.csv, title: 名单}]"),
        "items/xzfb/2026/mingdan/名单.csv": "序号,姓名,账号\n1,王某,6222029458073021579\n".encode("gb18030"),
        "items/xzfb/2026/mingdan/说明.txt": "旧证号 511525650312041\n",
        "data/officers/sfj.yaml": "- {name: 王某, cert_no: \"51152500101\", category: 司法行政, area: 全县}\n"
                                  "- {name: 李某, cert_no: \"51152500102\", category: 司法行政, area: 15108311234}\n",
    }
    result, out = built(extra)
    assert not result.ok and not out.exists()
    found = {(p.path, p.line, p.rule) for p in result.problems.errors if p.rule.startswith("personal")}
    assert found == {
        ("items/xzfb/2026/mingdan.md", 7, "personal-id"),          # front matter
        ("items/xzfb/2026/mingdan.md", 13, "personal-mobile"),     # body
        ("items/xzfb/2026/mingdan/名单.csv", 2, "personal-bankcard"),  # GB 18030 attachment
        ("items/xzfb/2026/mingdan/说明.txt", 1, "personal-id"),     # 15-digit legacy ID
        ("data/officers/sfj.yaml", 2, "personal-mobile"),          # data file
    }
    for line in messages(result):
        assert "13990831234" not in line and "511525196503120411" not in line


def test_official_phone_fields_are_not_flagged(built):
    orgs = ("- {id: xzfb, name: 测试县人民政府办公室, kind: department, credit_code: 11511525008745231K, phone: 13908310001}\n"
            "- {id: sfj, name: 测试县司法局, kind: department, credit_code: 11511525MB1234567X}\n"
            "- {id: qfz, name: 测试县庆符镇人民政府, kind: town, credit_code: 11511525MB7654321A}\n"
            "- {id: wjz, name: 测试县文江镇人民政府, kind: town, credit_code: 11511525MB1111111B}\n")
    interp = item("解读", type="interpretation", date="2026-10-21", org="sfj", interprets="sfj/2026/gfxwj",
                  interpreter="{name: 王某, title: 股长, phone: 13908310002}",
                  body="如有疑问，请致电解读人 13908310002 或办公室 13908310001。")
    result, _ = built({"orgs.yaml": orgs, "items/sfj/2026/jd.md": interp})
    assert result.ok, messages(result)
    assert not [p for p in result.problems.items if p.rule.startswith("personal")]


def test_masked_party_is_fine(built):
    result, _ = built({"items/xzfb/2026/cf.md": item("处罚决定", party="'张某（身份证号 511525********0411）'",
                                                      body="当事人张某，联系电话 139****1234。")})
    assert result.ok, messages(result)
    assert not [p for p in result.problems.items if p.rule.startswith("personal")]
