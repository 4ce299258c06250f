"""generator.build.prefetch: the published site read ahead of need, by a child that only reads."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from generator.build import prefetch
from generator.build.prefetch import prefetch_folders


def _tree(root: Path) -> set[str]:
    """A small site: nested folders, files, a symlink to a folder (not followed)."""
    made = set()
    for rel in ("index.html", "articles/a/index.html", "articles/b/index.html", "regions/x/page/2/index.html"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel, encoding="utf-8")
        made.add(str(path))
    (root / "loop").symlink_to(root, target_is_directory=True)
    return made


def test_the_walk_reads_every_folder_and_every_file_once_without_following_links(tmp_path, monkeypatch):
    files = _tree(tmp_path / "site")
    listed, stated = [], []
    real_scandir = os.scandir

    class Entry:
        def __init__(self, entry):
            self._entry, self.path, self.name = entry, entry.path, entry.name

        def is_dir(self, *, follow_symlinks=True):
            return self._entry.is_dir(follow_symlinks=follow_symlinks)

        def stat(self, *, follow_symlinks=True):
            stated.append((self.path, follow_symlinks))
            return self._entry.stat(follow_symlinks=follow_symlinks)

    class Listing:
        def __init__(self, folder):
            listed.append(folder)
            self._it = real_scandir(folder)

        def __enter__(self):
            return (Entry(e) for e in self._it)

        def __exit__(self, *exc):
            self._it.close()

    monkeypatch.setattr(prefetch.os, "scandir", Listing)
    prefetch._read_tree(str(tmp_path / "site"))
    assert sorted(listed) == sorted(str(tmp_path / "site" / rel) if rel else str(tmp_path / "site") for rel in (
        "", "articles", "articles/a", "articles/b", "regions", "regions/x", "regions/x/page", "regions/x/page/2"))
    assert {path for path, _ in stated} == files | {str(tmp_path / "site" / "loop")}
    assert all(not follow for _, follow in stated)


def test_a_vanished_folder_is_skipped(tmp_path):
    prefetch._read_tree(str(tmp_path / "gone"))  # no error: the build reads (and reports) for itself


def test_the_child_is_reaped_and_nothing_changes(tmp_path, monkeypatch):
    _tree(tmp_path / "site")
    before = sorted((p, p.stat().st_mtime_ns) for p in (tmp_path / "site").rglob("*") if p.is_file())
    children, real_fork = [], os.fork

    def fork():
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(prefetch.os, "fork", fork)
    stop = prefetch_folders([tmp_path / "site", tmp_path / "absent"])
    assert len(children) == 1
    stop()
    stop()  # harmless twice
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # reaped: no zombie left behind
    after = sorted((p, p.stat().st_mtime_ns) for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert after == before


def test_no_child_without_a_folder_or_while_threads_run(tmp_path, monkeypatch):
    def no_fork():
        raise AssertionError("forked")

    monkeypatch.setattr(prefetch.os, "fork", no_fork)
    prefetch_folders([tmp_path / "absent"])()
    (tmp_path / "site").mkdir()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        prefetch_folders([tmp_path / "site"])()  # forking beside another thread is unsafe: read by the build itself
    finally:
        release.set()
        other.join()
