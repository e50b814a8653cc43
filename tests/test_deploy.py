"""gxsite deploy: releases behind an atomically switched `current` symlink, pruning, rollback."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


from gxsite import cli
from gxsite.publish import deploy

NOW = dt.datetime(2026, 11, 26, 8, 30, 15, tzinfo=dt.timezone.utc)


def _site(root: Path, version: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(f"<p>{version}</p>", encoding="utf-8")
    (root / "404.html").write_text("<p>404</p>", encoding="utf-8")
    (root / "assets").mkdir(exist_ok=True)
    (root / "assets" / "site.css").write_text("body{}" * 200, encoding="utf-8")
    return root


def _current(target: Path) -> str:
    return (target / "current" / "index.html").read_text(encoding="utf-8")


def test_deploy_switches_current_and_links_unchanged_files(tmp_path, monkeypatch):
    target = tmp_path / "www"
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((Path(a).name, Path(b).name)), real_replace(a, b)))
    first = deploy.deploy(_site(tmp_path / "v1", "v1"), target, now=NOW)
    assert first.release == "20261126T083015Z" and first.copied == 3 and first.linked == 0
    assert os.readlink(target / "current") == "releases/20261126T083015Z"   # relative: TARGET may move
    assert _current(target) == "<p>v1</p>"
    second = deploy.deploy(_site(tmp_path / "v2", "v2"), target, now=NOW)   # the same second
    assert second.release == "20261126T083015Z-2"
    assert (second.linked, second.copied) == (2, 1)
    a, b = (target / "releases" / n / "assets" / "site.css" for n in (first.release, second.release))
    assert a.stat().st_ino == b.stat().st_ino
    assert _current(target) == "<p>v2</p>"
    assert os.readlink(target / "previous") == "releases/20261126T083015Z"
    # current was never removed: each switch is a new symlink renamed over it
    assert (f".current-{os.getpid()}", "current") in replaced
    assert not list(target.glob(".current-*")) and not list((target / "releases").glob(".incoming-*"))


def test_keep_prunes_old_releases_but_never_current_or_previous(tmp_path):
    target = tmp_path / "www"
    for n in range(4):
        deploy.deploy(_site(tmp_path / f"v{n}", f"v{n}"), target, keep=5, now=NOW + dt.timedelta(minutes=n))
    assert len(deploy.releases(target)) == 4
    done = deploy.deploy(_site(tmp_path / "v4", "v4"), target, keep=1, now=NOW + dt.timedelta(minutes=4))
    names = deploy.releases(target)
    assert names == ["20261126T083315Z", "20261126T083415Z"]   # the previous survives --keep 1
    assert len(done.removed) == 3
    assert _current(target) == "<p>v4</p>"


def test_rollback_goes_back_and_further(tmp_path):
    target = tmp_path / "www"
    for n in range(3):
        deploy.deploy(_site(tmp_path / f"v{n}", f"v{n}"), target, now=NOW + dt.timedelta(seconds=n))
    assert cli.main(["deploy", "--to", str(target), "--rollback"]) == 0
    assert _current(target) == "<p>v1</p>"
    assert cli.main(["deploy", "--to", str(target), "--rollback"]) == 0
    assert _current(target) == "<p>v0</p>"
    assert cli.main(["deploy", "--to", str(target), "--rollback"]) == 1   # nothing older
    assert _current(target) == "<p>v0</p>"


def test_cli_deploy_needs_no_content_folder_and_refuses_what_is_not_a_site(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)   # no content/ here
    not_site = tmp_path / "stuff"
    not_site.mkdir()
    (not_site / "readme.txt").write_text("x", encoding="utf-8")
    assert cli.main(["deploy", "--from", str(not_site), "--to", "www"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "不是 gxsite 生成的网站" in err and "index.html" in err
    assert not (tmp_path / "www" / "current").exists()
    _site(tmp_path / "output", "v1")
    assert cli.main(["deploy", "--to", "www"]) == 0   # --from defaults to output/
    assert "已发布" in capsys.readouterr().out
    assert (tmp_path / "www" / "current" / "index.html").read_text(encoding="utf-8") == "<p>v1</p>"
    assert cli.main(["deploy", "--to", "www", "--keep", "0"]) == 2


def test_a_real_folder_named_current_is_not_replaced(tmp_path, capsys):
    target = tmp_path / "www"
    (target / "current").mkdir(parents=True)
    (target / "current" / "index.html").write_text("hand-made", encoding="utf-8")
    assert cli.main(["deploy", "--from", str(_site(tmp_path / "v1", "v1")), "--to", str(target)]) == 1
    assert "不是链接" in capsys.readouterr().err
    assert (target / "current" / "index.html").read_text(encoding="utf-8") == "hand-made"
