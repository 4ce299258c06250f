"""Debouncing file events into rebuilds: one rebuild per burst, never two at once.

`Debouncer` is the pure state machine (times are passed in, so it is tested with a fake
clock); `RebuildScheduler` runs it on one worker thread, which is also the only thread
that ever rebuilds.

Timing: a rebuild starts once no event has arrived for `quiet` seconds (a save is a few
events within milliseconds; a git checkout is hundreds within a second), or at the
latest `max_wait` seconds after the first unbuilt event, so a steady stream of events
still shows progress. Events that arrive during a rebuild are collected and give exactly
one more rebuild after it.
"""
from __future__ import annotations

import threading
import time
import traceback
from typing import Callable

from generator.serve.changes import ChangeSet

QUIET = 0.2
MAX_WAIT = 2.0


class Debouncer:
    def __init__(self, quiet: float = QUIET, max_wait: float = MAX_WAIT) -> None:
        self.quiet = quiet
        self.max_wait = max(max_wait, quiet)
        self.pending = ChangeSet()
        self.first: float | None = None
        self.last: float | None = None
        self.building = False

    def add(self, changes: ChangeSet, now: float) -> None:
        if not changes:
            return
        self.pending = self.pending | changes
        if self.first is None:
            self.first = now
        self.last = now

    def due_in(self, now: float) -> float | None:
        """Seconds until the pending changes should be built; None when there is nothing to start."""
        if self.building or self.first is None or self.last is None:
            return None
        due = min(self.last + self.quiet, self.first + self.max_wait)
        return max(0.0, due - now)

    def begin(self, now: float) -> ChangeSet | None:
        """Take the pending changes for a rebuild if one is due now."""
        if self.due_in(now) != 0.0:
            return None
        batch, self.pending, self.first, self.last = self.pending, ChangeSet(), None, None
        self.building = True
        return batch

    def end(self) -> None:
        self.building = False

    @property
    def has_pending(self) -> bool:
        return self.first is not None


class RebuildScheduler:
    """A worker thread that feeds debounced ChangeSets to `rebuild`, one call at a time."""

    def __init__(self, rebuild: Callable[[ChangeSet], object], *, quiet: float = QUIET, max_wait: float = MAX_WAIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rebuild = rebuild
        self._clock = clock
        self._debouncer = Debouncer(quiet, max_wait)
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="digest-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def notify(self, changes: ChangeSet) -> None:
        """Called from the watcher's thread for every relevant event."""
        if not changes:
            return
        with self._cond:
            self._debouncer.add(changes, self._clock())
            self._cond.notify()

    @property
    def busy(self) -> bool:
        """A rebuild is running or changes are waiting for one."""
        with self._cond:
            return self._debouncer.building or self._debouncer.has_pending

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking changes; a rebuild in progress is given `timeout` seconds to finish."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                batch = None
                while not self._stopped:
                    wait = self._debouncer.due_in(self._clock())
                    if wait == 0.0:
                        batch = self._debouncer.begin(self._clock())
                        break
                    self._cond.wait(wait)
                if self._stopped:
                    return
            try:
                self._rebuild(batch)
            except Exception:  # the callback reports build failures itself; anything else must not kill the worker
                traceback.print_exc()
            finally:
                with self._cond:
                    self._debouncer.end()
