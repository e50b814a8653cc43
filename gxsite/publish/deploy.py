"""`gxsite deploy`: each publication is a whole folder under TARGET/releases/, and TARGET/current
is a symlink switched to it in one step, so a web server rooted at TARGET/current serves the old
site or the new one, never half of either, and never nothing.

    TARGET/releases/20260301T120000Z/     one built site per deploy (UTC, to the second)
    TARGET/releases/20260301T120000Z-2/   a second deploy within the same second
    TARGET/current  -> releases/…         what visitors see
    TARGET/previous -> releases/…         where --rollback goes

A release is copied into a hidden folder first and renamed into releases/ only when complete,
so a deploy that dies leaves no half release to be switched to. Files unchanged since the
current release are hard links to it (releases share them: a file in a release is never
edited in place). Old releases beyond --keep are removed, never the current or the previous.
"""
from __future__ import annotations

import datetime as dt
import filecmp
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from gxsite.core.write import process_alive

RELEASES = "releases"
CURRENT = "current"
PREVIOUS = "previous"
STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"(\d{8}T\d{6}Z)(?:-(\d+))?")
_INCOMING = re.compile(r"\.incoming-(\d+)-.*")
MARKERS = ("index.html", "404.html")   # what every gxsite build writes


class Refused(Exception):
    """A deploy or rollback that cannot be done as asked; the message is one Chinese line."""


@dataclass
class Done:
    target: Path
    release: str
    previous: str
    linked: int = 0
    copied: int = 0
    removed: tuple[str, ...] = ()
    rolled_back: bool = False

    def summary(self) -> str:
        if self.rolled_back:
            return f"已回退：{self.target / CURRENT} → {RELEASES}/{self.release}（原为 {self.previous}）。"
        kept = f"与上一版本相同的 {self.linked} 个文件用硬链接，复制 {self.copied} 个" if self.linked else f"复制 {self.copied} 个文件"
        gone = f"；删除旧版本 {len(self.removed)} 个" if self.removed else ""
        return f"已发布：{self.target / CURRENT} → {RELEASES}/{self.release}（{kept}{gone}）。"


def sort_key(name: str) -> tuple[str, int]:
    found = _NAME.fullmatch(name)
    return (found.group(1), int(found.group(2) or 1)) if found else ("", 0)


def releases(target: Path) -> list[str]:
    """Release folder names, oldest first."""
    folder = target / RELEASES
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if _NAME.fullmatch(p.name) and p.is_dir()), key=sort_key)


def _pointed(target: Path, link: str) -> str:
    """The release a link (current, previous) names, or ''."""
    path = target / link
    if not path.is_symlink():
        return ""
    name = Path(os.readlink(path)).name
    return name if (target / RELEASES / name).is_dir() else ""


def _switch(target: Path, link: str, release: str) -> None:
    """Point `link` at a release atomically: a new symlink beside it replaces it in one rename."""
    path = target / link
    if path.exists() and not path.is_symlink():
        raise Refused(f"{path} 是普通文件夹或文件，不是链接：请先把它移走，再发布（网站根目录应指向这个链接）")
    new = target / f".{link}-{os.getpid()}"
    new.unlink(missing_ok=True)
    os.symlink(f"{RELEASES}/{release}", new)   # relative: TARGET can be moved or mounted elsewhere
    os.replace(new, path)


def _check_source(source: Path, target: Path) -> None:
    if not source.is_dir():
        raise Refused(f"找不到要发布的网站：{source.absolute()} 不存在或不是文件夹；请先运行 gxsite build")
    missing = [m for m in MARKERS if not (source / m).is_file()]
    if missing:
        raise Refused(f"{source.absolute()} 不是 gxsite 生成的网站（缺少 {'、'.join(missing)}）；请先运行 gxsite build，再发布其输出目录")
    src, tgt = source.resolve(), target.resolve()
    if src == tgt or tgt in src.parents and src.parent != tgt / RELEASES:
        raise Refused(f"--from {source} 在发布目录 {target} 之内：请发布 gxsite build 的输出目录")


def _new_name(folder: Path, now: dt.datetime) -> str:
    base = now.astimezone(dt.timezone.utc).strftime(STAMP)
    taken = {sort_key(p.name) for p in folder.iterdir()}
    n = 1
    while (base, n) in taken:
        n += 1
    return base if n == 1 else f"{base}-{n}"


def _fill(source: Path, dest: Path, like: Path | None) -> tuple[int, int]:
    """Copy the site into `dest`, hard-linking files whose bytes equal the same path in `like`."""
    linked = copied = 0
    for root, dirs, files in os.walk(source):
        dirs.sort()
        rel = Path(root).relative_to(source)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            src, out = Path(root) / name, dest / rel / name
            old = like / rel / name if like is not None else None
            if old is not None and old.is_file() and not old.is_symlink() and filecmp.cmp(src, old, shallow=False):
                try:
                    os.link(old, out)
                    linked += 1
                    continue
                except OSError:
                    pass   # a file system without hard links: copy
            shutil.copy2(src, out)
            copied += 1
    return linked, copied


def _remove_incoming(folder: Path) -> None:
    """Half-copied releases of deploys that died (their process is gone)."""
    for path in folder.iterdir():
        found = _INCOMING.fullmatch(path.name)
        if found and path.is_dir() and not process_alive(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def prune(target: Path, keep: int) -> tuple[str, ...]:
    """Remove releases beyond the newest `keep`, never the current or the previous one."""
    names = releases(target)
    spare = set(names[-keep:]) | {_pointed(target, CURRENT), _pointed(target, PREVIOUS)}
    gone = tuple(n for n in names if n not in spare)
    for name in gone:
        shutil.rmtree(target / RELEASES / name)
    return gone


def deploy(source: Path, target: Path, keep: int = 5, now: dt.datetime | None = None) -> Done:
    _check_source(source, target)
    folder = target / RELEASES
    folder.mkdir(parents=True, exist_ok=True)
    _remove_incoming(folder)
    current = _pointed(target, CURRENT)
    if (target / CURRENT).exists() and not (target / CURRENT).is_symlink():
        raise Refused(f"{target / CURRENT} 是普通文件夹或文件，不是链接：请先把它移走，再发布（网站根目录应指向这个链接）")
    now = now or dt.datetime.now(dt.timezone.utc)
    incoming = folder / f".incoming-{os.getpid()}-{now.strftime(STAMP)}"
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        linked, copied = _fill(source, incoming, folder / current if current else None)
        while True:   # a name free now may be taken by a deploy running beside this one
            name = _new_name(folder, now)
            try:
                os.rename(incoming, folder / name)   # fails on an existing (never empty) release
                break
            except OSError:
                if not (folder / name).exists():
                    raise
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    if current:
        _switch(target, PREVIOUS, current)
    _switch(target, CURRENT, name)
    return Done(target, name, current, linked, copied, prune(target, keep))


def rollback(target: Path) -> Done:
    """Switch current back to the previous release; the one before that becomes the previous,
    so rolling back again goes one further."""
    current, previous = _pointed(target, CURRENT), _pointed(target, PREVIOUS)
    names = releases(target)
    if not previous or previous == current:
        older = [n for n in names if current and sort_key(n) < sort_key(current)]
        previous = older[-1] if older else ""
    if not previous:
        raise Refused(f"{target} 中没有可回退的上一版本（{RELEASES}/ 中只有当前版本或没有版本）")
    _switch(target, CURRENT, previous)
    older = [n for n in names if sort_key(n) < sort_key(previous)]
    if older:
        _switch(target, PREVIOUS, older[-1])
    else:
        (target / PREVIOUS).unlink(missing_ok=True)
    return Done(target, previous, current, rolled_back=True)
