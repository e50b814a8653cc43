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
holds three pickles and where the last two start: a small head (versions, fingerprint, folder,
summary), `made`, then `links` (15 MB at 10,000 items, 300 MB in memory at 100,000). An
unchanged tree is told from the head alone, and a build reads `made` once it has planned and
`links` once it has rendered (`read_made`, `read_links`), so neither is held while the build
is at its largest.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import struct
from dataclasses import dataclass, field
from pathlib import Path

from gxsite.cache import stamp
from gxsite.core.write import replace_file

VERSION = 3   # 3: head, made and links as three pickles, their starts at the end
_STARTS = struct.Struct("<QQ")


@dataclass
class Built:
    """The head of a record: its parts, `made` and `links`, are read apart (`read_made`, `read_links`)."""
    fingerprint: str
    folder: tuple
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


def load(out: Path) -> Built | None:
    """The head of the record of the build that made `out` as it is, or None."""
    try:
        with open(_file(out), "rb") as f:
            version, code, head = pickle.load(f)
        if (version, code) != (VERSION, stamp.code_version()) or head["folder"] != folder_identity(out):
            return None
        return Built(head["fingerprint"], head["folder"], head["summary"])
    except stamp.UNREADABLE:
        return None


def _read_part(out: Path, record: Built, part: int):
    try:
        with open(_file(out), "rb") as f:
            f.seek(-_STARTS.size, os.SEEK_END)
            f.seek(_STARTS.unpack(f.read(_STARTS.size))[part])
            fingerprint, value = pickle.load(f)
        # The same build's record (not one another build has written since the head was read).
        return value if fingerprint == record.fingerprint else None
    except stamp.UNREADABLE:
        return None


def read_made(out: Path, record: Built) -> dict[str, bytes] | None:
    """The `made` of the build `record` heads; None when it cannot be read (a full build follows)."""
    return _read_part(out, record, 0)


def read_links(out: Path, record: Built) -> dict | None:
    """The `links` of the build `record` heads; None when it cannot be read (every page is scanned)."""
    return _read_part(out, record, 1)


def save(out: Path, built: Built, made: dict[str, bytes], links: dict) -> None:
    """The head and both parts, written straight into the file: no copy of it in memory."""
    path = _file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    built.folder = folder_identity(out)
    head = {"fingerprint": built.fingerprint, "folder": built.folder, "summary": built.summary}

    def write(f) -> None:
        pickle.dump((VERSION, stamp.code_version(), head), f, pickle.HIGHEST_PROTOCOL)
        starts = []
        for part in (made, links):
            starts.append(f.tell())
            pickle.dump((built.fingerprint, part), f, pickle.HIGHEST_PROTOCOL)
        f.write(_STARTS.pack(*starts))
    replace_file(path, write)


def forget(out: Path) -> None:
    """Drop the record (a build that failed half-way through an update)."""
    _file(out).unlink(missing_ok=True)
