"""The reference client (tests/api_client.py) against a built site served over HTTP: a first sync
fetches everything, a sync after one edit fetches exactly changes.json and that item, a removed
item leaves the store, a column pages through `next`. And the schemas in docs/api-schema/ are
the ones the build publishes."""
from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

import api_client
from conftest import REPO, SITE, TODAY, item, parse
from gxsite import pipeline
from gxsite.site.sections.api import dump
from gxsite.site.sections.api_schema import schemas

SCHEMA_DIR = REPO / "docs" / "api-schema"

# Beside the base tree: enough notices for 通知公告 (tzgg) to run over three pages of per_page 3,
# and an enforcement item to withdraw.
EXTRA = {
    **{f"items/xzfb/2026/gonggao-{n}.md": item(f"测试县第{n}号公告", date=f"2026-10-{n + 10:02d}",
                                                index_no=f"11511525008745231K/2026-{n + 10:05d}",
                                                body=f"第{n}号公告正文。")
       for n in range(1, 6)},
    "items/sfj/2026/cfjd-01.md": item("测试县司法局行政处罚决定公示", type="enforcement", org="sfj",
                                      date="2026-11-10", index_no="11511525MB1234567X/2026-00002",
                                      stage="事后", decision_date="2026-11-06", action="行政处罚", body="处罚决定书摘要。"),
}


class Recorder(SimpleHTTPRequestHandler):
    """Serves the output folder and notes every path asked for, in order."""

    def do_GET(self):
        self.server.requested.append(urlsplit(self.path).path)
        super().do_GET()

    def log_message(self, format, *args):   # keep pytest's output clean
        pass


class Served:
    """A content tree whose site.yaml points at a local server that serves its output folder."""

    def __init__(self, out: Path, make_content):
        self.out = out
        handler = functools.partial(Recorder, directory=str(out))   # a path: survives the build's swap
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.requested = []
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        try:
            self.content = make_content(self.base)   # bound first: the port is in base_url
            self.build()
        except BaseException:
            self.server.server_close()
            raise
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def build(self):
        result = pipeline.build(self.content, self.out, TODAY, progress=False)
        assert result.ok, [str(p) for p in result.problems.errors]
        self.lib = result.lib
        return result

    def requests(self) -> list[str]:
        """The paths asked for since the last call."""
        done, self.server.requested[:] = list(self.server.requested), []
        return done

    def api(self, path: str) -> str:
        return self.base + "api/" + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def pointed(site_yaml: str, base_url: str) -> str:
    """site.yaml with its base_url replaced by the server's."""
    out, n = re.subn(r"(?m)^base_url: .*$", f"base_url: {base_url}", site_yaml)
    assert n == 1, "site.yaml should have one base_url line"
    return out


@pytest.fixture
def site(tree, tmp_path):
    served = Served(tmp_path / "output", lambda base: tree({"site.yaml": pointed(SITE, base), **EXTRA}))
    yield served
    served.close()


@pytest.fixture
def example_site(tmp_path):
    """The bundled example (content/), served."""
    def copy(base: str) -> Path:
        content = shutil.copytree(REPO / "content", tmp_path / "content")
        (content / "site.yaml").write_text(pointed((content / "site.yaml").read_text(encoding="utf-8"), base),
                                           encoding="utf-8")
        return content
    served = Served(tmp_path / "output", copy)
    yield served
    served.close()


def listed_ids(lib) -> set[str]:
    return {i.id for i in lib.published if i.listed}


def test_first_sync_fetches_changes_and_every_item(site):
    store: dict = {}
    fetched = api_client.sync(site.base, store)
    files = sorted(p.relative_to(site.out / "api" / "items").with_suffix("").as_posix()
                   for p in (site.out / "api" / "items").rglob("*.json"))
    assert len(files) == len(EXTRA) + 4
    assert sorted(store) == files == sorted(listed_ids(site.lib))
    assert site.requests() == [urlsplit(u).path for u in fetched]
    assert fetched[0] == site.api("changes.json")
    assert sorted(fetched[1:]) == sorted(site.api(f"items/{i}.json") for i in files)
    for item_id, held in store.items():
        data = (site.out / "api" / "items" / f"{item_id}.json").read_bytes()
        assert held["doc"] == json.loads(data) and held["doc"]["id"] == item_id
    # The body is the site's: the notice's link to the plan is absolute, at the served site.
    body = store["xzfb/2026/tongzhi-a"]["doc"]["body_html"]
    assert f'href="{site.base}items/xzfb/2025/fangan/"' in body
    # Nothing changed: a second sync asks for changes.json only.
    assert api_client.sync(site.base, store) == [site.api("changes.json")]
    assert site.requests() == ["/api/changes.json"]


def test_sync_after_one_edit_fetches_that_item_only(site):
    store: dict = {}
    api_client.sync(site.base, store)
    site.requests()
    before = {i: held["hash"] for i, held in store.items()}
    path = site.content / "items/xzfb/2026/tongzhi-a.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n请各单位于12月10日前报送落实情况。\n", encoding="utf-8")
    site.build()
    fetched = api_client.sync(site.base, store)
    assert fetched == [site.api("changes.json"), site.api("items/xzfb/2026/tongzhi-a.json")]
    assert site.requests() == ["/api/changes.json", "/api/items/xzfb/2026/tongzhi-a.json"]
    assert "请各单位于12月10日前报送落实情况。" in store["xzfb/2026/tongzhi-a"]["doc"]["body_html"]
    assert store["xzfb/2026/tongzhi-a"]["hash"] != before["xzfb/2026/tongzhi-a"]
    assert {i: h["hash"] for i, h in store.items() if i != "xzfb/2026/tongzhi-a"} == \
        {i: h for i, h in before.items() if i != "xzfb/2026/tongzhi-a"}


def test_example_site_sync_after_one_edit(example_site):
    """The issue's case on the bundled example: a policy with an interpretation, linked both ways."""
    store: dict = {}
    fetched = api_client.sync(example_site.base, store)
    changes = json.loads((example_site.out / "api/changes.json").read_bytes())
    assert len(store) == changes["count"] == len(fetched) - 1 > 100
    assert len(example_site.requests()) == len(fetched)
    edited = "mzj/2025/dibao-shenhe-xize"
    assert store[edited]["doc"]["links"]["interpretations"]
    path = example_site.content / f"items/{edited}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n本细则由县民政局负责解释。\n", encoding="utf-8")
    example_site.build()
    assert api_client.sync(example_site.base, store) == [example_site.api("changes.json"),
                                                         example_site.api(f"items/{edited}.json")]
    assert example_site.requests() == ["/api/changes.json", f"/api/items/{edited}.json"]
    assert "本细则由县民政局负责解释。" in store[edited]["doc"]["body_html"]


@pytest.mark.parametrize("how", ["delete", "withdraw"])
def test_removed_item_leaves_the_store(site, how):
    store: dict = {}
    api_client.sync(site.base, store)
    site.requests()
    if how == "delete":
        gone = "xzfb/2026/gonggao-3"
        (site.content / f"items/{gone}.md").unlink()
    else:
        gone = "sfj/2026/cfjd-01"
        path = site.content / f"items/{gone}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "action: 行政处罚\n", "action: 行政处罚\nwithdrawn: {date: 2026-11-25, reason: 原处罚决定已依法撤销}\n"),
            encoding="utf-8")
    assert gone in store
    site.build()
    changes = json.loads((site.out / "api/changes.json").read_bytes())
    assert gone not in {e["id"] for e in changes["items"]}
    assert {e["id"] for e in changes["removed"]} == ({gone} if how == "withdraw" else set())
    assert not (site.out / f"api/items/{gone}.json").exists()
    assert api_client.sync(site.base, store) == [site.api("changes.json")]
    assert site.requests() == ["/api/changes.json"]
    assert gone not in store and sorted(store) == sorted(listed_ids(site.lib))


def test_listing_follows_next_through_every_page(site):
    column = site.lib.columns["tzgg"]
    shown = []   # the HTML listing pages' entries, page by page: /columns/tzgg/, /columns/tzgg/page/<n>/
    for n in range(1, 4):
        rel = "columns/tzgg/" + ("" if n == 1 else f"page/{n}/")
        page = parse(site.out / rel / "index.html")
        shown += [urljoin(site.base + rel, a.get("href")) for a in page.xpath("//ul[@class='entries']/li/a")]
    assert len(shown) == len(column.items) == 7 and not (site.out / "columns/tzgg/page/4").exists()
    entries = list(api_client.listing(site.base, "columns", "tzgg"))
    assert [e["url"] for e in entries] == shown
    ids = [e["id"] for e in entries]
    assert ids == [i.id for i in column.items] and len(set(ids)) == len(ids)
    assert site.requests() == [f"/api/columns/tzgg/page/{n}.json" for n in (1, 2, 3)]


def test_a_file_that_does_not_match_its_hash_is_refused(site):
    """What a half-finished deploy or a stale cache looks like: the client raises, stores nothing wrong."""
    path = site.out / "api/items/xzfb/2026/tongzhi-a.json"
    path.write_bytes(path.read_bytes().replace("本通知适用于全县".encode(), "本通知适用于全市".encode()))
    store: dict = {}
    with pytest.raises(api_client.SyncError, match="tongzhi-a.json: sha256"):
        api_client.sync(site.base, store)
    assert "xzfb/2026/tongzhi-a" not in store


def test_docs_schemas_are_the_published_ones():
    made = schemas()
    written = {p.stem: p.read_bytes() for p in SCHEMA_DIR.glob("*.json")}
    hint = "docs/api-schema/ 与 api_schema.schemas() 不一致：请运行 python scripts/write_api_schemas.py 并提交"
    assert sorted(written) == sorted(made), hint
    for kind, doc in made.items():
        assert written[kind] == dump(doc, pretty=True), f"{kind}.json：{hint}"
