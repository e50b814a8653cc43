"""Small content trees built in tests, and helpers that read what the build wrote."""
from __future__ import annotations

import datetime as dt
import hashlib
import sys
import textwrap
from pathlib import Path

import pytest
from lxml import html as lxml_html

from gxsite import pipeline

TODAY = dt.date(2026, 11, 26)
REPO = Path(__file__).resolve().parent.parent

SITE = """\
title: 测试县人民政府
short_title: 测试县
base_url: https://www.example.gov.cn/
division_code: "511525"
lead_org: xzfb
contact: {phone: 0831-6500000, email: zwgk@example.gov.cn, address: 测试县某某路1号}
per_page: 3
site_code: "5115250001"
channels:
  - {name: 县长信箱, url: "https://www.example.gov.cn/hudong/xzxx/"}
  - {name: 12345政务服务便民热线, phone: "12345"}
"""

ORGS = """\
- {id: xzfb, name: 测试县人民政府办公室, short: 县政府办, kind: department, credit_code: 11511525008745231K}
- {id: sfj, name: 测试县司法局, short: 县司法局, kind: department, credit_code: 11511525MB1234567X}
- {id: qfz, name: 测试县庆符镇人民政府, short: 庆符镇, kind: town, credit_code: 11511525MB7654321A}
- {id: wjz, name: 测试县文江镇人民政府, short: 文江镇, kind: town, credit_code: 11511525MB1111111B}
"""

DOMAINS = """\
- {id: ggflfw, name: 公共法律服务, org: sfj}
- {id: xczx, name: 乡村振兴, org: xzfb}
"""

COLUMNS = """\
- id: zfxxgk
  title: 政府信息公开
- id: zcwj
  title: 政策文件
  parent: zfxxgk
  select: {type: policy}
- id: gfxwj
  title: 行政规范性文件
  parent: zcwj
  select: {type: policy, category: 规范性文件}
- id: tzgg
  title: 通知公告
  parent: zfxxgk
  select: {type: [notice, news]}
- id: xczx
  title: 推进乡村振兴
  select: {domains: [xczx, ggflfw]}
- id: zhen
  title: 各镇动态
  select: {org_kind: town, type: news}
- id: zwgkzq
  title: 政务公开专区
"""


def item(title: str, type: str = "notice", org: str = "xzfb", date: str = "2026-11-01",
         index_no: str | None = None, body: str = "正文第一段。", **fields) -> str:
    """The text of an item file; fields are YAML snippets (values written as given)."""
    codes = {"xzfb": "11511525008745231K", "sfj": "11511525MB1234567X", "qfz": "11511525MB7654321A",
             "wjz": "11511525MB1111111B"}
    lines = [f"title: {title}", f"type: {type}", f"org: {org}", f"date: {date}"]
    if index_no is not False:
        lines.append(f"index_no: {index_no or codes.get(org, 'X') + '/' + date[:4] + '-' + str(abs(hash(title)) % 99999 + 1).zfill(5)}")
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


BASE_ITEMS = {
    "items/xzfb/2026/tongzhi-a.md": item("关于做好政务公开工作的通知", index_no="11511525008745231K/2026-00001",
                                         body="本通知适用于全县。\n\n详见[实施方案](../2025/fangan.md)。"),
    "items/xzfb/2025/fangan.md": item("测试县政务公开实施方案", type="policy", date="2025-03-10",
                                      index_no="11511525008745231K/2025-00001",
                                      doc_no="测府办函〔2025〕5号", issued="2025-03-06", domains="[xczx]"),
    "items/sfj/2026/gfxwj.md": item("测试县法律援助实施办法", type="policy", org="sfj", date="2026-10-20",
                                    index_no="11511525MB1234567X/2026-00001", doc_no="测司规〔2026〕1号",
                                    issued="2026-10-16", category="规范性文件"),
    "items/qfz/2026/dongtai.md": item("庆符镇开展法律进乡村活动", type="news", org="qfz", date="2026-11-20",
                                      index_no="11511525MB7654321A/2026-00001", towns="[qfz]", domains="[ggflfw]"),
}


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path):
    """A function making a valid small content tree, with files added or replaced (None removes)."""
    def make(extra: dict | None = None, base: bool = True) -> Path:
        files = {"site.yaml": SITE, "orgs.yaml": ORGS, "domains.yaml": DOMAINS, "columns.yaml": COLUMNS}
        if base:
            files.update(BASE_ITEMS)
        for rel, text in (extra or {}).items():
            if text is None:
                files.pop(rel, None)
            else:
                files[rel] = text
        content = tmp_path / "content"
        return write_tree(content, files)
    return make


@pytest.fixture
def built(tree, tmp_path):
    """Build a tree and return (result, output folder)."""
    def run(extra: dict | None = None, today: dt.date = TODAY, base: bool = True):
        content = tree(extra, base)
        out = tmp_path / "output"
        result = pipeline.build(content, out, today, progress=False)
        return result, out
    return run


def parse(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def messages(result) -> list[str]:
    return [str(p) for p in result.problems.errors]


def digest(folder: Path) -> dict[str, str]:
    """Every file under folder (relative POSIX path) with a hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differing(a: dict, b: dict) -> list[str]:
    """Paths whose bytes differ between two digests or that only one has (a short list for pytest to show)."""
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))[:20]


def generate(n: int, outdir, seed: int = 0):
    """benches/gen_content.py's generator: a content tree of n items."""
    sys.path.insert(0, str(REPO / "benches"))
    from gen_content import generate as gen
    return gen(n, str(outdir), seed=seed)
