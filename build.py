"""Build the bundled example site: content/ → output/ (the same as `gxsite build`).

On a fresh machine the first run installs gxsite and its test tools into the current
Python environment (use a virtual environment), so that the README's two commands suffice.
"""
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEEDED = ("jinja2", "markdown", "yaml", "whoosh", "livereload", "watchdog", "nh3", "chinese_calendar", "tqdm", "brotli",
          "pytest", "lxml", "html5lib", "feedparser", "playwright", "hypothesis")


def ensure_installed() -> None:
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        print(f"首次运行：正在安装依赖（缺少 {', '.join(missing)}）……", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", f"{HERE}[test]"], check=True)


if __name__ == "__main__":
    ensure_installed()
    sys.path.insert(0, str(HERE))
    from gxsite.cli import main

    sys.exit(main(["build", "--content", str(HERE / "content"), "--out", str(HERE / "output"), *sys.argv[1:]]))
