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


def test_a_whole_build_has_written_its_cache_when_it_returns(tmp_path: Path):
    """The cache is pickled by a forked copy while the build indexes; build() waits for it."""
    import shutil

    from generator.build import build
    from generator.build.process import article_cache_key, cache_path
    from generator.config import load_config
    from tests.conftest import FIXTURES

    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    config = load_config(tmp_path / "site" / "site.toml")
    assert build(config).written
    saved = ArticleCache.open(cache_path(config), article_cache_key(config))
    articles = sorted(p.name for p in config.source_dir.iterdir() if p.suffix in {".md", ".txt", ".html"})
    assert sorted(Path(rel).name for rel in saved.entries) == articles
    assert all(entry.article is not None for entry in saved.entries.values())


def test_with_other_threads_running_the_cache_is_saved_in_process(tmp_path: Path, monkeypatch):
    import threading

    cache = ArticleCache(tmp_path / "cache.pickle", "key")
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(AssertionError("forked")))
    cache.save_in_background()()
    assert ArticleCache.open(tmp_path / "cache.pickle", "key").entries == {}
    assert (tmp_path / "cache.pickle").is_file()
