"""Stage 3, route: which items each column and automatic listing holds.

A column is a saved query over item fields (columns.yaml `select`), plus the items that
name it in their own `columns:`. No item is ever copied: listings hold references.
"""
from __future__ import annotations

import datetime as dt

from gxsite.site.sections import decisions
from gxsite.content import model, schema
from gxsite.core import urls
from gxsite.core.problems import Problems

AUTO_LISTINGS = ("orgs", "domains", "types", "towns", "years")
DEFAULT_CATEGORY = "其他文件"


def route(lib: model.Library, today: dt.date, problems: Problems) -> None:
    _check_columns(lib, problems)
    listed = [i for i in lib.published if i.listed]
    # Positions of the items holding each (select key, value), and naming each column: a column's
    # items are then a few set operations, not a call of `matches` per column and item.
    by_value: dict[str, dict[str, set[int]]] = {}
    for key in {key for c in lib.columns.values() for key in c.select}:
        found = by_value[key] = {}
        for n, item in enumerate(listed):
            for value in item_values(item, key):
                found.setdefault(value, set()).add(n)
    named: dict[str, set[int]] = {}
    for n, item in enumerate(listed):
        for column_id in item.columns:
            named.setdefault(column_id, set()).add(n)
    for column in lib.columns.values():
        hits = set(named.get(column.id, ()))
        if column.select:
            wanted = [set().union(*(by_value[key].get(v, ()) for v in values)) for key, values in column.select.items()]
            hits |= set.intersection(*wanted)
        chosen = [listed[n] for n in sorted(hits)]
        column.items = decisions.open_first(chosen, today)
        for item in column.items:
            item.in_columns.append(column)
    lib.listings = [
        model.Listing("columns", c.id, c.title, urls.column(c.id), c.items, c) for c in lib.columns.values()
    ] + _auto_listings(lib, [i for i in listed if i.type != "page"])


def item_values(item: model.Item, key: str) -> set[str]:
    """The values of an item that a `select` key is compared with."""
    if key == "org_kind":
        return {item.org_ref.kind} if item.org_ref else set()
    if key == "category":
        return {item.category or DEFAULT_CATEGORY} if item.type == "policy" else set()
    value = getattr(item, key)
    return set(value) if isinstance(value, list) else ({value} if value else set())


def _check_columns(lib: model.Library, problems: Problems) -> None:
    known = {
        "type": set(schema.ITEM_TYPES), "org": set(lib.orgs), "org_kind": set(schema.ORG_KINDS),
        "domains": set(lib.domains), "towns": set(lib.towns), "stage": {"事前", "事中", "事后"},
        "category": {"规范性文件", "其他文件"},
    }
    for column in lib.columns.values():
        where = (column.path, column.line)
        normalized = {}
        for key, value in column.select.items():
            if key not in schema.SELECT_KEYS:
                problems.error(*where, f"栏目“{column.id}”的选取规则有未知键“{key}”，可用：{'、'.join(schema.SELECT_KEYS)}")
                continue
            values = tuple(str(v) for v in (value if isinstance(value, list) else [value]))
            for v in values:
                if key in known and v not in known[key]:
                    problems.error(*where, f"栏目“{column.id}”的选取规则 {key}: “{v}”不存在")
            normalized[key] = values
        column.select = normalized
        if column.parent:
            parent = lib.columns.get(column.parent)
            if parent is None:
                problems.error(*where, f"栏目“{column.id}”的上级栏目“{column.parent}”不存在")
            else:
                parent.children.append(column)
    for column in lib.columns.values():
        seen = {column.id}
        node = column
        while node.parent and node.parent in lib.columns:
            node = lib.columns[node.parent]
            if node.id in seen:
                problems.error(column.path, column.line, f"栏目“{column.id}”的上级关系形成循环（{' → '.join(sorted(seen))}）")
                break
            seen.add(node.id)


def subtree_items(column: model.Column, limit: int) -> list[model.Item]:
    """The newest items of a column and all its descendants, each once."""
    seen: dict[str, model.Item] = {}
    stack = [column]
    while stack:
        node = stack.pop()
        for item in node.items:
            seen.setdefault(item.id, item)
        stack.extend(node.children)
    return sorted(seen.values(), key=lambda i: i.sort_key)[:limit]


def column_trail(column: model.Column, lib: model.Library) -> list[model.Column]:
    """The column and its ancestors, root first (for breadcrumbs)."""
    trail = [column]
    while trail[-1].parent and trail[-1].parent in lib.columns and len(trail) <= len(lib.columns):
        trail.append(lib.columns[trail[-1].parent])
    return list(reversed(trail))


def _auto_listings(lib: model.Library, items: list[model.Item]) -> list[model.Listing]:
    # What the county declares (every org, town and key domain in its yaml) has its page even
    # before its first item, so navigation lists every unit and any link to one resolves. Types
    # and years come from items alone: they exist, and are linked, only once an item has them.
    groups: dict[tuple[str, str], list[model.Item]] = {
        **{("orgs", o): [] for o in lib.orgs}, **{("towns", t): [] for t in lib.towns},
        **{("domains", d): [] for d in lib.domains},
    }
    for item in items:
        keys = [("orgs", item.org), ("types", item.type), ("years", str(item.date.year))]
        keys += [("domains", d) for d in item.domains] + [("towns", t) for t in item.towns]
        for key in keys:
            groups.setdefault(key, []).append(item)
    titles = {
        "orgs": lambda k: lib.orgs[k].name if k in lib.orgs else k,
        "domains": lambda k: lib.domains[k].name if k in lib.domains else k,
        "types": lambda k: schema.ITEM_TYPES.get(k, k),
        "towns": lambda k: lib.orgs[k].name if k in lib.orgs else k,
        "years": lambda k: f"{k}年",
    }
    order = {kind: n for n, kind in enumerate(AUTO_LISTINGS)}
    return [
        model.Listing(kind, key, titles[kind](key), urls.listing(kind, key), groups[(kind, key)],
                      domain=lib.domains.get(key) if kind == "domains" else None)
        for kind, key in sorted(groups, key=lambda g: (order[g[0]], g[1]))
    ]
