"""The content API (/api/, issue 18) on real output: every file follows its published schema, an
item's JSON says what its page says, a listing's JSON has the entries of its HTML page in the same
order, the pages' rules hold (nothing future-dated, withdrawn items leave every list), changes.json
hashes the bytes written, and the files are deterministic and precompressed like the rest."""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import brotli
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from lxml import html as lxml_html

from conftest import REPO, TODAY, differing, digest, generate, item, messages, parse
from gxsite import pipeline

KINDS = {"site", "listing", "item", "services", "service", "places", "officers", "catalog", "changes"}
LISTING_KINDS = ("columns", "orgs", "domains", "types", "towns", "years")
META_LABELS = {"索引号": "index_no", "主题分类": "topic", "发布机构": "org", "成文日期": "issued",
               "标题": "title", "文号": "doc_no", "发布日期": "date", "有效性": "validity"}
# Keys whose values are links the site itself serves (a type's own `fields` may hold outside ones).
LINK_KEYS = {"url", "api", "care_url", "feed", "prev", "next"}
CN_DATE = re.compile(r"(\d{4})年(\d{2})月(\d{2})日")


# ---- builds -----------------------------------------------------------------------------


def build(content: Path, out: Path):
    result = pipeline.build(content, out, TODAY, progress=False)
    assert result.ok, messages(result)
    return result.lib, out


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return build(REPO / "content", tmp_path_factory.mktemp("example") / "output")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    generate(300, root / "content")
    return build(root / "content", root / "output")


# Both an item withdrawn (kept page, left lists) and one not out yet; per_page is 3 in conftest.SITE,
# so the columns run to several pages.
RULES = {
    "items/xzfb/2026/weilai.md": item("尚未发布的通知", date="2026-12-31", index_no="11511525008745231K/2026-00011",
                                      columns="[tzgg]"),
    "items/sfj/2026/chehui.md": item("行政处罚决定书（张某）", type="enforcement", org="sfj", date="2026-11-10",
                                     index_no="11511525MB1234567X/2026-00002", stage="事后",
                                     decision_date="2026-11-05", action="行政处罚", party="张某", columns="[tzgg]",
                                     withdrawn="{date: 2026-11-12, reason: 经复议撤销原处罚决定}"),
    "items/sfj/2026/cf.md": item("行政处罚决定书（某某公司）", type="enforcement", org="sfj", date="2026-11-05",
                                 index_no="11511525MB1234567X/2026-00003", stage="事后", decision_date="2026-11-02",
                                 action="行政处罚", party="测试县某某商贸有限公司", columns="[tzgg]"),
    "items/xzfb/2026/tongzhi-b.md": item("关于开展政府开放日活动的通知", date="2026-11-02",
                                         index_no="11511525008745231K/2026-00002"),
    "items/xzfb/2026/tongzhi-c.md": item("关于公布行政执法事项清单的通知", date="2026-11-03",
                                         index_no="11511525008745231K/2026-00003"),
    "items/xzfb/2026/tongzhi-d.md": item("关于召开政务公开工作会议的通知", date="2026-11-04",
                                         index_no="11511525008745231K/2026-00004",
                                         attachments="[{file: 会议议程.csv, title: 会议议程}]"),
    "items/xzfb/2026/tongzhi-d/会议议程.csv": "时间,内容\n9:00,签到\n",
}
WITHDRAWN, FUTURE = "sfj/2026/chehui", "xzfb/2026/weilai"


# ---- reading what the build wrote ---------------------------------------------------------


def api_files(out: Path) -> list[Path]:
    """The JSON documents under api/ (not their .gz/.br twins)."""
    return sorted(p for p in (out / "api").rglob("*.json") if p.is_file())


def kind_of(out: Path, path: Path) -> str:
    parts = path.relative_to(out / "api").parts
    if parts[0] == "schema":
        return "schema"
    if parts[0] == "items":
        return "item"
    if parts[0] == "services" and len(parts) == 3:
        return "service"
    if len(parts) == 4 and parts[2] == "page":
        return "listing"
    return path.stem


def load(path: Path) -> dict:
    return json.loads(path.read_bytes())


def base_of(out: Path) -> str:
    return load(out / "api/site.json")["site"]["base_url"]


def local(out: Path, base: str, url: str) -> Path:
    """The output file an absolute URL of this site is served from."""
    prefix = base.rstrip("/")
    assert url.startswith(prefix + "/"), url
    path = unquote(urlsplit(url).path)[len(urlsplit(prefix).path):]
    return out / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


def item_id_of(out: Path, base: str, url: str) -> str:
    rel = local(out, base, url).relative_to(out).as_posix()
    found = re.fullmatch(r"items/(.+)/index\.html", rel)
    assert found, url
    return found[1]


def validators(out: Path) -> dict[str, Draft202012Validator]:
    found = {}
    for path in sorted((out / "api/schema").glob("*.json")):
        schema_doc = load(path)
        Draft202012Validator.check_schema(schema_doc)
        assert schema_doc["$schema"] == "https://json-schema.org/draft/2020-12/schema", path
        found[path.stem] = Draft202012Validator(schema_doc, format_checker=FormatChecker())
    assert set(found) == KINDS
    return found


def links(doc, under: str = ""):
    """(key, value) of every link in a document, outside a type's own fields and the body."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in ("fields", "body_html"):
                continue
            if key in LINK_KEYS and isinstance(value, str):
                yield key, value
            elif key == "services_api":
                yield from ((key, v) for v in value)
            elif key != "urls":     # site.json's templates are checked on their own
                yield from links(value, key)
    elif isinstance(doc, list):
        for value in doc:
            yield from links(value, under)


def check_all(out: Path) -> Counter:
    """Validate every API document against its kind's schema; every link it holds is absolute on
    this site and names a file the build wrote. Returns how many documents of each kind."""
    checks, base, seen = validators(out), base_of(out), Counter()
    for path in api_files(out):
        kind = kind_of(out, path)
        seen[kind] += 1
        if kind == "schema":
            continue
        doc = load(path)
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in checks[kind].iter_errors(doc)]
        assert not errors, (path.relative_to(out).as_posix(), errors[:5])
        for key, url in links(doc):
            assert local(out, base, url).is_file(), (path.relative_to(out).as_posix(), key, url)
    return seen


def listings(out: Path) -> dict[tuple[str, str], list[dict]]:
    """(kind, key) -> the JSON pages of that listing, by page number."""
    found: dict[tuple[str, str], dict[int, dict]] = {}
    for path in api_files(out):
        if kind_of(out, path) == "listing":
            kind, key, _, number = path.relative_to(out / "api").parts
            found.setdefault((kind, key), {})[int(number[: -len(".json")])] = load(path)
    return {k: [pages[n] for n in sorted(pages)] for k, pages in sorted(found.items())}


def text(node) -> str:
    return " ".join(node.text_content().split())


def iso(cn: str) -> str:
    found = CN_DATE.fullmatch(cn)
    return f"{found[1]}-{found[2]}-{found[3]}" if found else cn


def meta_table(page) -> dict[str, str] | None:
    """The 信息公开目录 table as {contract key: value}, dates as ISO; None when the page has none."""
    tables = page.xpath("//table[contains(concat(' ', @class, ' '), ' meta-table ')]")
    if not tables:
        return None
    out = {}
    for th in tables[0].xpath(".//th"):
        key = META_LABELS[text(th)]
        assert key not in out, key
        value = text(th.getnext())
        out[key] = iso(value) if key in ("issued", "date") else value
    return out


def section_hrefs(page, heading_id: str) -> list[str]:
    return page.xpath(f"//section[@aria-labelledby='{heading_id}']//ul/li/a/@href")


# ---- 1, 2: every file follows its schema --------------------------------------------------


def test_every_example_file_follows_its_schema(example):
    _, out = example
    seen = check_all(out)
    assert set(seen) == KINDS | {"schema"}, seen
    assert seen["schema"] == len(KINDS)


def test_every_generated_file_follows_its_schema(generated):
    _, out = generated
    seen = check_all(out)
    assert set(seen) == KINDS | {"schema"}, seen
    assert seen["item"] >= 250 and seen["listing"] > seen["item"] / 20


def test_a_document_against_the_contract_fails_validation(example):
    # The schemas are closed: a key the contract does not have, or a relative link, is refused.
    _, out = example
    checks = validators(out)
    doc = load(next(p for p in api_files(out) if kind_of(out, p) == "item"))
    assert checks["item"].is_valid(doc)
    assert not checks["item"].is_valid({**doc, "extra": 1})
    assert not checks["item"].is_valid({**doc, "url": doc["url"].replace("https://www.gaoxian.gov.cn", "")})
    assert not checks["item"].is_valid({**doc, "date": "2025年03月10日"})


def test_site_url_templates_name_the_files(example):
    lib, out = example
    site = load(out / "api/site.json")
    templates = site["urls"]
    some = next(i for i in lib.published if i.listed)
    assert local(out, base_of(out), templates["item"].format(id=some.id)).is_file()
    assert local(out, base_of(out), templates["listing"].format(kind="columns", key=site["columns"][0]["id"],
                                                                 page=1)).is_file()
    service = load(out / "api/services.json")["services"][0]
    assert local(out, base_of(out), templates["service"].format(id=service["id"])).is_file()
    for kind in KINDS:
        assert local(out, base_of(out), templates["schema"].format(kind=kind)).is_file()
    for name in ("changes", "services", "places", "officers", "catalog"):
        assert local(out, base_of(out), templates[name]) == out / "api" / f"{name}.json"


# ---- 3: an item's JSON says what its page says ------------------------------------------


def check_items(lib, out: Path) -> int:
    base = base_of(out)
    shown = {i.id for i in lib.published if i.listed}
    files = {p.relative_to(out / "api/items").as_posix()[: -len(".json")]: p
             for p in api_files(out) if kind_of(out, p) == "item"}
    assert set(files) == shown
    docs = {item_id: load(path) for item_id, path in files.items()}
    for item_id, doc in docs.items():
        assert doc["id"] == item_id
        page_path = local(out, base, doc["url"])
        assert page_path == out / "items" / item_id / "index.html"
        page = parse(page_path)
        where = item_id

        assert text(page.xpath("//article/h1")[0]) == doc["title"], where
        table = meta_table(page)
        if doc["type"] == "page":
            assert table is None, where
        else:
            assert table == doc["metadata"], where

        # The body: the same text, and every link absolute, leading where the page's link leads.
        body = page.xpath("//div[@class='body']")[0]
        fragment = lxml_html.fragment_fromstring(doc["body_html"], create_parent="div")
        assert text(fragment) == text(body), where
        targets = fragment.xpath(".//@href | .//@src")
        assert all(re.match(r"https?://", t) for t in targets), (where, targets)
        assert [urljoin(doc["url"], t) for t in body.xpath(".//@href | .//@src")] == targets, where

        # Attachments: the page's links open the files the JSON names, whose bytes it describes.
        anchors = page.xpath("//section[contains(@class, 'attachments')]//li/a")
        assert [urljoin(doc["url"], a.get("href")) for a in anchors] == [a["url"] for a in doc["attachments"]], where
        assert [text(a) for a in anchors] == [a["title"] for a in doc["attachments"]], where
        for att in doc["attachments"]:
            data = local(out, base, att["url"]).read_bytes()
            assert att["size"] == len(data) and att["sha256"] == hashlib.sha256(data).hexdigest(), (where, att)

        chips = page.xpath("//section[contains(@class, 'in-columns')]//ul[@class='chips']/li/a/@href")
        assert [urljoin(doc["url"], h) for h in chips] == [c["url"] for c in doc["columns"]], where
        for column in doc["columns"]:
            assert column["api"] == f"{base.rstrip('/')}/api/columns/{column['id']}/page/1.json", where

        # Links shown on the page, and each one's other end.
        for heading, key in (("interp-h", "interpretations"), ("prog-h", "progress"), ("rel-h", "related")):
            shown_ids = [item_id_of(out, base, urljoin(doc["url"], h)) for h in section_hrefs(page, heading)]
            assert shown_ids == [r["id"] for r in doc["links"][key]], (where, key)
        original = [item_id_of(out, base, urljoin(doc["url"], h)) for h in section_hrefs(page, "orig-h")]
        assert original == ([doc["links"]["interprets"]["id"]] if "interprets" in doc["links"] else []), where
        for key, back in (("interprets", "interpretations"), ("of", "progress")):
            if key in doc["links"]:
                other = docs[doc["links"][key]["id"]]
                assert item_id in [r["id"] for r in other["links"][back]], (where, key)
        for back, key in (("interpretations", "interprets"), ("progress", "of")):
            for ref in doc["links"][back]:
                assert docs[ref["id"]]["links"][key]["id"] == item_id, (where, back)
    return len(docs)


def test_example_items_match_their_pages(example):
    lib, out = example
    assert check_items(lib, out) >= 80


def test_example_items_carry_links_both_ways(example):
    # The check above only means something if the example has such links.
    _, out = example
    docs = [load(p) for p in api_files(out) if kind_of(out, p) == "item"]
    for key in ("interpretations", "interprets", "progress", "of", "related"):
        assert any(d["links"].get(key) for d in docs), key
    assert any(d["attachments"] for d in docs) and any(d["metadata"].get("doc_no") for d in docs)
    assert any(re.search(r'href="https?://', d["body_html"]) for d in docs)


def test_generated_items_match_their_pages(generated):
    lib, out = generated
    assert check_items(lib, out) >= 250


# ---- 4: a listing's JSON has the entries of its HTML pages ----------------------------------


def check_listings(lib, out: Path) -> int:
    base, per_page = base_of(out), lib.site.per_page
    found = listings(out)
    # Every HTML listing has its JSON and no other: /columns/<id>/, /<kind>/<key>/.
    html = {(kind, d.name) for kind in LISTING_KINDS if (out / kind).is_dir()
            for d in (out / kind).iterdir() if (d / "index.html").is_file()}
    assert set(found) == html
    site = load(out / "api/site.json")
    counts = {("columns", c["id"]): (c["count"], None) for c in site["columns"]}
    counts.update({(kind, entry["key"]): (entry["count"], entry["pages"])
                   for kind, entries in site["listings"].items() for entry in entries})
    assert set(counts) == set(found)
    pages_seen = 0
    for (kind, key), docs in found.items():
        where = f"{kind}/{key}"
        count = len(docs)
        api_urls = [f"{base.rstrip('/')}/api/{kind}/{key}/page/{n}.json" for n in range(1, count + 1)]
        total = docs[0]["total"]
        assert [d["page"] for d in docs] == list(range(1, count + 1)), where
        assert all(d["pages"] == count and d["total"] == total and d["per_page"] == per_page for d in docs), where
        assert all((d["kind"], d["key"]) == (kind, key) for d in docs), where
        assert counts[(kind, key)][0] == total and counts[(kind, key)][1] in (None, count), where
        sizes = [len(d["entries"]) for d in docs]
        assert sum(sizes) == total and all(s == per_page for s in sizes[:-1]) and sizes[-1] <= per_page, where
        assert sizes[-1] > 0 or count == 1, where
        ids = [e["id"] for d in docs for e in d["entries"]]
        assert len(ids) == len(set(ids)), where

        # prev/next: from page 1, next visits every page once and prev walks back.
        visited, url = [], api_urls[0]
        while url is not None:
            assert url not in visited and len(visited) <= count, where
            visited.append(url)
            url = load(local(out, base, url))["next"]
        assert visited == api_urls, where
        assert [d["prev"] for d in docs] == [None] + api_urls[:-1], where

        # The HTML pages: as many, each with the same entries in the same order, the same total.
        html_url = docs[0]["url"]
        assert not local(out, base, f"{html_url}page/{count + 1}/").exists(), where
        for number, doc in enumerate(docs, 1):
            assert doc["url"] == (html_url if number == 1 else f"{html_url}page/{number}/"), where
            page = parse(local(out, base, doc["url"]))
            anchors = page.xpath("//main//ul[@class='entries']/li/a")
            assert [item_id_of(out, base, urljoin(doc["url"], a.get("href"))) for a in anchors] \
                == [e["id"] for e in doc["entries"]], (where, number)
            assert [text(a) for a in anchors] == [e["title"] for e in doc["entries"]], (where, number)
            assert page.xpath("//main//ul[@class='entries']/li//time/@datetime") \
                == [e["date"] for e in doc["entries"]], (where, number)
            stated = page.xpath("//main//p[@class='total']")
            if total:
                shown = re.match(r"共 (\d+) 条(?:，第 (\d+) / (\d+) 页)?", text(stated[0]))
                assert int(shown[1]) == total, where
                assert (int(shown[2]), int(shown[3])) == (number, count) if count > 1 else shown[2] is None, where
            else:
                assert not stated and not doc["entries"], where
            for e in doc["entries"]:
                assert e["api"] == f"{base.rstrip('/')}/api/items/{e['id']}.json", where
        pages_seen += count
    return pages_seen


def test_example_listings_match_their_pages(example):
    lib, out = example
    assert check_listings(lib, out) > len(listings(out))      # some run to more than one page


def test_generated_listings_match_their_pages(generated):
    lib, out = generated
    assert check_listings(lib, out) > len(listings(out))


def test_listing_files_are_their_documents_dumped_whole(generated):
    """Entries are dumped once per item and spliced into each page: the bytes must be those of the
    whole page dumped at once (compact, keys in order, one newline)."""
    from gxsite.site.sections import api
    lib, out = generated
    files = sorted((out / "api").glob("*/*/page/*.json"))
    assert len(files) > 50
    for path in files:
        data = path.read_bytes()
        assert data == api.dump(json.loads(data)), path
    shared = Counter(e["id"] for path in files for e in json.loads(path.read_bytes())["entries"])
    assert max(shared.values()) > 1   # an entry spliced into several listings


# ---- 5: the pages' rules ------------------------------------------------------------------


def test_future_and_withdrawn_items_stay_out_of_the_api(built):
    result, out = built(RULES)
    assert result.ok, messages(result)
    check_all(out)
    assert check_listings(result.lib, out) > len(listings(out))
    base = base_of(out)

    assert not (out / f"api/items/{FUTURE}.json").exists() and not (out / f"items/{FUTURE}").exists()
    assert not (out / f"api/items/{WITHDRAWN}.json").exists()
    withdrawn_page = parse(out / f"items/{WITHDRAWN}/index.html")
    assert "已于 2026年11月12日 撤回" in text(withdrawn_page)

    entries = [e["id"] for docs in listings(out).values() for d in docs for e in d["entries"]]
    assert "sfj/2026/cf" in entries and "xzfb/2026/tongzhi-d" in entries
    assert FUTURE not in entries and WITHDRAWN not in entries
    tzgg = listings(out)[("columns", "tzgg")]
    assert tzgg[0]["total"] == sum(len(d["entries"]) for d in tzgg) == 6

    changes = load(out / "api/changes.json")
    assert FUTURE not in {e["id"] for e in changes["items"]} and WITHDRAWN not in {e["id"] for e in changes["items"]}
    assert changes["removed"] == [{"id": WITHDRAWN, "reason": "withdrawn", "date": "2026-11-12",
                                   "note": "经复议撤销原处罚决定", "url": f"{base.rstrip('/')}/items/{WITHDRAWN}/"}]

    # Not named anywhere else either: the future one nowhere, the withdrawn one only as removed.
    for path in api_files(out):
        data = path.read_text(encoding="utf-8")
        assert FUTURE not in data and "尚未发布的通知" not in data, path
        if path.name != "changes.json":
            assert WITHDRAWN not in data and "张某" not in data, path


def test_the_example_withdrawn_decision_is_removed(example):
    lib, out = example
    gone = sorted(i.id for i in lib.published if not i.listed)
    assert gone, "the example should keep a withdrawn decision"
    removed = load(out / "api/changes.json")["removed"]
    assert [r["id"] for r in removed] == gone
    for item_id in gone:
        assert not (out / f"api/items/{item_id}.json").exists()
        assert (out / f"items/{item_id}/index.html").is_file()
        entry = next(r for r in removed if r["id"] == item_id)
        assert entry["date"] == lib.items[item_id].withdrawn.date.isoformat()
        assert entry["note"] == lib.items[item_id].withdrawn.reason
    entries = {e["id"] for docs in listings(out).values() for d in docs for e in d["entries"]}
    assert not entries & set(gone)


def test_links_to_a_withdrawn_item_do_not_lead_to_a_missing_file(built):
    # A published item may name a withdrawn one as related: the page still links its page, but the
    # API has no file for it, so no `api` link may point there.
    extra = dict(RULES)
    extra["items/xzfb/2026/tongzhi-b.md"] = item("关于开展政府开放日活动的通知", date="2026-11-02",
                                                 index_no="11511525008745231K/2026-00002",
                                                 related=f"[{WITHDRAWN}, sfj/2026/cf]")
    result, out = built(extra)
    assert result.ok, messages(result)
    check_all(out)


# ---- 6: changes.json --------------------------------------------------------------------


def check_changes(out: Path):
    base = base_of(out)
    changes = load(out / "api/changes.json")
    items = {p.relative_to(out / "api/items").as_posix()[: -len(".json")]: p
             for p in api_files(out) if kind_of(out, p) == "item"}
    ids = [e["id"] for e in changes["items"]]
    assert ids == sorted(items) and changes["count"] == len(ids)
    for entry in changes["items"]:
        path = items[entry["id"]]
        assert local(out, base, entry["api"]) == path
        assert entry["hash"] == hashlib.sha256(path.read_bytes()).hexdigest(), entry["id"]
        assert entry["changed"] == load(path)["changed"], entry["id"]
    singles = {p for p in api_files(out) if kind_of(out, p) in ("site", "services", "service", "places",
                                                                 "officers", "catalog")}
    documents = {local(out, base, d["api"]): d["hash"] for d in changes["documents"]}
    assert len(documents) == len(changes["documents"]) and set(documents) == singles
    for path, hashed in documents.items():
        assert hashed == hashlib.sha256(path.read_bytes()).hexdigest(), path
    assert changes["today"] == TODAY.isoformat()


def test_example_changes_hash_the_files_written(example):
    check_changes(example[1])


def test_generated_changes_hash_the_files_written(generated):
    check_changes(generated[1])


def test_one_edit_changes_one_hash(built):
    # What an app syncs by: after one edit, exactly that item's hash moves (and the listings it is in).
    _, out = built(RULES)
    before = {e["id"]: e["hash"] for e in load(out / "api/changes.json")["items"]}
    extra = dict(RULES)
    extra["items/xzfb/2026/tongzhi-b.md"] = RULES["items/xzfb/2026/tongzhi-b.md"].replace(
        "正文第一段。", "正文第一段（修订）。")
    _, out = built(extra)
    after = {e["id"]: e["hash"] for e in load(out / "api/changes.json")["items"]}
    assert before.keys() == after.keys()
    assert [k for k in before if before[k] != after[k]] == ["xzfb/2026/tongzhi-b"]


# ---- 7, 8: deterministic, precompressed ---------------------------------------------------


def test_api_is_deterministic(example, tmp_path):
    _, out = example
    _, again = build(REPO / "content", tmp_path / "again")
    first, second = digest(out / "api"), digest(again / "api")
    assert len(first) > 500
    assert first == second, differing(first, second)


def test_api_files_have_precompressed_twins(example):
    _, out = example
    big = 0
    for path in api_files(out):
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if len(data) > 512:
            big += 1
            assert gzip.decompress(gz.read_bytes()) == data, path
            assert brotli.decompress(br.read_bytes()) == data, path
        else:
            assert not gz.exists() and not br.exists(), path
    assert big > 100
    assert any(len(p.read_bytes()) <= 512 for p in api_files(out))


# ---- 9: a site without services, places, officers or catalogue ---------------------------


def test_a_site_without_directories_writes_empty_lists(built):
    result, out = built()
    assert result.ok, messages(result)
    seen = check_all(out)
    assert "service" not in seen
    base = base_of(out).rstrip("/")
    assert load(out / "api/services.json") == {"api_version": 1, "services": []}
    assert load(out / "api/places.json") == {"api_version": 1, "places": []}
    assert load(out / "api/officers.json") == {"api_version": 1, "url": f"{base}/officers/", "officers": []}
    assert load(out / "api/catalog.json") == {"api_version": 1, "url": f"{base}/catalog/", "domains": []}
    check_changes(out)


def test_an_org_link_leads_to_what_the_org_published(built):
    """A town publishes items too: its `org.api` is its publisher list (orgs/), while an item that
    names the town in `towns:` links the town's list of items concerning it (towns/)."""
    result, out = built({"items/qfz/2026/gonggao.md": item("庆符镇关于开展人居环境整治的公告", org="qfz",
                                                           date="2026-11-10")})
    assert result.ok, messages(result)
    base = base_of(out)
    doc = load(out / "api/items/qfz/2026/gonggao.json")
    publisher = load(local(out, base, doc["org"]["api"]))
    assert publisher["kind"] == "orgs" and "qfz/2026/gonggao" in [e["id"] for e in publisher["entries"]]
    about = load(out / "api/items/qfz/2026/dongtai.json")
    assert [load(local(out, base, t["api"]))["kind"] for t in about["towns"]] == ["towns"]
    site = load(out / "api/site.json")
    assert {o["id"]: o["api"] for o in site["orgs"]}["qfz"] == doc["org"]["api"]
    assert site["fields"]["policy"]["status"] == "有效性" and site["fields"]["rectification"]["status"] == "整改状态"


def test_every_field_of_the_contract_has_a_json_shape():
    """The API's schemas are made from the converters' shapes: a converter without one would let
    any value through ({}), so every table of the contract the API writes is checked here."""
    from gxsite.content import schema
    tables = {f"item {t}": schema.item_fields(t) for t in schema.ITEM_TYPES}
    tables.update(service=schema.SERVICE, place=schema.PLACE, org=schema.ORG, domain=schema.DOMAIN,
                  officer=schema.OFFICER, catalog=schema.CATALOG_ENTRY, contact=schema.CONTACT)
    shapeless = [f"{name}.{key}" for name, table in tables.items() for key, spec in table.items()
                 if not schema.shape_of(spec.convert)]
    assert shapeless == []
    assert schema.shape_of(schema.text) == {"type": "string"}
