"""gxsite as a county installs it: the wheel, not the source checkout. It carries its templates
(pages, assets, the office's report), installs into a fresh virtual environment, and builds the
example from a folder that has no templates beside it, byte for byte as the checkout builds it."""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, differing, digest, parse

from gxsite import pipeline

TODAY = "2026-12-01"
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(args: list, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the working tree, so that no build/ or egg-info is left in it."""
    root = tmp_path_factory.mktemp("package")
    src = root / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("gxsite", "templates"):
        shutil.copytree(REPO / folder, src / folder, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    done = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", root / "dist", src], root)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = (root / "dist").glob("gxsite-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel and its dependencies, at the versions this
    environment has (so that the two builds can be compared byte for byte). Its `bin/` folder."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    done = _run([sys.executable, "-m", "venv", "--without-pip", venv], venv.parent)
    assert done.returncode == 0, done.stderr
    here = sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
                   if d.metadata["Name"] and d.metadata["Name"].lower() != "gxsite"})
    pins = venv.parent / "constraints.txt"
    pins.write_text("\n".join(here) + "\n", encoding="utf-8")
    python = venv / BIN / ("python.exe" if os.name == "nt" else "python")
    # This environment's pip installs into the new one (--python): no pip to bootstrap there.
    done = _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "-c", pins, wheel], venv.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / BIN


def test_the_wheel_carries_the_templates_and_every_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {"gxsite/templates/" + p.relative_to(REPO / "templates").as_posix()
               for p in (REPO / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert shipped <= names, sorted(shipped - names)[:10]
    for must in ("base.html", "home.html", "404.html", "assets/toolbar.js", "assets/site.css.d/10-base.css",
                 "assets/care.css.d/10-base.css", "report/dashboard.html"):
        assert "gxsite/templates/" + must in names
    packages = {p.parent.relative_to(REPO).as_posix() + "/__init__.py" for p in (REPO / "gxsite").rglob("__init__.py")}
    assert packages <= names, f"packages missing from pyproject.toml's list: {sorted(packages - names)}"


def test_the_installed_wheel_builds_the_example_as_the_checkout_does(installed, tmp_path):
    # The site folder holds content/ only: no templates/ beside it, so the wheel's own are used.
    site = tmp_path / "county"
    shutil.copytree(REPO / "content", site / "content")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "x"
    done = _run([installed / "gxsite", "build", "--content", site / "content", "--out", out, "--today", TODAY],
                elsewhere)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已生成" in done.stdout and "Traceback" not in done.stderr

    checkout = tmp_path / "checkout"
    result = pipeline.build(REPO / "content", checkout, dt.date.fromisoformat(TODAY), progress=False, force=True)
    assert result.ok
    home = parse(out / "index.html")
    assert home.xpath("//main") and home.xpath("//link[@rel='stylesheet']/@href") == ["./assets/site.css"]
    assert (out / "index.html").read_bytes() == (checkout / "index.html").read_bytes()
    mine, theirs = digest(out), digest(checkout)
    assert not differing(mine, theirs)

    # The office's report, from the wheel's templates/report/ too.
    done = _run([installed / "gxsite", "check", "--content", site / "content", "--today", TODAY, "--no-links",
                 "--report", tmp_path / "report"], elsewhere)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert "检查报告" in parse(tmp_path / "report" / "index.html").text_content()


def test_the_installed_wheel_starts_a_new_site_that_builds(installed, tmp_path):
    """What a new county does first: init, then build from inside the new folder with the defaults."""
    done = _run([installed / "gxsite", "init", "qingshan", "--name", "青山县", "--division-code", "511599",
                 "--base-url", "https://www.qingshan.gov.cn/"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "qingshan"
    done = _run([installed / "gxsite", "build", "--today", TODAY], site)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    home = parse(site / "output" / "index.html")
    assert "青山县人民政府" in home.xpath("string(//title)")
    assert (site / "output" / "care" / "index.html").is_file()
