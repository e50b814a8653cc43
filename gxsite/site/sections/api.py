"""The content API for the county media app (融媒APP) and anyone else: what the pages show, as
static JSON under /api/ (docs/api.md).

- /api/site.json: the site, its column tree and listings, orgs, domains, towns, item types,
  field names, and the URL templates of everything below;
- /api/<kind>/<key>/page/<n>.json: each listing page (columns and the automatic listings), in
  the order and with the cut of the HTML listing pages;
- /api/items/<org>/<yyyy>/<slug>.json: one item, every field of the content contract, its
  信息公开目录 record, body, attachments, columns and links;
- /api/services.json and /api/services/<org>/<slug>.json, /api/places.json,
  /api/officers.json, /api/catalog.json;
- /api/changes.json: each item's hash and last change, and what was withdrawn, so an app
  syncs by difference;
- /api/schema/<kind>.json: the JSON Schema each of them follows (site/sections/api_schema.py).

Made from the same library as the pages, so the same rules hold: only what is published on
`today`; withdrawn items leave the API as they leave the lists (changes.json names them).
Every link is absolute: an app has no page to resolve paths against. Deterministic: the same
content and `today` give the same bytes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes

from gxsite.content import model, schema
from gxsite.core import urls
from gxsite.core.page import Page, paginate
from gxsite.site.sections.api_schema import API_VERSION, schemas
from gxsite.site.sections.catalog import URL as CATALOG_URL
from gxsite.site.sections.feeds import author, body, modified
from gxsite.site.sections.officers import URL as OFFICERS_URL
from gxsite.site.sections.services import ordered
Files = list[tuple[str, bytes]]


def files(lib: model.Library, today: dt.date, plan: list[Page], keep) -> Files:
    """Every API file. `keep` (sections.Keep) reuses an item's document, or a listing page's,
    from an earlier build when what it is made of is as it was: the item as its page shows it, the
    HTML listing page it mirrors (1.1 s of a one-edit build at 10,000 items, without)."""
    items = [(item, keep("api-item", item, lambda item=item: dump(item_document(lib, item, today))))
             for item in lib.published if item.listed]
    out: Files = [(urls.api_item(item.id), data) for item, data in items]
    entries: dict[str, bytes] = {}   # an item is in five listings or so: its entry is made once
    shown = {page.url: page for page in plan}   # every listing page is planned, cut as here
    for listing in lib.listings:
        for url, doc in listing_documents(lib, listing):
            page = shown[urls.paged(listing.url, doc["page"])]
            out.append((url, keep("api-listing", page, lambda doc=doc: dump_listing(lib, doc, entries))))
    services = ordered(lib)
    singles = [
        (urls.API + "site.json", site_document(lib, today)),
        (urls.API + "services.json", services_document(lib, services)),
        (urls.API + "places.json", places_document(lib)),
        (urls.API + "officers.json", officers_document(lib)),
        (urls.API + "catalog.json", catalog_document(lib)),
    ] + [(urls.api_service(s.id), service_document(lib, s)) for s in services]
    singles_bytes = [(url, dump(doc)) for url, doc in singles]
    out += singles_bytes
    out.append((urls.API + "changes.json", dump(changes_document(lib, today, items, singles_bytes))))
    out += [(urls.api_schema(kind), dump(schema_doc, pretty=True)) for kind, schema_doc in schemas().items()]
    return [(urls.output_path(url), data) for url, data in out]


def dump(doc: dict, pretty: bool = False) -> bytes:
    """Compact UTF-8 JSON (the app reads it; precompressed twins carry it), keys in the order made."""
    if pretty:
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def dump_listing(lib: model.Library, doc: dict, entries: dict[str, bytes]) -> bytes:
    """`dump` of a listing page, whose last key holds items: each item's entry is dumped once per
    build (an item is in five listings or so) and spliced in, the bytes dumping the page whole
    would give."""
    head = dump({**doc, "entries": []})
    parts = []
    for item in doc["entries"]:
        data = entries.get(item.id)
        if data is None:
            data = entries[item.id] = dump(entry(lib, item))[:-1]   # without the newline
        parts.append(data)
    return head[:-len(b"]}\n")] + b",".join(parts) + b"]}\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _abs(lib: model.Library, url: str) -> str:
    return urls.absolute(lib.site.base_url, url)


# ---- values of the contract, by their converters ------------------------------------------


def value(raw, conv):
    """A loaded value as JSON, led by the converter that made it (records and lists keep theirs)."""
    fields = getattr(conv, "fields", None)
    if fields is not None:
        return record(raw, fields)
    member = getattr(conv, "member", None)
    if member is not None:
        return [value(v, member) for v in raw]
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return raw


def record(obj, table: dict[str, schema.Field]) -> dict:
    """The fields of a table (schema.py) that `obj` has, under the contract's keys."""
    out = {}
    for key, spec in table.items():
        raw = getattr(obj, spec.attr or key, None)
        if raw is None or raw == "" or raw == []:
            continue
        out[key] = value(raw, spec.convert)
    return out


# ---- references -------------------------------------------------------------------------


def item_ref(lib: model.Library, item: model.Item) -> dict:
    return {"id": item.id, "title": item.title, "type": item.type, "date": item.date.isoformat(),
            "url": _abs(lib, item.url), "api": _abs(lib, urls.api_item(item.id))}


def org_ref(lib: model.Library, org_id: str, kind: str = "orgs") -> dict:
    """An org and its listing: what it published ("orgs"), or for a town named by an item, what
    concerns the town ("towns")."""
    org = lib.orgs.get(org_id)
    return {"id": org_id, "name": org.name if org else org_id, "api": _abs(lib, urls.api_listing(kind, org_id))}


def column_ref(lib: model.Library, column: model.Column) -> dict:
    return {"id": column.id, "title": column.title, "url": _abs(lib, column.url),
            "api": _abs(lib, urls.api_listing("columns", column.id))}


# ---- items --------------------------------------------------------------------------------


def metadata(item: model.Item) -> dict:
    """The 信息公开目录 record, as the item page's table shows it."""
    out = {"index_no": item.index_no, "topic": item.topic or schema.ITEM_TYPES[item.type],
           "org": author(item), "issued": item.issued,
           "title": item.title, "doc_no": item.doc_no, "date": item.date, "validity": item.validity}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in out.items() if v}


def item_document(lib: model.Library, item: model.Item, today: dt.date) -> dict:
    # A withdrawn item has no API file (its page stays, out of every list): nothing links to it here.
    links = {
        "related": [item_ref(lib, i) for i in item.related_items if i.listed],
        "interpretations": [item_ref(lib, i) for i in item.interpretations if i.listed],
        "progress": [item_ref(lib, i) for i in item.progress_reports if i.listed],
    }
    for key, target in (("interprets", item.interprets_item), ("of", item.of_item),
                        ("replaced_by", item.replaced_by_item)):
        if target is not None and target.listed:
            links[key] = item_ref(lib, target)
    doc = {
        "api_version": API_VERSION,
        "id": item.id,
        "type": item.type,
        "type_name": schema.ITEM_TYPES[item.type],
        "title": item.title,
        "url": _abs(lib, item.url),
        "care_url": _abs(lib, urls.care(item.url)),
        "date": item.date.isoformat(),
        "changed": modified(item).isoformat(),
        "org": org_ref(lib, item.org),
        "metadata": metadata(item),
        "fields": record(item, schema.item_fields(item.type)),
        "domains": [{"id": d.id, "name": d.name, "api": _abs(lib, urls.api_listing("domains", d.id))}
                    for d in item.domain_refs],
        "towns": [org_ref(lib, t.id, "towns") for t in item.town_refs],
        "columns": [column_ref(lib, c) for c in item.in_columns],
        "attachments": [attachment(lib, a) for a in item.attachments],
        "links": links,
        "body_html": body(lib, item),
    }
    if item.type == "warning":
        doc["expired"] = bool(item.valid_until and item.valid_until < today)
    return doc


def attachment(lib: model.Library, att: model.Attachment) -> dict:
    kind = mimetypes.guess_type(att.file, strict=False)[0] or "application/octet-stream"
    return {"file": att.file, "title": att.title or att.file, "url": _abs(lib, att.url),
            "size": att.size, "sha256": att.sha256, "media_type": kind}


def entry(lib: model.Library, item: model.Item) -> dict:
    """An item as a listing shows it."""
    out = item_ref(lib, item)
    out.update({"type_name": schema.ITEM_TYPES[item.type], "org": item.org,
                "org_name": author(item),
                "changed": modified(item).isoformat()})
    for key in ("summary", "index_no", "doc_no"):
        if getattr(item, key):
            out[key] = getattr(item, key)
    return out


# ---- listings -----------------------------------------------------------------------------


def listing_documents(lib: model.Library, listing: model.Listing) -> list[tuple[str, dict]]:
    """Each page of a listing, cut as the HTML pages are (site.yaml per_page); `entries`, the
    last key, holds the page's items, each written as `entry` gives it (dump_listing)."""
    pages = paginate(listing.items, lib.site.per_page)
    count = len(pages)
    out = []
    for number, chunk in enumerate(pages, 1):
        def at(n: int):
            return _abs(lib, urls.api_listing(listing.kind, listing.key, n)) if 1 <= n <= count else None
        out.append((urls.api_listing(listing.kind, listing.key, number), {
            "api_version": API_VERSION,
            "kind": listing.kind,
            "key": listing.key,
            "title": listing.title,
            "url": _abs(lib, urls.paged(listing.url, number)),
            "page": number,
            "pages": count,
            "per_page": lib.site.per_page,
            "total": len(listing.items),
            "prev": at(number - 1),
            "next": at(number + 1),
            "entries": chunk,
        }))
    return out


# ---- the site ---------------------------------------------------------------------------


def site_document(lib: model.Library, today: dt.date) -> dict:
    site = lib.site
    base = site.base_url.rstrip("/")
    columns = []
    for column in lib.columns.values():
        doc = column_ref(lib, column)
        doc.update({"parent": column.parent or None, "children": [c.id for c in column.children],
                    "description": column.description, "count": len(column.items),
                    "feed": _abs(lib, column.url + "feed.json")})
        columns.append(doc)
    listings: dict[str, list[dict]] = {}
    for listing in lib.listings:
        if listing.kind == "columns":
            continue
        listings.setdefault(listing.kind, []).append({
            "key": listing.key, "title": listing.title, "count": len(listing.items),
            "pages": len(paginate(listing.items, site.per_page)), "url": _abs(lib, listing.url),
            "api": _abs(lib, urls.api_listing(listing.kind, listing.key))})
    return {
        "api_version": API_VERSION,
        "today": today.isoformat(),
        "site": {"title": site.title, "short_title": site.short_title, "base_url": site.base_url,
                 "division_code": site.division_code, "site_code": site.site_code,
                 "sponsor": site.sponsor or site.title, "lead_org": site.lead_org,
                 "contact": record(site.contact, schema.CONTACT), "per_page": site.per_page,
                 "feed": _abs(lib, "/feed.json")},
        "columns": columns,
        "listings": listings,
        "orgs": [{**record(o, schema.ORG), "api": org_ref(lib, o.id)["api"]} for o in lib.orgs.values()],
        "domains": [{**record(d, schema.DOMAIN), "api": _abs(lib, urls.api_listing("domains", d.id))}
                    for d in lib.domains.values()],
        "towns": [t.id for t in lib.towns.values()],
        "types": [{"id": t, "name": name} for t, name in schema.ITEM_TYPES.items()],
        # per type: a key may mean another thing in another type (status: 有效性 of a policy, 整改状态 of a rectification)
        "fields": {t: {key: spec.label for key, spec in schema.item_fields(t).items()} for t in schema.ITEM_TYPES},
        "urls": {
            "item": base + urls.API + "items/{id}.json",
            "listing": base + urls.API + "{kind}/{key}/page/{page}.json",
            "service": base + urls.API + "services/{id}.json",
            "changes": base + urls.API + "changes.json",
            "services": base + urls.API + "services.json",
            "places": base + urls.API + "places.json",
            "officers": base + urls.API + "officers.json",
            "catalog": base + urls.API + "catalog.json",
            "schema": base + urls.API + "schema/{kind}.json",
        },
    }


def services_document(lib: model.Library, services: list[model.Service]) -> dict:
    return {"api_version": API_VERSION, "services": [{
        "id": s.id, "name": s.name, "org": org_ref(lib, s.org), "kind": s.kind, "life_event": s.life_event,
        "url": _abs(lib, s.url), "api": _abs(lib, urls.api_service(s.id))} for s in services]}


def service_document(lib: model.Library, service: model.Service) -> dict:
    return {"api_version": API_VERSION, "id": service.id, "url": _abs(lib, service.url),
            "org": org_ref(lib, service.org), "fields": record(service, schema.SERVICE),
            "places": [{"id": p.id, "name": p.name, "url": _abs(lib, p.url)} for p in service.places]}


def places_document(lib: model.Library) -> dict:
    return {"api_version": API_VERSION, "places": [{
        **record(p, schema.PLACE), "url": _abs(lib, p.url),
        "services_api": [_abs(lib, urls.api_service(s.id)) for s in p.service_refs]}
        for p in lib.places.values()]}


def officers_document(lib: model.Library) -> dict:
    return {"api_version": API_VERSION, "url": _abs(lib, OFFICERS_URL), "officers": [
        {"org": org_ref(lib, o.org), **record(o, schema.OFFICER)} for o in lib.officers]}


def catalog_document(lib: model.Library) -> dict:
    domains = []
    for cat in lib.catalog:
        if cat.domain_ref is None:
            continue
        entries = []
        for e in cat.entries:
            doc = record(e, schema.CATALOG_ENTRY)
            if e.column_ref is not None:
                doc["column_ref"] = {**column_ref(lib, e.column_ref), "count": len(e.column_ref.items)}
            entries.append(doc)
        domains.append({"domain": cat.domain, "name": cat.domain_ref.name, "org": cat.domain_ref.org,
                        "entries": entries})
    return {"api_version": API_VERSION, "url": _abs(lib, CATALOG_URL), "domains": domains}


def changes_document(lib: model.Library, today: dt.date, items: list[tuple[model.Item, bytes]],
                     singles: Files) -> dict:
    """What an app compares with what it holds: a hash per item file (SHA-256 of its bytes) and
    per other document; items withdrawn are named as removed, with when and why."""
    entries = sorted(({"id": item.id, "hash": sha256(data), "changed": modified(item).isoformat(),
                       "api": _abs(lib, urls.api_item(item.id))} for item, data in items), key=lambda e: e["id"])
    removed = sorted(({"id": i.id, "reason": "withdrawn", "date": i.withdrawn.date.isoformat(),
                       "note": i.withdrawn.reason, "url": _abs(lib, i.url)}
                      for i in lib.published if not i.listed), key=lambda e: e["id"])
    return {"api_version": API_VERSION, "today": today.isoformat(), "count": len(entries), "items": entries,
            "removed": removed, "documents": [{"api": _abs(lib, url), "hash": sha256(data)} for url, data in singles]}
