"""The preview HTTP server: only files under output/, under the site's base path.

Request paths are checked before any file-system access: encoded slashes and
backslashes, NUL and other control characters, `.` and `..` segments (also
percent-encoded) are refused with 400; the resolved file (symlinks followed) must lie
inside output/, else 404. Hidden names (output/.git kept by the writer) are not served.
Pretty URLs: folder/ serves folder/index.html, folder redirects to folder/. Missing
files get 404 with output/404.html. HTML responses get the live-reload script injected.

Every text type is sent with `charset=utf-8` (the generator writes nothing else). XML,
feeds included, goes out as `application/xml`: Chromium shows `application/rss+xml` and
`application/atom+xml` as plain source text, while `application/xml` is rendered as a
document styled by its `<?xml-stylesheet type="text/css"?>` (the feeds' static/feed.css).
When the site lives in a subpath, `/favicon.ico` (which a browser asks the host root for
on pages that declare no icon, such as a feed) is answered with the site's favicon.ico.
"""
from __future__ import annotations

import json
import os
import re
import socket
import sys
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from generator.serve.state import LiveState
from generator.serve.client import EVENTS_PATH, LIVE_JS, PREFIX, SCRIPT_PATH, STATUS_PATH, inject



class PreviewSite(Protocol):
    """What the handler needs of the preview server (generator.serve.app.DevServer)."""

    allowed_hosts: Any
    base_path: str
    output_dir: Path
    state: LiveState

    def status(self) -> dict[str, Any]: ...

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"  # displayed by browsers (with its CSS), unlike application/rss+xml
JS = "text/javascript; charset=utf-8"  # RFC 9239
JSON = "application/json; charset=utf-8"
CONTENT_TYPES = {
    ".html": HTML, ".htm": HTML, ".xhtml": "application/xhtml+xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": JS, ".mjs": JS,
    ".json": JSON, ".map": JSON, ".webmanifest": "application/manifest+json; charset=utf-8",
    ".xml": XML, ".rss": XML, ".atom": XML, ".xsl": XML, ".xslt": XML,
    ".svg": "image/svg+xml; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf",
    ".wasm": "application/wasm",
    ".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8", ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8", ".vtt": "text/vtt; charset=utf-8",
}
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_XML_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S)
KEEPALIVE = 10.0  # seconds between SSE comments that detect closed connections

NOT_FOUND_PAGE = (b"<!doctype html><html><head><meta charset=\"utf-8\"><title>404</title></head>"
                  b"<body><h1>404</h1><p>Not found.</p></body></html>\n")


def content_type(path: Path) -> str:
    """The Content-Type a file is served with, by its suffix (every XML file, feed or
    sitemap, is application/xml: see the module docstring)."""
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def xml_type(head: bytes) -> str:
    """The registered media type of an XML document by its root element: application/rss+xml
    or application/atom+xml for feeds, else application/xml. Not what the preview sends
    (see the module docstring), but what the document is."""
    rest = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    while skip := _XML_SKIP.match(rest):
        if not skip.end():
            break
        rest = rest[skip.end():].lstrip()
    root = _XML_ROOT.match(rest)
    name = root.group(1).split(b":")[-1].lower() if root else b""
    return {b"rss": "application/rss+xml", b"feed": "application/atom+xml"}.get(name, "application/xml")


class BadPath(Exception):
    """A request path that is refused before any file-system access."""


def split_path(raw: str) -> tuple[list[str], bool]:
    """The decoded segments of a request path and whether it ends in '/'; BadPath for anything suspicious."""
    if raw.startswith("/"):  # origin-form; urlsplit would read "//x/y" as a host name
        path = raw.split("?", 1)[0].split("#", 1)[0]
    else:  # absolute-form, "http://host/path"
        path = urlsplit(raw).path
    lowered = path.lower()
    if not path.startswith("/") or any(bad in lowered for bad in ("%00", "%2f", "%5c", "\\", "\x00")):
        raise BadPath(raw)
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise BadPath(raw) from None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in decoded) or "\\" in decoded:
        raise BadPath(raw)
    segments = decoded.split("/")[1:]
    trailing = segments[-1] == "" if segments else True
    segments = [s for s in segments if s != ""]
    if any(s in (".", "..") for s in segments):
        raise BadPath(raw)
    return segments, trailing


def _quoted(segments: list[str], trailing: bool) -> str:
    return quote("/" + "/".join(segments) + ("/" if trailing and segments else ""), safe="/")


class DevHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: PreviewSite) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        super().__init__(address, PreviewHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a browser closed a tab or an event stream: not worth a traceback
        super().handle_error(request, client_address)


class PreviewHandler(BaseHTTPRequestHandler):
    server: DevHTTPServer
    server_version = "digest-serve"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        pass

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    # -- routing ---------------------------------------------------------------------------------------

    def _dispatch(self, *, head: bool) -> None:
        if not self._host_allowed():
            return self._send_bytes(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain; charset=utf-8", head)
        try:
            segments, trailing = split_path(self.path)
        except BadPath:
            return self._send_bytes(HTTPStatus.BAD_REQUEST, b"bad request path\n", "text/plain; charset=utf-8", head)
        if segments[:1] == [PREFIX.strip("/")]:
            return self._internal("/" + "/".join(segments), head)
        base = self._base_segments()
        if segments[:len(base)] != base:
            if not segments:
                return self._redirect(_quoted(base, True))  # / -> /digest/ when the site lives in a subpath
            if segments == ["favicon.ico"] and not trailing:
                return self._serve_file(["favicon.ico"], False, head)  # asked of the host root, e.g. by a feed
            return self._not_found(head)
        if segments == base and not trailing:
            return self._redirect(_quoted(base, True) + self._query())
        self._serve_file(segments[len(base):], trailing, head)

    def _host_allowed(self) -> bool:
        allowed = self.server.app.allowed_hosts
        if allowed is None:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            return True  # an HTTP/1.0 client without Host; browsers (and so DNS rebinding) always send one
        if host.startswith("["):
            name = host[:host.find("]") + 1]
        else:
            name = host.rsplit(":", 1)[0] if ":" in host else host
        return name in allowed

    def _internal(self, decoded: str, head: bool) -> None:
        app = self.server.app
        if decoded == SCRIPT_PATH:
            return self._send_bytes(HTTPStatus.OK, LIVE_JS.encode("utf-8"), CONTENT_TYPES[".js"], head)
        if decoded == STATUS_PATH:
            body = json.dumps(app.status(), ensure_ascii=False).encode("utf-8")
            return self._send_bytes(HTTPStatus.OK, body, JSON, head)
        if decoded == EVENTS_PATH and not head:
            return self._events()
        self._send_bytes(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", head)

    # -- files -------------------------------------------------------------------------------------------

    def _serve_file(self, rel: list[str], trailing: bool, head: bool) -> None:
        app = self.server.app
        if any(s.startswith(".") and s != ".well-known" for s in rel):
            return self._not_found(head)
        # A rebuild swaps output/ by two renames; a request that falls between them waits a moment.
        for attempt in range(20):
            found = self._locate(app.output_dir, rel, trailing)
            if found is None or found == "redirect":
                pass
            else:
                try:
                    handle = open(found, "rb")
                except OSError:
                    handle = None
                if handle is not None:
                    with handle:
                        return self._send_file(handle, found, head)
            if found == "redirect":
                return self._redirect(_quoted(self._base_segments() + rel, True) + self._query())
            if app.output_dir.is_dir() and not app.state.building:
                break
            time.sleep(0.025)
        self._not_found(head)

    def _base_segments(self) -> list[str]:
        return [s for s in self.server.app.base_path.split("/") if s]

    def _query(self) -> str:
        query = self.path.split("#", 1)[0].partition("?")[2]
        return f"?{query}" if query else ""

    @staticmethod
    def _locate(output: Path, rel: list[str], trailing: bool) -> Path | str | None:
        """The file to serve inside output/, 'redirect' for a folder without '/', or None."""
        root = os.path.realpath(output)
        target = os.path.realpath(os.path.join(root, *rel)) if rel else root
        if target != root and not target.startswith(root + os.sep):
            return None  # a symlink out of output/
        if os.path.isdir(target):
            if rel and not trailing:
                return "redirect"
            target = os.path.realpath(os.path.join(target, "index.html"))
            if not target.startswith(root + os.sep):
                return None
        elif trailing and rel:
            return None
        return Path(target) if os.path.isfile(target) else None

    def _send_file(self, handle: Any, path: Path, head: bool, status: HTTPStatus = HTTPStatus.OK) -> None:
        size = os.fstat(handle.fileno()).st_size
        kind = content_type(path)
        if kind == HTML:
            return self._send_bytes(status, inject(handle.read(), self.server.app.state.snapshot()), kind, head)
        self.send_response(status)
        self._headers(kind, size)
        if not head:
            while chunk := handle.read(64 * 1024):
                self.wfile.write(chunk)

    def _not_found(self, head: bool) -> None:
        page = self.server.app.output_dir / "404.html"
        try:
            body = page.read_bytes()
        except OSError:
            body = NOT_FOUND_PAGE
        self._send_bytes(HTTPStatus.NOT_FOUND, inject(body, self.server.app.state.snapshot()), HTML, head)

    # -- responses --------------------------------------------------------------------------------------

    def _headers(self, kind: str, length: int | None) -> None:
        self.send_header("Content-Type", kind)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

    def _send_bytes(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self._headers(kind, len(body))
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self._headers("text/plain; charset=utf-8", 0)

    def _events(self) -> None:
        """Server-Sent Events: the state now, then after every change; a comment every KEEPALIVE s."""
        state = self.server.app.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        seen = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not state.closed:
                seen, snapshot = state.wait(seen, KEEPALIVE)
                if snapshot is None:
                    message = b": keepalive\n\n"
                else:
                    message = b"data: " + json.dumps(snapshot, ensure_ascii=False).encode("utf-8") + b"\n\n"
                self.wfile.write(message)
                self.wfile.flush()
        except (ConnectionError, TimeoutError, OSError):
            pass
        self.close_connection = True
