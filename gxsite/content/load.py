"""Stage 1, load: read every file of a content tree into one Library, checking the contract.

Loading checks each file on its own (types, required fields, folder placement); checks that
need other files (does this org exist?) belong to `resolve`.
"""
from __future__ import annotations

import bisect
import difflib
import json
import json.decoder
import json.scanner
import pickle
import time
from pathlib import Path

from gxsite.content import model, schema
from gxsite.cache.memo import Memo, digest

STAT, ITEM = "stat", "item"   # the memo kinds of the loader: done with once the tree is loaded
MEMO_KINDS = (STAT, ITEM)
from gxsite.core.problems import Invalid, Problems
from gxsite.core.source import (FileStat, Map, Seq, decode_text, explain_scalar, find_mistake, front_matter_fault, is_scratch,
                     parse_yaml, read_text, split_front_matter, walk)

ITEM_EXT = ".md"
TOP_FILES = ("site.yaml", "orgs.yaml", "domains.yaml", "columns.yaml")
TOP_FOLDERS = ("items", "data")
# data/<folder>/: where each kind of data file goes (files directly in the folder, or one level down)
DATA_FOLDERS = {"officers": ("data/officers/<机构编号>.yaml", 1), "catalog": ("data/catalog/<领域编号>.yaml", 1),
                "services": ("data/services/<机构编号>/<文件名>.yaml", 2)}
DATA_FILES = ("places.yaml",)
MAP_FOLDER = "map"    # data/map/: boundary files (schema.MAP_FILES), GeoJSON rather than YAML


def load(content: Path, problems: Problems, memo: Memo | None = None) -> model.Library | None:
    """The whole content tree as a Library, or None when site.yaml itself is unusable.
    Item files whose bytes the memo has seen are taken from it, findings included."""
    files = walk(content)   # the one listing of the tree: items, data files and stray files all come from it
    site = _load_site(content, problems)
    check_files([f for f in files if site is None or f.rel not in site.images], problems)   # the site's images are published
    if site is None:
        return None
    lib = model.Library(site=site)
    for org in load_list(content, "orgs.yaml", schema.ORG, model.Org, problems, required=True):
        _add_unique(lib.orgs, org, "机构", problems)
    for domain in load_list(content, "domains.yaml", schema.DOMAIN, model.Domain, problems):
        _add_unique(lib.domains, domain, "重点领域", problems)
    for column in load_list(content, "columns.yaml", schema.COLUMN, model.Column, problems):
        _add_unique(lib.columns, column, "栏目", problems)
    for item in _load_items(content, files, problems, memo or Memo()):
        lib.items[item.id] = item
    lib.officers = load_officers(content, files, problems)
    for place in load_list(content, "data/places.yaml", schema.PLACE, model.Place, problems):
        _add_unique(lib.places, place, "服务场所", problems)
    for service in _load_services(content, files, problems):
        lib.services[service.id] = service
    lib.catalog = _load_catalog(content, files, problems)
    lib.boundaries = load_boundaries(content, files, problems)
    return lib


# ---- files the build would not read -------------------------------------------------------


def check_files(files: list[FileStat], problems: Problems) -> None:
    """Report every file of the tree that the build would pass over (a Notepad `x.md.txt`, an
    upper-case `.MD`, a Word file loose in a year folder, a folder nobody reads): editors expect
    what they put in content/ to be published. Editors' own scratch files stay unmentioned. A
    folder whose files are all passed over is named once."""
    present = {f.rel for f in files}
    named: set[str] = set()
    for f in files:
        depth = f.rel.count("/")
        if depth == 3 and f.rel.endswith(ITEM_EXT) and f.rel.startswith("items/"):
            continue   # an item file, the bulk of the tree
        if is_scratch(f.rel) or (depth > 3 and f.rel.rsplit("/", depth - 3)[0] in named):
            continue   # an editor's own file, or one in a folder already named
        found = misplaced(f.rel, present)
        if found is not None and found[0] not in named:
            named.add(found[0])
            problems.error(found[0], 0, found[1])


def misplaced(rel: str, present: set[str]) -> tuple[str, str] | None:
    """(the path to name, what to do) for a file of the tree (`present`: all its files) that the
    build would not read, else None."""
    parts = rel.split("/")
    name = parts[-1]
    if len(parts) == 1:
        if name in TOP_FILES:
            return None
        return rel, _renamed_hint(name, ".yaml", TOP_FILES) or _unknown_hint(
            f"网站不会读取 content/ 下的“{name}”", name, TOP_FILES,
            "content/ 下只放 site.yaml、orgs.yaml、domains.yaml、columns.yaml 和 items/、data/ 两个文件夹，请把它移出 content/")
    if parts[0] == "items":
        return _misplaced_item(rel, parts[1:], present)
    if parts[0] == "data":
        return _misplaced_data(rel, parts[1:])
    folder = parts[0]
    return folder, _unknown_hint(f"网站不会读取 content/ 下的文件夹“{folder}/”", folder, TOP_FOLDERS,
                                 "content/ 下只有 items/、data/ 两个文件夹，请把它移出 content/")


def _misplaced_item(rel: str, sub: list[str], present: set[str]):
    name = sub[-1]
    if len(sub) == 3:
        if name.endswith(ITEM_EXT):
            return None
        hint = _renamed_hint(name, ITEM_EXT)
        if hint:
            return rel, hint
        year = "items/" + "/".join(sub[:2])
        stem = name.rsplit(".", 1)[0]
        # the item it belongs to: the one of the same name, or the only one in its folder
        owners = [p[len(year) + 1: -len(ITEM_EXT)] for p in present
                  if p.startswith(year + "/") and p.endswith(ITEM_EXT) and p.count("/") == 3]
        owner = stem if stem in owners else owners[0] if len(owners) == 1 else "<信息文件名>"
        return rel, (f"“{name}”不是信息文件（.md），网站不会发布它：附件请放到所属信息的附件文件夹 {year}/{owner}/ 里，"
                     "并在正文或 attachments 中链接；不需要的文件请移出 content/")
    if len(sub) > 3:
        folder = "items/" + "/".join(sub[:3])
        if folder + ITEM_EXT in present:
            return None   # an attachment in its item's own folder
        if any(p.startswith(folder + ".") for p in present if p.count("/") == 3):
            return None   # its item file is misnamed (x.md.txt, x.MD), which is reported
        return folder, (f"文件夹“{sub[2]}/”旁边没有同名的信息文件 {sub[2]}.md，其中的文件不会发布：附件文件夹应与"
                        f"信息文件同名（如 {sub[2]}.md 的附件放在 {sub[2]}/ 里），请改正文件夹名或移出 content/")
    if name.lower().endswith((ITEM_EXT, ITEM_EXT + ".txt")):
        where = f"items/{sub[0]}/<年份>/{name}" if len(sub) == 2 else f"items/<机构编号>/<年份>/{name}"
        return rel, f"信息文件位置不对：应放在 {where}（年份为发布日期的年份）"
    return rel, ("文件位置不对，网站不会读取它：items/ 下只放 items/<机构编号>/<年份>/<文件名>.md 和它的附件文件夹 "
                 "<文件名>/，请移动或移出 content/")


def _misplaced_data(rel: str, sub: list[str]):
    name = sub[-1]
    if len(sub) == 1:
        if name in DATA_FILES:
            return None
        return rel, _renamed_hint(name, ".yaml", DATA_FILES) or _unknown_hint(
            f"网站不会读取 data/ 下的“{name}”", name, DATA_FILES,
            "data/ 下只放 places.yaml 和 officers/、services/、catalog/、map/ 四个文件夹，请移到正确位置或移出 content/")
    folder = sub[0]
    if folder == MAP_FOLDER:
        return _misplaced_map(rel, sub[1:])
    if folder not in DATA_FOLDERS:
        return "data/" + folder, _unknown_hint(
            f"网站不会读取 data/ 下的文件夹“{folder}/”", folder, (*DATA_FOLDERS, MAP_FOLDER),
            "data/ 下只有 officers/、services/、catalog/、map/ 四个文件夹和 places.yaml，请移到正确位置或移出 content/")
    where, depth = DATA_FOLDERS[folder]
    if len(sub) == depth + 1 and name.endswith(".yaml"):
        return None
    hint = _renamed_hint(name, ".yaml") if len(sub) == depth + 1 else None
    return rel, hint or f"网站不会读取“{name}”：{folder}/ 下的文件应为 {where}，请改正或移出 content/"


def _misplaced_map(rel: str, sub: list[str]):
    """data/map/ holds the two boundary files by name; a .json or .GeoJSON is one misnamed."""
    name = sub[-1]
    if len(sub) == 1 and name in schema.MAP_FILES:
        return None
    stem, _, ext = name.rpartition(".")
    fixed = (stem.lower() if stem.isascii() else stem) + ".geojson"
    if len(sub) == 1 and ext.lower() in ("geojson", "json") and fixed in schema.MAP_FILES:
        return rel, f"扩展名“.{ext}”应为 .geojson：请改名为 {fixed}"
    return rel, (f"网站不会读取“{name}”：data/map/ 下只放 county.geojson（县界）和 towns.geojson（各镇边界），"
                 "请改名或移出 content/")


def _renamed_hint(name: str, ext: str, known: tuple[str, ...] = ()) -> str | None:
    """What to rename `name` to when it is a `ext` file saved the way some programs save it
    (Notepad's x.md.txt, X.MD, x.yml); with `known`, only if the new name is one of them."""
    low = name.lower()
    if low.endswith(ext + ".txt"):
        fixed, why = _lower_ascii(name[: -len(ext) - 4]) + ext, f"文件名以 {name[-len(ext) - 4:]} 结尾（记事本隐藏了扩展名）"
    elif low.endswith(ext) and not name.endswith(ext):
        fixed, why = _lower_ascii(name[: -len(ext)]) + ext, f"扩展名“{name[-len(ext):]}”应为小写"
    elif ext == ".yaml" and low.endswith(".yml"):
        fixed, why = _lower_ascii(name[:-4]) + ext, "扩展名应为 .yaml"
    elif ext == ITEM_EXT and low.endswith(".markdown"):
        fixed, why = _lower_ascii(name[:-9]) + ext, "扩展名应为 .md"
    else:
        return None
    if known and fixed not in known:
        return None
    return f"{why}：请改名为 {fixed}"


def _lower_ascii(stem: str) -> str:
    """File names are ids: an ASCII name in capitals was meant in small letters."""
    return stem.lower() if stem.isascii() else stem


def _unknown_hint(what: str, name: str, known: tuple[str, ...], otherwise: str) -> str:
    guess = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    if guess:
        return f"{what}：是不是 {guess[0]}？请改名为 {guess[0]}"
    return f"{what}：{otherwise}"


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
        problems.error(rel, 0, "找不到网站设置文件 site.yaml：请在内容目录中创建它（写网站名称 title 和网址 base_url），"
                               "或检查 --content 是否指对了目录")
        return None
    raw = _read_yaml(content, rel, problems)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.error(rel, 1, "site.yaml 应为键值对（如 title: 某某县人民政府）")
        return None
    values = schema.convert_fields(raw, schema.SITE, rel, problems)
    if "title" not in values or "base_url" not in values:
        return None
    if not values["base_url"].startswith(("http://", "https://")):
        problems.error(rel, raw.line_of("base_url"), "网址（base_url）应以 http:// 或 https:// 开头")
    values["base_url"] = values["base_url"].rstrip("/") + "/"
    if "logo" in values and not (content / values["logo"]).is_file():
        problems.error(rel, raw.line_of("logo"), f"网站标志（logo）“{values['logo']}”不存在：请把图片放在 content/{values['logo']}")
        del values["logo"]
    if "conac" in values and not (content / values["conac"].image).is_file():
        problems.error(rel, raw.line_of("conac"), f"党政机关网站标识图片（conac 的 image）“{values['conac'].image}”不存在：请把编办发放的标识图片放在 content/{values['conac'].image}")
        del values["conac"]
    return model.Site(**values)


def load_list(content: Path, rel: str, fields, cls, problems: Problems, required: bool = False):
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
            problems.error(rel, line, explain_scalar(entry) or "每项应为键值对：请写成 - id: 编号，下一行起写其他字段")
            continue
        before = problems.error_count
        values = schema.convert_fields(entry, fields, rel, problems)
        if problems.error_count == before:
            out.append(cls(**values, path=rel, line=line))
    return out


def _load_items(content: Path, files: list[FileStat], problems: Problems, memo: Memo):
    for file in files:
        parts = tuple(file.rel.split("/"))
        if len(parts) != 4 or parts[0] != "items" or not file.rel.endswith(ITEM_EXT) or is_scratch(file.rel):
            continue   # anything else under items/ is an attachment or is reported by check_files
        item, found = _memoized_item(content, file.rel, parts[1:], file, memo)
        problems.extend(found)
        if item is not None:
            yield item


def load_item(content: Path, rel: str, problems: Problems, memo: Memo | None = None) -> model.Item | None:
    """One item file (rel = items/<org>/<yyyy>/<slug>.md) on its own: what a running preview
    reads again when an editor saves it."""
    path = content / rel
    st = path.stat()
    item, found = _memoized_item(content, rel, tuple(rel.split("/")[1:]),
                                 FileStat(rel, st.st_size, st.st_mtime_ns), memo or Memo())
    problems.extend(found)
    return item


def _memoized_item(content: Path, rel: str, parts: tuple[str, ...], file: FileStat,
                   memo: Memo) -> tuple[model.Item | None, tuple]:
    """(the item or None, its findings), from the memo or from the file.

    A file whose size and modification time are as recorded is not read again (as git's index
    trusts them), unless it changed within two seconds of being recorded: its time may not have
    moved (FAT and some network shares keep times to 2 s)."""
    stat_key = digest(rel)
    seen = memo.get(STAT, stat_key)
    if seen is not None:
        size, mtime_ns, recorded_ns, key = seen
        if (size, mtime_ns) == (file.size, file.mtime_ns) and mtime_ns < recorded_ns - 2_000_000_000:
            kept = memo.get(ITEM, key)
            if kept is not None:
                return _unpickled(kept)
    data = (content / rel).read_bytes()   # the path made only when read: 1 s per build at 100,000 items
    key = digest(rel, data)
    memo.put(STAT, stat_key, (file.size, file.mtime_ns, time.time_ns(), key))
    kept = memo.get(ITEM, key)
    if kept is not None:
        return _unpickled(kept)
    found = Problems()
    item = _load_item(data, rel, parts, key, found)
    # Pickled now: later stages attach references to the live object. The build goes on with
    # the copy, as it does after a memo hit: pickling left a UTF-8 copy of every Chinese string
    # of the parsed item inside it (CPython's cache), a third again of the item's size.
    kept = (pickle.dumps(item, pickle.HIGHEST_PROTOCOL) if item else b"", tuple(found.items))
    memo.put(ITEM, key, kept)
    return _unpickled(kept)


def _unpickled(kept: tuple[bytes, tuple]) -> tuple[model.Item | None, tuple]:
    blob, found = kept
    return (pickle.loads(blob) if blob else None), found


def item_from_bytes(data: bytes, rel: str, problems: Problems) -> model.Item | None:
    """An item file's bytes not (yet) on disk, checked as the loader checks a file: what the
    editor's backend validates before it writes anything."""
    return _load_item(data, rel, tuple(rel.split("/")[1:]), digest(rel, data), problems)


def _load_item(data: bytes, rel: str, parts: tuple[str, ...], source_key: bytes,
               problems: Problems) -> model.Item | None:
    org_dir, year_dir, filename = parts
    slug = filename[: -len(ITEM_EXT)]
    text = decode_text(data, rel, problems)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        problems.error(rel, *front_matter_fault(text))
        return None
    head, body, body_line = split
    raw = parse_yaml(head, rel, problems, first_line=2)
    if raw is None:
        return None
    if not isinstance(raw, Map):
        line, message = find_mistake(head, 2) or (2, "文件头应为键值对：每行写一个字段，如 title: 标题")
        problems.error(rel, line, message)
        return None
    item_type = raw.get("type")
    fields = schema.item_fields(item_type if isinstance(item_type, str) and item_type in schema.ITEM_TYPES else "")
    before = problems.error_count
    values = schema.convert_fields(raw, fields, rel, problems)
    ok = problems.error_count == before
    if not schema.ID_RE.fullmatch(slug):
        problems.error(rel, 0, f"文件名“{filename}”不合规：只能用小写字母、数字和连字符，请改名（如 xzzf-gsz.md）")
        ok = False
    # An org that is not an id (a name, say) is left to resolve, which suggests the id.
    if "org" in values and schema.ID_RE.fullmatch(values["org"]) and values["org"] != org_dir:
        problems.error(rel, raw.line_of("org"), f"发布机构 org 为“{values['org']}”，但文件在 items/{org_dir}/ 下：请把文件移到 items/{values['org']}/ 或改正 org")
        ok = False
    if "date" in values and str(values["date"].year) != year_dir:
        problems.error(rel, raw.line_of("date"), f"发布日期是 {values['date'].year} 年，但文件在 {year_dir}/ 文件夹：请移到 {values['date'].year}/ 文件夹或改正日期")
        ok = False
    if not ok:
        return None
    return model.Item(**values, id=f"{org_dir}/{year_dir}/{slug}", path=rel, slug=slug, source_key=source_key,
                      body=body, body_line=body_line, lines=dict(raw.lines))


def load_officers(content: Path, files: list[FileStat], problems: Problems) -> list[model.Officer]:
    out: list[model.Officer] = []
    for rel in _data_files(files, "officers", 1):
        org = rel.rsplit("/", 1)[1][: -len(".yaml")]
        raw = _read_yaml(content, rel, problems)
        if raw is None:
            continue
        if not isinstance(raw, list):
            problems.error(rel, 1, "应为执法人员列表，每人一行，以“- ”开头")
            continue
        for i, entry in enumerate(raw):
            line = raw.line_of(i)
            if not isinstance(entry, dict):
                problems.error(rel, line, explain_scalar(entry) or "每位执法人员应为键值对：请写成 - {name: 王某, cert_no: \"...\"}")
                continue
            before = problems.error_count
            values = schema.convert_fields(entry, schema.OFFICER, rel, problems)
            if problems.error_count == before:
                out.append(model.Officer(org=org, **values, path=rel, line=line))
    return out


def _load_services(content: Path, files: list[FileStat], problems: Problems):
    for rel in _data_files(files, "services", 2):
        _, _, org, filename = rel.split("/")
        slug = filename[: -len(".yaml")]
        if not (schema.ID_RE.fullmatch(org) and schema.ID_RE.fullmatch(slug)):
            problems.error(rel, 0, "文件夹名和文件名只能用小写字母、数字和连字符：请改名（如 data/services/xzspj/qyslbl.yaml）")
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


def _load_catalog(content: Path, files: list[FileStat], problems: Problems) -> list[model.CatalogDomain]:
    out: list[model.CatalogDomain] = []
    for rel in _data_files(files, "catalog", 1):
        stem = rel.rsplit("/", 1)[1][: -len(".yaml")]
        raw = _read_yaml(content, rel, problems)
        if raw is None:
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
            problems.error(rel, 1, "标准目录文件应包含 domain: 和 entries: 列表")
            continue
        domain = raw.get("domain", stem)
        if domain != stem:
            problems.error(rel, raw.line_of("domain"), f"domain 为“{domain}”，与文件名 {stem}.yaml 不一致：请改正其中之一")
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


def _data_files(files: list[FileStat], folder: str, depth: int) -> list[str]:
    """The YAML files of data/<folder>/, `depth` levels down (others are reported by check_files)."""
    prefix = f"data/{folder}/"
    return [f.rel for f in files if f.rel.startswith(prefix) and f.rel.endswith(".yaml")
            and f.rel.count("/") == depth + 1 and not is_scratch(f.rel)]


# ---- data/map/: boundaries ------------------------------------------------------------------


def load_boundaries(content: Path, files: list[FileStat], problems: Problems) -> list[model.Boundary]:
    """The county's outline (county.geojson, merged into one Boundary) and its towns'
    (towns.geojson, one per feature, each named), county first."""
    present = {f.rel for f in files}
    out: list[model.Boundary] = []
    for name, kind in schema.MAP_FILES.items():
        rel = f"data/{MAP_FOLDER}/{name}"
        if rel in present:
            out.extend(_load_geojson(content / rel, rel, kind, problems))
    if out and out[0].kind != "county":
        problems.error(out[0].path, 0, "有各镇边界 towns.geojson 但没有县界：请同时提供 data/map/county.geojson")
        return []
    return out


class _Located(dict):
    """A JSON object that knows the line it starts on."""
    line = 0


def _parse_json(text: str):
    """JSON with the line of every object (json's pure-Python scanner, which calls back for
    each object); raises json.JSONDecodeError, which has the line of the mistake."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, *rest):
        obj, end = json.decoder.JSONObject(s_and_end, *rest)
        located = _Located(obj)
        located.line = bisect.bisect_right(starts, s_and_end[1] - 1)
        return located, end

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder.decode(text)


JSON_MISTAKES = {   # json's message → what an editor would fix
    "Expecting ',' delimiter": "缺少逗号", "Expecting ':' delimiter": "缺少冒号",
    "Expecting property name enclosed in double quotes": "键名应加英文双引号，或最后一项后多了逗号",
    "Expecting value": "缺少值，或多了逗号", "Extra data": "结尾多出内容",
    "Unterminated string starting at": "引号没有配对", "Invalid control character at": "引号内有换行",
}


def _load_geojson(path: Path, rel: str, kind: str, problems: Problems) -> list[model.Boundary]:
    before = problems.error_count
    data = path.read_bytes()
    if len(data) > schema.MAP_MAX_BYTES:
        problems.error(rel, 0, f"边界文件有 {len(data) // 1024} KB，超过 {schema.MAP_MAX_BYTES // 1024} KB：请先用 "
                               "scripts/derive_boundary.py 简化（县界几 KB 即可）")
        return []
    text = decode_text(data, rel, problems)
    if text is None:
        return []
    try:
        doc = _parse_json(text)
    except json.JSONDecodeError as exc:
        hint = JSON_MISTAKES.get(exc.msg, "格式错误")
        line, where = exc.lineno, f"第 {exc.colno} 列附近"
        if exc.msg in ("Expecting ',' delimiter", "Expecting ':' delimiter"):
            # json stops at the next value; the comma is missing after the last one, often a line up
            end = len(text[: exc.pos].rstrip())
            line = text.count("\n", 0, end) + 1
            where = f"第 {end - text.rfind(chr(10), 0, end) - 1} 列之后"
        problems.error(rel, line, f"不是有效的 GeoJSON（{where}{hint}）：请改正后重新保存，"
                                  "或用 scripts/derive_boundary.py 重新生成")
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        problems.error(rel, 1, "应为 GeoJSON 对象（以 { 开头，含 \"type\"）：FeatureCollection、Feature 或 Polygon/MultiPolygon")
        return []
    kind_of = doc["type"]
    if kind_of == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            problems.error(rel, doc.line, "FeatureCollection 应有 features 列表")
            return []
    elif kind_of == "Feature" or kind_of in schema.MAP_GEOMETRIES:
        features = [doc]
    else:
        problems.error(rel, doc.line, f"GeoJSON 类型“{kind_of}”不是边界：应为 FeatureCollection、Feature、Polygon 或 MultiPolygon")
        return []
    defaults = _boundary_properties(doc if kind_of == "FeatureCollection" else {}, rel, problems)
    out = []
    for feature in features:
        if not isinstance(feature, dict):
            problems.error(rel, getattr(doc, "line", 1), "features 中每项应为 Feature 对象")
            continue
        geometry = feature if feature.get("type") in schema.MAP_GEOMETRIES else feature.get("geometry")
        if feature.get("type") not in ("Feature", *schema.MAP_GEOMETRIES):
            problems.error(rel, feature.line, f"features 中的“{feature.get('type')}”不是 Feature：每项应为 "
                                              "{\"type\": \"Feature\", \"geometry\": …, \"properties\": …}")
            continue
        polygons = _polygons(geometry, rel, getattr(feature, "line", 1), problems)
        values = {**defaults, **_boundary_properties(feature, rel, problems)}
        if polygons is None:
            continue
        out.append(model.Boundary(kind=kind, name=values.get("name", ""), polygons=polygons,
                                  source=values.get("source", ""), datum=values.get("datum", "GCJ-02"),
                                  path=rel, line=feature.line))
    if not out:
        if problems.error_count == before:
            problems.error(rel, 1, "文件中没有边界（Polygon 或 MultiPolygon）")
        return []
    for b in out:
        if kind == "town" and not b.name:
            problems.error(rel, b.line, "各镇边界的每个 Feature 应在 properties 中写明 name（镇名，如 庆符镇）")
            return []
    if kind == "county":
        first = out[0]
        if not any(b.source for b in out):
            problems.error(rel, first.line, "县界应在 properties 中写明 source（边界数据来源，如 高德地图）："
                                            "公开的地图须注明来源，页面的示意图说明引用它")
            return []
        source = next(b.source for b in out if b.source)
        return [model.Boundary("county", first.name, [p for b in out for p in b.polygons], source, first.datum,
                               rel, first.line)]
    return out


def _boundary_properties(obj: dict, rel: str, problems: Problems) -> dict:
    props = obj.get("properties")
    if props is None:
        return {}
    if not isinstance(props, dict):
        problems.error(rel, getattr(obj, "line", 1), "properties 应为对象（如 {\"name\": \"某某县\", \"source\": \"高德地图\"}）")
        return {}
    out = {}
    for key, spec in schema.BOUNDARY.items():   # other properties (adcode …) are the data's own, kept quietly
        if props.get(key) in (None, ""):
            continue
        try:
            out[key] = spec.convert(props[key])
        except Invalid as exc:
            problems.error(rel, props.line, f"properties 的 {key}（{spec.label}）{exc.message}")
    return out


def _polygons(geometry, rel: str, line: int, problems: Problems):
    """The geometry's polygons as lists of (lon, lat) rings, or None after saying what is wrong."""
    if not isinstance(geometry, dict):
        problems.error(rel, line, "Feature 缺少 geometry：边界应为 Polygon 或 MultiPolygon")
        return None
    line = getattr(geometry, "line", line)
    kind = geometry.get("type")
    if kind not in schema.MAP_GEOMETRIES:
        problems.error(rel, line, f"几何类型“{kind}”不能作边界：应为 Polygon 或 MultiPolygon（点、线请删去）")
        return None
    coords = geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        problems.error(rel, line, f"{kind} 的 coordinates 应为坐标列表")
        return None
    out = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            problems.error(rel, line, f"{kind} 的 coordinates 层次不对：{'Polygon 为 [环, …]' if kind == 'Polygon' else 'MultiPolygon 为 [[环, …], …]'}，"
                                      "环为 [[经度, 纬度], …]")
            return None
        rings = []
        for ring in polygon:
            fault = _ring_fault(ring)
            if fault:
                problems.error(rel, line, f"{kind} 的坐标{fault}")
                return None
            rings.append([(float(p[0]), float(p[1])) for p in ring])
        out.append(rings)
    return out


def _ring_fault(ring) -> str:
    """What is wrong with one ring of positions, or ""."""
    if not isinstance(ring, list) or not all(isinstance(p, list) and len(p) >= 2 for p in ring):
        return "层次不对：每个环应为 [[经度, 纬度], …]"
    if len(ring) < 4:
        return "不足以围成面：每个环至少 4 个点（首尾相同）"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for p in ring for v in p[:2]):
        return "应为数字"
    if not all(-180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in ring):
        return "超出经纬度范围：应为 [经度, 纬度]（经度在前）"
    if all(p[0] < 60 < p[1] for p in ring):
        return "顺序可能写反了：GeoJSON 为 [经度, 纬度]，经度在前（中国境内经度约 73–135）"
    return ""
