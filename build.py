"""Build the bundled example site: content/ → output/ (the same as `gxsite build`).

On a fresh machine the first run installs gxsite and its test tools into the current
Python environment (use a virtual environment) and fetches the editor's Decap CMS bundle (npm), so
that the README's two commands suffice.
"""
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEEDED = ("jinja2", "markdown", "yaml", "whoosh", "livereload", "watchdog", "nh3", "chinese_calendar", "tqdm", "brotli", "deflate",
          "pytest", "lxml", "html5lib", "feedparser", "playwright", "hypothesis")


def ensure_installed() -> None:
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        print(f"首次运行：正在安装依赖（缺少 {', '.join(missing)}）……", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", f"{HERE}[test]"], check=True)


def ensure_editor() -> None:
    """The editor's Decap CMS bundle (gxsite/admin/decap/, git-ignored), fetched once with npm. Without
    npm the site still builds; /admin/ then says how to fetch it."""
    if (HERE / "gxsite" / "admin" / "decap" / "decap-cms.js").is_file():
        return
    print("首次运行：正在下载内容编辑器（Decap CMS）……", file=sys.stderr)
    done = subprocess.run([sys.executable, str(HERE / "scripts" / "fetch_decap.py")], check=False)
    if done.returncode != 0:
        print("内容编辑器未下载，网站照常生成；需要编辑器时请运行 python scripts/fetch_decap.py", file=sys.stderr)


if __name__ == "__main__":
    ensure_installed()
    ensure_editor()
    sys.path.insert(0, str(HERE))
    from gxsite.cli import main

    sys.exit(main(["build", "--content", str(HERE / "content"), "--out", str(HERE / "output"), *sys.argv[1:]]))
