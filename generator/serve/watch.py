"""watchdog glue: file-system events -> classified ChangeSets -> a callback.

Only events that can change what a build reads count: created, modified (files),
deleted, moved and closed-after-write. Opened / closed-without-write events (the build
itself reads every file) and folder "modified" events (sent along with the file events
inside) are dropped, as is everything `WatchPlan` ignores.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from generator.serve.changes import ChangeSet, WatchPlan

_COUNTED = frozenset({"created", "modified", "deleted", "moved", "closed"})
POLL_INTERVAL = 0.5


def _path(raw: str | bytes) -> Path:
    return Path(os.fsdecode(raw))


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _COUNTED or (event.is_directory and event.event_type in ("modified", "closed")):
            return
        paths = [_path(event.src_path)]
        if event.event_type == "moved" and event.dest_path:
            paths.append(_path(event.dest_path))
        self.watcher.dispatch(paths)


class Watcher:
    """Watches the folders of a WatchPlan; `sync` follows a new plan (after site.toml changed)."""

    def __init__(self, on_change: Callable[[ChangeSet], None], *, poll: bool = False,
                 poll_interval: float = POLL_INTERVAL) -> None:
        self._on_change = on_change
        self.observer: BaseObserver = PollingObserver(timeout=poll_interval) if poll else Observer()
        self._handler = _Handler(self)
        self._plan: WatchPlan | None = None
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}
        self._lock = threading.Lock()
        self.events = 0  # events that counted (for the status endpoint and tests)

    @property
    def plan(self) -> WatchPlan | None:
        return self._plan

    def dispatch(self, paths: list[Path]) -> None:
        plan = self._plan
        if plan is None:
            return
        changes = plan.changes(paths)
        if changes:
            self.events += 1
            self._on_change(changes)

    def sync(self, plan: WatchPlan) -> None:
        """Watch the folders `plan` needs (those that exist now) and drop the ones it no longer needs."""
        with self._lock:
            self._plan = plan
            wanted = set(plan.watch_dirs().items())
            for key in list(self._watches):
                if key not in wanted:
                    self.observer.unschedule(self._watches.pop(key))
            for folder, recursive in sorted(wanted - set(self._watches)):
                try:
                    self._watches[(folder, recursive)] = self.observer.schedule(self._handler, str(folder),
                                                                                recursive=recursive)
                except OSError:
                    pass  # vanished in between; the next sync tries again

    @property
    def watched(self) -> list[tuple[Path, bool]]:
        return sorted(self._watches)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        try:
            self.observer.stop()
            self.observer.join(timeout=5)
        except RuntimeError:
            pass  # never started
