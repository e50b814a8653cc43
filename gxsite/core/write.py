"""Stage 7, write: files go into a temporary folder that replaces output/ only when all went well.

Every output path is reserved before anything is written, so writing one path twice is an
error raised before the first byte (never a silent overwrite), and forked render workers
can write their reserved files without coordinating. A failed build leaves the previous
site untouched.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


class OutputCollision(Exception):
    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


class Writer:
    def __init__(self, out: Path):
        self.out = out.resolve()
        self.tmp = self.out.with_name(f"{self.out.name}.tmp-{os.getpid()}")
        self.reserved: set[str] = set()

    def reserve(self, rel: str) -> None:
        if rel in self.reserved:
            raise OutputCollision(rel)
        self.reserved.add(rel)

    def open(self) -> None:
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)

    def put(self, rel: str, data: str | bytes) -> None:
        """Write a reserved path (safe to call from forked workers)."""
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def copy(self, rel: str, source: Path) -> None:
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)

    def commit(self) -> None:
        """Swap the new site in; the old one is removed only after the swap."""
        old = self.out.with_name(f"{self.out.name}.old-{os.getpid()}")
        if self.out.exists():
            self.out.rename(old)
        self.tmp.rename(self.out)
        if old.exists():
            shutil.rmtree(old)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a reader sees the old file or the new one, never a part
    (a running preview's output, caches that another process may be reading)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
