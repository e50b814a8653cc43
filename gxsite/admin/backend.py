"""Decap CMS's local backend (the decap-server protocol, `POST /api/v1` with `{action, params}`),
in Python, with gxsite's checks in front of every write.

Paths are relative to the site folder (the one holding the content folder) and only files in
the content folder are read or written: every path is normalised first, then refused when it
leaves the content folder or passes through a symbolic link. A save is checked as the build
would check the file (the contract, references, 索引号, personal data); a file with errors is
refused with the Chinese messages (HTTP 422, which Decap shows) and nothing is written. A new
item is given its next 索引号 under numbering's lock. Files are replaced atomically, so the
running preview sees a saved file as it sees an editor's.

Framework-free: `handle` takes the decoded request and returns (status, JSON value); the
preview's HTTP server (preview/serve.py) adds the origin, host and token checks of `Guard`.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import os
import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from gxsite.admin.config import LIST_KEYS
from gxsite.checks import personal
from gxsite.content import load, model, numbering, resolve, schema
from gxsite.core.problems import Problems
from gxsite.core.source import FileStat, Map, is_scratch, parse_yaml, split_front_matter
from gxsite.core.write import replace_file

MAX_BODY = 30 * 1024 * 1024    # a request: a 20 MB attachment is 27 MB in base64
MAX_FILE = 20 * 1024 * 1024    # one attachment
TOKEN_HEADER = "X-Gxsite-Token"
_INDEX_LINE = re.compile(r"^index_no\s*:.*$", re.M)
_DATE_LINE = re.compile(r"^date\s*:.*$", re.M)


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Site:
    content: Path                                   # the content folder
    today: dt.date
    library: Callable[[], model.Library | None] = lambda: None   # the preview's last good build

    @property
    def root(self) -> Path:          # the site folder: Decap's paths start here
        return self.content.parent

    @property
    def prefix(self) -> str:
        return self.content.name


# ---- who may ask ------------------------------------------------------------------------


@dataclass
class Guard:
    """Who the backend answers: requests for the address it listens on (DNS rebinding gives
    another name), from its own origin, and with the token when it listens beyond this computer."""
    host: str
    port: int
    token: str | None = None     # required when set (serve sets it for any --host but loopback)

    def hosts(self) -> set[str]:
        names = {self.host}
        if is_loopback(self.host):
            names |= {"127.0.0.1", "localhost", "[::1]"}
        return {f"{n}:{self.port}" for n in names} | ({*names} if self.port == 80 else set())

    def check(self, method: str, headers, writes: bool = True) -> None:
        """Raise Refused unless this request may be answered. `headers`: a case-insensitive mapping."""
        host = (headers.get("Host") or "").lower()
        if not _any_address(self.host) and host not in self.hosts():
            raise Refused(403, f"拒绝访问：请求的主机名“{host}”不是本预览的地址 {self.host}:{self.port}")
        origin = headers.get("Origin")
        if origin is not None and origin != f"http://{host}":
            raise Refused(403, f"拒绝访问：请求来自其他网站（{origin}），只接受本编辑器页面的请求")
        if method != "GET" and headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
            raise Refused(403, "拒绝访问：请求来自其他网站，只接受本编辑器页面的请求")
        if writes and self.token is not None and not hmac.compare_digest(
                (headers.get(TOKEN_HEADER) or "").encode(), self.token.encode()):
            raise Refused(401, "需要口令：请用 gxsite serve 启动时显示的编辑器地址（带 token）打开编辑器")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _any_address(host: str) -> bool:
    """0.0.0.0 or ::: any Host may be right (a token is then required)."""
    return host in ("0.0.0.0", "::", "")


# ---- paths ------------------------------------------------------------------------------


def relative(site: Site, path: object) -> str:
    """A Decap path, normalised and checked: relative to the site folder, inside the content
    folder, through no symbolic link. Raises Refused (403)."""
    if not isinstance(path, str) or not path or "\x00" in path:
        raise Refused(403, "路径无效")
    text = path.replace("\\", "/")
    if text.startswith("/") or re.match(r"[A-Za-z]:", text):
        raise Refused(403, f"拒绝访问“{path}”：路径应相对于网站文件夹，如 {site.prefix}/items/…")
    rel = posixpath.normpath(text)
    if rel == ".." or rel.startswith("../"):
        raise Refused(403, f"拒绝访问“{path}”：不能访问网站文件夹以外的文件")
    if rel != site.prefix and not rel.startswith(site.prefix + "/"):
        raise Refused(403, f"拒绝访问“{path}”：只能读写 {site.prefix}/ 中的文件")
    here = site.root
    for part in rel.split("/"):
        here = here / part
        if here.is_symlink():
            raise Refused(403, f"拒绝访问“{path}”：不跟随符号链接")
    return rel


def _under(rel: str, site: Site) -> str:
    """`rel` relative to the content folder."""
    return rel[len(site.prefix) + 1:]


# ---- the protocol -----------------------------------------------------------------------


def handle(site: Site, body: object) -> tuple[int, object]:
    """One request's (status, JSON answer). Errors are {"error": message}, as Decap reads them."""
    if not isinstance(body, dict) or not isinstance(body.get("action"), str):
        return 422, {"error": "请求应为 {action, params}"}
    params = body.get("params") or {}
    action = ACTIONS.get(body["action"])
    if action is None:
        return 422, {"error": f"Unknown action {body['action']}"}
    try:
        return 200, action(site, params)
    except Refused as exc:
        return exc.status, {"error": exc.message}
    except (KeyError, TypeError, ValueError) as exc:
        return 422, {"error": f"请求参数不对：{exc}"}


def info(site: Site, params: dict):
    return {"repo": site.root.name, "publish_modes": ["simple"], "type": "local_fs"}


def entries_by_folder(site: Site, params: dict):
    folder = relative(site, params["folder"])
    extension, depth = params.get("extension", ""), int(params.get("depth", 1))
    return [_entry(site, rel) for rel in _list(site, folder, extension, depth)]


def entries_by_files(site: Site, params: dict):
    return [_entry(site, relative(site, f["path"]), f.get("label")) for f in params["files"]]


def get_entry(site: Site, params: dict):
    return _entry(site, relative(site, params["path"]))


def _list(site: Site, folder: str, extension: str, depth: int) -> list[str]:
    """Files of `folder` down to `depth` levels ending with `extension`: no links followed,
    editors' scratch files left out."""
    out = []
    base = site.root / folder
    for here, dirs, files in os.walk(base):
        level = Path(here).relative_to(base).parts
        dirs[:] = sorted(d for d in dirs if len(level) + 1 < depth and not (Path(here) / d).is_symlink())
        for name in sorted(files):
            path = Path(here) / name
            rel = path.relative_to(site.root).as_posix()
            if name.endswith(extension) and not path.is_symlink() and not is_scratch(_under(rel, site)):
                out.append(rel)
    return out


def _entry(site: Site, rel: str, label: str | None = None) -> dict:
    try:
        data = (site.root / rel).read_bytes()
    except OSError:
        return {"data": None, "file": {"path": rel, "label": label, "id": None}}
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    key = _list_key(site, rel)
    if key is not None:
        text = _wrap(text, key)
    return {"data": text, "file": {"path": rel, "label": label, "id": hashlib.sha256(data).hexdigest()}}


def _list_key(site: Site, rel: str) -> str | None:
    """The key a list file (officers, places) is shown under, else None."""
    sub = _under(rel, site)
    if sub == "data/places.yaml":
        return LIST_KEYS["places"]
    if sub.startswith("data/officers/") and sub.count("/") == 2:
        return LIST_KEYS["officers"]
    return None


def _wrap(text: str, key: str) -> str:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text   # shown as it is; saving it again goes through the checks
    return yaml.safe_dump({key: value if isinstance(value, list) else []}, allow_unicode=True, sort_keys=False)


def _unwrap(raw: str, key: str) -> str:
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    if isinstance(value, dict) and set(value) == {key}:
        return yaml.safe_dump(value[key] or [], allow_unicode=True, sort_keys=False)
    return raw


def get_media(site: Site, params: dict):
    folder = relative(site, params["mediaFolder"])
    return [_media(site, rel) for rel in _list(site, folder, "", 1)]


def get_media_file(site: Site, params: dict):
    return _media(site, relative(site, params["path"]))


def _media(site: Site, rel: str) -> dict:
    try:
        data = (site.root / rel).read_bytes()
    except OSError:
        raise Refused(404, f"文件不存在：{rel}") from None
    return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64", "path": rel, "name": posixpath.basename(rel)}


def persist_media(site: Site, params: dict):
    asset = _asset(site, params["asset"])
    _check_asset(site, asset)
    _write(site, asset[0], asset[1])
    return _media(site, asset[0])


def delete_file(site: Site, params: dict):
    rel = relative(site, params["path"])
    _delete(site, rel)
    return {"message": f"deleted file {rel}"}


def delete_files(site: Site, params: dict):
    rels = [relative(site, p) for p in params["paths"]]   # all checked before any is deleted
    for rel in rels:
        _delete(site, rel)
    return {"message": f"deleted files {', '.join(rels)}"}


def _delete(site: Site, rel: str) -> None:
    sub = _under(rel, site)
    if not sub.startswith(("items/", "data/")):
        raise Refused(403, f"拒绝删除“{rel}”：只能删除信息、附件和数据文件")
    path = site.root / rel
    if path.is_dir():
        raise Refused(403, f"拒绝删除“{rel}”：这是文件夹")
    path.unlink(missing_ok=True)
    folder = path.parent
    if sub.count("/") >= 4 and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()   # an item's attachment folder left empty: check_files would report it


def persist_entry(site: Site, params: dict):
    files = params.get("dataFiles") or [params["entry"]]
    assets = [_asset(site, a) for a in params.get("assets") or []]
    for asset in assets:
        _check_asset(site, asset)
    planned: list[tuple[str, bytes, str | None]] = []   # (path, bytes, old path to remove)
    with numbering.numbering_lock(site.content):   # the number chosen is written before another save picks one
        for data_file in files:
            old = relative(site, data_file["path"])
            rel = relative(site, data_file.get("newPath") or old)
            raw = data_file["raw"]
            if not isinstance(raw, str):
                raise Refused(422, "文件内容应为文字")
            sub = _under(rel, site)
            if sub.startswith("items/"):
                text = _check_item(site, rel, old, raw, {a[0] for a in assets})
            elif sub.startswith("data/") and sub.endswith(".yaml"):
                text = _check_data(site, rel, raw)
            else:
                raise Refused(403, f"拒绝写入“{rel}”：表单只能保存 items/ 中的信息和 data/ 中的数据文件")
            planned.append((rel, text.encode("utf-8"), old if old != rel else None))
        for rel, data in assets:
            _write(site, rel, data)
        for rel, data, old in planned:
            _write(site, rel, data)
            if old is not None:
                _move_away(site, old, rel)
    return {"message": "entry persisted"}


def _asset(site: Site, asset: dict) -> tuple[str, bytes]:
    rel = relative(site, asset["path"])
    if asset.get("encoding", "base64") != "base64":
        raise Refused(422, "附件应以 base64 编码上传")
    try:
        data = base64.b64decode(asset["content"], validate=True)
    except ValueError:
        raise Refused(422, f"附件“{posixpath.basename(rel)}”的内容不是有效的 base64") from None
    return rel, data


def _check_asset(site: Site, asset: tuple[str, bytes]) -> None:
    """An attachment goes into an item's own folder (items/<org>/<yyyy>/<slug>/), is not too
    large, and a text attachment carries no personal data."""
    rel, data = asset
    sub = _under(rel, site)
    parts = sub.split("/")
    if len(parts) < 5 or parts[0] != "items" or any(not p for p in parts) or is_scratch(sub):
        raise Refused(403, f"拒绝写入“{rel}”：附件须放在所属信息的文件夹 items/<机构>/<年份>/<文件名>/ 中")
    if len(data) > MAX_FILE:
        raise Refused(413, f"附件“{parts[-1]}”超过 {MAX_FILE // 1024 // 1024} MB：请压缩或拆分后再上传")
    if posixpath.splitext(sub)[1].lower() in personal.TEXT_SUFFIXES:
        text = personal.decode_any(data)
        found = Problems()
        _personal(site, sub, text or "", found)
        if found.errors:
            raise Refused(422, _messages(found))


def _library(site: Site) -> model.Library | None:
    """The preview's last good build, or the tree loaded now (its mistakes do not matter here:
    only the saved file's are reported)."""
    lib = site.library()
    if lib is None:
        lib = load.load(site.content, Problems())
    return lib


def _check_item(site: Site, rel: str, old: str, raw: str, assets: set[str]) -> str:
    """The text to write for an item, its 索引号 filled in; Refused with every error otherwise."""
    sub = _under(rel, site)
    parts = sub.split("/")
    if len(parts) != 4 or not sub.endswith(load.ITEM_EXT) or is_scratch(sub):
        raise Refused(403, f"拒绝写入“{rel}”：信息文件应为 items/<机构>/<年份>/<文件名>.md")
    raw = raw.replace("\r\n", "\n")
    problems = Problems()
    raw = _numbered(site, sub, old, raw, problems)
    lib = _library(site)
    item = load.item_from_bytes(raw.encode("utf-8"), sub, problems)
    if item is not None and lib is not None:
        resolve.check_item_refs(lib, item, problems)
        _check_attachments(site, item, assets, problems)
        _check_index_no(lib, item, _under(old, site), problems)
    _personal(site, sub, raw, problems, lib)
    if problems.errors:
        raise Refused(422, _messages(problems))
    return raw


def _numbered(site: Site, sub: str, old: str, raw: str, problems: Problems) -> str:
    """The item's text with its 索引号: kept from the file on disk when the form lost it, the
    next free one for a new item. Called holding numbering's lock."""
    split = split_front_matter(raw)
    if split is None:
        return raw   # load reports it
    head = parse_yaml(split[0], sub, Problems(), first_line=2)
    if not isinstance(head, Map) or (head.get("index_no") not in (None, "")):
        return raw
    number = _index_no_on_disk(site.root / old)
    if number is None:
        org, day = head.get("org"), head.get("date")
        if not isinstance(org, str) or not isinstance(day, dt.date):
            return raw   # load reports the missing org or date
        code = numbering.credit_code(site.content, org, sub, head.line_of("org"), problems)
        if code is None:
            return raw
        number = numbering.next_index_no(site.content, code, day.year)
    line = f"index_no: {number}"
    if _INDEX_LINE.search(split[0]):
        return _INDEX_LINE.sub(line, raw, count=1)
    return _DATE_LINE.sub(lambda m: m.group() + "\n" + line, raw, count=1)


def _index_no_on_disk(path: Path) -> str | None:
    """The number the file already has: a published number never changes, even when the
    form comes back without it."""
    try:
        split = split_front_matter(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    head = parse_yaml(split[0], "", Problems(), first_line=2) if split else None
    value = head.get("index_no") if isinstance(head, Map) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _check_attachments(site: Site, item: model.Item, assets: set[str], problems: Problems) -> None:
    """As resolve checks them, with the attachments of this same save counted as present."""
    folder = item.path[: -len(load.ITEM_EXT)]
    for att in item.attachments:
        target = posixpath.normpath(posixpath.join(folder, att.file))
        if att.file.startswith("/") or not target.startswith(folder + "/"):
            problems.error(item.path, item.lines.get("attachments", 0), f"附件“{att.file}”须放在信息自己的文件夹 {folder}/ 内")
        elif not (site.content / target).is_file() and f"{site.prefix}/{target}" not in assets:
            problems.error(item.path, item.lines.get("attachments", 0), f"附件“{att.file}”不存在：请先上传到 {folder}/ 文件夹")


def _check_index_no(lib: model.Library, item: model.Item, old: str, problems: Problems) -> None:
    line = item.lines.get("index_no", 1)
    if not item.index_no:
        problems.error(item.path, line, "缺少索引号 index_no：请先在 orgs.yaml 中为发布机构填写统一社会信用代码")
    elif not schema.INDEX_NO_RE.fullmatch(item.index_no):
        problems.error(item.path, line, f"索引号“{item.index_no}”格式不对，应为 统一社会信用代码/年份-5位序号，如 11511525008745231K/2023-00055")
    else:
        other = next((i for i in lib.items.values() if i.index_no == item.index_no and i.path not in (item.path, old)), None)
        if other is not None:
            problems.error(item.path, line, f"索引号“{item.index_no}”与 {other.path} 重复：请清空索引号后保存，重新编号")


def _personal(site: Site, sub: str, text: str, problems: Problems, lib: model.Library | None = None) -> None:
    lib = lib or _library(site)
    official = personal.library_numbers(lib) if lib is not None else set()
    for f in personal.scan(text, official, site.today):
        problems.error(sub, f.line, personal.message(f), rule=f.rule)


def _check_data(site: Site, rel: str, raw: str) -> str:
    """A data file checked by the loader that reads it, on a copy of it alone."""
    sub = _under(rel, site)
    key = _list_key(site, rel)
    text = _unwrap(raw, key) if key else raw
    problem = load.misplaced(sub, {sub})
    if problem is not None:
        raise Refused(403, f"拒绝写入“{rel}”：{problem[1]}")
    problems = Problems()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        (copy / sub).parent.mkdir(parents=True)
        (copy / sub).write_text(text, encoding="utf-8")
        files = [FileStat(sub, len(text), 0)]
        parts = sub.split("/")
        if parts[1] == "officers":
            load.load_officers(copy, files, problems)
        elif parts[1] == "services":
            list(load._load_services(copy, files, problems))
        elif parts[1] == "catalog":
            load._load_catalog(copy, files, problems)
        elif parts[1] == "map":
            load.load_boundaries(copy, files, problems)
        else:
            load.load_list(copy, sub, schema.PLACE, model.Place, problems)
    _personal(site, sub, text, problems)
    if problems.errors:
        raise Refused(422, _messages(problems))
    return text


def _messages(problems: Problems) -> str:
    return "\n".join(str(p) for p in problems.errors)


def _write(site: Site, rel: str, data: bytes) -> None:
    path = site.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    relative(site, rel)   # again after mkdir: no link slipped into the folders meanwhile
    replace_file(path, data)


def _move_away(site: Site, old: str, new: str) -> None:
    """An item moved (another org or year): the old file goes, its attachment folder follows."""
    (site.root / old).unlink(missing_ok=True)
    if old.endswith(load.ITEM_EXT) and new.endswith(load.ITEM_EXT):
        folder, target = site.root / old[: -len(load.ITEM_EXT)], site.root / new[: -len(load.ITEM_EXT)]
        if folder.is_dir() and not folder.is_symlink() and not target.exists():
            shutil.move(folder, target)


ACTIONS: dict[str, Callable[[Site, dict], object]] = {
    "info": info, "entriesByFolder": entries_by_folder, "entriesByFiles": entries_by_files,
    "getEntry": get_entry, "persistEntry": persist_entry, "getMedia": get_media,
    "getMediaFile": get_media_file, "persistMedia": persist_media, "deleteFile": delete_file,
    "deleteFiles": delete_files, "getDeployPreview": lambda site, params: None,
}
