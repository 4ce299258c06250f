"""Reliability: the writer's swap, full disks, read-only output, determinism and slug safety.

Full disk and read-only output need root: a 2 MB tmpfs is mounted for the full disk, and
read-only is a read-only bind mount (root ignores chmod, so a mode change would prove
nothing) or `chattr +i` (the output folder itself cannot be replaced). Each test skips
with its reason when the mount or attribute is not permitted, and undoes it afterwards.
"""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import generator.write.staged as write_module
from generator.build import build
from generator.clean import clean_doc
from generator.clean.rules import default_rules
from generator.config import load_config
from generator.diagnostics import LoadError
from generator.enrich import enrich
from generator.enrich.slugs import article_slug, safe_slug
from generator.enrich.taxonomy import default_taxonomy
from generator.load import load_bytes
from generator.write import StagedWriter, WriteError
from tests.conftest import FIXTURES, SHANGHAI, TESTS

BAD = FIXTURES / "bad"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): (b"dir" if p.is_dir() else p.read_bytes())
            for p in sorted(root.rglob("*")) if not p.is_symlink()}


def old_output(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    (out / ".git" / "objects").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / ".git" / "objects" / "ab").write_bytes(b"\x00object")
    (out / ".nojekyll").write_text("")
    (out / "index.html").write_text("old")
    return out


# -- the staged writer ------------------------------------------------------------------

def test_hidden_entries_are_linked_so_the_old_output_is_whole_until_the_swap(tmp_path: Path):
    out = old_output(tmp_path)
    before = tree(out)
    writer = StagedWriter(out)
    writer.put_text("index.html", "new")
    writer._carry_over_hidden_entries()
    assert tree(out) == before  # nothing moved out of the live site
    writer.commit()
    assert tree(out) == {**before, "index.html": b"new"}
    assert not writer._moved
    assert not [p for p in tmp_path.iterdir() if p.name != "output"]


def test_a_failed_swap_moves_moved_hidden_entries_back(tmp_path: Path, monkeypatch):
    """The weak spot: entries that had to be moved (no hard links) go back when the swap fails."""
    out = old_output(tmp_path)
    before = tree(out)

    def no_links(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    def swap_fails(*args):
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(write_module, "_link_copy", no_links)
    monkeypatch.setattr(write_module, "_swap", swap_fails)
    writer = StagedWriter(out)
    writer.put_text("index.html", "new")
    with pytest.raises(WriteError, match=r"^cannot replace .*output: Device or resource busy$"):
        writer.commit()
    writer.abort()
    assert tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name != "output"]


def test_a_failed_swap_with_linked_entries_leaves_everything_as_it_was(tmp_path: Path, monkeypatch):
    out = old_output(tmp_path)
    before = tree(out)
    monkeypatch.setattr(write_module, "_swap", lambda *a: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")))
    writer = StagedWriter(out)
    writer.put_text("index.html", "new")
    with pytest.raises(WriteError):
        writer.commit()
    writer.abort()
    assert tree(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name != "output"]


def test_swap_without_renameat2_uses_two_renames(tmp_path: Path, monkeypatch):
    out = old_output(tmp_path)
    monkeypatch.setattr(write_module, "_exchange", lambda a, b: False)
    writer = StagedWriter(out)
    writer.put_text("index.html", "new")
    writer.commit()
    assert (out / "index.html").read_text() == "new" and (out / ".git" / "HEAD").exists()
    assert not [p for p in tmp_path.iterdir() if p.name != "output"]


def test_the_next_writer_finishes_what_a_killed_commit_left(tmp_path: Path):
    """The states a kill inside the fallback paths can leave (see test_crash_safety.py)."""
    out = old_output(tmp_path)
    before = tree(out)
    # killed between the two renames: no output/, the old site in .output.old-previous
    os.rename(out, tmp_path / ".output.old-previous")
    StagedWriter(out).abort()
    assert tree(out) == before
    # killed after hidden entries were moved into staging, before the swap
    stale = tmp_path / ".output.staging-killed"
    stale.mkdir()
    (stale / "index.html").write_text("half")
    for name in (".git", ".nojekyll"):
        os.rename(out / name, stale / name)
    StagedWriter(out).abort()
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_an_output_that_is_a_file_is_refused(tmp_path: Path):
    (tmp_path / "output").write_text("my notes")
    writer = StagedWriter(tmp_path / "output")
    writer.put_text("index.html", "new")
    with pytest.raises(WriteError, match="it exists and is not a folder"):
        writer.commit()
    writer.abort()
    assert (tmp_path / "output").read_text() == "my notes"


def test_no_staging_folder_is_one_clear_error(tmp_path: Path):
    (tmp_path / "file").write_text("")
    with pytest.raises(WriteError, match=r"^cannot create a staging folder beside .*/file/output: (Not a directory|File exists)$"):
        StagedWriter(tmp_path / "file" / "output")


# -- full disk and read-only output through the command line ----------------------------

def cli_build(site: Path, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "--output", str(output)], cwd=site,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(TESTS.parent)})


def assert_one_line_failure(done: subprocess.CompletedProcess, reason: str) -> None:
    assert done.returncode != 0
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.fullmatch(rf"digest: .*{reason}; the previous site in \S+ is unchanged", lines[0]), lines[0]


def good_build(site: Path, output: Path) -> None:
    """The last good site, built in process (quicker; only the failing build goes through the CLI)."""
    config = load_config(site / "site.toml", {"output": str(output)})
    assert build(config).written


def run_root(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    return tmp_path / "site"


@pytest.fixture
def small_disk(tmp_path: Path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not run_root("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        pytest.skip("mounting a 2 MB tmpfs needs root (mount -t tmpfs was refused)")
    yield disk
    if not run_root("umount", str(disk)):
        run_root("umount", "-l", str(disk))


def add_big_static_file(site: Path) -> None:
    """A 3 MB image in the site's static/ folder: the new site cannot fit beside the old one."""
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "banner.jpg").write_bytes(os.urandom(3 * 2**20))


def test_a_full_disk_is_one_line_and_keeps_the_old_site(site: Path, small_disk: Path):
    output = small_disk / "output"
    good_build(site, output)
    (output / ".git").mkdir()
    (output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = tree(output)
    add_big_static_file(site)
    done = cli_build(site, output)
    assert_one_line_failure(done, "No space left on device")
    assert tree(output) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["output"]
    # a disk so full that not even the staging folder's first file fits
    with open(small_disk / "filler", "wb", buffering=0) as filler:  # unbuffered: closing has nothing left to flush
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError:
            pass
    assert_one_line_failure(cli_build(site, output), "No space left on device")
    assert tree(output) == before


@pytest.fixture
def read_only_folder(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()

    def make_read_only() -> None:
        if os.geteuid() != 0 or not run_root("mount", "--bind", str(folder), str(folder)):
            pytest.skip("a read-only bind mount needs root (mount --bind was refused)")
        if not run_root("mount", "-o", "remount,bind,ro", str(folder)):
            run_root("umount", str(folder))
            pytest.skip("remounting the bind mount read-only was refused")

    yield folder, make_read_only
    run_root("umount", str(folder)) or run_root("umount", "-l", str(folder))


def test_a_read_only_output_folder_is_one_line_and_keeps_the_old_site(site: Path, read_only_folder):
    folder, make_read_only = read_only_folder
    output = folder / "output"
    good_build(site, output)
    before = tree(output)
    make_read_only()
    (site / "content" / "national.md").write_text("---\ntitle: 改过\ndate: 2022-01-01\n---\n正文\n", encoding="utf-8")
    assert_one_line_failure(cli_build(site, output), "cannot create a staging folder beside .*: Read-only file system")
    assert tree(output) == before


@pytest.fixture
def immutable(tmp_path: Path):
    marked: list[Path] = []

    def mark(path: Path) -> None:
        if not run_root("chattr", "+i", str(path)):
            pytest.skip("chattr +i is not permitted here (needs root and a file system with attributes)")
        marked.append(path)

    yield mark
    for path in marked:
        run_root("chattr", "-i", str(path))


def test_an_output_folder_that_cannot_be_replaced_is_one_line_and_keeps_the_old_site(site: Path, immutable):
    output = site / "output"
    good_build(site, output)
    (output / ".git").mkdir()
    (output / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = tree(output)
    immutable(output)
    (site / "content" / "national.md").write_text("---\ntitle: 改过\ndate: 2022-01-01\n---\n正文\n", encoding="utf-8")
    assert_one_line_failure(cli_build(site, output), r"cannot replace \S+: Operation not permitted")
    assert tree(output) == before
    assert sorted(p.name for p in site.iterdir()) == [".cache", "content", "output", "site.toml"]  # no staging left


# -- determinism over the bad + good mix ------------------------------------------------

def test_two_clean_builds_of_the_bad_and_good_mix_are_byte_identical(tmp_path: Path):
    outputs = []
    for name in ("one", "two"):
        site = tmp_path / name
        shutil.copytree(FIXTURES / "site", site)
        for path in sorted(BAD.iterdir(), reverse=name == "two"):  # a different creation order, too
            shutil.copy(path, site / "content" / path.name)
        result = build(load_config(site / "site.toml"))
        assert result.written
        outputs.append(tree(site / "output"))
    assert outputs[0] == outputs[1]


# -- slugs ------------------------------------------------------------------------------

SAFE_SLUG = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)?$")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_safe_slug_is_always_one_safe_path_segment(value: str):
    slug = safe_slug(value)
    assert SAFE_SLUG.match(slug) and len(slug) <= 80


@pytest.mark.parametrize("value, slug, warned", [
    ("employment-aid", "employment-aid", False), ("Employment-Aid", "employment-aid", False), (2022, "2022", False),
    ("../../etc/passwd", "etc-passwd", True), ("/abs", "abs", True), ("..\\", "file-name", True),
    ("%2e%2e%2f", "file-name", True), ("a%2Fb", "a-b", True), ("就业", "file-name", True), (["a"], "file-name", True),
    ("x" * 100, "x" * 80, True), ("index", "index", False), ("rss.xml", "rss-xml", True),
])
def test_article_slug(value, slug: str, warned: bool):
    got, warning = article_slug({"slug": value}, PurePosixPath("content/file-name.md"))
    assert got == slug  # "file-name": the file's own default slug when nothing usable is left
    assert bool(warning) == warned
    if warning:
        assert warning.endswith(f"the article is published as {got!r}")


# -- loaders: YAML escapes can produce any code point ------------------------------------

@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40))
def test_any_escaped_front_matter_text_gives_a_clean_article_or_a_load_error(title: str, slug: str, author: str):
    """JSON strings are valid YAML double-quoted scalars, so \\ud800, \\u0000 and friends get through."""
    text = (f"---\ntitle: {json.dumps(title)}\nslug: {json.dumps(slug)}\nauthor: {json.dumps(author)}\n"
            f"date: 2022-06-23\n---\n<p>{json.dumps(title)}</p>\n")
    try:
        raw = load_bytes(text.encode("ascii"), PurePosixPath("content/a.md"), SHANGHAI)
    except LoadError as exc:
        assert exc.message and "\n" not in exc.message
        return
    article = enrich(clean_doc(raw, default_rules()), default_taxonomy())
    assert SAFE_SLUG.match(article.slug) and article.slug
    for value in (article.title, article.author or "", article.body_html, article.summary, *article.warnings):
        value.encode("utf-8")  # no lone surrogate survives
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", value)
    assert len([w for w in article.warnings if w.startswith("removed control")]) <= 1
