"""Shared helpers for the browser tests: headless Debian Chromium through Playwright, and a
small static HTTP server that serves a built site under a URL subpath.

- ``require_browser()`` skips the calling test when Chromium or Playwright is missing, but
  fails it when ``CI=true`` (CI must never pass by skipping the browser tests).
  ``require_axe()`` does the same for axe-core (npm, installed by tests/run.sh into
  tests/.node/) and returns the path of ``axe.min.js``.
- ``launch_chromium()`` yields ``(playwright, browser)`` from Playwright's sync API, using
  Debian's ``/usr/bin/chromium`` (``playwright install`` cannot download here);
  ``launch_chromium_async()`` is the same for the async API (for tests that drive many tabs
  at once).
- ``serve_site(folder, "/digest/")`` serves ``folder`` at ``http://127.0.0.1:PORT/digest/``
  on an ephemeral port, answering unknown paths with the site's ``404.html`` (status 404).
"""
from __future__ import annotations

import contextlib
import http.server
import importlib.util
import os
import posixpath
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Hermetic: no name but 127.0.0.1 resolves, and Chromium's own speculative
    # connections (DNS prefetch, preconnect on hover) never leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--dns-prefetch-disable",
]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the Python package 'playwright' is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; tests/run.sh does this)"
    return None


def require_browser() -> None:
    """Skip when Chromium or Playwright is missing; under CI=true that is a failure instead."""
    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def require_axe() -> Path:
    """axe.min.js, installed from npm by tests/run.sh into tests/.node/ (git-ignored). Skip
    when it is missing; under CI=true that is a failure instead, as for the browser."""
    if AXE_JS.is_file():
        return AXE_JS
    reason = (f"{AXE_JS} is missing (tests/run.sh installs it: "
              "npm install --prefix tests/.node axe-core@<pinned version>)")
    if os.environ.get("CI") == "true":
        pytest.fail(f"accessibility test cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def launch_chromium(*, extra_args: list[str] | None = None):
    """(playwright, browser): headless Debian Chromium driven by Playwright's sync API."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS + list(extra_args or []))
        try:
            yield playwright, browser
        finally:
            browser.close()


@contextlib.asynccontextmanager
async def launch_chromium_async(*, extra_args: list[str] | None = None):
    """(playwright, browser) from Playwright's async API, launched like launch_chromium()."""
    require_browser()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS + list(extra_args or []))
        try:
            yield playwright, browser
        finally:
            await browser.close()


@dataclass(frozen=True)
class ServedSite:
    folder: Path
    host: str
    port: int
    subpath: str  # "/digest/"

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.origin + self.subpath

    def url_for(self, path: Path) -> str:
        """The URL of a file under the served folder (folder/index.html -> its folder URL)."""
        rel = path.relative_to(self.folder).as_posix()
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return self.base_url + urllib.parse.quote(rel)


def _handler_for(folder: Path, subpath: str):
    folder = folder.resolve()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
            pass

        def _url_path(self, path: str) -> str:
            """The request path with %-escapes decoded and dot segments resolved."""
            clean = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
            trailing = "/" if clean.endswith("/") and clean != "/" else ""
            return posixpath.normpath(clean) + trailing if clean else "/"

        def send_head(self):
            # Only URLs under the subpath map into the folder; anything else is a 404.
            clean = self._url_path(self.path)
            if not (clean.startswith(subpath) or clean == subpath.rstrip("/")):
                self.send_error(404)
                return None
            return super().send_head()

        def translate_path(self, path: str) -> str:
            clean = self._url_path(path)
            rel = clean[len(subpath):] if clean.startswith(subpath) else ""
            parts = [p for p in rel.split("/") if p not in ("", ".", "..")]
            return str(folder.joinpath(*parts))

        def send_error(self, code, message=None, explain=None):
            page = folder / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    Handler.extensions_map = {**Handler.extensions_map, ".html": "text/html; charset=utf-8",
                              ".xml": "application/xml; charset=utf-8",
                              ".json": "application/json; charset=utf-8", ".css": "text/css; charset=utf-8",
                              ".js": "text/javascript; charset=utf-8"}
    return Handler


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serve_site(folder: Path, subpath: str = "/digest/") -> Iterator[ServedSite]:
    """Serve `folder` at http://127.0.0.1:<ephemeral>/<subpath> in a background thread."""
    if not (subpath.startswith("/") and subpath.endswith("/")):
        raise ValueError(f"subpath must start and end with '/': {subpath!r}")
    server = _Server(("127.0.0.1", 0), _handler_for(Path(folder), subpath))
    thread = threading.Thread(target=server.serve_forever, name="test-http", daemon=True)
    thread.start()
    try:
        yield ServedSite(Path(folder), "127.0.0.1", server.server_address[1], subpath)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def local_only(route, origin: str, foreign: list[str]) -> None:
    """A Playwright route handler: requests to the served site (and data:/about:/blob:) go
    through; anything else is aborted and noted in `foreign` (pages must not reach out)."""
    url = route.request.url
    if url.startswith(origin) or url.startswith(("data:", "about:", "blob:")):
        route.continue_()
    else:
        foreign.append(url)
        route.abort()
