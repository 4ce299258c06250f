"""A persistent cache of processed articles, so unchanged files skip load, clean and enrich.

An entry is keyed by the file's site-relative path and is valid while the file's content
digest is the same (a cheap stat signature answers first; a touched but unchanged file
is confirmed by its digest). The whole cache belongs to one pipeline key: the code's
version (a hash of the package's own files), the cleaning rules, the taxonomy and the
settings that change what an article becomes. Anything else means a fresh cache.

The cache is only ever a shortcut: a missing, corrupt or foreign cache file is ignored,
and it is written atomically (temporary file + rename) after a successful build.

A file saved while the build reads it must not leave the old article cached under the new
file's signature: an entry records the signature the file had *before* it was read (taken
by the lookup that missed), so a later save always differs from it. And a file changed
less than RACY_NS before it was read could change again within the file system's time
stamp granularity (a jiffy on ext4, 2 s on FAT) without its signature moving: such an
entry is stored "racy" (no time stamp) and is confirmed by its content digest until its
time stamp is old enough to be trusted (git's "racy git" rule).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from generator.build.heap import collector_paused
from generator.build.workers import can_fork
from generator.diagnostics import Diagnostic
from generator.inputs import code_version
from generator.model import Article
from generator.pickled import quick_pickle
from generator.write import save_pickles

CACHE_FORMAT = 1
# A time stamp younger than this when its file was read may be shared by a later save (FAT's
# 2 s granularity is the coarsest in use); tests/test_cache.py saves within one tick.
RACY_NS = 2_000_000_000


@quick_pickle
@dataclass(slots=True)
class Entry:
    """What processing one file gave: its article (or None) and its diagnostics."""

    stat: tuple[int, int, int]  # (size, mtime_ns, inode)
    digest: str
    article: Article | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(slots=True)
class ArticleCache:
    path: Path | None
    key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    _read_as: dict[str, tuple] = field(default_factory=dict)  # a missed file: (its signature, when) before it was read

    @classmethod
    def open(cls, path: Path | None, key: str) -> "ArticleCache":
        """The cache at `path` when it was written for `key`, else an empty one."""
        cache = cls(path, key)
        if path is None:
            return cache
        try:
            with path.open("rb") as handle, collector_paused():
                stored = pickle.load(handle)
            if stored.get("format") == CACHE_FORMAT and stored.get("key") == key:
                cache.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - a broken cache is a cold cache, never an error
            cache.entries = {}
        return cache

    def lookup(self, rel: str, path: Path) -> Entry | None:
        """The cached result for this file if its content is unchanged."""
        entry = self.entries.get(rel)
        signature = stat_signature(path)
        if entry is not None:
            if signature == entry.stat:
                self.hits += 1
                return entry
            if signature is not None and signature[0] == entry.stat[0] and file_digest(path) == entry.digest:
                entry.stat = _trusted(signature, time.time_ns())  # touched, not changed (or a racy entry confirmed)
                self.hits += 1
                return entry
        self.misses += 1
        self._read_as[rel] = (signature, time.time_ns())  # the file is read after this: its entry is of this version
        return None

    def store(self, rel: str, path: Path, digest: str | None, article: Article | None,
              diagnostics: tuple[Diagnostic, ...]) -> None:
        """The result of processing `rel`, under the signature its lookup saw before the read."""
        signature, read_at = self._read_as.pop(rel) if rel in self._read_as else (stat_signature(path), time.time_ns())
        if signature is None:
            return
        self.entries[rel] = Entry(_trusted(signature, read_at), digest or file_digest(path), article, diagnostics)

    def forget(self, rel: str) -> None:
        """The file is gone."""
        self.entries.pop(rel, None)

    def keep_only(self, rels: set[str]) -> None:
        """Forget files that no longer exist, so the cache does not grow forever."""
        for rel in [r for r in self.entries if r not in rels]:
            del self.entries[rel]

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is silently skipped."""
        if self.path is None:
            return
        save_pickles(self.path, [{"format": CACHE_FORMAT, "key": self.key, "entries": self.entries}])

    def save_in_background(self) -> Callable[[], None]:
        """`save()` in a forked copy of this process, started now; returns the wait for it.

        A whole build indexes and plans its pages in one process after the articles are
        processed, leaving the other core idle: the copy pickles the cache there (~0.8 s at
        10,000 articles) instead of after the build. Where a process cannot be forked safely
        (no fork, or other threads running) it is saved here and now."""
        if self.path is None:
            return lambda: None
        if not can_fork():
            self.save()
            return lambda: None
        pid = os.fork()
        if pid == 0:  # the copy: save, and leave without running this process's exit handlers
            code = 1
            try:
                self.save()
                code = 0
            finally:
                os._exit(code)

        def wait() -> None:
            os.waitpid(pid, 0)
        return wait


def _trusted(signature: tuple[int, int, int], read_at: int) -> tuple[int, int, int]:
    """`signature`, or its racy form (time stamp -1: never equal to a file's) when the file
    had changed too shortly before it was read (`read_at`) for a later save to be sure to
    move its time stamp."""
    size, mtime, inode = signature
    return signature if read_at - mtime >= RACY_NS else (size, -1, inode)


def stat_signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def pipeline_key(*parts: Any) -> str:
    """The cache key: the code version plus everything else that shapes an article."""
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]
