"""Fetch the Decap CMS bundle that gxsite ships at /admin/: decap-cms (pinned) from the npm
registry, its integrity checked, only what the editor loads kept in gxsite/admin/decap/.

    python scripts/fetch_decap.py          # once, before packaging (.ci/run and build.py call it)

Idempotent: a folder already holding this version and tarball is left alone. The folder is
git-ignored (6 MB of minified JavaScript is not source) and goes into the wheel as package data.

What is kept, and why (checked against decap-cms 3.16.3):
- dist/decap-cms.js: the app. Its locales (zh_Hans among them) are compiled in and registered
  at start, so decap-cms-locales is not needed.
- dist/<id>.decap-cms.js: the chunks it loads lazily. Webpack's automatic publicPath takes the
  folder of decap-cms.js's own <script src>, so chunks and .wasm load from /admin/ itself.
  (dist/<id>.cms.js are the chunks of dist/cms.js, the same app under its old name: not kept.)
- dist/*.wasm: image encoders (webp) loaded by two chunks through that publicPath.
- the licences: dist/decap-cms.js.LICENSE.txt (bundled third-party code) and the MIT licence of
  Decap CMS itself. The npm package has no LICENSE file (its README points to the repository's),
  so the repository's LICENSE text is written beside it.
Not kept: source maps, cms.js and its chunks, cms.css (an empty placeholder since Decap 2).
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "3.16.3"
# `npm view decap-cms@3.16.3 dist.integrity`: the tarball must be exactly the one pinned here.
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="

DEST = Path(__file__).resolve().parent.parent / "gxsite" / "admin" / "decap"
STAMP = "VERSION"   # "decap-cms <version> <integrity>": what the folder holds

KEEP = re.compile(r"package/(?:dist/(?:decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)"
                  r"|README\.md|package\.json)")

# From https://github.com/decaporg/decap-cms/blob/main/LICENSE (the package's README: "released under the MIT License").
LICENSE = """Copyright (c) 2016 Netlify <decap@p-m.si>

MIT License

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


class FetchError(Exception):
    pass


def stamp() -> str:
    return f"decap-cms {VERSION} {INTEGRITY}\n"


def is_current(dest: Path = DEST) -> bool:
    try:
        return (dest / STAMP).read_text(encoding="utf-8") == stamp() and (dest / "decap-cms.js").is_file()
    except OSError:
        return False


def integrity_of(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def pack(work: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("找不到 npm：编辑器（Decap CMS）需要用 npm 从软件源下载一次。请安装 Node.js 和 npm"
                         "（Debian/Ubuntu：apt-get install npm）后再运行 python scripts/fetch_decap.py"
                         " (npm not found: install Node.js/npm, then run this script again)")
    done = subprocess.run([npm, "pack", f"decap-cms@{VERSION}", "--json", "--pack-destination", str(work)],
                          cwd=work, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise FetchError(f"npm pack decap-cms@{VERSION} 失败（请检查网络或 npm 的软件源设置）：\n{done.stderr.strip()[-2000:]}")
    try:
        name = json.loads(done.stdout)[0]["filename"]
    except (ValueError, LookupError, TypeError):
        name = f"decap-cms-{VERSION}.tgz"
    tarball = work / name
    if not tarball.is_file():
        raise FetchError(f"npm pack 没有生成 {tarball}")
    return tarball


def extract(tarball: Path, into: Path) -> list[str]:
    got = integrity_of(tarball)
    if got != INTEGRITY:
        raise FetchError(f"decap-cms-{VERSION}.tgz 的校验值不符，已拒绝使用（软件源返回的文件被改动过？）：\n"
                         f"  应为 {INTEGRITY}\n  实为 {got}")
    kept = []
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            # Names are matched whole against a fixed pattern: no "..", no folders, no links.
            if not member.isfile() or not KEEP.fullmatch(member.name):
                continue
            name = member.name.rsplit("/", 1)[-1]
            source = tar.extractfile(member)
            assert source is not None
            (into / name).write_bytes(source.read())
            kept.append(name)
    if "decap-cms.js" not in kept:
        raise FetchError(f"decap-cms-{VERSION}.tgz 中没有 dist/decap-cms.js")
    (into / "LICENSE").write_text(LICENSE, encoding="utf-8")
    (into / STAMP).write_text(stamp(), encoding="utf-8")
    return kept


def fetch(dest: Path = DEST) -> bool:
    """Make `dest` hold the pinned bundle; False when it already did."""
    if is_current(dest):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="decap-") as tmp:
        work = Path(tmp)
        tarball = pack(work)
        # Filled beside the destination and swapped in whole: an interrupted fetch leaves the old folder.
        fresh = Path(tempfile.mkdtemp(prefix=".decap-new-", dir=dest.parent))
        try:
            extract(tarball, fresh)
            old = dest.parent / f".decap-old-{os.getpid()}"
            if dest.exists():
                dest.rename(old)
            fresh.rename(dest)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
    return True


def size(dest: Path = DEST) -> int:
    return sum(p.stat().st_size for p in dest.iterdir() if p.is_file())


def main() -> int:
    try:
        changed = fetch()
    except FetchError as exc:
        print(f"fetch_decap: {exc}", file=sys.stderr)
        return 1
    what = "已下载" if changed else "已是最新"
    print(f"{what} Decap CMS {VERSION}：{DEST}（{len(list(DEST.iterdir()))} 个文件，{size() / 1e6:.1f} MB）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
