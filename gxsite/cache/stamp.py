"""Skip a build whose every input is unchanged and whose output is still as it was written.

The fingerprint covers all inputs (content files, templates, gxsite's own code, --today),
so a skipped build is correct by construction: any change anywhere rebuilds everything.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path

from gxsite.core.source import walk

CACHE_DIR = ".gxsite-cache"
CODE = Path(__file__).resolve().parent.parent  # the whole gxsite package


def _hash_tree(h, root: Path) -> None:
    for f in walk(root):
        if "__pycache__" not in f.rel.split("/"):
            h.update(f.rel.encode() + b"\0")
            h.update(hashlib.blake2b((root / f.rel).read_bytes(), digest_size=16).digest())


@functools.cache
def code_version() -> str:
    """Identity of gxsite's own code: caches made by other code are not trusted."""
    h = hashlib.blake2b(digest_size=20)
    _hash_tree(h, CODE)
    return h.hexdigest()


def inputs(content: Path, templates: tuple[Path, ...], today: dt.date) -> str:
    """`templates`: every folder templates are looked up in (a site's own over gxsite's), so that
    editing an override rebuilds."""
    h = hashlib.blake2b(digest_size=20)
    h.update(today.isoformat().encode())
    for root in (content, *templates):
        root = root.resolve()   # one tree is one build however it is spelled (relative, absolute, symlink)
        h.update(b"\1" + str(root).encode())
        _hash_tree(h, root)
    h.update(b"\1" + code_version().encode())   # computed once per process, shared with the memo
    return h.hexdigest()


def file_times(root: Path, files=None) -> str:
    """Cheap identity of a folder: every path with its size and modification time (`files`:
    the folder's walk, when the caller has it already)."""
    h = hashlib.blake2b(digest_size=20)
    for f in walk(root) if files is None else files:
        h.update(f"{f.rel}\0{f.size}\0{f.mtime_ns}\n".encode())
    return h.hexdigest()


def _file(out: Path) -> Path:
    out = out.resolve()
    return out.parent / CACHE_DIR / f"{out.name}.stamp.json"


def load(out: Path) -> dict:
    try:
        return json.loads(_file(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def unchanged(out: Path, fingerprint: str) -> dict | None:
    """The stored summary of the previous build if nothing changed since, else None."""
    previous = load(out)
    if previous.get("inputs") == fingerprint and out.is_dir() and previous.get("outputs") == file_times(out):
        return previous
    return None


def save(out: Path, fingerprint: str, summary: dict) -> None:
    path = _file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"inputs": fingerprint, "outputs": file_times(out), **summary}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
