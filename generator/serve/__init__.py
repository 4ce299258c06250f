"""Local preview with live reload (`digest serve`).

- `changes`  ChangeSet and WatchPlan: what to watch, what to ignore, what kind a change is
- `schedule` Debouncer (pure, fake-clock testable) and RebuildScheduler (one worker thread)
- `rebuild`  the Rebuilder seam (`rebuild(changes) -> BuildResult`) and PreviewRebuilder
- `state`    the version / errors the browser is told
- `handler`  the HTTP server: safe paths, pretty URLs, content types, events, status
- `client`   the injected live-reload / error-overlay script
- `watch`    watchdog glue
- `app`      DevServer, tying them together
"""
from __future__ import annotations

from generator.serve.app import DevServer, localize
from generator.serve.changes import ChangeSet, WatchPlan
from generator.serve.rebuild import PreviewRebuilder, Rebuilder
from generator.serve.schedule import Debouncer, RebuildScheduler

__all__ = ["ChangeSet", "Debouncer", "DevServer", "PreviewRebuilder", "RebuildScheduler", "Rebuilder", "WatchPlan",
           "localize"]
