"""A persistent cache of processed articles, so unchanged files skip load, clean and enrich.

An entry is keyed by the file's site-relative path and is valid while the file's content
digest is the same (a cheap stat signature answers first; a touched but unchanged file
is confirmed by its digest). The whole cache belongs to one pipeline key: the code's
version (a hash of the package's own files), the cleaning rules, the taxonomy and the
settings that change what an article becomes. Anything else means a fresh cache.

The cache is only ever a shortcut: a missing, corrupt or foreign cache file is ignored,
and it is written atomically (temporary file + rename) after a successful build.
"""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.inputs import code_version
from generator.model import Article
from generator.pickled import quick_pickle
from generator.write import save_pickles

CACHE_FORMAT = 1


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

    @classmethod
    def open(cls, path: Path | None, key: str) -> "ArticleCache":
        """The cache at `path` when it was written for `key`, else an empty one."""
        cache = cls(path, key)
        if path is None:
            return cache
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
            if stored.get("format") == CACHE_FORMAT and stored.get("key") == key:
                cache.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - a broken cache is a cold cache, never an error
            cache.entries = {}
        return cache

    def lookup(self, rel: str, path: Path) -> Entry | None:
        """The cached result for this file if its content is unchanged."""
        entry = self.entries.get(rel)
        if entry is None:
            self.misses += 1
            return None
        signature = stat_signature(path)
        if signature == entry.stat:
            self.hits += 1
            return entry
        if signature is not None and signature[0] == entry.stat[0] and file_digest(path) == entry.digest:
            entry.stat = signature  # touched, not changed
            self.hits += 1
            return entry
        self.misses += 1
        return None

    def store(self, rel: str, path: Path, digest: str | None, article: Article | None,
              diagnostics: tuple[Diagnostic, ...]) -> None:
        signature = stat_signature(path)
        if signature is None:
            return
        self.entries[rel] = Entry(signature, digest or file_digest(path), article, diagnostics)

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
