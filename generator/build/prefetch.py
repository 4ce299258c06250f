"""Read the published site's folders ahead of need, in a forked copy, while the build works.

The daily publish (a scheduled `digest build` adding a day's articles to a large site)
finds the published site and its spare (generator.write.staged) cold on disk: the last
build ran a day ago. Staging the new site then lists the spare's folders and checks every
kept page against the published file (one stat each), all of it waiting on the disk: at
10,000 articles, after `echo 3 > /proc/sys/vm/drop_caches`, 1.8-6.8 s to list the spare
and ~2.6 s of stats in an 18 s one-edit build. A child reading the same folders and files
while this process loads the cache, processes and indexes (3-5 s of CPU) leaves them in
the kernel's cache by the time they are needed. It only reads; what it finds is not used
(the writer trusts nothing but what it reads itself, under its lock), so a site changed
meanwhile costs nothing but the read.
"""
from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Callable, Iterable

from generator.build.workers import can_fork
from generator.write import scan_tree

__all__ = ["prefetch_folders"]


def prefetch_folders(folders: Iterable[Path]) -> Callable[[], None]:
    """Start reading `folders` (every folder listed, every file's inode read) in a forked
    child; returns the call that stops it and waits for it (harmless once it is done).
    Nothing is started where forking is unsafe (no fork, other threads running) or
    when no folder exists."""
    present = [str(folder) for folder in folders if folder.is_dir()]
    if not present or not can_fork():
        return lambda: None
    pid = os.fork()
    if pid == 0:  # the child: read, then leave without this process's exit handlers
        try:
            _read_all(present)
        finally:
            os._exit(0)

    def stop() -> None:
        try:
            os.kill(pid, signal.SIGKILL)  # what it has not read by now is read by the build itself
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    return stop


def _read_all(folders: list[str]) -> None:
    """One thread per folder: the disk serves the reads of two trees at once."""
    readers = [threading.Thread(target=_read_tree, args=(folder,)) for folder in folders[1:]]
    for reader in readers:
        reader.start()
    _read_tree(folders[0])
    for reader in readers:
        reader.join()


def _read_tree(root: str) -> None:
    """The walk the spare's listing makes (generator.write.scan_tree), and the stat a kept
    page's check makes; what vanished meanwhile is skipped."""
    for _, entry, is_folder in scan_tree(root, ignore_errors=True):
        if not is_folder:
            try:
                entry.stat(follow_symlinks=False)
            except OSError:
                pass
