"""`gxsite init` writes a new county's site that builds at once with the real CLI, with CI files
for its own repository (GitLab, Gitea/Forgejo without actions, GitHub) and a cron script."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import REPO, parse
from gxsite.checks import personal

NAME = "青山县"
TODAY = "2026-11-26"
ARGS = ["--name", NAME, "--division-code", "511599", "--base-url", "https://www.qingshan.example.gov.cn"]


def gxsite(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One fresh site, as `gxsite init` leaves it (tests that build copy it first)."""
    target = tmp_path_factory.mktemp("init") / "qingshan"
    run = gxsite("init", target, *ARGS)
    assert run.returncode == 0, run.stderr
    assert NAME in run.stdout and "Traceback" not in run.stderr
    return target


@pytest.fixture
def fresh(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    return copy


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_writes_the_site_files(site):
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert written == [".gitea/workflows/site.yml", ".github/workflows/site.yml", ".gitignore", ".gitlab-ci.yml",
                       "README.md", "content/columns.yaml", "content/domains.yaml", "content/orgs.yaml",
                       "content/site.yaml", "deploy/cron-build.sh", "templates/README.md"]


def test_content_yaml_is_the_new_county(site):
    s = load(site / "content/site.yaml")
    assert s["title"] == f"{NAME}人民政府" and s["short_title"] == NAME
    assert s["base_url"] == "https://www.qingshan.example.gov.cn/" and s["division_code"] == "511599"
    assert "待填写" in (site / "content/site.yaml").read_text(encoding="utf-8")   # placeholders marked
    # the footer identity and 咨询建言: well-formed placeholders, the one national hotline as a channel
    assert s["site_code"] == "511599XXXX" and s["sponsor"] == f"{NAME}人民政府办公室"
    assert "待填写" in s["icp"] and "待填写" in s["police_record"] and "conac" not in s
    assert s["channels"] == [{"name": "12345政务服务便民热线", "phone": "12345"}]
    orgs = load(site / "content/orgs.yaml")
    assert [o["id"] for o in orgs] == [s["lead_org"]]
    lead = orgs[0]
    assert lead["name"] == f"{NAME}人民政府办公室" and lead["short"] == "县政府办公室"
    # well-formed (no credit-code reminder on the first build), and said to be a placeholder
    assert personal.credit_code_valid(lead["credit_code"]) and lead["credit_code"][2:8] == "511599"
    assert "占位" in (site / "content/orgs.yaml").read_text(encoding="utf-8")
    # the 30 key domains of the example, without orgs that the new site does not have
    example = [(d["id"], d["name"]) for d in load(REPO / "content/domains.yaml")]
    domains = load(site / "content/domains.yaml")
    assert [(d["id"], d["name"]) for d in domains] == example and len(domains) == 30
    assert all("org" not in d for d in domains)
    columns = load(site / "content/columns.yaml")
    titles = {c["title"] for c in columns}
    assert {"政府信息公开", "政策文件", "通知公告", "工作动态", "政府信息公开指南", "政府信息公开制度",
            "政府信息公开工作年度报告", "重点领域信息公开"} <= titles
    ids = {c["id"] for c in columns}
    assert all(c.get("parent") in ids for c in columns if "parent" in c)
    # every key domain has a column under 重点领域信息公开
    covered = {d for c in columns if c.get("parent") == "zdly" for d in c["select"]["domains"]}
    assert covered == {d for d, _ in example}


def test_no_example_county_in_the_new_site(site):
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "高县" not in text and "gaoxian" not in text.lower(), path


def test_gitignore_and_readmes(site):
    ignored = (site / ".gitignore").read_text(encoding="utf-8").split("\n")
    for entry in ("/output/", "/output.tmp-*/", "/output.old-*/", "/.gxsite-cache/"):
        assert entry in ignored
    readme = (site / "README.md").read_text(encoding="utf-8")
    for words in (f"{NAME}人民政府", "gxsite new notice --org zfb", "gxsite serve", "gxsite check",
                  "docs/content-format.md", "cron-build.sh", "PIP_INDEX_URL", "gxsite deploy --from output --to"):
        assert words in readme, words
    assert "同一路径" in (site / "templates/README.md").read_text(encoding="utf-8")


def test_gitlab_ci_checks_merge_requests_and_deploys_main(site):
    ci = load(site / ".gitlab-ci.yml")
    assert ci["stages"] == ["check", "deploy"]
    assert "pip install gxsite" in " ".join(ci["default"]["before_script"])
    assert ci["cache"]["paths"] == [".gxsite-cache/"] and "$CI_COMMIT_REF_SLUG" in ci["cache"]["key"]
    check, deploy = ci["check"], ci["deploy"]
    assert check["stage"] == "check" and deploy["stage"] == "deploy"
    assert "merge_request_event" in check["rules"][0]["if"]
    assert any("gxsite check --strict --json findings.json" in line for line in check["script"])
    assert check["artifacts"]["paths"] == ["findings.json"] and check["artifacts"]["when"] == "always"
    assert "$CI_DEFAULT_BRANCH" in deploy["rules"][0]["if"]
    script = deploy["script"]
    build = next(i for i, line in enumerate(script) if line.startswith("gxsite build"))
    ship = next(i for i, line in enumerate(script) if 'gxsite deploy --from output --to "$DEPLOY_TARGET"' in line)
    assert build < ship


def _steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def _runs(steps) -> str:
    return "\n".join(s.get("run", "") for s in steps)


def test_gitea_workflow_has_run_steps_only(site):
    path = site / ".gitea/workflows/site.yml"
    assert "uses:" not in path.read_text(encoding="utf-8")
    flow = load(path)
    triggers = flow[True]   # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    for job in ("check", "deploy"):
        steps = _steps(flow, job)
        assert steps and all(set(s) <= {"name", "run", "if", "env"} and "run" in s for s in steps)
        assert "install -q gxsite" in _runs(steps) and "GXSITE_CACHE_ROOT" in _runs(steps)
        assert "git checkout -q FETCH_HEAD" in _runs(steps)
    assert "gxsite check --strict --json findings.json" in _runs(_steps(flow, "check"))
    deploy = _runs(_steps(flow, "deploy"))
    assert deploy.index("gxsite build") < deploy.index('gxsite deploy --from output --to "$DEPLOY_TARGET"')
    # every step's shell text is valid bash
    for job in ("check", "deploy"):
        for step in _steps(flow, job):
            assert subprocess.run(["bash", "-n", "-c", step["run"]]).returncode == 0, step["name"]


def test_github_workflow_uses_checkout_cache_and_artifact(site):
    flow = load(site / ".github/workflows/site.yml")
    used = {s["uses"].split("@")[0] for job in ("check", "deploy") for s in _steps(flow, job) if "uses" in s}
    assert used == {"actions/checkout", "actions/cache", "actions/upload-artifact"}
    check = _steps(flow, "check")
    assert "gxsite check --strict --json findings.json" in _runs(check)
    cache = next(s for s in check if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".gxsite-cache"
    artifact = next(s for s in check if s.get("uses", "").startswith("actions/upload-artifact"))
    assert artifact["with"]["path"] == "findings.json" and artifact["if"] == "always()"
    deploy = _runs(_steps(flow, "deploy"))
    assert deploy.index("gxsite build") < deploy.index('gxsite deploy --from output --to "$DEPLOY_TARGET"')


def test_cron_script_parses_and_never_overlaps(site):
    script = site / "deploy/cron-build.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    assert script.stat().st_mode & 0o111   # executable, as the crontab line calls it
    text = script.read_text(encoding="utf-8")
    assert "flock -n" in text
    assert text.index('"$GXSITE" check') < text.index('"$GXSITE" build') < text.index('"$GXSITE" deploy --from output')
    crontab = next(line for line in (site / "README.md").read_text(encoding="utf-8").splitlines()
                   if line.startswith("*/10 * * * *"))
    assert "deploy/cron-build.sh" in crontab and "DEPLOY_TARGET=" in crontab


def test_fresh_site_builds_at_once(fresh):
    run = gxsite("build", "--today", TODAY, cwd=fresh)
    assert run.returncode == 0, run.stderr
    page = parse(fresh / "output/index.html")
    assert NAME in page.findtext(".//title")
    assert (fresh / "output/care/index.html").is_file()


def test_check_reports_empty_columns_as_reminders_only(fresh):
    run = gxsite("check", "--today", TODAY, "--json", "findings.json", cwd=fresh)
    assert run.returncode == 0, run.stderr
    assert "0 个错误" in run.stdout
    findings = json.loads((fresh / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert findings and all(f["severity"] == "warning" for f in findings)
    columns = load(fresh / "content/columns.yaml")
    empty = {f["line"] for f in findings if f["rule"] == "column-empty"}
    assert len(empty) == len(columns)
    assert {f["rule"] for f in findings} <= {"column-empty", "home-stale", "site-identity"}
    # the footer's placeholders (网站标识码 …XXXX, 待填写 records, no 党政机关网站标识) are one reminder on site.yaml
    identity, = [f for f in findings if f["rule"] == "site-identity"]
    assert identity["file"] == "site.yaml"
    for missing in ("网站标识码（site_code）", "ICP备案号（icp）", "公安机关备案号（police_record）", "党政机关网站标识（conac）"):
        assert missing in identity["message"]
    # the CI's --strict holds reminders against the site until its columns have items and its footer is filled in
    assert gxsite("check", "--today", TODAY, "--strict", "--no-links", cwd=fresh).returncode == 1


def test_first_item_with_gxsite_new_builds(fresh):
    run = gxsite("new", "notice", "--org", "zfb", "--title", "关于网站开通的通知", "--slug", "kaitong",
                 "--date", TODAY, cwd=fresh)
    assert run.returncode == 0, run.stderr
    item = fresh / "content/items/zfb/2026/kaitong.md"
    item.write_text(item.read_text(encoding="utf-8").replace("正文写在这里。", "本网站今日开通。"), encoding="utf-8")
    run = gxsite("build", "--today", TODAY, cwd=fresh)
    assert run.returncode == 0, run.stderr
    assert "1 条信息" in run.stdout
    html = (fresh / "output/index.html").read_text(encoding="utf-8")
    assert "关于网站开通的通知" in html


def test_second_init_into_the_same_folder_is_refused(site):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    run = gxsite("init", site, *ARGS)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and "不是空文件夹" in run.stderr
    assert "Traceback" not in run.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_an_empty_folder_is_accepted(tmp_path):
    (tmp_path / "empty").mkdir()
    assert gxsite("init", tmp_path / "empty", *ARGS).returncode == 0
    assert (tmp_path / "empty/content/site.yaml").is_file()
    (tmp_path / "here").mkdir()   # the folder the office stands in
    assert gxsite("init", ".", *ARGS, cwd=tmp_path / "here").returncode == 0
    assert (tmp_path / "here/content/site.yaml").is_file() and not list(tmp_path.glob(".*init-*"))


@pytest.mark.parametrize("option, value, words", [
    ("--division-code", "51159", "6 位数字"),
    ("--division-code", "51159x", "6 位数字"),
    ("--base-url", "www.example.gov.cn", "http://"),
    ("--base-url", "ftp://example.gov.cn/", "http://"),
    ("--name", "  ", "不能为空"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, option, value, words):
    args = list(ARGS)
    args[args.index(option) + 1] = value
    run = gxsite("init", tmp_path / "site", *args)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and words in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists()
