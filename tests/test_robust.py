"""Bad input and a hostile machine: coordinates out of range, a place far from the county, a full
disk or a folder without write permission (one line, exit 1, the old site untouched), leftovers of
a crashed build, and one tree being one build however its path is written."""
from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY
from gxsite import cli, pipeline
from gxsite.core import write

PLACES = """\
- id: zwzx
  name: 测试县政务服务中心
  lat: 28.436
  lon: 104.517
- id: qfz
  name: 庆符镇便民服务中心
  lat: {lat}
  lon: 104.46
- id: dag
  name: 测试县档案馆
  lat: 28.45
  lon: 104.55
"""


def _errors(result):
    return [(p.path, p.line, p.message) for p in result.problems.errors]


def test_latitude_out_of_range_is_an_error_at_its_line(tree, tmp_path):
    content = tree({"data/places.yaml": PLACES.format(lat=128.4)})
    result = pipeline.build(content, tmp_path / "out", TODAY, progress=False)
    assert not result.ok
    (path, line, message), = [e for e in _errors(result) if e[0] == "data/places.yaml"]
    assert line == 7 and "纬度" in message and "-90 到 90" in message and "写反" in message
    assert not (tmp_path / "out").exists()


def test_longitude_out_of_range_and_far_place(tree, tmp_path):
    result = pipeline.build(tree({"data/places.yaml": PLACES.format(lat=28.39).replace("104.55", "-190")}),
                            tmp_path / "a", TODAY, progress=False)
    assert [(e[1], "经度" in e[2]) for e in _errors(result)] == [(12, True)]
    # 31.39 is ~330 km north of the others: published, with a reminder at its latitude
    result = pipeline.build(tree({"data/places.yaml": PLACES.format(lat=31.39)}), tmp_path / "b", TODAY, progress=False)
    assert result.ok
    far = [p for p in result.problems.warnings if p.rule == "place-far"]
    assert [(p.path, p.line) for p in far] == [("data/places.yaml", 7)]
    assert "庆符镇便民服务中心" in far[0].message and "公里" in far[0].message
    result = pipeline.build(tree({"data/places.yaml": PLACES.format(lat=28.39)}), tmp_path / "c", TODAY, progress=False)
    assert not [p for p in result.problems.warnings if p.rule == "place-far"]


def _published(content: Path, out: Path) -> dict[str, bytes]:
    assert cli.main(["build", "--content", str(content), "--out", str(out), "--today", TODAY.isoformat(), "--quiet"]) == 0
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _rebuild_fails(content: Path, out: Path, capsys, force: bool = True) -> str:
    """An edit, then a build that fails writing: in a temporary folder (`force`: the whole site) or
    while updating the output in place (only what the edit changed)."""
    (content / "items/xzfb/2026/tongzhi-a.md").write_text(
        (content / "items/xzfb/2026/tongzhi-a.md").read_text(encoding="utf-8").replace("本通知", "这份通知"), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["build", "--content", str(content), "--out", str(out), "--today", TODAY.isoformat()]
                    + (["--force"] if force else [])) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert not list(out.parent.glob(out.name + ".tmp-*"))   # the half-written folder is gone
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]   # and no half-staged file
    return err


@pytest.mark.parametrize("workers, force", [("1", True), ("2", True), ("1", False), ("2", False)])   # in-process
# and in forked workers: the whole site, and an update of the output in place
def test_full_disk_is_one_line_and_keeps_the_old_site(tree, tmp_path, monkeypatch, capsys, workers, force):
    content, out = tree(), tmp_path / "site" / "output"
    before = _published(content, out)
    monkeypatch.setenv("GXSITE_WORKERS", workers)
    monkeypatch.setattr("gxsite.core.parallel.MIN_PARALLEL", 1)
    monkeypatch.setattr("gxsite.core.write.STAGE_PARALLEL", 1)
    real = Path.write_bytes
    count = [0]

    def full(self, data):   # the disk fills up after a few pages: ENOSPC as write(2) reports it
        if ".tmp-" in str(self):
            count[0] += 1
            if count[0] > 5:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)
    monkeypatch.setattr(Path, "write_bytes", full)
    err = _rebuild_fails(content, out, capsys, force)
    where = f"{out.parent}/output.tmp-" if force else f"{out}/"
    assert err.startswith(f"gxsite: 无法写入 {where}") and "：磁盘已满；" in err and "保持不变" in err, err
    monkeypatch.setattr(Path, "write_bytes", real)
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before


def test_no_permission_on_the_output_parent(tree, tmp_path, monkeypatch, capsys):
    """A read-only parent folder. As root chmod does not stop writes, so there the refusal is the
    one mkdir(2) gives a non-root user (EACCES on the temporary folder); otherwise chmod is real."""
    content, parent = tree(), tmp_path / "srv"
    out = parent / "output"
    before = _published(content, out)
    if os.geteuid() == 0:
        real = os.mkdir

        def refuse(path, *args, **kwargs):
            if ".tmp-" in str(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real(path, *args, **kwargs)
        monkeypatch.setattr(os, "mkdir", refuse)
    else:
        parent.chmod(0o555)
    try:
        err = _rebuild_fails(content, out, capsys)
    finally:
        parent.chmod(0o755)
    assert f"无法写入 {parent}/output.tmp-{os.getpid()}：没有写入权限" in err
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_leftovers_of_dead_builds_go_live_ones_stay(tree, tmp_path):
    out = tmp_path / "output"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)   # that process has exited (and been reaped)
    planted = {name: tmp_path / name for name in (f"output.tmp-{dead_pid}", f"output.old-{dead_pid}",
                                                  f"output.old-{dead_pid}-3",
                                                  f"output.tmp-{os.getpid()}x", f"output.old-{os.getppid()}")}
    for path in planted.values():
        (path / "sub").mkdir(parents=True)
        (path / "sub" / "index.html").write_text("stale", encoding="utf-8")
    result = pipeline.build(tree(), out, TODAY, progress=False)
    assert result.ok
    assert not planted[f"output.tmp-{dead_pid}"].exists() and not planted[f"output.old-{dead_pid}"].exists()
    assert not planted[f"output.old-{dead_pid}-3"].exists()
    assert planted[f"output.old-{os.getppid()}"].exists()      # a live process's folder is never touched
    assert planted[f"output.tmp-{os.getpid()}x"].exists()      # not a leftover's name
    own = tmp_path / f"output.old-{os.getpid()}"                # this live process: kept
    own.mkdir()
    assert write.remove_leftovers(out) == [] and own.exists()


def test_the_replaced_site_goes_without_the_build_waiting_for_it(tree, tmp_path, monkeypatch):
    """A whole build over a site swaps the new one in and leaves removing the old one to a process
    of its own: the new site is complete at once, nothing of the old stays beside it for long, and
    builds that follow at once (a running preview's) each get a name of their own for theirs."""
    import time
    content, out = tree(), tmp_path / "output"
    removed_here: list[str] = []
    rmtree = write.shutil.rmtree
    monkeypatch.setattr(write.shutil, "rmtree", lambda path, *a, **k: removed_here.append(str(path)) or
                        rmtree(path, *a, **k))
    handed_on: list[str] = []
    popen = write.subprocess.Popen
    monkeypatch.setattr(write.subprocess, "Popen", lambda args, **k: handed_on.append(args[-1]) or popen(args, **k))
    taken = tmp_path / f"output.old-{os.getpid()}"   # as if this process's last removal still ran
    (taken / "sub").mkdir(parents=True)
    for _ in range(3):
        result = pipeline.build(content, out, TODAY, progress=False, force=True)
        assert result.ok and (out / "index.html").is_file()
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
            sorted(result.outputs | {f"{p}{t}" for p in result.outputs for t in (".gz", ".br")
                                     if (out / f"{p}{t}").is_file()})
    assert not [p for p in removed_here if ".old-" in p or ".tmp-" in p]   # not by the build itself
    # The second and third builds replaced a site: each handed it on under a name not in use.
    assert len(handed_on) == 2 and str(taken) not in handed_on, handed_on
    assert all(re.fullmatch(rf"output\.old-{os.getpid()}-\d+", Path(p).name) for p in handed_on), handed_on
    assert (taken / "sub").is_dir()   # the folder that held the name is not theirs to remove
    rmtree(taken)
    deadline = time.monotonic() + 60
    while list(tmp_path.glob("output.*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(tmp_path.glob("output.*"))   # no .tmp- or .old- folder is left


def test_relative_then_absolute_path_is_one_build(tree, tmp_path, monkeypatch, capsys):
    content = tree()
    monkeypatch.chdir(content.parent)
    (content.parent / "link").symlink_to(content.name)
    args = ["--out", str(tmp_path / "out"), "--today", TODAY.isoformat()]
    assert cli.main(["build", "--content", content.name, *args]) == 0
    assert "已生成" in capsys.readouterr().out
    for spelled in (str(content), str(content) + "/", "link", f"./{content.name}/"):
        assert cli.main(["build", "--content", spelled, *args]) == 0
        assert "内容未变化，沿用" in capsys.readouterr().out, spelled
    memo = pipeline.for_content(Path("link")).folder
    assert memo == pipeline.for_content(content).folder == content.parent / ".gxsite-cache" / f"memo-{content.name}"


def test_a_build_collects_no_cycles_while_it_runs_and_leaves_the_collector_as_it_was(tree, tmp_path, monkeypatch):
    """The cycle collector is off during a build (it walked the build's millions of live objects
    for little garbage) and on again after it, also when the build fails."""
    import gc
    seen = []
    read_content = pipeline.read_content
    monkeypatch.setattr(pipeline, "read_content", lambda *a, **k: seen.append(gc.isenabled()) or read_content(*a, **k))
    assert gc.isenabled()
    assert pipeline.build(tree(), tmp_path / "output", TODAY, progress=False).ok
    assert seen == [False] and gc.isenabled()

    monkeypatch.setattr(pipeline, "read_content", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        pipeline.build(tree(), tmp_path / "output2", TODAY, progress=False)
    assert gc.isenabled()


def test_the_command_called_from_python_returns_and_leaves_the_collector_on(tree, tmp_path):
    """`gxsite` ends its own process without a teardown; `cli.main([...])` from a caller returns."""
    import gc
    args = ["build", "--content", str(tree()), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat()]
    assert cli.main(args) == 0
    assert gc.isenabled()
