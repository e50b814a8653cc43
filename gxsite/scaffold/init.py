"""`gxsite init DIR`: check what the office typed, then write a new site's folder in one go."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gxsite.checks import personal
from gxsite.scaffold import ci, skeleton

DIVISION_RE = re.compile(r"\d{6}")
URL_RE = re.compile(r"https?://[^\s/]+(/\S*)?")
# The last character of a county-level name says what the office is called: 县政府办公室, 区…, 市…, 旗….
LEVELS = ("县", "区", "市", "旗")


class InitError(Exception):
    """A usage error: one Chinese line for the terminal."""


@dataclass(frozen=True)
class NewSite:
    """What the new site is built from: everything else in the folder is the same for every county."""
    name: str              # 某某县, as the office wrote it (without 人民政府)
    division_code: str     # 6 digits, 行政区划代码
    base_url: str          # ends with /

    @property
    def title(self) -> str:
        return f"{self.name}人民政府"

    @property
    def level(self) -> str:
        return self.name[-1] if self.name[-1] in LEVELS else "县"

    @property
    def credit_code(self) -> str:
        """A well-formed placeholder: 11 (机构编制, 机关) + the division + MB0000000 + its GB 32100
        check character, so the first build has no credit-code reminder; the office replaces it."""
        body = f"11{self.division_code}MB0000000"
        total = sum(personal.CREDIT_CHARS.index(c) * w for c, w in zip(body, personal.CREDIT_WEIGHTS))
        return body + personal.CREDIT_CHARS[(31 - total % 31) % 31]


def new_site(name: str, division_code: str, base_url: str) -> NewSite:
    """The checked arguments, or InitError saying what to type instead."""
    name = (name or "").strip()
    if name.endswith("人民政府"):   # --name 某某县人民政府 means the same county
        name = name[: -len("人民政府")].strip()
    if not name:
        raise InitError("--name 不能为空：请写县（区）名称，如 --name 某某县")
    if any(c in name for c in "/\\\n\"'"):
        raise InitError(f"--name “{name}”含有不能用在网站名称中的字符")
    code = (division_code or "").strip()
    if not DIVISION_RE.fullmatch(code):
        raise InitError(f"--division-code “{division_code}”不是行政区划代码：应为 6 位数字，如 --division-code 510000")
    url = (base_url or "").strip()
    if not URL_RE.fullmatch(url):
        raise InitError(f"--base-url “{base_url}”不是网址：应以 http:// 或 https:// 开头，如 --base-url https://www.example.gov.cn/")
    return NewSite(name, code, url if url.endswith("/") else url + "/")


def files(site: NewSite) -> dict[str, str]:
    """Every file of the new site: its path inside DIR → its text."""
    return {**skeleton.files(site), **ci.files()}


def create(target: Path, site: NewSite) -> list[str]:
    """Write the new site into `target` (absent or empty), whole or not at all; the paths written."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} 已存在且不是文件夹：请换一个文件夹名")
    if target.is_dir() and any(target.iterdir()):
        raise InitError(f"{target} 不是空文件夹：为免覆盖已有文件，请指定一个新的或空的文件夹")
    written = files(site)
    target = target.resolve()   # `gxsite init .` in an empty folder
    # Written beside the target and moved in at the end, so a failure leaves no half a site.
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=parent))
    except OSError as exc:
        raise InitError(f"无法创建 {target}：{exc.strerror or exc}") from None
    try:
        for rel, text in written.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            if rel.endswith(".sh"):
                path.chmod(0o755)
        if target.is_dir():   # empty, checked above; kept, as someone's shell may stand in it
            for child in tmp.iterdir():
                child.rename(target / child.name)
            tmp.rmdir()
        else:
            os.chmod(tmp, 0o777 & ~_umask())   # mkdtemp makes 0700; a site folder is an ordinary folder
            tmp.rename(target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InitError(f"无法写入 {target}：{exc.strerror or exc}") from None
    return sorted(written)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
