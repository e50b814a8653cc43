"""Stage 7, write: files go into a temporary folder that replaces output/ only when all went well.

A failed build leaves the previous site untouched; writing one output path twice is an
error, never a silent overwrite.
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
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        self.written: set[str] = set()
        self.bytes = 0

    def _target(self, rel: str) -> Path:
        if rel in self.written:
            raise OutputCollision(rel)
        self.written.add(rel)
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel: str, data: str | bytes) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._target(rel).write_bytes(raw)
        self.bytes += len(raw)

    def copy(self, rel: str, source: Path) -> None:
        shutil.copyfile(source, self._target(rel))

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
