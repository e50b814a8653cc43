"""Stage 1, load: read every file of a content tree into one Library, checking the contract.

Loading checks each file on its own (types, required fields, folder placement); checks that
need other files (does this org exist?) belong to `resolve`.
"""
from __future__ import annotations

import pickle
import time
from pathlib import Path

from . import model, schema
from .memo import Memo, digest
from .problems import Problems
from .source import FileStat, Map, Seq, decode_text, parse_yaml, read_text, split_front_matter, walk

ITEM_EXT = ".md"


def load(content: Path, problems: Problems, memo: Memo | None = None) -> model.Library | None:
    """The whole content tree as a Library, or None when site.yaml itself is unusable.
    Item files whose bytes the memo has seen are taken from it, findings included."""
    site = _load_site(content, problems)
    if site is None:
        return None
    lib = model.Library(site=site)
    for org in _load_list(content, "orgs.yaml", schema.ORG, model.Org, problems, required=True):
        _add_unique(lib.orgs, org, "机构", problems)
    for domain in _load_list(content, "domains.yaml", schema.DOMAIN, model.Domain, problems):
        _add_unique(lib.domains, domain, "重点领域", problems)
    for column in _load_list(content, "columns.yaml", schema.COLUMN, model.Column, problems):
        _add_unique(lib.columns, column, "栏目", problems)
    for item in _load_items(content, problems, memo or Memo()):
        lib.items[item.id] = item
    lib.officers = _load_officers(content, problems)
    for place in _load_list(content, "data/places.yaml", schema.PLACE, model.Place, problems):
        _add_unique(lib.places, place, "服务场所", problems)
    for service in _load_services(content, problems):
        lib.services[service.id] = service
    lib.catalog = _load_catalog(content, problems)
    return lib


# ---- helpers ----------------------------------------------------------------------------


def _read_yaml(content: Path, rel: str, problems: Problems):
    text = read_text(content / rel, rel, problems)
    return None if text is None else parse_yaml(text, rel, problems)


def _add_unique(store: dict, obj, what: str, problems: Problems) -> None:
    if obj.id in store:
        first = store[obj.id]
        problems.error(obj.path, obj.line, f"{what}编号“{obj.id}”重复（{first.path} 第 {first.line} 行已用）")
        return
    store[obj.id] = obj


def _load_site(content: Path, problems: Problems) -> model.Site | None:
    rel = "site.yaml"
    if not (content / rel).is_file():
        problems.error(rel, 0, f"找不到网站设置文件 site.yaml（内容目录：{content}）")
        return None
    raw = _read_yaml(content, rel, problems)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.error(rel, 1, "site.yaml 应为键值对（如 title: 高县人民政府）")
        return None
    values = schema.convert_fields(raw, schema.SITE, rel, problems)
    if "title" not in values or "base_url" not in values:
        return None
    if not values["base_url"].startswith(("http://", "https://")):
        problems.error(rel, raw.line_of("base_url"), "网址（base_url）应以 http:// 或 https:// 开头")
    values["base_url"] = values["base_url"].rstrip("/") + "/"
    return model.Site(**values)


def _load_list(content: Path, rel: str, fields, cls, problems: Problems, required: bool = False):
    """A YAML file holding a list of records, e.g. orgs.yaml."""
    if not (content / rel).is_file():
        if required:
            problems.error(rel, 0, f"缺少 {rel}")
        return []
    raw = _read_yaml(content, rel, problems)
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.error(rel, 1, "应为列表，每项以“- ”开头")
        return []
    out = []
    for i, entry in enumerate(raw):
        line = raw.line_of(i) if isinstance(raw, Seq) else 0
        if not isinstance(entry, dict):
            problems.error(rel, line, "每项应为键值对（如 - id: sfj）")
            continue
        before = problems.error_count
        values = schema.convert_fields(entry, fields, rel, problems)
        if problems.error_count == before:
            out.append(cls(**values, path=rel, line=line))
    return out


def _load_items(content: Path, problems: Problems, memo: Memo):
    root = content / "items"
    for file in walk(root):
        if not file.rel.endswith(ITEM_EXT):
            continue
        parts = tuple(file.rel.split("/"))
        rel = "items/" + file.rel
        if any(p.startswith(".") for p in parts):
            continue
        if len(parts) != 3:
            if len(parts) > 3 and (root / parts[0] / parts[1] / (parts[2] + ITEM_EXT)).is_file():
                continue  # a Markdown attachment inside an item's own folder
            problems.error(rel, 0, "信息文件位置不对，应放在 items/<机构编号>/<年份>/<文件名>.md")
            continue
        item, found = _memoized_item(root / file.rel, rel, parts, file, memo)
        problems.extend(found)
        if item is not None:
            yield item


def load_item(content: Path, rel: str, problems: Problems, memo: Memo | None = None) -> model.Item | None:
    """One item file (rel = items/<org>/<yyyy>/<slug>.md) on its own: what a running preview
    reads again when an editor saves it."""
    path = content / rel
    st = path.stat()
    item, found = _memoized_item(path, rel, tuple(rel.split("/")[1:]),
                                 FileStat(rel, st.st_size, st.st_mtime_ns), memo or Memo())
    problems.extend(found)
    return item


def _memoized_item(path: Path, rel: str, parts: tuple[str, ...], file: FileStat,
                   memo: Memo) -> tuple[model.Item | None, tuple]:
    """(the item or None, its findings), from the memo or from the file.

    A file whose size and modification time are as recorded is not read again (as git's index
    trusts them), unless it changed within two seconds of being recorded: its time may not have
    moved (FAT and some network shares keep times to 2 s)."""
    stat_key = digest(rel)
    seen = memo.get("stat", stat_key)
    if seen is not None:
        size, mtime_ns, recorded_ns, key = seen
        if (size, mtime_ns) == (file.size, file.mtime_ns) and mtime_ns < recorded_ns - 2_000_000_000:
            kept = memo.get("item", key)
            if kept is not None:
                return _unpickled(kept)
    data = path.read_bytes()
    key = digest(rel, data)
    memo.put("stat", stat_key, (file.size, file.mtime_ns, time.time_ns(), key))
    kept = memo.get("item", key)
    if kept is not None:
        return _unpickled(kept)
    found = Problems()
    item = _load_item(data, rel, parts, key, found)
    # Pickled now: later stages attach references to the live object.
    memo.put("item", key, (pickle.dumps(item, pickle.HIGHEST_PROTOCOL) if item else b"", tuple(found.items)))
    return item, tuple(found.items)


def _unpickled(kept: tuple[bytes, tuple]) -> tuple[model.Item | None, tuple]:
    blob, found = kept
    return (pickle.loads(blob) if blob else None), found


def _load_item(data: bytes, rel: str, parts: tuple[str, ...], source_key: bytes,
               problems: Problems) -> model.Item | None:
    org_dir, year_dir, filename = parts
    slug = filename[: -len(ITEM_EXT)]
    text = decode_text(data, rel, problems)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        problems.error(rel, 1, "缺少文件头：第一行应为“---”，写完标题、类型等字段后再以“---”结束")
        return None
    head, body, body_line = split
    raw = parse_yaml(head, rel, problems, first_line=2)
    if raw is None:
        return None
    if not isinstance(raw, Map):
        problems.error(rel, 2, "文件头应为键值对（如 title: …）")
        return None
    item_type = raw.get("type")
    fields = schema.item_fields(item_type if item_type in schema.ITEM_TYPES else "")
    before = problems.error_count
    values = schema.convert_fields(raw, fields, rel, problems)
    ok = problems.error_count == before
    if not schema.ID_RE.fullmatch(slug):
        problems.error(rel, 0, f"文件名“{filename}”不合规：只能用小写字母、数字和连字符，如 xzzf-gsz.md")
        ok = False
    if "org" in values and values["org"] != org_dir:
        problems.error(rel, raw.line_of("org"), f"发布机构 org 为“{values['org']}”，但文件在 items/{org_dir}/ 下：请把文件移到 items/{values['org']}/ 或改正 org")
        ok = False
    if "date" in values and str(values["date"].year) != year_dir:
        problems.error(rel, raw.line_of("date"), f"发布日期是 {values['date'].year} 年，但文件在 {year_dir}/ 文件夹：请移到 {values['date'].year}/ 文件夹或改正日期")
        ok = False
    if not ok:
        return None
    return model.Item(**values, id=f"{org_dir}/{year_dir}/{slug}", path=rel, slug=slug, source_key=source_key,
                      body=body, body_line=body_line, lines=dict(raw.lines))


def _load_officers(content: Path, problems: Problems) -> list[model.Officer]:
    out: list[model.Officer] = []
    folder = content / "data" / "officers"
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yaml")):
        org = path.stem
        rel = path.relative_to(content).as_posix()
        raw = _read_yaml(content, rel, problems)
        if raw is None:
            continue
        if not isinstance(raw, list):
            problems.error(rel, 1, "应为执法人员列表，每人一行，以“- ”开头")
            continue
        for i, entry in enumerate(raw):
            line = raw.line_of(i)
            if not isinstance(entry, dict):
                problems.error(rel, line, "每位执法人员应为键值对（如 - {name: 王某, cert_no: \"...\"}）")
                continue
            before = problems.error_count
            values = schema.convert_fields(entry, schema.OFFICER, rel, problems)
            if problems.error_count == before:
                out.append(model.Officer(org=org, **values, path=rel, line=line))
    return out


def _load_services(content: Path, problems: Problems):
    folder = content / "data" / "services"
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.yaml")):
        rel = path.relative_to(content).as_posix()
        parts = path.relative_to(folder).parts
        if len(parts) != 2:
            problems.error(rel, 0, "服务事项文件应放在 data/services/<机构编号>/<文件名>.yaml")
            continue
        org, slug = parts[0], path.stem
        if not (schema.ID_RE.fullmatch(org) and schema.ID_RE.fullmatch(slug)):
            problems.error(rel, 0, "文件夹名和文件名只能用小写字母、数字和连字符")
            continue
        raw = _read_yaml(content, rel, problems)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            problems.error(rel, 1, "服务事项文件应为键值对（如 name: 企业设立登记）")
            continue
        before = problems.error_count
        values = schema.convert_fields(raw, schema.SERVICE, rel, problems)
        if problems.error_count == before:
            yield model.Service(id=f"{org}/{slug}", org=org, **values, path=rel, line=1)


def _load_catalog(content: Path, problems: Problems) -> list[model.CatalogDomain]:
    out: list[model.CatalogDomain] = []
    folder = content / "data" / "catalog"
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yaml")):
        rel = path.relative_to(content).as_posix()
        raw = _read_yaml(content, rel, problems)
        if raw is None:
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
            problems.error(rel, 1, "标准目录文件应包含 domain: 和 entries: 列表")
            continue
        domain = raw.get("domain", path.stem)
        if domain != path.stem:
            problems.error(rel, raw.line_of("domain"), f"domain 为“{domain}”，与文件名 {path.stem}.yaml 不一致")
            continue
        entries = []
        for i, entry in enumerate(raw["entries"]):
            line = raw["entries"].line_of(i)
            if not isinstance(entry, dict):
                problems.error(rel, line, "每个目录事项应为键值对")
                continue
            before = problems.error_count
            values = schema.convert_fields(entry, schema.CATALOG_ENTRY, rel, problems)
            if problems.error_count == before:
                entries.append(model.CatalogEntry(**values, path=rel, line=line))
        out.append(model.CatalogDomain(domain=domain, entries=entries, path=rel))
    return out
