"""The one writer: staged output, refused paths, a failed build keeps the previous site."""
import shutil
from pathlib import Path

import pytest

import generator.parallel_render as parallel_render
from generator.build import build
from generator.config import load_config
from generator.write import StagedWriter, WriteError
from tests.conftest import FIXTURES


def test_refuses_paths_outside_output_and_double_writes(tmp_path: Path):
    writer = StagedWriter(tmp_path / "output")
    for bad in ("../x.html", "/etc/passwd", "a/../../x", "a\x00b"):
        with pytest.raises(WriteError):
            writer.write_text(bad, "x")
    writer.write_text("a/index.html", "1")
    with pytest.raises(WriteError):
        writer.write_text("a/index.html", "2")
    writer.abort()
    assert not list(tmp_path.glob(".output.staging-*"))


def test_commit_swaps_in_and_keeps_hidden_entries(tmp_path: Path):
    out = tmp_path / "output"
    out.mkdir()
    (out / ".gitkeep").write_text("")
    (out / "stale.html").write_text("old")
    writer = StagedWriter(out)
    writer.write_text("index.html", "new")
    writer.commit()
    assert sorted(p.name for p in out.iterdir()) == [".gitkeep", "index.html"]


def test_a_build_failing_midway_leaves_the_previous_output_intact(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    config = load_config(site / "site.toml")
    build(config)
    before = {p.relative_to(site / "output"): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    real_render = parallel_render._render_some

    def render_then_crash(indices, specs, targets, env):
        real_render(indices[:2], specs, targets, env)  # two pages reach the staging folder
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(parallel_render, "_render_some", render_then_crash)
    (site / "content" / "national.md").write_text((site / "content" / "national.md").read_text(encoding="utf-8").replace("3133", "9999"), encoding="utf-8")
    with pytest.raises(OSError):
        build(config)
    after = {p.relative_to(site / "output"): p.read_bytes() for p in (site / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not list(site.glob(".output.staging-*"))
