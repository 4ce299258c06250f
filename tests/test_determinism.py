"""Two builds of the same input are byte-identical, whatever the process, hash seed, worker
count, time zone or folder they run in (issue #19).

Each build runs in its own interpreter (`python -m generator build`, with the parallel
thresholds lowered so that `--jobs 2` really forks workers and hands them many small
chunks even for a small site), in a fresh folder, with its own PYTHONHASHSEED and TZ.
Every file outside `pagefind/` (Pagefind's own index is not byte-stable upstream; the
builds here use --no-search anyway) is compared byte for byte.
"""
from __future__ import annotations

import difflib
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REAL_CORPUS, needs_shared

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content"
ARTICLE_SUFFIXES = {".md", ".markdown", ".html", ".htm", ".txt"}

# `python -m generator`, after lowering the thresholds below which a build stays in one
# process (64 files, 128 pages) and the chunk sizes, so that two workers share the work of
# even the 15-article sample and finish their chunks in any order.
_BOOT = """
import sys
import generator.build.process as build, generator.build.render_pages as render
assert all(hasattr(build, n) for n in ("PARALLEL_MIN_FILES", "CHUNK")), "generator.build.process renamed its knobs"
assert all(hasattr(render, n) for n in ("PARALLEL_MIN_PAGES", "RENDER_CHUNK")), "render_pages renamed its knobs"
build.PARALLEL_MIN_FILES, build.CHUNK = 1, 2
render.PARALLEL_MIN_PAGES, render.RENDER_CHUNK = 1, 5
from generator.cli import main
sys.argv[0] = "digest"
main()
"""

# (PYTHONHASHSEED, --jobs, TZ) of each build; the last two seeds are drawn anew on every run.
# Six builds: a per-process coin flip (as nh3's attribute order was) goes unseen 1 time in 32.
RUNS = [
    ("0", 1, "UTC"),
    ("1", 2, "Asia/Shanghai"),
    ("12345", 2, "America/New_York"),
    ("4242", 1, "Europe/London"),
    (str(random.randrange(1, 2**32)), 1, "Pacific/Chatham"),
    (str(random.randrange(1, 2**32)), 2, "Asia/Kolkata"),
]


def _build(root: Path, seed: str, jobs: int, tz: str, site_toml: str | None) -> Path:
    args = [sys.executable, "-c", _BOOT, "build", "--source", "content", "--output", "out",
            "--no-search", "--no-cache", "--jobs", str(jobs)]
    if site_toml is not None:
        (root / "site.toml").write_text(site_toml, encoding="utf-8")
        args += ["--config", "site.toml"]
    env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz,
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    done = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"build in {root} failed:\n{done.stderr[-3000:]}"
    return root / "out"


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] != "pagefind"}


def _first_difference(name: str, one: bytes, other: bytes) -> str:
    """Where two versions of a file part: the lines around the first differing byte."""
    at = next((i for i, (x, y) in enumerate(zip(one, other)) if x != y), min(len(one), len(other)))
    start, end = max(0, at - 300), at + 300
    diff = difflib.unified_diff(one[start:end].decode("utf-8", "replace").splitlines(),
                                other[start:end].decode("utf-8", "replace").splitlines(), lineterm="", n=0)
    return f"{name} (first difference at byte {at}):\n" + "\n".join(list(diff)[2:12])


def _compare(outputs: list[tuple[str, Path]]) -> None:
    (first_label, first), problems = outputs[0], []
    reference = _files(first)
    assert len(reference) > 20, f"{first} holds only {len(reference)} files"
    for label, out in outputs[1:]:
        files = _files(out)
        missing, extra = sorted(reference.keys() - files.keys()), sorted(files.keys() - reference.keys())
        differing = [name for name in sorted(reference.keys() & files.keys()) if reference[name] != files[name]]
        if missing or extra or differing:
            lines = [f"[{label}] vs [{first_label}]: {len(differing)} of {len(reference)} files differ"
                     + (f"; only in the first: {missing[:5]}" if missing else "")
                     + (f"; only in this one: {extra[:5]}" if extra else "")]
            lines += [f"  differing: {differing[:10]}"]
            lines += [_first_difference(name, reference[name], files[name]) for name in differing[:3]]
            problems.append("\n".join(lines))
    assert not problems, "builds of the same input differ:\n\n" + "\n\n".join(problems)


def _build_many(tmp_path: Path, content: Path, site_toml: str | None) -> None:
    outputs = []
    for n, (seed, jobs, tz) in enumerate(RUNS):
        root = tmp_path / f"build-{n}-{'x' * n}"  # a different folder (and path length) each time
        shutil.copytree(content, root / "content")
        outputs.append((f"PYTHONHASHSEED={seed} --jobs {jobs} TZ={tz}", _build(root, seed, jobs, tz, site_toml)))
    _compare(outputs)


def test_sample_site_builds_are_byte_identical(tmp_path: Path) -> None:
    _build_many(tmp_path, SAMPLE, None)


@needs_shared(REAL_CORPUS)
def test_dev_corpus_site_builds_are_byte_identical(tmp_path: Path) -> None:
    """The real labelled articles (<repo root>/../shared/corpus/real), images shown inline,
    from a subpath: all of the site's features over third-party markup."""
    content = tmp_path / "corpus"
    content.mkdir()
    for path in sorted(REAL_CORPUS.iterdir()):
        if path.is_file() and path.suffix in ARTICLE_SUFFIXES and path.name != "SOURCES.md":
            shutil.copy2(path, content / path.name)
    assert len(list(content.iterdir())) > 50
    site = 'title = "Dev corpus"\nbase_url = "https://example.org/digest/"\nremote_images = "embed"\n'
    _build_many(tmp_path, content, site)


_SANITIZE = """
import sys
from generator.clean.sanitize import sanitize
for html in sys.argv[1:]:
    print(sanitize(html))
"""
_INPUTS = [
    '<img src="https://a.example/b.jpg" alt="">',
    '<img title="t" height="3" width="2" alt="x" src="https://a.example/b.jpg" loading="eager" '
    'referrerpolicy="origin" class="c">',
    '<p><a title="T" href="https://x.example/y" rel="me" target="_blank">l</a></p>',
    '<table><tr><td rowspan="2" colspan="3">x</td><th scope="col" rowspan="1" colspan="2">y</th></tr></table>',
]


def test_sanitize_gives_the_same_bytes_in_every_process() -> None:
    """nh3 (ammonia) iterates Rust hash maps seeded per process: whatever it adds must not
    depend on that order. Ten interpreters (ten random Rust seeds, several Python ones)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    outputs = {subprocess.run([sys.executable, "-c", _SANITIZE, *_INPUTS], env={**env, "PYTHONHASHSEED": str(seed)},
                              capture_output=True, text=True, check=True, cwd=REPO).stdout
               for seed in range(10)}
    assert len(outputs) == 1, "\n---\n".join(sorted(outputs))


def test_img_attributes_come_in_one_order_and_once() -> None:
    from generator.clean.sanitize import sanitize

    html = ('<img referrerpolicy="unsafe-url" src="https://a.example/b.jpg" loading="eager" alt="x">'
            '<img src="https://a.example/c.jpg">')
    expected = ('<img src="https://a.example/b.jpg" alt="x" loading="lazy" referrerpolicy="no-referrer">'
                '<img src="https://a.example/c.jpg" loading="lazy" referrerpolicy="no-referrer">')
    assert sanitize(html) == expected
    assert sanitize(expected) == expected  # a fixed point: cleaning clean HTML changes nothing


def test_img_attributes_go_into_image_tags_only() -> None:
    """Tag by tag: "<img" in text (escaped) or inside another tag's attribute value (which
    older html5ever versions leave unescaped) is not an image; a ">" in a value is not its end."""
    from generator.clean.sanitize import add_img_attributes

    for html in ('<p>1 &lt;img src="x"&gt; 2</p>', '<a title="<img src=x> y" href="https://a.example/">z</a>',
                 '<a title="a > b">c</a><p>no images</p>'):
        assert add_img_attributes(html) == html
    assert (add_img_attributes('<a title="<img>">x</a><img alt="a > b" src="https://a.example/i.png"><img>')
            == '<a title="<img>">x</a><img alt="a > b" src="https://a.example/i.png" loading="lazy" '
               'referrerpolicy="no-referrer"><img loading="lazy" referrerpolicy="no-referrer">')
