"""The one writer: staged output, refused paths, a failed build keeps the previous site."""
import shutil
from pathlib import Path

import pytest

import generator.build.render_pages as render_pages
from generator.build import build
from generator.config import load_config
from generator.write import StagedWriter, WriteError
from tests.conftest import FIXTURES


def test_refuses_paths_outside_output_and_double_writes(tmp_path: Path):
    writer = StagedWriter(tmp_path / "output")
    for bad in ("../x.html", "/etc/passwd", "a/../../x", "a\x00b"):
        with pytest.raises(WriteError):
            writer.put_text(bad, "x")
    writer.put_text("a/index.html", "1")
    with pytest.raises(WriteError):
        writer.put_text("a/index.html", "2")
    writer.abort()
    assert not list(tmp_path.glob(".output.staging-*"))


def test_commit_swaps_in_and_keeps_hidden_entries(tmp_path: Path):
    out = tmp_path / "output"
    out.mkdir()
    (out / ".gitkeep").write_text("")
    (out / "stale.html").write_text("old")
    writer = StagedWriter(out)
    writer.put_text("index.html", "new")
    writer.commit()
    assert sorted(p.name for p in out.iterdir()) == [".gitkeep", "index.html"]


def test_a_build_failing_midway_leaves_the_previous_output_intact(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    config = load_config(site / "site.toml")
    build(config)
    before = {p.relative_to(site / "output"): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    real_render = render_pages._render_one
    rendered = []

    def render_then_crash(index, job):
        if len(rendered) == 2:  # two pages reached the staging folder
            raise OSError(28, "No space left on device")
        rendered.append(real_render(index, job))
        return rendered[-1]

    monkeypatch.setattr(render_pages, "_render_one", render_then_crash)
    (site / "content" / "national.md").write_text((site / "content" / "national.md").read_text(encoding="utf-8").replace("3133", "9999"), encoding="utf-8")
    with pytest.raises(OSError):
        build(config)
    after = {p.relative_to(site / "output"): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not list(site.glob(".output.staging-*"))


def test_two_writers_of_one_output_take_turns(tmp_path: Path):
    """A second build of the same output (digest build while digest serve rebuilds) waits
    for the first to commit instead of sweeping away its staging folder."""
    import threading

    out = tmp_path / "output"
    first = StagedWriter(out)
    first.put_text("index.html", "first")
    events: list[str] = []

    def second_build() -> None:
        second = StagedWriter(out)  # waits here
        events.append("second started")
        second.put_text("index.html", "second")
        second.commit()

    thread = threading.Thread(target=second_build)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive() and events == []
    events.append("first committed")
    first.commit()
    thread.join(10)
    assert events == ["first committed", "second started"]
    assert (out / "index.html").read_text() == "second"
    assert not list(tmp_path.glob(".output.staging-*"))


def test_an_in_place_update_waits_for_a_staged_build_and_then_yields_to_it(tmp_path: Path, monkeypatch):
    """When another build swaps in a new site while an update waits for the lock, the update
    writes nothing into it and becomes a full build."""
    from generator.build import Builder
    from generator.write import InPlaceWriter

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    config = load_config(site / "site.toml")
    builder = Builder(config, persist_cache=False, incremental=True)
    assert builder.build().written
    article = site / "content" / "national.md"
    article.write_text(article.read_text(encoding="utf-8").replace("3133", "4444"), encoding="utf-8")
    real_init = InPlaceWriter.__init__

    def another_build_gets_there_first(self, output):
        build(config)  # swaps in a whole new site (a new folder) with the same edit
        real_init(self, output)

    monkeypatch.setattr(InPlaceWriter, "__init__", another_build_gets_there_first)
    result = builder.update([article])
    assert result.written and not result.in_place
    assert "4444" in (site / "output" / "regions" / "national" / "index.html").read_text(encoding="utf-8")


def test_the_published_folder_is_as_readable_as_any_folder_the_user_makes(tmp_path):
    """mkdtemp's 0700 must not reach output/: a web server running as another user reads it."""
    import os

    from generator.write import StagedWriter

    mask = os.umask(0o022)
    try:
        writer = StagedWriter(tmp_path / "output")
        writer.put("index.html", b"x")
        writer.commit()
    finally:
        os.umask(mask)
    assert (tmp_path / "output").stat().st_mode & 0o777 == 0o755


# -- the spare: the retired site, staged in by the next writer ------------------------------

from hypothesis import given, settings, HealthCheck, strategies as st  # noqa: E402

# A small universe of paths where a file in one site is a folder in the next ("a" and "a/b"),
# pages nest, and a top-level hidden entry exists.
_PATHS = ["index.html", "a", "a/b", "a/b/index.html", "a/c.html", "d/index.html", "d/e/index.html",
          "d/e", "feed.xml", "s/x.js", "s/y.css", "deep/1/2/3/index.html"]


def _site_of(chosen: dict[str, bytes]) -> dict[str, bytes]:
    """A possible site: no path that is also another chosen path's folder."""
    return {p: data for p, data in chosen.items()
            if not any(other.startswith(p + "/") for other in chosen)}


_sites = st.dictionaries(st.sampled_from(_PATHS), st.sampled_from([b"1", b"2", b"three"]), max_size=len(_PATHS)).map(_site_of)
_mischief = st.lists(st.sampled_from(["stray file", "stray folder", "lose a file", "none"]), max_size=2)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(".")}


def _folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sites=st.lists(st.tuples(_sites, _mischief), min_size=1, max_size=5))
def test_builds_staged_in_the_spare_publish_exactly_their_files(tmp_path_factory, sites):
    """Whatever the spare holds (an older site, stray files, files lost, a build killed while
    staging in it), a commit publishes exactly the files written or kept, no empty folder, and
    never changes a published file before the swap."""
    root = tmp_path_factory.mktemp("spare")
    out = root / "output"
    published: dict[str, bytes] = {}
    for site, mischief in sites:
        spare = root / ".output.spare"
        for trick in mischief if spare.is_dir() else ():
            files = sorted(p for p in spare.rglob("*") if p.is_file() and ".hidden" not in p.parts)
            if trick == "stray file":
                (spare / "stray.html").write_bytes(b"stray")
            elif trick == "stray folder":
                (spare / "strays" / "x").mkdir(parents=True, exist_ok=True)
            elif trick == "lose a file" and files:
                files[0].unlink()
        writer = StagedWriter(out, spare=True)
        for rel, data in sorted(site.items()):
            if published.get(rel) == data and writer.keep(rel):
                continue
            writer.put(rel, data)
        assert _tree(out) == published if out.is_dir() else not published  # untouched until the swap
        writer.commit()
        assert _tree(out) == site
        needed = {str(Path(rel).parent) for rel in site} | {str(p) for rel in site for p in Path(rel).parents}
        assert _folders(out) - {".hidden"} <= needed - {"."}
        published = dict(site)
        if not out.joinpath(".hidden").exists():
            out.joinpath(".hidden").write_text("deploy", encoding="utf-8")  # a top-level hidden entry survives
        assert out.joinpath(".hidden").read_text(encoding="utf-8") == "deploy"


def test_a_kept_page_costs_no_link_when_the_spare_already_holds_it(tmp_path: Path, monkeypatch):
    """The point of the spare: a page kept by two builds in a row is carried over for nothing."""
    import os
    out = tmp_path / "output"
    for _ in range(3):  # the first makes output/, the second the spare, the third stages in it
        writer = StagedWriter(out, spare=True)
        if (out / "kept.html").exists():
            assert writer.keep("kept.html")
        else:
            writer.put("kept.html", b"same")
        writer.put("changed.html", os.urandom(4))
        writer.commit()
    links = []
    monkeypatch.setattr("generator.write.staged.os.link", lambda *a, **k: links.append(a))
    writer = StagedWriter(out, spare=True)
    assert writer.keep("kept.html")
    writer.put("changed.html", b"new")
    writer.commit()
    assert links == [] and _tree(out) == {"kept.html": b"same", "changed.html": b"new"}


def test_a_folder_a_tool_fills_is_staged_afresh_in_the_spare(tmp_path: Path):
    """Pagefind writes its folder itself (lend_folder), then the writer adds the index key in it."""
    out = tmp_path / "output"
    for build, pages in enumerate([["a", "b"], ["b", "c"], ["c"], ["d", "e"]]):
        writer = StagedWriter(out, spare=True)
        writer.put("index.html", str(build).encode())
        staged, folder = writer.lend_folder("pagefind")
        for page in pages:  # what the tool makes this time
            (folder / "fragment").mkdir(parents=True, exist_ok=True)
            (folder / "fragment" / f"{page}.pf").write_text(page, encoding="utf-8")
        writer.put_text("pagefind/.digest-index-key", f"key-{build}")
        writer.commit()
        assert _tree(out) == {"index.html": str(build).encode(), "pagefind/.digest-index-key": f"key-{build}".encode(),
                              **{f"pagefind/fragment/{p}.pf": p.encode() for p in pages}}


def test_three_builds_with_search_in_a_row(tmp_path: Path):
    """The sample site's search index through the spare: build, edit, build, undo, build."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    (site / "site.toml").write_text((site / "site.toml").read_text(encoding="utf-8").replace("search = false", "search = true"),
                                    encoding="utf-8")
    config = load_config(site / "site.toml")
    article = site / "content" / "national.md"
    original = article.read_text(encoding="utf-8")
    for text in (original, original.replace("3133", "9999"), original):
        article.write_text(text, encoding="utf-8")
        assert build(config).written
    assert (site / ".output.spare").is_dir()
    fresh = tmp_path / "fresh"  # a clean build of the same files (Pagefind's own files aside)
    shutil.copytree(FIXTURES / "site", fresh)
    (fresh / "site.toml").write_text((site / "site.toml").read_text(encoding="utf-8"), encoding="utf-8")
    assert build(load_config(fresh / "site.toml")).written
    published = {k: v for k, v in _tree(site / "output").items() if not k.startswith("pagefind/")}
    expected = {k: v for k, v in _tree(fresh / "output").items() if not k.startswith("pagefind/")}
    assert published == expected
    assert (site / "output" / "pagefind" / ".digest-index-key").is_file()
