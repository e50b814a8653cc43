"""Stage 7, write: files go into a temporary folder that replaces output/ only when all went well.

Every output path is reserved before anything is written, so writing one path twice is an
error raised before the first byte (never a silent overwrite), and forked render workers
can write their reserved files without coordinating. A failed build leaves the previous
site untouched. Text files get the precompressed twins site.yaml asks for (core/compress.py)
as they are written, in whichever worker writes them.

Writes go through a few threads per process: creating a file costs a system call's latency
(0.3–1 ms on a virtual disk) that threads overlap, and zlib and brotli release the GIL while
they compress. Measured on 39,000 small files: 35 s one by one, 8 s with eight threads.

The swap: on Linux the new folder and the old one trade names in one step (renameat2 with
RENAME_EXCHANGE), so output/ never stops existing. Elsewhere, or on a file system without it,
two renames leave output/ missing for the moment between them (microseconds, nothing is
written in between). A site served to the public should be published with `gxsite deploy`,
which switches a symlink and has no gap on any POSIX system (docs/hosting.md). The replaced
site is renamed `<out>.old-<pid>` and removed by a process of its own (`discard`), which the
build does not wait for.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import subprocess
import sys
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from gxsite.core import compress, parallel


class OutputCollision(Exception):
    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


WRITE_THREADS = 8
MAX_PENDING = 512   # writes queued at most per process (their bytes are held until written)
STAGE_PARALLEL = 64   # files changed in place from which staging them is spread over the cores


class Writer:
    def __init__(self, out: Path, twins: tuple[str, ...]):
        self.out = out.resolve()
        self.twins = twins   # the twin suffixes made (compress.suffixes)
        self.tmp = self.out.with_name(f"{self.out.name}.tmp-{os.getpid()}")
        self.reserved: set[str] = set()
        self.made: set[Path] = set()   # folders this process made: one mkdir each, not one per file
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0             # a forked worker starts a pool of its own
        self._pending: deque[Future] = deque()

    def _submit(self, fn, *args) -> None:
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="gxsite-write")
            self._pool_pid = os.getpid()
            self._pending = deque()
        self._pending.append(self._pool.submit(fn, *args))
        while len(self._pending) > MAX_PENDING:
            self._pending.popleft().result()

    def wait(self) -> None:
        """Every write queued by this process is on disk; the first one that failed raises here.
        Forked workers call it before they return, the parent before the swap."""
        if self._pool is None or self._pool_pid != os.getpid():
            return
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pending.clear()
            self._pool.shutdown(wait=True)
            self._pool = None

    def _folder(self, target: Path) -> None:
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)

    def reserve(self, rel: str) -> None:
        if rel in self.reserved:
            raise OutputCollision(rel)
        self.reserved.add(rel)

    def open(self) -> None:
        remove_leftovers(self.out)
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir(parents=True)
        self.made = {self.tmp}

    def put(self, rel: str, data: str | bytes) -> None:
        """Write a reserved path and its twins (safe to call from forked workers); done by the
        time `wait` returns. The twins are compressed here, in the caller's thread: compressing
        in several threads at once costs more CPU than it saves (the GIL is passed back and forth)."""
        data = data.encode("utf-8") if isinstance(data, str) else data
        self._submit(self._write, rel, [(rel, data), *compress.twins(rel, data, self.twins, self.reserved)])

    def copy(self, rel: str, source: Path) -> None:
        self._submit(self._copy, rel, source)

    def _write(self, rel: str, files: list[tuple[str, bytes]]) -> None:
        self._folder(self.tmp / rel)
        for path, data in files:
            (self.tmp / path).write_bytes(data)

    def _copy(self, rel: str, source: Path) -> None:
        target = self.tmp / rel
        self._folder(target)
        shutil.copyfile(source, target)
        if compress.eligible(rel, target.stat().st_size):
            for path, twin in compress.twins(rel, target.read_bytes(), self.twins, self.reserved):
                (self.tmp / path).write_bytes(twin)

    def commit(self) -> None:
        """Swap the new site in; the old one is removed only after the swap, without waiting."""
        self.wait()
        if self.out.exists() and not self.out.is_symlink() and exchange(self.tmp, self.out):
            discard(self.tmp, _old_name(self.out))   # the tmp name now holds the old site
            return
        old = _old_name(self.out)
        if self.out.exists() or self.out.is_symlink():
            self.out.rename(old)
        self.tmp.rename(self.out)
        if old.is_symlink():
            old.unlink()
        elif old.exists():
            discard(old, old)

    def abort(self) -> None:
        try:
            self.wait()
        except OSError:
            pass   # the build already failed; what it wrote goes with the folder
        shutil.rmtree(self.tmp, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap the names of two existing paths atomically (Linux renameat2); False when the system
    or the file system cannot, so the caller falls back to two renames."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2   # glibc >= 2.28
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False   # not supported here: two renames will do
    raise OSError(code, os.strerror(code), str(b))


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return True   # os.kill(pid, 0) would end the process on Windows: never guess there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True   # someone else's live process
    except OSError:
        return True
    return True


def _old_name(out: Path) -> Path:
    """`<out>.old-<pid>`, or `-2`, `-3`… after it while a replaced site of this process is still
    being removed (a running preview builds many times)."""
    old = out.with_name(f"{out.name}.old-{os.getpid()}")
    n = 1
    while old.exists() or old.is_symlink():
        n += 1
        old = out.with_name(f"{out.name}.old-{os.getpid()}-{n}")
    return old


_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def discard(folder: Path, name: Path) -> None:
    """Remove a replaced site under `name` (an `.old-` name) in a process of its own, not waited
    for: the new site is live already, and deleting the old one's 150,000 files took 23 s of a
    full build at 10,000 items on a virtual disk. Should that process be stopped, the next build
    removes what is left (remove_leftovers); should it not start, the folder is removed here."""
    try:
        if folder != name:
            folder.rename(name)
        subprocess.Popen([sys.executable, "-c", _REMOVE, str(name)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(name if name.exists() else folder, ignore_errors=True)


def remove_leftovers(out: Path) -> list[Path]:
    """Remove `<out>.tmp-<pid>` / `<out>.old-<pid>` folders that a build which died left behind
    (its process is gone); a running build's folder is never touched. Returns what went."""
    pattern = re.compile(re.escape(out.name) + r"\.(?:tmp|old)-(\d+)(?:-\d+)?")
    removed = []
    try:
        siblings = list(out.parent.iterdir())
    except OSError:
        return removed
    for path in sorted(siblings):
        found = pattern.fullmatch(path.name)
        if found and not path.is_symlink() and path.is_dir() and not process_alive(int(found.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


_REASONS = {
    errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限", errno.EROFS: "所在磁盘只能读不能写", errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹", errno.EISDIR: "这是一个文件夹", errno.EMFILE: "同时打开的文件太多",
    errno.ENAMETOOLONG: "文件名太长", errno.EIO: "磁盘读写出错",
}


def reason(exc: OSError) -> str:
    """The cause of a failed read or write in plain Chinese."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def failure(exc: OSError, fallback: Path | str) -> str:
    """`无法写入 /srv/site/output.tmp-123/x.html：磁盘已满`: one line naming the path."""
    return f"无法写入 {exc.filename or fallback}：{reason(exc)}"


def replace_file(path: Path, data) -> None:
    """Write `path` whole or not at all: a reader sees the old file or the new one, never a part
    (a running preview's output, caches that another process may be reading). `data`: the bytes,
    or a function that writes them into the open file."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if callable(data):
            with open(tmp, "wb") as f:
                data(f)
        else:
            tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)   # a full disk leaves no half file behind
        raise


def remove_with_twins(out: Path, rel: str, taken=frozenset()) -> None:
    (out / rel).unlink(missing_ok=True)
    for path in compress.twin_paths(rel):
        if path not in taken:
            (out / path).unlink(missing_ok=True)


def update_in_place(out: Path, files: dict[str, bytes | Path], gone: list[str], twins: tuple[str, ...],
                    taken=frozenset()) -> None:
    """Bring an existing output folder to a new state by changing only what differs: `files`
    (output path -> bytes, or a source file to copy) are written with their `twins`, `gone` paths
    removed with theirs. Every new byte is first written beside its target; only when all of it is
    on disk do the renames run (new files first, then replaced ones, then removals), so a full disk
    changes nothing and a reader sees each file old or new, never a part.

    Staging is the costly part (the twins' compression, a file created per byte string): it runs
    on every core (forked workers, like the full build's writes) through the writer's threads."""
    tag = str(os.getpid())   # one staging name for every worker, so the parent can clean up after any
    fresh = sorted(rel for rel in files if not (out / rel).exists())
    replaced = sorted(set(files) - set(fresh))
    try:
        parts = parallel.map_chunks(lambda chunk: _stage_all(out, chunk, files, twins, taken, tag), fresh + replaced,
                                    contiguous=True, min_parallel=STAGE_PARALLEL)
    except BaseException:
        for rel in files:
            for path in (rel, *compress.twin_paths(rel)):
                _staging_name(out / path, tag).unlink(missing_ok=True)
        raise
    staged = {rel: pairs for part in parts for rel, pairs in part[0]}
    _threaded(os.replace, [pair for rel in fresh for pair in staged[rel]])
    _threaded(os.replace, [pair for rel in replaced for pair in staged[rel]])
    for part in parts:
        for path in part[1]:
            path.unlink(missing_ok=True)
    for rel in gone:
        remove_with_twins(out, rel, taken)
    for folder in sorted({(out / rel).parent for rel in gone}, key=lambda f: -len(f.parts)):
        while folder != out and folder.is_relative_to(out):   # a full build would not have the empty folder
            try:
                folder.rmdir()
            except OSError:
                break   # not empty
            folder = folder.parent


def _stage_all(out: Path, rels: list[str], files: dict[str, bytes | Path], made_twins: tuple[str, ...],
               taken, tag: str):
    """Write each file and its twins beside their targets (in a worker): per path the (staged,
    target) pairs, twins first, and the twins that must go (the file is no longer eligible)."""
    pending: list[tuple[str, list]] = []
    twins_gone: list[Path] = []
    made: set[Path] = set()
    with ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="gxsite-stage") as pool:
        for rel in rels:
            data = files[rel]
            if isinstance(data, Path):
                data = data.read_bytes()
            target = out / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            twins = dict(compress.twins(rel, data, made_twins, taken))   # compressed here, not in the threads (the GIL)
            writes = []
            for path in compress.twin_paths(rel):
                if path in twins:
                    writes.append(pool.submit(_stage, out / path, twins[path], tag))
                elif path not in taken:
                    twins_gone.append(out / path)
            writes.append(pool.submit(_stage, target, data, tag))
            pending.append((rel, writes))
        return [(rel, [w.result() for w in writes]) for rel, writes in pending], twins_gone


def _threaded(fn, pairs: list[tuple]) -> None:
    if len(pairs) < STAGE_PARALLEL:
        for pair in pairs:
            fn(*pair)
        return
    with ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="gxsite-rename") as pool:
        for _ in pool.map(lambda pair: fn(*pair), pairs):
            pass


def _staging_name(target: Path, tag: str) -> Path:
    return target.with_name(f".{target.name}.tmp-{tag}")


def _stage(target: Path, data: bytes, tag: str) -> tuple[Path, Path]:
    tmp = _staging_name(target, tag)
    try:
        tmp.write_bytes(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, target
