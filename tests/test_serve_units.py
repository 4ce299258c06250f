"""The parts of `digest serve` that need no server: debouncing (with a fake clock), the
rebuild worker, change classification, request-path checks, content types, injection,
and turning a failed rebuild into `path:line: reason` entries."""
from __future__ import annotations

import html
import json
import shutil
import threading
import time
import tomllib
from pathlib import Path

import jinja2
import pytest

from generator.config import ConfigError, load_config
from generator.serve.changes import ChangeSet, WatchPlan, is_editor_temp
from generator.serve.client import inject
from generator.serve.handler import BadPath, split_path, xml_type
from generator.serve.rebuild import PreviewRebuilder, failure_diagnostics
from generator.serve.schedule import Debouncer, RebuildScheduler
from tests.conftest import FIXTURES

A, B, C = (ChangeSet.of("content", Path(f"/site/content/{name}.md")) for name in "abc")


# -- Debouncer with a fake clock ----------------------------------------------------------------------

def test_a_burst_of_events_is_one_rebuild():
    d = Debouncer(quiet=0.2, max_wait=2.0)
    assert d.due_in(0.0) is None and d.begin(0.0) is None
    for step in range(10):  # one save: several events within 90 ms
        d.add(A if step % 2 else B, now=step * 0.01)
    assert d.due_in(0.1) == pytest.approx(0.19)
    assert d.begin(0.25) is None  # still within the quiet period
    batch = d.begin(0.3)
    assert batch == A | B and d.building and d.due_in(0.3) is None
    d.end()
    assert d.due_in(1.0) is None and not d.has_pending


def test_a_steady_stream_still_rebuilds_every_max_wait():
    d = Debouncer(quiet=0.2, max_wait=2.0)
    starts = []
    now = 0.0
    while now < 10.0:  # an event every 50 ms for 10 s: the quiet period never comes
        d.add(A, now)
        if d.begin(now) is not None:
            starts.append(now)
            d.end()  # an instant rebuild
        now = round(now + 0.05, 2)
    assert starts == pytest.approx([2.0, 4.05, 6.1, 8.15])
    assert len(starts) <= 10.0 / 0.2 + 1


def test_changes_during_a_rebuild_give_exactly_one_more():
    d = Debouncer(quiet=0.2, max_wait=2.0)
    d.add(A, 0.0)
    assert d.begin(0.2) == A
    for step in range(50):  # 50 events while the rebuild runs (0.2 s .. 1.2 s)
        d.add(B if step % 2 else C, 0.2 + step * 0.02)
        assert d.begin(0.2 + step * 0.02) is None and d.due_in(0.2 + step * 0.02) is None  # never two at once
    d.end()  # the rebuild finished at 1.5 s; the last event was at 1.18 s
    assert d.due_in(1.5) == 0.0
    assert d.begin(1.5) == B | C
    d.end()
    assert d.begin(5.0) is None and d.due_in(5.0) is None  # and no third


def test_change_set_merging_and_description():
    both = A | ChangeSet.of("template", Path("/site/templates/base.html")) | ChangeSet.of("config", Path("/site/site.toml"))
    assert both.kinds == {"content", "template", "config"} and len(both) == 3 and both.config
    assert both.describe(Path("/site")) == "content: content/a.md; template: templates/base.html; config: site.toml"
    assert not ChangeSet() and ChangeSet.everything() and ChangeSet.everything().describe() == "full build"
    many = ChangeSet(content=frozenset(Path(f"/site/content/{i}.md") for i in range(5)))
    assert many.describe(Path("/site")).endswith("and 2 more")


# -- the worker thread -----------------------------------------------------------------------------------

def test_scheduler_runs_one_rebuild_at_a_time_and_one_more_for_changes_during_it():
    release = threading.Event()
    started = threading.Event()
    batches: list[ChangeSet] = []
    running = []
    overlap = []

    def rebuild(changes: ChangeSet) -> None:
        running.append(1)
        overlap.append(len(running))
        batches.append(changes)
        started.set()
        if len(batches) == 1:
            release.wait(10)
        running.pop()

    scheduler = RebuildScheduler(rebuild, quiet=0.03, max_wait=0.5)
    scheduler.start()
    try:
        scheduler.notify(A)
        assert started.wait(5)
        for _ in range(100):  # a burst while the first rebuild runs
            scheduler.notify(B)
            scheduler.notify(C)
        time.sleep(0.2)
        assert len(batches) == 1 and scheduler.busy
        release.set()
        deadline = time.monotonic() + 5
        while scheduler.busy and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # would a third rebuild come?
        assert batches == [A, B | C] and max(overlap) == 1 and not scheduler.busy
    finally:
        scheduler.stop()


def test_scheduler_survives_a_failing_rebuild(capsys):
    calls = []

    def rebuild(changes: ChangeSet) -> None:
        calls.append(changes)
        if len(calls) == 1:
            raise RuntimeError("boom")

    scheduler = RebuildScheduler(rebuild, quiet=0.01, max_wait=0.1)
    scheduler.start()
    try:
        scheduler.notify(A)
        deadline = time.monotonic() + 5
        while len(calls) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        scheduler.notify(B)
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert calls == [A, B]
    finally:
        scheduler.stop()
    assert "boom" in capsys.readouterr().err


# -- what is watched, what is ignored, what kind a change is ---------------------------------------------

@pytest.fixture
def plan(tmp_path: Path) -> WatchPlan:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    (site / "themes" / "mine" / "templates").mkdir(parents=True)
    (site / "taxonomy.toml").write_text("", "utf-8")
    config = load_config(site / "site.toml", {"taxonomy": "taxonomy.toml", "rules": "rules/clean.toml"})
    return WatchPlan.for_config(config, site / "site.toml")


def test_classification(plan: WatchPlan):
    root = plan.root
    assert plan.classify(root / "content" / "a.md") == "content"
    assert plan.classify(root / "content" / "deep" / "b.txt") == "content"
    assert plan.classify(root / "templates" / "base.html") == "template"
    assert plan.classify(root / "static" / "x.css") == "static"
    assert plan.classify(root / "themes" / "mine" / "templates" / "base.html") == "template"
    assert plan.classify(root / "themes" / "mine" / "static" / "style.css") == "static"
    assert plan.classify(root / "themes" / "mine" / "theme.toml") == "template"
    assert plan.classify(root / "site.toml") == "config"
    assert plan.classify(root / "taxonomy.toml") == "config"
    assert plan.classify(root / "rules" / "clean.toml") == "config"
    bundled = Path(__file__).resolve().parents[1] / "themes" / "default"
    assert plan.classify(bundled / "templates" / "article.html") == "template"
    assert plan.classify(bundled / "static" / "style.css") == "static"
    assert plan.classify(root / "README.md") is None
    assert plan.changes([root / "content" / "a.md", root / "site.toml", root / "output" / "index.html"]).kinds == {
        "content", "config"}


@pytest.mark.parametrize("rel", [
    "output/index.html", "output", ".output.staging-x1y2/index.html", ".output.previous/index.html", ".output.old-abc/a.html", ".cache/pagefind",
    "content/.#a.md", "content/a.md.swp", "content/.a.md.swx", "content/a.md~", "content/4913", "content/#a.md#",
    "content/.git/index", "templates/base.html___jb_tmp___", "content/sub/__pycache__/x.pyc",
    "content/.goutputstream-ABC123",
])
def test_ignored_paths(plan: WatchPlan, rel: str):
    assert plan.classify(plan.root / rel) is None


def test_a_site_below_a_cache_folder_is_not_ignored(tmp_path: Path):
    site = tmp_path / ".cache" / "site~"
    shutil.copytree(FIXTURES / "site", site)
    plan = WatchPlan.for_config(load_config(site / "site.toml"), site / "site.toml")
    assert plan.classify(plan.root / "content" / "a.md") == "content"


def test_watch_dirs(plan: WatchPlan):
    dirs = plan.watch_dirs()
    root = plan.root
    assert dirs[root / "content"] is True and dirs[root / "themes"] is True
    assert dirs[root] is False  # site.toml, taxonomy.toml, and where templates/ and static/ may appear
    assert dirs[root / "rules"] is False if (root / "rules").is_dir() else (root / "rules") not in dirs
    assert root / "output" not in dirs


def test_editor_temp_names():
    assert all(map(is_editor_temp, ["a.swp", ".#a.md", "4913", "a~", "#a#", "x___jb_old___"]))
    assert not any(map(is_editor_temp, ["a.md", "_macros.html", "4914", "#tag.md"]))


# -- request paths and responses --------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2e/x", "/.%2e/x", "/a/%2e/x", "/..%2fx", "/a%2Fb", "/..%5cx", "/a\\b",
    "/a%00b", "/a\x00b", "/%0a", "/a%7f", "/%c0%ae%c0%ae/x", "/%ff", "x/y", "", "*",
])
def test_split_path_refuses(raw: str):
    with pytest.raises(BadPath):
        split_path(raw)


def test_split_path_decodes():
    assert split_path("/digest/regions/%E5%B9%BF%E4%B8%9C/?q=1#f") == (["digest", "regions", "广东"], True)
    assert split_path("/digest/articles/x") == (["digest", "articles", "x"], False)
    assert split_path("/") == ([], True)
    assert split_path("//digest//a/") == (["digest", "a"], True)
    assert split_path("/a%252e%252e/b") == (["a%2e%2e", "b"], False)


@pytest.mark.parametrize(("head", "kind"), [
    (b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">', "application/rss+xml"),
    (b'\xef\xbb\xbf<?xml version="1.0"?><?xml-stylesheet href="/feed.xsl"?>\n<!-- c -->\n<feed xmlns="x">',
     "application/atom+xml"),
    (b'<atom:feed xmlns:atom="http://www.w3.org/2005/Atom">', "application/atom+xml"),
    (b'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', "application/xml"),
    (b"", "application/xml"),
])
def test_xml_content_type_by_root_element(head: bytes, kind: str):
    assert xml_type(head) == kind


STATE = {"server": "s1", "version": 3, "errors": [
    {"path": "content/x.md", "line": 2, "message": 'bad "</script><script>alert(1)</script>',
     "text": 'content/x.md:2: bad "</script><script>alert(1)</script>'}]}


def test_inject_before_the_last_body_end_and_escape_the_state():
    page = b"<html><body><p>a</body></p>x</BODY >\n</html>\n"
    out = inject(page, STATE)
    assert out.startswith(b"<html><body><p>a</body></p>x<script src=\"/__digest/live.js\"")
    assert out.endswith(b"</script>\n</BODY >\n</html>\n")
    assert out.count(b"<script") == 1 and b"</script><script>alert" not in out
    attribute = out.split(b'data-state="', 1)[1].split(b'"', 1)[0]
    assert json.loads(html.unescape(attribute.decode())) == {k: STATE[k] for k in ("server", "version", "errors")}
    assert inject(b"<p>fragment</p>", STATE).startswith(b"<p>fragment</p>\n<script src=")


# -- a failed rebuild as overlay entries ---------------------------------------------------------------------

def test_failure_diagnostics(tmp_path: Path):
    config_error = ConfigError([f"{tmp_path}/site.toml: page_size: must be a whole number, got 'x'"])
    assert [str(d) for d in failure_diagnostics(config_error, tmp_path)] == [
        "site.toml: error: page_size: must be a whole number, got 'x'"]
    try:
        tomllib.loads("a = 1\nb = = 2\n")
    except tomllib.TOMLDecodeError as exc:
        toml_error = ConfigError([f"{tmp_path}/site.toml: {exc}"])
    (entry,) = failure_diagnostics(toml_error, tmp_path)
    assert (entry.path, entry.line) == ("site.toml", 2)

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("a\n{{ page.missing.deeper }}\n", "utf-8")
    (templates / "broken.html").write_text("a\nb\n{% if %}\n", "utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.TemplateSyntaxError) as syntax:
        env.get_template("broken.html")
    (entry,) = failure_diagnostics(syntax.value, tmp_path)
    assert (entry.path, entry.line) == ("templates/broken.html", 3)
    with pytest.raises(jinja2.UndefinedError) as undefined:
        env.get_template("page.html").render(page={})
    (entry,) = failure_diagnostics(undefined.value, tmp_path)
    assert (entry.path, entry.line) == ("templates/page.html", 2) and "UndefinedError" in entry.message
    (entry,) = failure_diagnostics(RuntimeError("disk on fire"), tmp_path)
    assert str(entry) == "build: error: RuntimeError: disk on fire"


def test_full_rebuilder_reloads_config_and_retries_after_a_failed_reload(tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    config_path = site / "site.toml"
    loads = []

    def load():
        loads.append(1)
        return load_config(config_path)

    rebuilder = PreviewRebuilder(load)
    assert rebuilder.rebuild(ChangeSet.everything()).written and len(loads) == 1
    rebuilder.rebuild(A)
    assert len(loads) == 1  # content changes do not re-read site.toml
    good = config_path.read_text("utf-8")
    config_path.write_text(good.replace("page_size = 2", "page_size = 0"), "utf-8")
    with pytest.raises(ConfigError):
        rebuilder.rebuild(ChangeSet.of("config", config_path))
    with pytest.raises(ConfigError):  # still broken: a content change must not build with the old config
        rebuilder.rebuild(A)
    config_path.write_text(good.replace("page_size = 2", "page_size = 1"), "utf-8")
    assert rebuilder.rebuild(A).written and rebuilder.config.page_size == 1


def test_the_innermost_folder_decides_when_the_articles_are_the_site_folder(tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    plan = WatchPlan.for_config(load_config(site / "site.toml", {"source": "."}), site / "site.toml")
    assert plan.classify(plan.root / "a.md") == "content"
    assert plan.classify(plan.root / "templates" / "base.html") == "template"
    assert plan.classify(plan.root / "static" / "x.css") == "static"
    assert plan.classify(plan.root / "site.toml") == "config"
    assert plan.classify(plan.root / "output" / "index.html") is None
