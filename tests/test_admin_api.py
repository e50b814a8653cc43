"""The editors' forms' backend: Decap CMS's local-backend protocol at /api/v1 of a running
`gxsite serve`, on a copy of the example, and /admin/config.yml generated from the contract."""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, TODAY
from gxsite.admin import config
from gxsite.content import schema

SFJ_CODE = "11511525MB1589208A"   # sfj's credit code in the example's orgs.yaml
ID_NUMBER = "511525199003071231"  # a valid 18-digit resident ID number (check character and birth date)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    def __init__(self, tmp: Path, *args: str):
        self.site = tmp / "site"
        shutil.copytree(REPO / "content", self.site / "content")
        self.content = self.site / "content"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gxsite", "serve", "--content", str(self.content), "--out", str(tmp / "out"),
             "--port", str(self.port), "--today", TODAY.isoformat(), *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).close()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise AssertionError("gxsite serve did not answer: " + self.err)

    def stop(self) -> None:
        self.proc.terminate()
        _, self.err = self.proc.communicate(timeout=15)

    def call(self, action: str, params: dict | None = None, headers: dict | None = None) -> tuple[int, object]:
        body = json.dumps({"action": action, "params": params or {}}).encode()
        request = urllib.request.Request(self.base + "/api/v1", data=body, method="POST",
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def ok(self, action: str, params: dict | None = None):
        status, answer = self.call(action, params)
        assert status == 200, answer
        return answer

    def page(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as r:
                return r.read().decode("utf-8")
        except OSError:
            return None


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    server = Serve(tmp_path_factory.mktemp("admin"))
    yield server
    server.stop()
    assert "Traceback" not in server.err


def notice(title: str, body: str = "为做好相关工作，现将有关事项通知如下。", **fields) -> str:
    head = {"title": title, "type": "notice", "org": "sfj", "date": "2026-11-20", **fields}
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, str) and k == 'title' else v}" for k, v in head.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def persist(serve: Serve, path: str, raw: str, assets=(), new_path: str | None = None):
    data_file = {"path": path, "raw": raw, "slug": path.rsplit("/", 1)[-1][:-3]}
    if new_path:
        data_file["newPath"] = new_path
    return serve.call("persistEntry", {"branch": "main", "dataFiles": [data_file], "assets": list(assets),
                                       "options": {"commitMessage": "x", "useWorkflow": False, "status": ""}})


def wait_for(predicate, seconds: float = 30) -> float | None:
    """Seconds until predicate() holds, None if it never did."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if predicate():
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def test_info_lists_and_reads(serve):
    assert serve.ok("info") == {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"}
    entries = serve.ok("entriesByFolder", {"folder": "content/items", "extension": "md", "depth": 3})
    paths = {e["file"]["path"] for e in entries}
    assert len(entries) == len(list((serve.content / "items").glob("*/*/*.md"))) > 100
    assert "content/items/sfj/2025/falv-yuanzhu-gzz.md" in paths
    entry = serve.ok("getEntry", {"path": "content/items/sfj/2025/falv-yuanzhu-gzz.md"})
    assert entry["data"] == (serve.content / "items/sfj/2025/falv-yuanzhu-gzz.md").read_text(encoding="utf-8")
    [missing] = serve.ok("entriesByFiles", {"files": [{"path": "content/items/sfj/2025/none.md"}]})
    assert missing["data"] is None   # Decap asks this of a new slug before it takes it
    # a list file is shown under one key (Decap edits no list at a file's root)
    places = serve.ok("getEntry", {"path": "content/data/places.yaml"})
    assert places["data"].startswith("places:\n")


def test_create_edit_attach_delete(serve):
    rel = "content/items/sfj/2026/notice-1120.md"
    path = serve.site / rel
    status, answer = persist(serve, rel, notice("关于开展法律援助宣传月活动的通知"))
    saved = time.perf_counter()
    assert status == 200, answer
    text = path.read_text(encoding="utf-8")
    numbers = [n for n in (serve.content / "items").rglob("*.md")
               if f"index_no: {SFJ_CODE}/2026-" in n.read_text(encoding="utf-8")]
    assert f"index_no: {SFJ_CODE}/2026-{len(numbers):05d}" in text   # the next free number
    seconds = wait_for(lambda: "法律援助宣传月" in (serve.page("/items/sfj/2026/notice-1120/") or ""))
    assert seconds is not None
    print(f"\nsave → page in the preview (new item, full build): {time.perf_counter() - saved:.2f} s")

    # An edit without the number keeps it; the text edit takes the quick path.
    number = next(line for line in text.splitlines() if line.startswith("index_no:"))
    status, answer = persist(serve, rel, notice("关于开展法律援助宣传月活动的补充通知"))
    saved = time.perf_counter()
    assert status == 200, answer
    assert number in path.read_text(encoding="utf-8")
    assert wait_for(lambda: "补充通知" in (serve.page("/items/sfj/2026/notice-1120/") or ""))
    print(f"save → page in the preview (edited title, quick path): {time.perf_counter() - saved:.2f} s")

    # An attachment goes into the item's own folder, and the item may then list it.
    media = "content/items/sfj/2026/notice-1120/huodong-fangan.txt"
    asset = {"path": media, "content": base64.b64encode("活动方案：宣传、咨询、义诊。".encode()).decode(), "encoding": "base64"}
    got = serve.ok("persistMedia", {"asset": asset, "options": {"commitMessage": "x"}})
    assert got["name"] == "huodong-fangan.txt" and (serve.site / media).is_file()
    listed = serve.ok("getMedia", {"mediaFolder": "content/items/sfj/2026/notice-1120"})
    assert [m["path"] for m in listed] == [media]
    status, answer = persist(serve, rel, notice("关于开展法律援助宣传月活动的补充通知",
                                                attachments="[{file: huodong-fangan.txt, title: 活动方案}]"))
    assert status == 200, answer
    assert wait_for(lambda: "huodong-fangan.txt" in (serve.page("/items/sfj/2026/notice-1120/") or ""))

    serve.ok("deleteFiles", {"paths": [rel, media]})
    assert not path.exists() and not (serve.site / media).exists()
    assert not (serve.site / media).parent.exists()   # no empty attachment folder left behind
    assert wait_for(lambda: serve.page("/items/sfj/2026/notice-1120/") is None)


def test_new_item_with_its_attachment_in_one_save(serve):
    rel = "content/items/sfj/2026/notice-1121.md"
    asset = {"path": "content/items/sfj/2026/notice-1121/mingdan.csv",
             "content": base64.b64encode("序号,单位\n1,县司法局\n".encode()).decode(), "encoding": "base64"}
    status, answer = persist(serve, rel, notice("名单公示", attachments="[{file: mingdan.csv}]"), [asset])
    assert status == 200, answer
    assert (serve.site / asset["path"]).is_file()
    serve.ok("deleteFile", {"path": rel})
    serve.ok("deleteFile", {"path": asset["path"]})


def test_refuses_a_bad_file_and_writes_nothing(serve):
    rel = "content/items/sfj/2026/notice-1122.md"
    status, answer = persist(serve, rel, notice("坏日期", date="2026-02-30", domains="[bucunzai]"))
    assert status == 422
    assert "日期“2026-02-30”不存在" in answer["error"] and "items/sfj/2026/notice-1122.md:" in answer["error"]
    status, answer = persist(serve, rel, notice("错的领域", domains="[bucunzai]"))
    assert status == 422 and "重点领域“bucunzai”不在 domains.yaml 中" in answer["error"]
    # the folder must follow org and date
    status, answer = persist(serve, "content/items/sfj/2025/notice-1122.md", notice("放错年份"))
    assert status == 422 and "发布日期是 2026 年" in answer["error"]
    status, answer = persist(serve, rel, notice("附件不在", attachments="[{file: meiyou.pdf}]"))
    assert status == 422 and "附件“meiyou.pdf”不存在" in answer["error"]
    assert not (serve.site / rel).exists() and not (serve.site / "content/items/sfj/2025/notice-1122.md").exists()


def test_refuses_personal_data(serve):
    rel = "content/items/sfj/2026/notice-1123.md"
    status, answer = persist(serve, rel, notice("受助人名单", body=f"受助人身份证号 {ID_NUMBER}。"))
    assert status == 422 and "居民身份证号码" in answer["error"] and ID_NUMBER not in answer["error"]
    assert not (serve.site / rel).exists()
    media = "content/items/sfj/2025/falv-yuanzhu-gzz/mingdan.txt"
    asset = {"path": media, "content": base64.b64encode(f"张某 {ID_NUMBER}".encode()).decode(), "encoding": "base64"}
    status, answer = serve.call("persistMedia", {"asset": asset})
    assert status == 422 and "居民身份证号码" in answer["error"]
    assert not (serve.site / media).exists()


def test_refuses_paths_out_of_the_content_folder(serve, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("机密", encoding="utf-8")
    (serve.content / "items/sfj/2026").mkdir(parents=True, exist_ok=True)
    os.symlink(outside, serve.content / "items/sfj/2026/link.md")
    os.symlink(tmp_path, serve.content / "items/lnk")
    try:
        for path in ("../x.md", "content/../../x.md", "/etc/passwd", "content/items/../../pyproject.toml",
                     "content\\..\\..\\x.md", "README.md", "content/items/sfj/2026/link.md",
                     "content/items/lnk/2026/secret.md"):
            for action, params in (("getEntry", {"path": path}), ("deleteFile", {"path": path})):
                status, answer = serve.call(action, params)
                assert status == 403, (action, path, answer)
            status, _ = persist(serve, path, notice("越界"))
            assert status == 403, path
        status, _ = serve.call("getMedia", {"mediaFolder": "content/items/lnk"})
        assert status == 403
        assert outside.read_text(encoding="utf-8") == "机密"
        # within content/, only items and data files are written by the forms
        status, _ = persist(serve, "content/orgs.yaml", "- {id: x, name: x}\n")
        assert status == 403
    finally:
        (serve.content / "items/sfj/2026/link.md").unlink()
        (serve.content / "items/lnk").unlink()


def test_refuses_large_attachments(serve):
    asset = {"path": "content/items/sfj/2025/falv-yuanzhu-gzz/big.pdf",
             "content": base64.b64encode(b"\0" * (21 * 1024 * 1024)).decode(), "encoding": "base64"}
    status, answer = serve.call("persistMedia", {"asset": asset})
    assert status == 413 and "20 MB" in answer["error"]
    assert not (serve.site / asset["path"]).exists()


def test_refuses_other_origins_and_hosts(serve):
    status, answer = serve.call("info", headers={"Origin": "http://evil.example"})
    assert status == 403 and "其他网站" in answer["error"]
    status, answer = serve.call("deleteFile", {"path": "content/items/sfj/2025/falv-yuanzhu-gzz.md"},
                                headers={"Origin": "http://evil.example"})
    assert status == 403 and (serve.content / "items/sfj/2025/falv-yuanzhu-gzz.md").exists()
    status, answer = serve.call("info", headers={"Host": f"evil.example:{serve.port}"})   # DNS rebinding
    assert status == 403 and "主机名" in answer["error"]
    assert serve.call("info", headers={"Origin": serve.base})[0] == 200
    assert serve.call("info", headers={"Host": f"localhost:{serve.port}"})[0] == 200


def test_config_yml_from_the_contract(serve):
    with urllib.request.urlopen(serve.base + "/admin/config.yml", timeout=10) as r:
        served = json.loads(r.read())
    assert served["backend"] == {"name": "proxy", "proxy_url": serve.base + "/api/v1", "branch": "main"}
    assert served["locale"] == "zh_Hans"
    by_name = {c["name"]: c for c in served["collections"]}
    notice_c = by_name["notice"]
    assert notice_c["filter"] == {"field": "type", "value": "notice"} and notice_c["folder"] == "content/items"
    assert {o["value"] for o in next(f for f in notice_c["fields"] if f["name"] == "org")["options"]} >= {"sfj", "xzfb"}


def _names(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def _covers(table: dict[str, schema.Field], fields: list[dict], where: str) -> None:
    """Every field of a contract table is a form field, required as the contract says, and
    nested records' fields likewise."""
    shown = _names(fields)
    for key, spec in table.items():
        assert key in shown, f"{where}: {key} missing from config.yml"
        assert shown[key]["label"] == spec.label and shown[key].get("required", True) == spec.required, (where, key)
        kind, inner = config._kind(spec.convert)
        if kind == "record":
            _covers(inner["fields"], shown[key]["fields"], f"{where}.{key}")
        elif kind == "listing" and config._kind(inner["convert"])[0] == "record":
            _covers(config._kind(inner["convert"])[1]["fields"], shown[key]["fields"], f"{where}.{key}")
        elif kind == "choice":
            assert shown[key]["options"] == list(inner["options"]), (where, key)


def test_config_covers_every_field_of_the_contract(tmp_path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    made = config.config(tmp_path / "content", "http://127.0.0.1:8000/api/v1")
    by_name = {c["name"]: c for c in made["collections"]}
    assert set(schema.ITEM_TYPES) <= set(by_name)
    for item_type in schema.ITEM_TYPES:
        fields = by_name[item_type]["fields"]
        _covers({k: f for k, f in schema.item_fields(item_type).items() if k != "type"}, fields, item_type)
        assert _names(fields)["type"] == {"name": "type", "label": "类型", "widget": "hidden", "default": item_type}
        assert _names(fields)["body"]["widget"] == "markdown"
        dates = [f for f in fields if config._kind(schema.item_fields(item_type).get(f["name"], schema.COMMON["title"]).convert)[0] == "date"]
        assert dates and all(f["format"] == "YYYY-MM-DD" and f["time_format"] is False for f in dates)
    _covers(schema.OFFICER, by_name["officers"]["fields"][0]["fields"], "officers")
    _covers(schema.PLACE, by_name["places"]["files"][0]["fields"][0]["fields"], "places")
    _covers(schema.SERVICE, by_name["services"]["fields"], "services")
    _covers(schema.CATALOG_ENTRY, _names(by_name["catalog"]["fields"])["entries"]["fields"], "catalog")


def test_token_required_beyond_this_computer(tmp_path):
    server = Serve(tmp_path, "--host", "0.0.0.0")
    try:
        assert server.call("info")[0] == 401
        deadline = time.time() + 10
        while "token=" not in (line := server.proc.stderr.readline()) and time.time() < deadline:
            pass
        token = line.split("token=", 1)[1].strip()
        assert server.call("info", headers={"X-Gxsite-Token": token})[0] == 200
        assert server.call("info", headers={"X-Gxsite-Token": token[:-1] + "x"})[0] == 401
        # the page and its config carry nothing secret: they load without it
        assert server.page("/admin/config.yml") is not None
    finally:
        server.stop()
