"""A reference client of the content API (docs/api.md): what an app does to keep a copy of the
site's items up to date, and to page through a column. Standard library only, so it reads as an
example in any language; tests/test_api_client.py runs it against a built site.

    store = {}                                  # item id -> {"hash": ..., "doc": ...}
    sync("https://www.gaoxian.gov.cn/", store)  # first run: every item
    sync("https://www.gaoxian.gov.cn/", store)  # later runs: changes.json and what changed
    for entry in listing("https://www.gaoxian.gov.cn/", "columns", "zcwj"):
        print(entry["date"], entry["title"])

A store is any mapping; a plain dict here. An app keeps it on disk (a database table, one file
per item) so that the next sync starts from what it already holds.
"""
from __future__ import annotations

import hashlib
import json
import urllib.request
from collections.abc import Iterator, MutableMapping

API_VERSION = 1          # the version this client understands (docs/api.md: 版本与兼容)
TIMEOUT = 10             # seconds per request


class SyncError(Exception):
    """The server's files disagree with each other or with this client: keep the old copy, retry later."""


def fetch(url: str) -> bytes:
    """The bytes of one file. urllib sends no Accept-Encoding, so these are the JSON file's own
    bytes, the ones changes.json hashes (a client that accepts gzip hashes after decompressing)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.read()


def load(data: bytes) -> dict:
    doc = json.loads(data.decode("utf-8"))
    if doc.get("api_version") != API_VERSION:
        raise SyncError(f"api_version {doc.get('api_version')!r}: this client reads version {API_VERSION}")
    return doc


def api_url(base_url: str, path: str) -> str:
    """An address under /api/ of the site at base_url (site.yaml's base_url, ending in / or not)."""
    return base_url.rstrip("/") + "/api/" + path


def sync(base_url: str, store: MutableMapping[str, dict]) -> list[str]:
    """Bring `store` up to date with the site: fetch changes.json, then each item that is new or
    whose hash differs from the stored one; drop the items the site no longer lists. Returns the
    URLs fetched, changes.json first.

    An item is stored only after its bytes hash to what changes.json says: a file that does not
    match was caught mid-deploy (or by a stale cache) and is fetched again on the next sync."""
    changes_url = api_url(base_url, "changes.json")
    changes = load(fetch(changes_url))
    fetched = [changes_url]

    listed = {entry["id"]: entry for entry in changes["items"]}
    for item_id, entry in listed.items():
        held = store.get(item_id)
        if held is not None and held["hash"] == entry["hash"]:
            continue                                  # unchanged: no request at all
        data = fetch(entry["api"])
        fetched.append(entry["api"])
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry["hash"]:
            raise SyncError(f"{entry['api']}: sha256 {digest}, changes.json says {entry['hash']}")
        store[item_id] = {"hash": entry["hash"], "doc": load(data)}

    # Withdrawn items are named under "removed" (the app may say why); any other item that is
    # not listed any more (deleted, or past its display period) simply goes.
    removed = {entry["id"] for entry in changes["removed"]}
    for item_id in [i for i in store if i not in listed or i in removed]:
        del store[item_id]
    return fetched


def listing(base_url: str, kind: str, key: str) -> Iterator[dict]:
    """The entries of a listing (kind: columns, orgs, domains, types, towns, years), page by page in
    the site's order, following each page's `next` until there is none."""
    url = api_url(base_url, f"{kind}/{key}/page/1.json")
    while url:
        page = load(fetch(url))
        yield from page["entries"]
        url = page["next"]


def show(doc: dict) -> str:
    """An item as plain text: title, its 信息公开目录 record, then the body (the app renders body_html)."""
    labels = {"index_no": "索引号", "topic": "主题分类", "org": "发布机构", "issued": "成文日期",
              "title": "标题", "doc_no": "文号", "date": "发布日期", "validity": "有效性"}
    lines = [doc["title"], ""]
    lines += [f"{labels.get(key, key)}：{value}" for key, value in doc["metadata"].items()]
    lines += ["", doc["body_html"]]
    return "\n".join(lines)
