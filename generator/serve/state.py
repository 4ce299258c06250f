"""What the browser is told: the site version, the build errors, whether a rebuild runs.

`version` counts builds that wrote the site. A page remembers the version it was served
with and reloads only when a newer one exists, so a page loaded after a build does not
reload for it. `server` changes with every `digest serve` process, so a page also
reloads after the server was restarted.
"""
from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from generator.diagnostics import Diagnostic


class LiveState:
    def __init__(self) -> None:
        self.server = secrets.token_hex(4)
        self.version = 0
        self.builds = 0
        self.building = False
        self.errors: tuple[Diagnostic, ...] = ()
        self.warnings = 0
        self.last: dict[str, Any] = {}
        self.closed = False
        self._seq = 0
        self._cond = threading.Condition()

    def _changed(self) -> None:
        self._seq += 1
        self._cond.notify_all()

    def begin(self) -> None:
        with self._cond:
            self.building = True
            self._changed()

    def finish(self, *, written: bool, errors: list[Diagnostic], warnings: int = 0, **last: Any) -> None:
        """A rebuild ended: `written` when the site on disk changed, `errors` for the overlay."""
        with self._cond:
            self.builds += 1
            self.building = False
            if written:
                self.version += 1
            self.errors = tuple(errors)
            self.warnings = warnings
            self.last = {**last, "written": written, "finished": time.time()}
            self._changed()

    def snapshot(self) -> dict[str, Any]:
        with self._cond:
            return self._snapshot()

    def _snapshot(self) -> dict[str, Any]:
        return {
            "server": self.server, "version": self.version, "builds": self.builds, "building": self.building,
            "errors": [{"path": d.path, "line": d.line, "message": d.message, "text": _location_text(d)}
                       for d in self.errors],
            "warnings": self.warnings, "last": dict(self.last),
        }

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any] | None]:
        """Block until the state differs from sequence number `seen` (or `timeout`, or close).

        Returns the new sequence number and the snapshot, or (seen, None) on timeout/close.
        """
        with self._cond:
            self._cond.wait_for(lambda: self._seq != seen or self.closed, timeout)
            if self.closed or self._seq == seen:
                return seen, None
            return self._seq, self._snapshot()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def _location_text(d: Diagnostic) -> str:
    where = f"{d.path}:{d.line}" if d.line else d.path
    return f"{where}: {d.message}"
