"""`digest serve`: build a preview folder (never output/), serve it with live reload, watch the sources, rebuild on change.

Threads: the HTTP server's accept loop (the main thread under `serve_forever`), one
daemon thread per request (an open page keeps one for its event stream), the watchdog
observer, and one rebuild worker (`RebuildScheduler`) - the only thread that builds.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, TextIO

from generator.config import PREVIEW_DIR, SiteConfig
from generator.serve.changes import ChangeSet, WatchPlan
from generator.serve.handler import DevHTTPServer
from generator.serve.rebuild import PreviewRebuilder, Rebuilder, failure_diagnostics, result_errors
from generator.serve.schedule import MAX_WAIT, QUIET, RebuildScheduler
from generator.serve.state import LiveState
from generator.serve.watch import POLL_INTERVAL, Watcher

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def localize(config: SiteConfig, host: str, port: int, preview_dir: str = PREVIEW_DIR) -> SiteConfig:
    """The site moved to this server: base_url on loopback, keeping its path (/digest/ stays /digest/),
    and written to the preview folder, never to the published output/."""
    return dataclasses.replace(config, base_url=f"http://{url_host(host)}:{port}{config.base_path}",
                               output=preview_dir)


class DevServer:
    """One preview session. `start()` runs everything in background threads (tests);
    `serve_forever()` runs the HTTP loop in the calling thread until Ctrl-C."""

    def __init__(self, load: Callable[[], SiteConfig], *, host: str = "127.0.0.1", port: int = 8000,
                 poll: bool = False, quiet: float = QUIET, max_wait: float = MAX_WAIT,
                 poll_interval: float = POLL_INTERVAL, config_path: Path | None = None,
                 rebuilder: Callable[[Callable[[], SiteConfig]], Rebuilder] = PreviewRebuilder,
                 out: TextIO | None = sys.stderr, preview_dir: str = PREVIEW_DIR) -> None:
        self.host = host
        self.state = LiveState()
        self.out = out
        self.config_path = config_path
        self.allowed_hosts = (LOOPBACK_NAMES | {host.lower(), url_host(host).lower()}) if is_loopback(host) else None
        self.httpd = DevHTTPServer((host.strip("[]"), port), self)  # binds now: a busy port fails early
        self.port = self.httpd.server_address[1]
        self._load = load
        self.rebuilder = rebuilder(lambda: localize(self._load(), self.host, self.port, preview_dir))
        self.scheduler = RebuildScheduler(self._rebuild, quiet=quiet, max_wait=max_wait)
        self._poll_interval = poll_interval
        self.watcher = Watcher(self.scheduler.notify, poll=poll, poll_interval=poll_interval)
        self._config: SiteConfig | None = None
        self._http_thread: threading.Thread | None = None
        self._stopped = False

    # -- what the handler reads ------------------------------------------------------------------------

    @property
    def config(self) -> SiteConfig:
        if self._config is None:
            self._config = self.rebuilder.config
        return self._config

    @property
    def output_dir(self) -> Path:
        return self.config.output_dir

    @property
    def base_path(self) -> str:
        return self.config.base_path

    @property
    def url(self) -> str:
        return f"http://{url_host(self.host)}:{self.port}{self.base_path}"

    def status(self) -> dict[str, Any]:
        return {**self.state.snapshot(), "pending": self.scheduler.busy and not self.state.building,
                "events": self.watcher.events}

    # -- life cycle ------------------------------------------------------------------------------------

    def start(self, *, background_http: bool = True) -> DevServer:
        self._rebuild(ChangeSet.everything())
        try:
            self.watcher.start()
        except OSError as exc:  # e.g. the inotify watch limit: polling works everywhere
            self._say(f"cannot watch with file-system events ({exc.strerror or exc}); polling instead")
            plan, self.watcher = self.watcher.plan, Watcher(self.scheduler.notify, poll=True,
                                                            poll_interval=self._poll_interval)
            if plan is not None:
                self.watcher.sync(plan)
            self.watcher.start()
        self.scheduler.start()
        if background_http:
            self._http_thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                                 name="digest-http", daemon=True)
            self._http_thread.start()
        return self

    def serve_forever(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Build, watch and serve until Ctrl-C (KeyboardInterrupt ends it quietly)."""
        try:
            self.start(background_http=False)
            self._say(f"serving {self.output_dir} at {self.url} (Ctrl-C to stop)")
            if not is_loopback(self.host):
                self._say(f"warning: listening on {self.host}: other machines can reach this preview")
            if on_ready is not None:
                on_ready(self.url)
            self.httpd.serve_forever(poll_interval=0.25)
        except KeyboardInterrupt:
            pass
        finally:
            try:
                self.stop()
            except KeyboardInterrupt:
                pass
            self._say("stopped")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.watcher.stop()
        self.scheduler.stop(timeout=10)
        try:
            self.rebuilder.close()
        except Exception as exc:  # a cache that cannot be written is not worth a traceback at exit
            self._say(f"could not save the build cache: {exc}")
        self.state.close()  # ends the event streams
        if self._http_thread is not None:
            self.httpd.shutdown()
            self._http_thread.join(timeout=5)
        self.httpd.server_close()

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- rebuilding (the scheduler's worker thread only, and start()) ------------------------------------

    def _rebuild(self, changes: ChangeSet) -> None:
        started = time.perf_counter()
        self.state.begin()
        what = changes.describe(Path(self.config.root).resolve())
        try:
            result = self.rebuilder.rebuild(changes)
        except Exception as exc:  # ConfigError, RuleError, WriteError, a template error...: keep the old site
            problems = failure_diagnostics(exc, Path(self.config.root))
            self.state.finish(written=False, errors=problems, changes=what,
                              seconds=round(time.perf_counter() - started, 3))
            self._say(f"rebuild failed ({what}); still serving the last good site:")
            for problem in problems:
                self._say(f"  {problem}")
        else:
            errors = result_errors(result)
            changed = result.written and not result.unchanged  # an unchanged build must not reload pages
            self.state.finish(written=changed, errors=errors,
                              warnings=len(result.diagnostics) - len(errors), changes=what, unchanged=result.unchanged,
                              seconds=round(result.seconds, 3), articles=result.articles, pages=result.pages)
            for diagnostic in result.diagnostics:
                self._say(str(diagnostic))
            if result.unchanged:
                self._say(f"nothing to rebuild: the inputs are unchanged ({what})")
            else:
                done = "built" if changes.full else "updated" if result.in_place else "rebuilt"
                self._say(f"{done} {result.articles} articles, {result.pages} pages written "
                          f"in {result.seconds:.2f} s ({what})")
        self._config = self.rebuilder.config
        self.watcher.sync(WatchPlan.for_config(self.config, self.config_path))

    def _say(self, message: str) -> None:
        if self.out is not None:
            print(message, file=self.out, flush=True)
