"""Results of per-file work kept between runs, so a file that did not change is not parsed,
rendered or counted again.

Every entry is keyed by what the work read (the file's bytes, a body's text, a block of
search documents), so a hit is the result the work would produce again: the output is
the same with or without the memo, byte for byte (tested). The whole memo belongs to one
version of gxsite's code: any change to the code starts it afresh. Entries not used by a
run are dropped when it saves, so the file tracks the tree and does not grow.

Kept in `.gxsite-cache/memo-<content folder name>/<kind>.<shard>.pickle` beside the content
folder, each file replaced atomically; a missing, old or unreadable file is an empty memo.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from gxsite.cache import stamp
from gxsite.core.write import replace_file

VERSION = 1


def digest(*parts: str | bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


SHARDS = 16   # files per kind: an edit rewrites one sixteenth of a kind, not all of it


class Memo:
    """kind → key → value, kept in SHARDS files per kind that are read when the kind is first
    asked for; `get` marks an entry as used, `put` adds one. Keys are digests (bytes).

    A memo `held` between runs (a running preview's) keeps everything in memory. One that is not
    (a `gxsite build`) lets go of what the run is done with, as early as it can: a kind once
    `settle`d, a state once kept. At 100,000 items that is a gigabyte of the build's peak."""

    def __init__(self, folder: Path | None = None, held: bool = False):
        self.folder = folder
        self.held = held or folder is None   # without a folder, memory is the only place it has
        self.old: dict[str, list[dict]] = {}
        self.new: dict[str, list[dict]] = {}
        self.states: dict[str, object] = {}   # name -> what a run left for the next (see `state`)
        self._to_save: set[str] = set()
        self._settled: set[str] = set()       # kinds this run wrote and let go of

    def _kept(self, kind: str) -> list[dict]:
        if kind in self._settled:
            raise RuntimeError(f"memo kind {kind!r} was settled earlier in this run")
        if kind not in self.old:
            self.old[kind] = [self._read(kind, n) for n in range(SHARDS)]
        if kind not in self.new:
            self.new[kind] = [{} for _ in range(SHARDS)]
        return self.old[kind]

    def _file(self, kind: str, shard: int) -> Path:
        return self.folder / f"{kind}.{shard:x}.pickle"

    def _read(self, kind: str, shard: int) -> dict:
        if self.folder is None:
            return {}
        found = self._read_file(self._file(kind, shard))
        return found if isinstance(found, dict) else {}

    def get(self, kind: str, key: bytes):
        shard = key[0] % SHARDS
        kept = self._kept(kind)[shard]
        value = self.new[kind][shard].get(key)   # put or used earlier in this run
        if value is None:
            value = kept.get(key)
            if value is not None:
                self.new[kind][shard][key] = value
        return value

    def put(self, kind: str, key: bytes, value) -> None:
        self._kept(kind)
        self.new[kind][key[0] % SHARDS][key] = value

    def drop(self, kind: str, key: bytes) -> None:
        """Forget an entry this run replaced (a running preview's edited block)."""
        self._kept(kind)
        self.new[kind][key[0] % SHARDS].pop(key, None)

    def state(self, name: str):
        """What the last run left under `name` for this one (`keep`), or None. Not keyed by what it
        was made from: the one who keeps it checks that it still applies (the search index's
        joined postings, which name the blocks they were joined from)."""
        if name not in self.states:
            self.states[name] = self._read_file(self.folder / f"{name}.state.pickle") if self.folder else None
        return self.states[name]

    def keep(self, name: str, value) -> None:
        """Leave `value` for the next run: written (pickled) when the memo is saved, or now when
        the memo is not held, so that the value need not stay in memory."""
        self.states[name] = value
        self._to_save.add(name)
        if not self.held:
            try:
                self._write_state(name)
            except OSError:
                return   # held after all: `save` tries again (and its caller lets it fail)
            del self.states[name]   # read from its file should anyone ask again

    def settle(self, kind: str) -> None:
        """This run asks nothing more of `kind`: unless the memo is held, its changed shards are
        written now and the kind let go of (asking for it again in this run is a mistake)."""
        if self.held or kind not in self.new:
            return
        try:
            self._write_kind(kind)
        except OSError:
            return   # held after all: `save` tries again (and its caller lets it fail)
        del self.old[kind], self.new[kind]
        self._settled.add(kind)

    def _read_file(self, path: Path):
        try:
            with open(path, "rb") as f:
                version, code, data = pickle.load(f)
            if (version, code) == (VERSION, stamp.code_version()):
                return data
        except stamp.UNREADABLE:
            pass   # none, or one from another version: worked out afresh
        return None

    def save(self) -> None:
        """Write each shard this run changed, with only the entries it used (kinds it did not ask
        for stay as they were). The memo then starts a new run from what it saved (a running
        preview keeps it in memory)."""
        for kind in self.new:
            self._write_kind(kind)
        for name in sorted(self._to_save):
            self._write_state(name)
        self._to_save = set()
        self._settled = set()   # read again from their files when the next run asks
        self.old.update(self.new)
        self.new = {}

    def _write_kind(self, kind: str) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for n, entries in enumerate(self.new[kind]):
            if entries != self.old[kind][n]:   # else nothing new and nothing dropped
                replace_file(self._file(kind, n),
                             pickle.dumps((VERSION, stamp.code_version(), entries), pickle.HIGHEST_PROTOCOL))

    def _write_state(self, name: str) -> None:
        if self.folder is None or name not in self._to_save:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Pickled into the file, not into bytes first: the search index's state is a few hundred
        # megabytes at 100,000 items, and a second copy of it was the build's peak.
        replace_file(self.folder / f"{name}.state.pickle",
                     lambda f: pickle.dump((VERSION, stamp.code_version(), self.states[name]), f, pickle.HIGHEST_PROTOCOL))
        self._to_save.discard(name)


def for_content(content: Path, held: bool = False) -> Memo:
    content = content.resolve()
    return Memo(content.parent / stamp.CACHE_DIR / f"memo-{content.name}", held)
