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
