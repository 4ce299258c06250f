"""The article cache never hands out an article of an older version of its file."""
from __future__ import annotations

import os
import time
from pathlib import Path

import generator.build.cache as cache_module
from generator.build.cache import RACY_NS, ArticleCache, file_digest


def _processed(cache: ArticleCache, path: Path, between=None) -> None:
    """A build's handling of one file: lookup (a miss), read, process, store; `between` runs
    while the file is being processed (an editor saving meanwhile)."""
    assert cache.lookup("a.md", path) is None
    digest = file_digest(path)  # what was read
    if between:
        between()
    cache.store("a.md", path, digest, None, ())


def test_a_file_saved_while_it_is_processed_is_processed_again(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text("第一版", encoding="utf-8")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(path, ns=(old, old))
    cache = ArticleCache(None, "key")

    def save():
        path.write_text("第二版", encoding="utf-8")  # same size, newer time stamp

    _processed(cache, path, save)
    assert cache.lookup("a.md", path) is None


def test_a_save_within_one_time_stamp_tick_is_not_mistaken_for_the_cached_version(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text("第一版", encoding="utf-8")
    cache = ArticleCache(None, "key")
    _processed(cache, path)
    stamp = path.stat().st_mtime_ns
    with path.open("r+", encoding="utf-8") as handle:  # same inode, same size ...
        handle.write("第二版")
    os.utime(path, ns=(stamp, stamp))  # ... and the same time stamp: saved within one tick
    assert cache.lookup("a.md", path) is None
    _processed(cache, path)
    assert cache.lookup("a.md", path) is not None  # confirmed by its content, until it is old enough


def test_an_old_enough_file_is_trusted_by_its_signature_alone(tmp_path: Path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text("第一版", encoding="utf-8")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(path, ns=(old, old))
    cache = ArticleCache(None, "key")
    _processed(cache, path)
    monkeypatch.setattr(cache_module, "file_digest", lambda p: (_ for _ in ()).throw(AssertionError("read")))
    assert cache.lookup("a.md", path) is not None
