"""The content API's contract: one JSON Schema (draft 2020-12) per kind of document, published
at /api/schema/<kind>.json and kept in docs/api-schema/ (a test holds the two the same).

The parts that come from the content contract (an item's `fields`, a service's, a place's…)
are made from the converters' shapes in content/schema.py, so a field added to the contract
appears here without a second list.

API_VERSION: a change that only adds (a new key, a new kind of document) keeps the version;
a key renamed, removed or given another type bumps it, and docs/api.md says what changed.
"""
from __future__ import annotations

from gxsite.content import schema

API_VERSION = 1
DIALECT = "https://json-schema.org/draft/2020-12/schema"

STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri", "pattern": "^https?://"}
NULLABLE_URL = {"anyOf": [URL, {"type": "null"}]}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
ITEM_ID = {"type": "string", "pattern": "^[a-z0-9-]+/[0-9]{4}/[a-z0-9-]+$"}
ID = {"type": "string", "pattern": "^[a-z0-9-]+$"}
VERSION = {"const": API_VERSION}
TYPE = {"enum": list(schema.ITEM_TYPES)}


def obj(properties: dict, required: list[str] | None = None, closed: bool = True) -> dict:
    """An object with these properties; `required` defaults to all of them."""
    out = {"type": "object", "properties": properties,
           "required": list(properties) if required is None else required}
    if closed:
        out["additionalProperties"] = False
    return out


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def table(fields: dict[str, schema.Field]) -> dict:
    """The object the API writes for a table of the content contract: its keys, none other, with
    the required ones always there (an empty optional value is left out)."""
    return obj({key: schema.shape_of(spec.convert) for key, spec in fields.items()},
               [key for key, spec in fields.items() if spec.required])


ITEM_REF = obj({"id": ITEM_ID, "title": STRING, "type": TYPE, "date": DATE, "url": URL, "api": URL})
ORG_REF = obj({"id": ID, "name": STRING, "api": URL})
COLUMN_REF = obj({"id": ID, "title": STRING, "url": URL, "api": URL})


def _item() -> dict:
    by_type = []
    for item_type in schema.ITEM_TYPES:
        fields = table(schema.item_fields(item_type))
        fields["properties"]["type"] = {"const": item_type}
        by_type.append({"if": {"properties": {"type": {"const": item_type}}},
                        "then": {"properties": {"fields": fields}}})
    metadata = obj({"index_no": STRING, "topic": STRING, "org": STRING, "issued": DATE, "title": STRING,
                    "doc_no": STRING, "date": DATE, "validity": {"enum": ["现行有效", "已修改", "已废止"]}},
                   ["topic", "org", "title", "date"])
    attachment = obj({"file": STRING, "title": STRING, "url": URL, "size": {"type": "integer", "minimum": 0},
                      "sha256": SHA256, "media_type": STRING})
    links = obj({"related": array(ITEM_REF), "interpretations": array(ITEM_REF), "progress": array(ITEM_REF),
                 "interprets": ITEM_REF, "of": ITEM_REF, "replaced_by": ITEM_REF},
                ["related", "interpretations", "progress"])
    doc = obj({
        "api_version": VERSION, "id": ITEM_ID, "type": TYPE, "type_name": STRING, "title": STRING,
        "url": URL, "care_url": URL, "date": DATE, "changed": DATE, "org": ORG_REF, "metadata": metadata,
        "fields": {"type": "object"}, "domains": array(ORG_REF), "towns": array(ORG_REF),
        "columns": array(COLUMN_REF), "attachments": array(attachment), "links": links,
        "body_html": STRING, "expired": {"type": "boolean"},
    }, ["api_version", "id", "type", "type_name", "title", "url", "care_url", "date", "changed", "org",
        "metadata", "fields", "domains", "towns", "columns", "attachments", "links", "body_html"])
    doc["allOf"] = by_type
    return doc


def _listing() -> dict:
    entry = obj({**ITEM_REF["properties"], "type_name": STRING, "org": ID, "org_name": STRING,
                 "changed": DATE, "summary": STRING, "index_no": STRING, "doc_no": STRING},
                [*ITEM_REF["required"], "type_name", "org", "org_name", "changed"])
    return obj({
        "api_version": VERSION, "kind": {"enum": ["columns", "orgs", "domains", "types", "towns", "years"]},
        "key": STRING, "title": STRING, "url": URL,
        "page": {"type": "integer", "minimum": 1}, "pages": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1}, "total": {"type": "integer", "minimum": 0},
        "prev": NULLABLE_URL, "next": NULLABLE_URL, "entries": array(entry),
    })


def _site() -> dict:
    column = obj({**COLUMN_REF["properties"], "parent": {"anyOf": [ID, {"type": "null"}]}, "children": array(ID),
                  "description": STRING, "count": {"type": "integer", "minimum": 0}, "feed": URL})
    listing = obj({"key": STRING, "title": STRING, "count": {"type": "integer", "minimum": 0},
                   "pages": {"type": "integer", "minimum": 1}, "url": URL, "api": URL})
    site = obj({"title": STRING, "short_title": STRING, "base_url": URL, "division_code": STRING,
                "site_code": STRING, "sponsor": STRING, "lead_org": STRING, "contact": table(schema.CONTACT),
                "per_page": {"type": "integer", "minimum": 1}, "feed": URL})
    org = table(schema.ORG)
    org["properties"]["api"] = URL
    org["required"].append("api")
    domain = table(schema.DOMAIN)
    domain["properties"]["api"] = URL
    domain["required"].append("api")
    template = {"type": "string", "pattern": "^https?://"}
    return obj({
        "api_version": VERSION, "today": DATE, "site": site, "columns": array(column),
        "listings": {"type": "object", "propertyNames": {"enum": ["orgs", "domains", "types", "towns", "years"]},
                     "additionalProperties": array(listing)},
        "orgs": array(org), "domains": array(domain), "towns": array(ID),
        "types": array(obj({"id": TYPE, "name": STRING})),
        "fields": {"type": "object", "propertyNames": TYPE,
                   "additionalProperties": {"type": "object", "additionalProperties": STRING}},
        "urls": obj({k: template for k in ("item", "listing", "service", "changes", "services", "places",
                                           "officers", "catalog", "schema")}),
    })


def _service() -> dict:
    place = obj({"id": ID, "name": STRING, "url": URL})
    return obj({"api_version": VERSION, "id": {"type": "string", "pattern": "^[a-z0-9-]+/[a-z0-9-]+$"},
                "url": URL, "org": ORG_REF, "fields": table(schema.SERVICE), "places": array(place)})


def _services() -> dict:
    summary = obj({"id": STRING, "name": STRING, "org": ORG_REF, "kind": STRING, "life_event": STRING,
                   "url": URL, "api": URL})
    return obj({"api_version": VERSION, "services": array(summary)})


def _places() -> dict:
    place = table(schema.PLACE)
    place["properties"].update({"url": URL, "services_api": array(URL)})
    place["required"] += ["url", "services_api"]
    return obj({"api_version": VERSION, "places": array(place)})


def _officers() -> dict:
    officer = table(schema.OFFICER)
    officer["properties"]["org"] = ORG_REF
    officer["required"].append("org")
    return obj({"api_version": VERSION, "url": URL, "officers": array(officer)})


def _catalog() -> dict:
    entry = table(schema.CATALOG_ENTRY)
    entry["properties"]["column_ref"] = obj({**COLUMN_REF["properties"], "count": {"type": "integer", "minimum": 0}})
    domain = obj({"domain": ID, "name": STRING, "org": STRING, "entries": array(entry)})
    return obj({"api_version": VERSION, "url": URL, "domains": array(domain)})


def _changes() -> dict:
    item = obj({"id": ITEM_ID, "hash": SHA256, "changed": DATE, "api": URL})
    removed = obj({"id": ITEM_ID, "reason": {"enum": ["withdrawn"]}, "date": DATE, "note": STRING, "url": URL})
    document = obj({"api": URL, "hash": SHA256})
    return obj({"api_version": VERSION, "today": DATE, "count": {"type": "integer", "minimum": 0},
                "items": array(item), "removed": array(removed), "documents": array(document)})


KINDS = {"site": ("网站概况、栏目树与地址模板", _site), "listing": ("栏目或自动列表的一页", _listing),
         "item": ("一条信息", _item), "services": ("服务事项一览", _services), "service": ("一个服务事项", _service),
         "places": ("办事地点", _places), "officers": ("行政执法人员", _officers),
         "catalog": ("政务公开事项标准目录", _catalog), "changes": ("同步用的变更清单", _changes)}


def schemas() -> dict[str, dict]:
    """kind -> its JSON Schema, in the order of KINDS."""
    out = {}
    for kind, (title, make) in KINDS.items():
        out[kind] = {"$schema": DIALECT, "title": f"gxsite 内容接口：{title}（第 {API_VERSION} 版）", **make()}
    return out
