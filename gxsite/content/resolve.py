"""Stage 2, resolve: check every reference between files and fill in the links between objects.

After this stage each object points at the objects it names (item.org_ref, policy
interpretations, place services…), `lib.published` holds what is visible on `today`,
and every item body is HTML with its links resolved.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import posixpath
from pathlib import Path

from gxsite.content import markup, model, schema
from gxsite.core import parallel, urls
from gxsite.cache.memo import Memo, digest
from gxsite.core.problems import Problems

NUMBER_COMMAND = "gxsite number"


def resolve(lib: model.Library, content: Path, today: dt.date, problems: Problems, memo: Memo | None = None) -> None:
    memo = memo or Memo()
    _check_site(lib, problems)
    _check_domains(lib, problems)
    for item in lib.items.values():
        item.url = urls.item(item.id)
        check_item_refs(lib, item, problems)
        _check_attachments(item, content, problems, memo)
    _check_index_numbers(lib, problems)
    lib.published = sorted(
        (i for i in lib.items.values() if is_published(i, today)), key=lambda i: i.sort_key)
    _link_items(lib)
    _render_bodies(lib, content, problems, memo)
    _resolve_data(lib, problems)


def is_published(item: model.Item, today: dt.date) -> bool:
    """Visible on `today`: not dated in the future."""
    return item.date <= today


def _ref_line(item: model.Item, key: str) -> int:
    return item.lines.get(key, 0)


def suggest_id(text: str, records) -> str:
    """The id(s) an editor most likely meant by `text` among `records` (orgs, domains or columns:
    anything with .id and .name or .title, and maybe .short), shown as "sfj（某某县司法局）"; "" when
    nothing is close. `text` may be a name (司法局, 公共法律服务), an id in capitals or with a typo."""
    text = str(text).strip()
    records = list(records)

    def label(r) -> str:
        return getattr(r, "name", "") or getattr(r, "title", "")

    def names(r) -> list[str]:
        return [n for n in (label(r), getattr(r, "short", "")) if n]

    def shown(found) -> str:
        return "或".join(f"{r.id}（{label(r)}）" for r in found[:3])

    if not text:
        return ""
    exact = [r for r in records if text.lower() == r.id.lower() or text in names(r)]
    if exact:
        return shown(exact)
    partial = [r for r in records if any(text in n or (len(n) > 1 and n in text) for n in names(r))]
    if 0 < len(partial) <= 3:
        return shown(partial)
    by_id = {r.id: r for r in records}
    by_name = {n: r for r in records for n in names(r)}
    guess = (difflib.get_close_matches(text.lower(), list(by_id), n=1, cutoff=0.6)
             or difflib.get_close_matches(text, list(by_name), n=1, cutoff=0.6))
    if guess:
        return shown([by_id.get(guess[0]) or by_name[guess[0]]])
    return ""


def unknown_id(what: str, value: str, where: str, records, kind: str) -> str:
    """The message for a reference `value` that names no record of `where` (e.g. orgs.yaml):
    which id was meant, if one is close, else how to find the right one."""
    guess = suggest_id(value, records)
    head = f"{what}“{value}”不在 {where} 中"
    if guess:
        named = "" if str(value).isascii() else f"这里应写{kind}编号而不是名称，"   # ids are ASCII, names Chinese
        return f"{head}：{named}请改为 {guess}"
    return f"{head}：请写 {where} 中已有的{kind}编号，或先在 {where} 中添加"


def _check_site(lib: model.Library, problems: Problems) -> None:
    if lib.site.lead_org and lib.site.lead_org not in lib.orgs:
        problems.error("site.yaml", 0, unknown_id("牵头单位 lead_org", lib.site.lead_org, "orgs.yaml",
                                                  lib.orgs.values(), "机构"))


def _check_domains(lib: model.Library, problems: Problems) -> None:
    for domain in lib.domains.values():
        if domain.org and domain.org not in lib.orgs:
            problems.error(domain.path, domain.line, unknown_id(f"重点领域“{domain.name}”的责任单位", domain.org,
                                                                "orgs.yaml", lib.orgs.values(), "机构"))


def check_item_refs(lib: model.Library, item: model.Item, problems: Problems) -> None:
    def bad(key: str, message: str) -> None:
        problems.error(item.path, _ref_line(item, key), message)

    item.org_ref = lib.orgs.get(item.org)
    if item.org_ref is None:
        bad("org", unknown_id("发布机构", item.org, "orgs.yaml", lib.orgs.values(), "机构"))
    for d in item.domains:
        if d not in lib.domains:
            bad("domains", unknown_id("重点领域", d, "domains.yaml", lib.domains.values(), "领域"))
    item.domain_refs = [lib.domains[d] for d in item.domains if d in lib.domains]
    for t in item.towns:
        town = lib.orgs.get(t)
        if town is None or town.kind != "town":
            guess = suggest_id(t, [o for o in lib.orgs.values() if o.kind == "town"])
            fix = f"请改为 {guess}" if guess else "请写镇的机构编号（orgs.yaml 中 kind: town 的机构）"
            bad("towns", f"“{t}”不是 orgs.yaml 中的镇（kind: town）：{fix}")
    item.town_refs = [lib.orgs[t] for t in item.towns if t in lib.orgs]
    for c in item.columns:
        if c not in lib.columns:
            bad("columns", unknown_id("栏目", c, "columns.yaml", lib.columns.values(), "栏目"))
    for r in item.related:
        if r not in lib.items:
            bad("related", f"相关信息“{r}”不存在（应为 items/{r}.md）")
    if item.reply is not None:
        item.reply.org_ref = lib.orgs.get(item.reply.org)
        if item.reply.org_ref is None:
            bad("reply", unknown_id("答复单位", item.reply.org, "orgs.yaml", lib.orgs.values(), "机构"))
        if item.asked and item.reply.date and item.reply.date < item.asked:
            bad("reply", f"答复日期 {item.reply.date} 早于留言日期 {item.asked}：请改正日期")
    for key, wanted in (("interprets", "policy"), ("replaced_by", "policy"), ("of", "plan")):
        ref = getattr(item, key)
        if not ref:
            continue
        target = lib.items.get(ref)
        if target is None:
            bad(key, f"{key} 指向的“{ref}”不存在（应为 items/{ref}.md）")
        elif target.type != wanted:
            bad(key, f"{key} 指向的“{ref}”类型是 {target.type}，应为 {wanted}（{schema.ITEM_TYPES[wanted]}）")


def _check_attachments(item: model.Item, content: Path, problems: Problems, memo: Memo) -> None:
    folder = item.path[: -len(".md")]   # an item's own folder: items/<org>/<yyyy>/<slug>/
    files = {a.file for a in item.attachments}
    for att in item.attachments:
        target = posixpath.normpath(posixpath.join(folder, att.file))
        if att.file.startswith("/") or not target.startswith(folder + "/"):
            problems.error(item.path, _ref_line(item, "attachments"), f"附件“{att.file}”须放在信息自己的文件夹 {folder}/ 内")
            continue
        path = content / target
        if not path.is_file():
            problems.error(item.path, _ref_line(item, "attachments"), f"附件“{att.file}”不存在：请把文件放到 {folder}/ 文件夹")
            continue
        att.url = urls.attachment(item.id, posixpath.relpath(target, str(folder)))
        st = path.stat()
        att.size = st.st_size
        att.sha256 = file_sha256(path, st, memo)
    if item.recipients_file and item.recipients_file not in files:
        problems.error(item.path, _ref_line(item, "recipients_file"), f"发放名单“{item.recipients_file}”应列在 attachments 中")


def file_sha256(path: Path, st, memo: Memo) -> str:
    """The file's SHA-256 (the content API gives it, so an app can tell a changed attachment),
    read again only when its size or time changed."""
    key = digest("sha256", str(path), str(st.st_size), str(st.st_mtime_ns))
    found = memo.get("sha256", key)
    if found is None:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        found = h.hexdigest()
        memo.put("sha256", key, found)
    return found


def _check_index_numbers(lib: model.Library, problems: Problems) -> None:
    seen: dict[str, model.Item] = {}
    for item in lib.items.values():
        line = _ref_line(item, "index_no")
        if not item.index_no:
            problems.error(item.path, line or 1, f"缺少索引号 index_no：运行 {NUMBER_COMMAND} 自动编号（索引号一经发布不得更改）")
            continue
        if not schema.INDEX_NO_RE.fullmatch(item.index_no):
            problems.error(item.path, line, f"索引号“{item.index_no}”格式不对，应为 统一社会信用代码/年份-5位序号，如 11511525008745231K/2023-00055")
            continue
        first = seen.get(item.index_no)
        if first is not None:
            problems.error(item.path, line, f"索引号“{item.index_no}”与 {first.path} 重复：删去本条的 index_no 后运行 {NUMBER_COMMAND} 重新编号")
            continue
        seen[item.index_no] = item


def _link_items(lib: model.Library) -> None:
    """Cross references among published items only: nothing links to what is not out yet."""
    visible = {i.id: i for i in lib.published}
    for item in lib.published:
        item.related_items = [visible[r] for r in item.related if r in visible]
        item.interprets_item = visible.get(item.interprets)
        item.of_item = visible.get(item.of)
        item.replaced_by_item = visible.get(item.replaced_by)
        if item.interprets_item is not None:
            item.interprets_item.interpretations.append(item)
        if item.of_item is not None:
            item.of_item.progress_reports.append(item)


def _link_targets(lib: model.Library, content: Path):
    """What a body's link to a content path finds: ("page", url), ("hidden", "") for an item not
    out yet, ("file", url), or None when nothing is there."""
    visible = {i.id for i in lib.published}

    def resolve_target(target: str):
        if target.startswith("items/") and target.endswith(".md"):
            item_id = target[len("items/"): -len(".md")]
            if item_id in lib.items:
                return ("page", urls.item(item_id)) if item_id in visible else ("hidden", "")
            return None
        if target.startswith("items/") and (content / target).is_file():
            return ("file", urls.content_file(target))
        return None
    return resolve_target


def _render_body(renderer: markup.Renderer, item: model.Item, resolve_target) -> tuple[markup.Rendered, tuple]:
    """The body as HTML, with what its links found (the memo entry's condition)."""
    asked: dict[str, tuple | None] = {}

    def recording(target: str):
        asked[target] = answer = resolve_target(target)
        return answer
    result = renderer.render(item.body, posixpath.dirname(item.path), recording, item.path[: -len(".md")])
    return result, tuple(asked.items())


def render_body(lib: model.Library, content: Path, item: model.Item, problems: Problems) -> markup.Rendered:
    """One item's body against a resolved library (a running preview's edited item), its
    problems reported as the build reports them."""
    result, _ = _render_body(markup.renderer(), item, _link_targets(lib, content))
    _report_body(item, result, problems)
    return result


def _report_body(item: model.Item, result: markup.Rendered, problems: Problems) -> None:
    for p in result.problems:
        problems.error(item.path, markup.line_in_body(item.body, p.needle, item.body_line), p.message)


def _render_bodies(lib: model.Library, content: Path, problems: Problems, memo: Memo) -> None:
    resolve_target = _link_targets(lib, content)

    def render_chunk(items):
        renderer = markup.renderer()
        return [(item.id, *_render_body(renderer, item, resolve_target)) for item in items]

    # A body rendered before is taken from the memo while its links still find the same targets.
    done: dict[str, markup.Rendered] = {}
    todo = []
    for item in lib.published:
        kept = memo.get("body", item.source_key)
        if kept is not None and all(resolve_target(t) == answer for t, answer in kept[1]):
            done[item.id] = kept[0]
        else:
            todo.append(item)
    by_id = {item.id: item for item in lib.published}
    for chunk in parallel.map_chunks(render_chunk, todo):
        for item_id, result, asked in chunk:
            item = by_id[item_id]
            memo.put("body", item.source_key, (result, asked))
            done[item_id] = result
    for item in lib.published:
        result = done[item.id]
        item.html = result.html
        item.text = result.text
        if not item.summary:
            item.summary = result.summary
        _report_body(item, result, problems)


def _resolve_data(lib: model.Library, problems: Problems) -> None:
    for officer in lib.officers:
        officer.org_ref = lib.orgs.get(officer.org)
        if officer.org_ref is None:
            problems.error(officer.path, 0, f"文件名“{officer.org}”应为 orgs.yaml 中的机构编号")
    for service in lib.services.values():
        service.url = urls.service(service.id)
        service.org_ref = lib.orgs.get(service.org)
        if service.org_ref is None:
            problems.error(service.path, 0, f"文件夹“{service.org}”应为 orgs.yaml 中的机构编号")
    for place in lib.places.values():
        place.url = urls.place(place.id)
        if place.town:
            place.town_ref = lib.orgs.get(place.town)
            if place.town_ref is None or place.town_ref.kind != "town":
                problems.error(place.path, place.line, f"服务场所“{place.name}”的所在镇“{place.town}”不是 orgs.yaml 中的镇")
        for sid in place.services:
            service = lib.services.get(sid)
            if service is None:
                problems.error(place.path, place.line, f"服务场所“{place.name}”的可办事项“{sid}”不存在（应为 data/services/{sid}.yaml）")
            else:
                place.service_refs.append(service)
                service.places.append(place)
    for cat in lib.catalog:
        cat.domain_ref = lib.domains.get(cat.domain)
        if cat.domain_ref is None:
            problems.error(cat.path, 1, unknown_id("重点领域", cat.domain, "domains.yaml", lib.domains.values(), "领域"))
        for entry in cat.entries:
            if entry.subject:
                entry.subject_ref = lib.orgs.get(entry.subject)
                if entry.subject_ref is None:
                    problems.error(entry.path, entry.line, unknown_id("公开主体", entry.subject, "orgs.yaml",
                                                                      lib.orgs.values(), "机构"))
            if entry.column:
                entry.column_ref = lib.columns.get(entry.column)
                if entry.column_ref is None:
                    problems.error(entry.path, entry.line, unknown_id("对应栏目", entry.column, "columns.yaml",
                                                                      lib.columns.values(), "栏目"))
