"""Incremental builds: after any sequence of edits, the site equals a clean build byte for byte,
and a build with no change writes nothing."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.build import build
from generator.config import load_config
from tests.conftest import FIXTURES

ARTICLE = "---\ntitle: {title}\ndate: 2024-0{month}-1{day} 10:00\n---\n\n{region}市人社局发布就业帮扶政策，{body}。\n"
REGIONS = ["重庆", "广州", "成都", "长沙"]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def clean_build(site: Path, scratch: Path) -> dict[str, bytes]:
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("output", ".cache", ".output*"))
    result = build(load_config(scratch / "site.toml"), use_cache=False)
    assert result.written
    return tree(scratch / "output")


edits = st.lists(st.tuples(st.sampled_from(["add", "modify", "delete", "rename", "template", "touch"]),
                           st.integers(0, 50), st.integers(1, 9)), min_size=1, max_size=6)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits)
def test_incremental_builds_equal_clean_builds(tmp_path_factory, steps):
    base = tmp_path_factory.mktemp("inc")
    site = base / "site"
    shutil.copytree(FIXTURES / "site", site)
    config = load_config(site / "site.toml")
    assert build(config).written
    for action, n, m in steps:
        content = site / "content"
        files = sorted(p for p in content.iterdir() if p.is_file())
        if action == "add" or not files:
            (content / f"new-{n}-{m}.md").write_text(ARTICLE.format(
                title=f"{REGIONS[n % 4]}就业新政第{n}号", month=m % 9 + 1, day=m, region=REGIONS[n % 4], body=f"惠及{n}万人"),
                encoding="utf-8")
        elif action == "modify":
            target = files[n % len(files)]
            target.write_text(target.read_text(encoding="utf-8") + f"\n补充说明第{m}条。\n", encoding="utf-8")
        elif action == "delete":
            files[n % len(files)].unlink()
        elif action == "rename":
            target = files[n % len(files)]
            target.rename(target.with_name(f"renamed-{n}-{m}{target.suffix}"))
        elif action == "touch":
            os.utime(files[n % len(files)])
        else:
            templates = site / "templates"
            templates.mkdir(exist_ok=True)
            (templates / "404.html").write_text(
                '{% extends "theme/404.html" %}{% block title %}找不到 ' + str(m) + '{% endblock %}', encoding="utf-8")
        assert build(config).written
        assert tree(site / "output") == clean_build(site, base / "clean")


def built_fixture(tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    config = load_config(site / "site.toml")
    build(config)
    return site, config


def test_a_build_with_no_change_writes_nothing(tmp_path):
    site, config = built_fixture(tmp_path)
    before = stamps(site / "output")
    result = build(config)
    assert result.unchanged and result.written
    assert stamps(site / "output") == before


def test_one_edit_rewrites_only_the_pages_that_show_it(tmp_path):
    site, config = built_fixture(tmp_path)
    before = stamps(site / "output")
    national = site / "content" / "national.md"
    national.write_text(national.read_text(encoding="utf-8").replace("3133万人", "3134万人"), encoding="utf-8")
    result = build(config)
    after = stamps(site / "output")
    kept = {rel for rel in after if before.get(rel) == after[rel]}
    assert result.reused > 0
    assert "regions/guangdong/index.html" in kept and "static/style.css" in kept  # do not show the article
    assert "regions/national/index.html" not in kept and "rss.xml" not in kept  # do


def test_a_cache_from_other_code_or_settings_is_not_used(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    build(load_config(site / "site.toml"))
    with (site / "site.toml").open("a", encoding="utf-8") as handle:
        handle.write("summary_length = 30\n")
    result = build(load_config(site / "site.toml"))
    assert not result.unchanged and result.cached == 0
