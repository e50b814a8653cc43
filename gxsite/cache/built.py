"""What the last build wrote into an output folder, kept for the next build of that folder.

- `fingerprint`: every input by path, size and time (content, templates), gxsite's code and
  `--today`: when it matches, nothing changed and the build is skipped.
- `made`: for every output path, the digest of what it was made from (a page's inputs, a
  generated file's bytes, a copied file's source): the next build makes again only what differs,
  and removes what it no longer makes.
- `links`: every page's link findings, so an unchanged page is not scanned again.
- `folder`: the output folder's identity when it was left (device, inode, time of its entries).
  A folder replaced or changed at its top by something else is not trusted: the build then
  starts from nothing. The output folder belongs to the build: files changed deeper inside it
  by hand are not looked for (that would cost a walk of every file); `--force` makes it whole.

Kept in `.gxsite-cache/<output folder name>.built.pickle` beside the output folder, replaced
atomically after each successful build; missing, old or unreadable means a full build. The file
holds two pickles: a small head (versions, fingerprint, folder, summary), then `made` and
`links` (15 MB at 10,000 items), so that an unchanged tree is told from the head alone.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from gxsite.cache import stamp
from gxsite.core.write import replace_file

VERSION = 2   # 2: a head pickle, then the body


@dataclass
class Built:
    fingerprint: str
    folder: tuple
    made: dict[str, bytes] = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)   # items, pages, files, warnings of that build


def fingerprint(content: Path, templates, today: dt.date, options: str = "") -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{today.isoformat()}\0{options}\0{stamp.code_version()}".encode())
    for root in (content, *templates):
        root = Path(root).resolve()
        h.update(b"\1" + str(root).encode() + b"\0" + stamp.file_times(root).encode())
    return h.hexdigest()


def folder_identity(out: Path) -> tuple:
    """The folder itself and the time its own entries last changed: a file added or removed at
    its top (index.html deleted by hand) is noticed; deeper edits by hand are not (`--force`)."""
    st = os.stat(out)
    return (st.st_dev, st.st_ino, st.st_mtime_ns)


def _file(out: Path) -> Path:
    out = out.resolve()
    return out.parent / stamp.CACHE_DIR / f"{out.name}.built.pickle"


def load(out: Path, fingerprint: str | None = None) -> Built | None:
    """The record of the build that made `out` as it is, or None. When its fingerprint equals
    `fingerprint` (nothing changed), only the head is read: `made` and `links` stay empty."""
    try:
        with open(_file(out), "rb") as f:
            version, code, head = pickle.load(f)
            if (version, code) != (VERSION, stamp.code_version()) or head["folder"] != folder_identity(out):
                return None
            record = Built(head["fingerprint"], head["folder"], summary=head["summary"])
            if record.fingerprint != fingerprint:
                record.made, record.links = pickle.load(f)
        return record
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError, ImportError,
            IndexError, KeyError):
        return None


def save(out: Path, built: Built) -> None:
    path = _file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    built.folder = folder_identity(out)
    head = {"fingerprint": built.fingerprint, "folder": built.folder, "summary": built.summary}
    replace_file(path, pickle.dumps((VERSION, stamp.code_version(), head), pickle.HIGHEST_PROTOCOL)
                 + pickle.dumps((built.made, built.links), pickle.HIGHEST_PROTOCOL))


def forget(out: Path) -> None:
    """Drop the record (a build that failed half-way through an update)."""
    _file(out).unlink(missing_ok=True)
