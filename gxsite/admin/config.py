"""Decap CMS's config.yml, generated from the content contract (`content/schema.py`) and the
tree's own orgs, domains and columns: the forms can never ask for a field the build does not
know, nor miss one it requires.

Each item type is a folder collection over `<content>/items`, filtered by `type`, its files at
`<org>/<yyyy>/<slug>.md` (the path Decap computes from the form's org and date), media in the
item's own folder. Data files are collections too; officers and places files are lists, which
Decap cannot edit at the root, so the backend shows them wrapped in one key (`LIST_KEYS`).
"""
from __future__ import annotations

import inspect
import json
from pathlib import Path

from gxsite.content import load, model, schema
from gxsite.core.problems import Problems

DATE_FORMAT = "YYYY-MM-DD"
# data files that are one YAML list: shown to Decap as {key: [...]} (backend.py unwraps them)
LIST_KEYS = {"officers": "officers", "places": "places"}
LONG_TEXT = {"summary", "short_reason", "question", "conditions", "content", "reason", "text"}
# references to the tree's own records: which options a select offers
ORG_KEYS = {"org", "subject", "lead_org"}
TOWN_KEYS = {"towns", "town"}
DOMAIN_KEYS = {"domains", "domain"}
COLUMN_KEYS = {"columns", "column"}
# item references to an item of one type: a relation to that type's collection
ITEM_TARGETS = {"interprets": "policy", "replaced_by": "policy", "of": "plan"}


def options(content: Path) -> dict[str, list[dict]]:
    """Select options from orgs.yaml, domains.yaml and columns.yaml as they are now (value the
    id, label the Chinese name with the id, as messages name them)."""
    quiet = Problems()   # the build reports these files' mistakes; the forms offer what loads
    orgs = load.load_list(content, "orgs.yaml", schema.ORG, model.Org, quiet)
    domains = load.load_list(content, "domains.yaml", schema.DOMAIN, model.Domain, quiet)
    columns = load.load_list(content, "columns.yaml", schema.COLUMN, model.Column, quiet)

    def opts(records, name) -> list[dict]:
        return [{"label": f"{name(r)}（{r.id}）", "value": r.id} for r in records]
    return {"org": opts(orgs, lambda o: o.name), "town": opts([o for o in orgs if o.kind == "town"], lambda o: o.name),
            "domain": opts(domains, lambda d: d.name), "column": opts(columns, lambda c: c.title)}


def _kind(convert) -> tuple[str, dict]:
    """What a converter of the contract is, and what its closure holds (choice's options,
    record's fields, listing's member): read from the function, so the tables stay the truth."""
    name = getattr(convert, "__qualname__", "").split(".")[0]
    if name in ("choice", "record", "listing", "integer", "reference", "identifier", "coordinate"):
        return name, dict(inspect.getclosurevars(convert).nonlocals)
    return name, {}


def widget(key: str, spec: schema.Field, opts: dict[str, list[dict]]) -> dict:
    """One field of the contract as a Decap field: widget, label, hint, required."""
    out: dict = {"name": key, "label": spec.label, "required": spec.required,
                 "hint": f"字段 {key}" + ("（必填）" if spec.required else "")}
    kind, inner = _kind(spec.convert)
    select = _select_of(key, opts)
    if kind == "listing":
        member = inner["convert"]
        mkind, minner = _kind(member)
        if select is not None and mkind == "reference":
            out.update(widget="select", multiple=True, options=select)
        elif mkind == "record":
            out.update(widget="list", fields=[widget(k, f, opts) for k, f in minner["fields"].items()])
        else:
            out.update(widget="list")   # a list of one-line texts (item ids, service ids, steps)
    elif select is not None and kind in ("reference", "identifier"):
        out.update(widget="select", options=select)
    elif kind == "choice":
        out.update(widget="select", options=list(inner["options"]))
    elif kind == "record":
        out.update(widget="object", fields=[widget(k, f, opts) for k, f in inner["fields"].items()])
    elif kind == "integer":
        out.update(widget="number", value_type="int")
        if inner.get("low") is not None:
            out["min"] = inner["low"]
        if inner.get("high") is not None:
            out["max"] = inner["high"]
    elif kind in ("number", "coordinate"):
        out.update(widget="number", value_type="float")
    elif kind == "boolean":
        out.update(widget="boolean")
    elif kind == "date":
        # YYYY-MM-DD with no time, written unquoted (Decap's YAML is 1.2: a plain string)
        out.update(widget="datetime", format=DATE_FORMAT, date_format=DATE_FORMAT, time_format=False)
    elif kind == "item_ref" and key in ITEM_TARGETS:
        out.update(widget="relation", collection=ITEM_TARGETS[key], value_field="{{slug}}",
                   search_fields=["title"], display_fields=["title"])
    else:
        out.update(widget="text" if key in LONG_TEXT else "string")
    return out


def _select_of(key: str, opts: dict[str, list[dict]]) -> list[dict] | None:
    for keys, which in ((ORG_KEYS, "org"), (TOWN_KEYS, "town"), (DOMAIN_KEYS, "domain"), (COLUMN_KEYS, "column")):
        if key in keys:
            return opts[which]
    return None


def item_collection(item_type: str, prefix: str, opts: dict[str, list[dict]]) -> dict:
    fields = [widget(k, f, opts) for k, f in schema.item_fields(item_type).items() if k != "type"]
    for f in fields:
        if f["name"] == "index_no":   # never typed by hand: the backend numbers a new item on save
            f["hint"] = "字段 index_no：新建时留空，保存时自动编号；一经发布不得更改"
    fields.insert(0, {"name": "type", "label": "类型", "widget": "hidden", "default": item_type})
    fields.append({"name": "body", "label": "正文", "widget": "markdown", "required": False, "hint": "正文（Markdown）"})
    return {
        "name": item_type, "label": schema.ITEM_TYPES[item_type], "label_singular": schema.ITEM_TYPES[item_type],
        "folder": f"{prefix}/items", "extension": "md", "format": "frontmatter", "create": True, "delete": True,
        "filter": {"field": "type", "value": item_type},
        # ids allow no "_": open_day's files are open-day-0315.md, as `gxsite new` names them
        "slug": item_type.replace("_", "-") + "-{{fields.date | date('MMDD')}}",
        # Decap turns "." into "-" in a path template (prepareSlug), so fields are named bare here:
        # {{org}} is the org field, {{year}} the year of the date field
        "path": "{{org}}/{{year}}/{{slug}}",
        "media_folder": "{{filename}}", "public_folder": "{{filename}}",   # the item's own folder
        "summary": "{{title}}（{{date}}）", "sortable_fields": ["date", "title"],
        "fields": fields,
    }


def data_collections(prefix: str, opts: dict[str, list[dict]]) -> list[dict]:
    def fields_of(table):
        return [widget(k, f, opts) for k, f in table.items()]
    data = f"{prefix}/data"
    return [
        {"name": "officers", "label": "执法人员", "folder": f"{data}/officers", "extension": "yaml", "format": "yaml",
         "create": False, "delete": False, "identifier_field": "officers",
         "fields": [{"name": LIST_KEYS["officers"], "label": "执法人员", "widget": "list", "fields": fields_of(schema.OFFICER)}]},
        {"name": "places", "label": "服务场所", "files": [
            {"name": "places", "label": "服务场所", "file": f"{data}/places.yaml",
             "fields": [{"name": LIST_KEYS["places"], "label": "服务场所", "widget": "list", "fields": fields_of(schema.PLACE)}]}]},
        {"name": "services", "label": "服务事项", "folder": f"{data}/services", "extension": "yaml", "format": "yaml",
         "create": False, "delete": False, "path": "{{slug}}", "identifier_field": "name",
         "nested": {"depth": 2}, "fields": fields_of(schema.SERVICE)},
        {"name": "catalog", "label": "公开事项标准目录", "folder": f"{data}/catalog", "extension": "yaml", "format": "yaml",
         "create": True, "delete": False, "identifier_field": "domain", "slug": "{{fields.domain}}",
         "fields": [{"name": "domain", "label": "重点领域", "widget": "select", "options": opts["domain"], "hint": "字段 domain"},
                    {"name": "entries", "label": "目录事项", "widget": "list", "fields": fields_of(schema.CATALOG_ENTRY)}]},
    ]


def config(content: Path, api_url: str) -> dict:
    """The whole config, `api_url` the backend's absolute address (the page's own origin)."""
    prefix = content.name   # paths are relative to the site folder, which holds the content folder
    opts = options(content)
    return {
        # The proxy backend named outright: Decap talks to our /api/v1 with no login and never
        # probes localhost:8081 as `local_backend: true` would (a request to another origin).
        "backend": {"name": "proxy", "proxy_url": api_url, "branch": "main"},
        "locale": "zh_Hans",
        "publish_mode": "simple",
        "media_folder": f"{prefix}/items",   # required globally; each item collection puts media in the item's folder
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [item_collection(t, prefix, opts) for t in schema.ITEM_TYPES] + data_collections(prefix, opts),
    }


def config_yml(content: Path, api_url: str) -> bytes:
    """config.yml's bytes. JSON is YAML: no YAML writer's quoting rules to get wrong."""
    return json.dumps(config(content, api_url), ensure_ascii=False, indent=1).encode("utf-8")
