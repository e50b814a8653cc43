"""Identities that caches compare: gxsite's own code, and a folder's files by size and time."""
from __future__ import annotations

import functools
import hashlib
import pickle
import struct
from pathlib import Path

from gxsite.core.source import walk

CACHE_DIR = ".gxsite-cache"
CODE = Path(__file__).resolve().parent.parent  # the whole gxsite package
# What reading a cache file raises when it is cut short, written by other code or otherwise
# spoilt: the cache is then worked out afresh, never an error.
UNREADABLE = (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError, ImportError,
              IndexError, KeyError, struct.error)


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


def file_times(root: Path, files=None) -> str:
    """Cheap identity of a folder: every path with its size and modification time (`files`:
    the folder's walk, when the caller has it already)."""
    h = hashlib.blake2b(digest_size=20)
    for f in walk(root) if files is None else files:
        h.update(f"{f.rel}\0{f.size}\0{f.mtime_ns}\n".encode())
    return h.hexdigest()
