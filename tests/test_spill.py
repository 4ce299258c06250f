"""Bodies kept on disk by a one-shot build (generator.build.spill): the article reads the same,
compares equal, pickles as before, is read by a forked copy, and a spill that cannot be
written leaves the body in memory."""
from __future__ import annotations

import os
import pickle
from pathlib import Path, PurePosixPath

import pytest

from generator.build.cache import ArticleCache
from generator.build.process import make_pipeline, process_file
from generator.build.session import Builder
from generator.build.spill import BodySpill, SpilledBody
from generator.config import load_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def articles():
    pipeline = make_pipeline(load_config(None))
    files = sorted(p for p in (ROOT / "content").rglob("*.md"))[:6]
    found = [process_file(p, PurePosixPath(p.name), pipeline)[0] for p in files]
    return [a for a in found if a is not None]


def test_a_spilled_article_reads_and_compares_as_the_one_in_memory(articles, tmp_path: Path) -> None:
    spill = BodySpill(str(tmp_path))
    kept = [spill.keep(a) for a in articles]
    assert all(isinstance(k.packed_body, SpilledBody) for k in kept)
    for before, after in zip(articles, kept):
        assert (after.body_html, after.text, after.removed) == (before.body_html, before.text, before.removed)
        assert after == before and hash(after) == hash(before)
    assert [spill.keep(k) for k in kept] == kept and all(spill.keep(k) is k for k in kept)  # spilled once
    assert os.listdir(tmp_path) == []  # the file is unlinked: nothing is left behind, even after a kill -9


def test_a_spilled_article_pickles_with_its_bytes(articles, tmp_path: Path) -> None:
    kept = [BodySpill(str(tmp_path)).keep(a) for a in articles]
    again = pickle.loads(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    assert all(type(a.packed_body) is bytes for a in again)
    assert [a.packed_body for a in again] == [a.packed_body for a in articles]


def test_a_forked_copy_reads_the_bodies(articles, tmp_path: Path) -> None:
    kept = [BodySpill(str(tmp_path)).keep(a) for a in articles]
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy, as a render worker: reads through the inherited descriptor
        try:
            os.write(writer, b"".join(a.body_html.encode() for a in reversed(kept)))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        got = pipe.read()
    os.waitpid(pid, 0)
    assert got == b"".join(a.body_html.encode() for a in reversed(articles))


def test_a_spill_that_cannot_be_written_keeps_bodies_in_memory(articles, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    spill = BodySpill(str(blocked / "spill"))
    assert [spill.keep(a) for a in articles] == articles
    assert all(spill.keep(a) is a for a in articles) and isinstance(spill.failed, OSError)


def _site(folder: Path) -> Path:
    site = folder / "site"
    (site / "content").mkdir(parents=True)
    for path in sorted((ROOT / "content").glob("*.md"))[:4]:
        (site / "content" / path.name).write_bytes(path.read_bytes())
    (site / "site.toml").write_text('title = "t"\nbase_url = "https://example.org/"\n', encoding="utf-8")
    return site


def _bodies(builder: Builder) -> set[type]:
    cache: ArticleCache = builder._cache  # noqa: SLF001 - what the build holds
    return {type(e.article.packed_body) for e in cache.entries.values() if e.article is not None}


def test_a_one_shot_build_spills_and_builds_again_from_spilled_articles(tmp_path: Path) -> None:
    site = _site(tmp_path)
    config = load_config(site / "site.toml")
    builder = Builder(config)
    assert builder.build().written and _bodies(builder) == {SpilledBody}
    first = {p.relative_to(config.output_dir): p.read_bytes() for p in config.output_dir.rglob("*.html")}
    edited = sorted((site / "content").glob("*.md"))[0]
    edited.write_bytes(edited.read_bytes() + "\n\n补充一句。\n".encode())
    again = builder.build()  # three articles from the (spilled) cache entries, one processed anew
    assert again.written and again.cached == 3 and _bodies(builder) == {SpilledBody}
    second = {p.relative_to(config.output_dir): p.read_bytes() for p in config.output_dir.rglob("*.html")}
    changed = {p for p in second if first.get(p) != second[p]}
    assert any("补充一句" in second[p].decode() for p in changed)  # the new body, read from memory
    assert any(p.parts[0] == "articles" and p not in changed for p in second)  # others as before
    builder.close()  # the article cache on disk holds the bodies themselves
    reopened = ArticleCache.open(builder._cache.path, builder._cache.key)  # noqa: SLF001
    assert {type(e.article.packed_body) for e in reopened.entries.values() if e.article} == {bytes}


def test_the_preview_keeps_its_bodies_in_memory(tmp_path: Path) -> None:
    preview = Builder(load_config(_site(tmp_path) / "site.toml"), incremental=True)
    assert preview.build().written and _bodies(preview) == {bytes}
    preview.close()
