"""`digest serve` end to end: real file-system events, a real HTTP server and urllib.

Each test copies tests/fixtures/site (base_url https://example.org/digest/, so the
preview serves under /digest/) and runs a DevServer on an ephemeral loopback port.
"""
from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from generator.config import load_config
from generator.serve import DevServer
from tests.conftest import FIXTURES

ARTICLE = "articles/guangdong-flexible-jobs/"  # from content/markdown.md (slug in its front matter)
GOOD_MARKDOWN = (FIXTURES / "site" / "content" / "markdown.md").read_text(encoding="utf-8")
SECRET = "SECRET-MARKER-7f3a"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None, timeout: float = 10) -> Response:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Response(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Response(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def wait_for(condition: Callable[[], Any], timeout: float = 15.0, interval: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        time.sleep(interval)


@dataclass
class Live:
    site: Path
    server: DevServer
    log: io.StringIO

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def base(self) -> str:
        return self.origin + "/digest/"

    def get(self, rel: str = "", **kwargs: Any) -> Response:
        return fetch(self.base + rel, **kwargs)

    def status(self) -> dict[str, Any]:
        return json.loads(fetch(self.origin + "/__digest/status").body)

    def settled_after(self, builds: int, timeout: float = 15.0) -> dict[str, Any]:
        """The status once a rebuild after `builds` finished and nothing is pending."""
        def done() -> dict[str, Any] | None:
            state = self.status()
            return state if state["builds"] > builds and not state["building"] and not state["pending"] else None
        return wait_for(done, timeout)

    def change(self, action: Callable[[], Any], timeout: float = 15.0) -> dict[str, Any]:
        """Run `action` (a file-system change) and return the status after the rebuild it caused."""
        before = self.status()["builds"]
        action()
        return self.settled_after(before, timeout)


def copy_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    with (site / "site.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"# {SECRET}\n")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return site


@contextlib.contextmanager
def live_site(tmp_path: Path, *, poll: bool = False, quiet: float = 0.05, max_wait: float = 1.0,
              prepare: Callable[[Path], Any] | None = None) -> Iterator[Live]:
    site = copy_site(tmp_path)
    if prepare is not None:
        prepare(site)
    config_path = site / "site.toml"
    log = io.StringIO()
    server = DevServer(lambda: load_config(config_path, {}), host="127.0.0.1", port=0, poll=poll, quiet=quiet,
                       max_wait=max_wait, poll_interval=0.1, config_path=config_path, out=log)
    server.start()
    try:
        yield Live(site, server, log)
    finally:
        server.stop()


def without_script(body: bytes) -> bytes:
    return re.sub(rb'<script src="/__digest/live\.js"[^>]*></script>\n', b"", body)


def page_state(body: bytes) -> dict[str, Any]:
    """The state the injected live-reload script was served with."""
    match = re.search(rb'<script src="/__digest/live\.js" data-events="/__digest/events" data-state="([^"]*)">',
                      body)
    assert match, "live-reload script not injected"
    return json.loads(html.unescape(match.group(1).decode("utf-8")))


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_site(tmp_path) as running:
        yield running


# -- edit, delete, bad file, recovery ------------------------------------------------------------------

def test_edit_updates_the_served_page_and_only_the_served_copy_has_the_script(live: Live):
    page = live.get(ARTICLE)
    assert page.status == 200 and "广东出台灵活就业人员社保补贴办法" in page.text
    first = page_state(page.body)
    assert first["version"] == live.status()["version"] == 1 and first["errors"] == []

    article = live.site / "content" / "markdown.md"
    state = live.change(lambda: article.write_text(GOOD_MARKDOWN.replace("社保补贴办法", "社保补贴新办法"), "utf-8"))
    assert state["version"] == 2 and state["errors"] == [] and "content/markdown.md" in state["last"]["changes"]
    page = live.get(ARTICLE)
    assert "广东出台灵活就业人员社保补贴新办法" in page.text
    assert page_state(page.body)["version"] == 2  # a page loaded after the build does not reload for it
    on_disk = (live.server.output_dir / ARTICLE / "index.html").read_bytes()
    assert b"/__digest/" not in on_disk and "社保补贴新办法".encode() in on_disk


def test_delete_gives_404_with_the_sites_404_page(live: Live):
    assert live.get(ARTICLE).status == 200
    live.change(lambda: (live.site / "content" / "markdown.md").unlink())
    gone = live.get(ARTICLE)
    assert gone.status == 404 and gone.headers["content-type"] == "text/html; charset=utf-8"
    assert "页面不存在" in gone.text and page_state(gone.body)["version"] == 2
    assert live.get("").status == 200


def test_bad_file_shows_overlay_and_keeps_serving_then_a_good_save_clears_it(live: Live):
    bad = live.site / "content" / "bad.md"
    state = live.change(lambda: shutil.copy(FIXTURES / "bad" / "invalid_date.md", bad))
    assert [e["text"] for e in state["errors"]] == [
        "content/bad.md:3: date: date '2022-02-30' is not a valid date (day is out of range for month)"]
    home = live.get("")
    assert home.status == 200 and page_state(home.body)["errors"] == state["errors"]
    assert live.get(ARTICLE).status == 200  # the other articles are still built and served

    state = live.change(lambda: bad.write_text("---\ntitle: 修好了\ndate: 2022-02-28\n---\n\n正文。\n", "utf-8"))
    assert state["errors"] == []
    assert page_state(live.get("").body)["errors"] == []


def test_broken_article_being_edited_names_its_line_and_comes_back_when_fixed(live: Live):
    article = live.site / "content" / "markdown.md"
    state = live.change(lambda: article.write_text(GOOD_MARKDOWN.replace("2023-03-01 09:30", "2023-02-30"), "utf-8"))
    assert [(e["path"], e["line"]) for e in state["errors"]] == [("content/markdown.md", 3)]
    kept = live.get(ARTICLE)  # the last good version stays published while the overlay names the problem
    assert kept.status == 200 and page_state(kept.body)["errors"] == state["errors"]
    assert "广东出台灵活就业人员社保补贴办法" in kept.text
    fixed = GOOD_MARKDOWN.replace("社保补贴办法", "社保补贴新办法")
    state = live.change(lambda: article.write_text(fixed, "utf-8"))
    assert state["errors"] == [] and "社保补贴新办法" in live.get(ARTICLE).text


def test_broken_site_toml_keeps_the_last_good_site_until_fixed(live: Live):
    before = live.get(ARTICLE).body
    config = live.site / "site.toml"
    good = config.read_text(encoding="utf-8")
    state = live.change(lambda: config.write_text(good.replace("page_size = 2", "page_size = \"two\""), "utf-8"))
    assert state["version"] == 1 and state["last"]["written"] is False
    assert any(e["path"] == "site.toml" and "page_size" in e["message"] for e in state["errors"])
    assert without_script(live.get(ARTICLE).body) == without_script(before)
    assert page_state(live.get(ARTICLE).body)["errors"] == state["errors"]

    state = live.change(lambda: config.write_text(good.replace("page_size = 2", "page_size = = 2"), "utf-8"))
    assert state["errors"][0]["path"] == "site.toml" and state["errors"][0]["line"] == 3  # TOML syntax error

    state = live.change(lambda: config.write_text(good, "utf-8"))
    assert state["errors"] == [] and state["last"]["unchanged"] is True
    assert state["version"] == 1  # the same site as before: open pages only drop the overlay, no reload

    state = live.change(lambda: config.write_text(good.replace("测试摘要", "新的摘要"), "utf-8"))
    assert state["errors"] == [] and state["version"] == 2 and "新的摘要" in live.get(ARTICLE).text


def test_template_error_names_template_file_and_line(live: Live):
    templates = live.site / "templates"

    def add_broken_template() -> None:
        templates.mkdir()
        (templates / "article.html").write_text('{% extends "theme/article.html" %}\n\n{% block main %}{% if %}\n',
                                                "utf-8")

    state = live.change(add_broken_template)
    assert [(e["path"], e["line"]) for e in state["errors"]] == [("templates/article.html", 3)]
    assert state["last"]["written"] is False and live.get(ARTICLE).status == 200
    state = live.change(lambda: (templates / "article.html").write_text(
        '{% extends "theme/article.html" %}\n{% block main %}<p id="override">覆盖</p>{% endblock %}\n', "utf-8"))
    assert state["errors"] == [] and 'id="override"' in live.get(ARTICLE).text
    assert "template: templates/article.html" in state["last"]["changes"]


def test_theme_and_static_changes_are_classified(tmp_path: Path):
    def own_theme(site: Path) -> None:
        shutil.copytree(Path(__file__).resolve().parents[1] / "themes" / "default", site / "themes" / "mine")
        with (site / "site.toml").open("a", encoding="utf-8") as handle:
            handle.write('theme = "mine"\n')

    with live_site(tmp_path, prepare=own_theme) as live:
        css = live.site / "themes" / "mine" / "static" / "style.css"
        state = live.change(lambda: css.write_text(css.read_text("utf-8") + "\n/* changed-css */\n", "utf-8"))
        assert state["last"]["changes"] == "static: themes/mine/static/style.css"
        assert "changed-css" in live.get("static/style.css").text
        def add_site_static() -> None:  # a folder that did not exist when serving started
            (live.site / "static").mkdir()
            (live.site / "static" / "extra.css").write_text("p{}", "utf-8")

        state = live.change(add_site_static)
        assert state["last"]["changes"].startswith("static:") and live.get("static/extra.css").status == 200


def test_ignored_paths_never_trigger_a_rebuild(live: Live):
    builds = live.status()["builds"]
    content = live.site / "content"
    for name in (".#markdown.md", "markdown.md.swp", "markdown.md~", "4913", "#markdown.md#"):
        (content / name).write_text("x", "utf-8")
    (live.server.output_dir / "stray.html").write_text("x", "utf-8")
    (live.site / "output").mkdir(exist_ok=True)  # the published folder: never served nor watched
    (live.site / "output" / "stray.html").write_text("x", "utf-8")
    (live.site / ".cache").mkdir(exist_ok=True)  # the build's own article cache lives there too
    (live.site / ".cache" / "x").write_text("x", "utf-8")
    (live.site / ".output.staging-abc").mkdir()
    (live.site / ".output.previous").mkdir(exist_ok=True)
    (live.site / ".output.previous" / "index.html").write_text("x", "utf-8")
    (live.site / "README.md").write_text("not read by the build", "utf-8")
    time.sleep(0.6)
    state = live.status()
    assert state["builds"] == builds and not state["pending"] and not state["building"]


def test_polling_observer_sees_edits(tmp_path: Path):
    with live_site(tmp_path, poll=True) as live:
        article = live.site / "content" / "markdown.md"
        live.change(lambda: article.write_text(GOOD_MARKDOWN.replace("社保补贴办法", "轮询办法"), "utf-8"))
        assert "轮询办法" in live.get(ARTICLE).text


def test_event_stream_announces_each_new_version(live: Live):
    with urllib.request.urlopen(live.origin + "/__digest/events", timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")

        def next_event() -> dict[str, Any]:
            while True:
                line = stream.readline()
                assert line, "event stream closed"
                if line.startswith(b"data: "):
                    return json.loads(line[6:])

        assert next_event()["version"] == 1
        (live.site / "content" / "markdown.md").write_text(GOOD_MARKDOWN + "\n追加一段。\n", "utf-8")
        seen = [next_event()]
        while seen[-1]["building"] or seen[-1]["version"] == 1:
            seen.append(next_event())
        assert seen[-1]["version"] == 2 and seen[-1]["errors"] == []


# -- what is served, and what is not --------------------------------------------------------------------

TRAVERSALS = [
    "/digest/../site.toml", "/digest/../../secret.txt", "/../secret.txt", "/digest/../../../../../../etc/passwd",
    "/digest/./../site.toml", "/digest/articles/../../site.toml",
    "/digest/%2e%2e/site.toml", "/digest/%2E%2E/%2E%2E/secret.txt", "/digest/.%2e/site.toml", "/digest/%2e./site.toml",
    "/%2e%2e/secret.txt", "/digest/%2e%2e%2fsite.toml", "/digest/..%2fsite.toml", "/digest/..%2F..%2Fsecret.txt",
    "/digest/%2f..%2f..%2fsecret.txt", "/digest/..%5csite.toml", "/digest/..%5C..%5Csecret.txt",
    "/digest/..\\site.toml", "/digest/..\\..\\secret.txt",
    "/digest/index.html%00.css", "/digest/%00", "/digest/..%00/site.toml",
    "/digest/%252e%252e/site.toml", "/digest/%252e%252e%252fsite.toml",
    "/digest/%c0%ae%c0%ae/site.toml", "/digest/%c0%af..%c0%afsecret.txt",
    "//secret.txt", "/digest//../site.toml", "/digest/%2e%2e//%2e%2e//secret.txt",
    "/digest/leak.txt", "/digest/leakdir/secret.txt", "/digest/leakdir/", "/digest/inside/../leak.txt",
    "/digest/.hidden", "/digest/.git/config",
    "http://127.0.0.1/digest/../site.toml", "/digest/../site.toml?x=1", "/digest/..;/site.toml",
]


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """A GET with the request target sent byte for byte (no client-side normalization)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target.encode("latin-1") + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


def test_every_traversal_attempt_is_refused(live: Live):
    output = live.server.output_dir
    (output / "leak.txt").symlink_to(live.site.parent / "secret.txt")
    (output / "leakdir").symlink_to(live.site.parent, target_is_directory=True)
    (output / ".hidden").write_text(SECRET, "utf-8")
    (output / ".git").mkdir()
    (output / ".git" / "config").write_text(SECRET, "utf-8")
    (output / "inside").mkdir()
    answered = {}
    for target in TRAVERSALS:
        status, data = raw_get(live.server.port, target)
        answered[target] = status
        assert status in (400, 403, 404), (target, status)
        assert SECRET.encode() not in data and b"root:x:0:0" not in data, target
    assert raw_get(live.server.port, "/digest/..%00/site.toml")[0] == 400
    assert sorted(set(answered.values())) == [400, 404]
    # The NUL byte itself on the request line, and the same list through urllib (which sends it verbatim).
    status, _ = raw_get(live.server.port, "/digest/index.html\x00.css")
    assert status in (400, 404)
    for target in TRAVERSALS:
        if target.startswith("/") and " " not in target and "\\" not in target:
            response = fetch(live.origin + target)
            assert response.status in (400, 403, 404) and SECRET.encode() not in response.body, target


def test_symlink_inside_output_is_served(live: Live):
    output = live.server.output_dir
    (output / "alias.css").symlink_to(output / "static" / "style.css")
    assert live.get("alias.css").status == 200


def test_pretty_urls_base_path_and_redirects(live: Live):
    assert live.get(ARTICLE).status == 200
    folder = live.get(ARTICLE.rstrip("/"))
    assert folder.status == 301 and folder.headers["location"] == "/digest/" + ARTICLE
    with_query = live.get(ARTICLE.rstrip("/") + "?a=1")
    assert with_query.headers["location"] == "/digest/" + ARTICLE + "?a=1"
    root = fetch(live.origin + "/")
    assert root.status == 301 and root.headers["location"] == "/digest/"
    assert fetch(live.origin + "/digest").headers["location"] == "/digest/"
    assert fetch(live.origin + "/index.html").status == 404  # only under the base path, like the real host
    assert live.get("index.html").status == 200
    assert live.get("articles/").status == 404  # no folder listings
    assert live.get("index.html/").status == 404
    assert live.get("no-such-page/").status == 404
    encoded = live.get("regions/%E5%B9%BF%E4%B8%9C/")
    assert encoded.status in (200, 404)  # percent-encoded UTF-8 is decoded, not refused
    evil = fetch(live.base, headers={"Host": "attacker.example"})
    assert evil.status == 403  # DNS rebinding: a loopback preview answers loopback names only
    assert fetch(live.base, headers={"Host": f"localhost:{live.server.port}"}).status == 200


def test_content_types_of_every_output_file(live: Live):
    expected_by_suffix = {
        ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml; charset=utf-8",
        ".json": "application/json; charset=utf-8", ".txt": "text/plain; charset=utf-8",
        ".xml": "application/xml; charset=utf-8",  # feeds too: Chromium shows application/rss+xml as source
        ".ico": "image/x-icon",
    }
    output = live.server.output_dir
    checked = set()
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(output).parts):
            continue
        response = live.get(rel, method="HEAD")
        assert response.status == 200 and response.headers["cache-control"] == "no-store", rel
        kind = response.headers["content-type"]
        if path.suffix in expected_by_suffix:
            assert kind == expected_by_suffix[path.suffix], rel
        checked.add(path.suffix)
        if path.suffix != ".html":
            assert int(response.headers["content-length"]) == path.stat().st_size
    assert {".html", ".css", ".js", ".svg", ".json", ".txt", ".xml", ".ico"} <= checked
    assert live.get("index.html", method="HEAD").body == b""
    assert fetch(live.origin + "/__digest/live.js").headers["content-type"] == "text/javascript; charset=utf-8"


def test_nothing_but_loopback_by_default(live: Live):
    assert live.server.httpd.server_address[0] == "127.0.0.1"
    from generator.cli import serve

    assert next(p for p in serve.params if p.name == "host").default == "127.0.0.1"


# -- the command ------------------------------------------------------------------------------------------

def _start_cli(site: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0", *args], cwd=site,
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stderr is not None
    lines = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        lines.append(line)
        if match := re.search(r"at (http://\S+) \(Ctrl-C", line):
            return process, match.group(1)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError("server did not start:\n" + "".join(lines))


def test_cli_serves_and_ctrl_c_exits_cleanly(tmp_path: Path):
    site = copy_site(tmp_path)
    process, url = _start_cli(site, "--output", "preview")
    try:
        assert url.endswith("/digest/")
        page = fetch(url + ARTICLE)
        assert page.status == 200 and page_state(page.body)["version"] == 1
        assert (site / "preview" / ARTICLE / "index.html").is_file()
        assert not (site / "output").exists()
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err


def test_cli_refuses_a_busy_port(tmp_path: Path):
    site = copy_site(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=site,
                                capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
