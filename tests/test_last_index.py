"""`digest build` patches the last build's index (generator.build.last_index) like a preview
update does, and only when that index is certainly the one its site was made from."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import generator.index as index
from generator.build import build
from generator.build.manifest import load_manifest
from generator.build.last_index import LastIndex, keep_index, load_index, previous_site
from generator.config import load_config
from tests.conftest import FIXTURES
from tests.test_incremental import ARTICLE, clean_build, stamps, tree


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    for n in range(4):
        (root / "content" / f"extra-{n}.md").write_text(ARTICLE.format(
            title=f"重庆就业新政第{n}号", month=n + 1, day=n, region="重庆", body=f"惠及{n}万人"), encoding="utf-8")
    return root


@pytest.fixture
def indexing(monkeypatch) -> list[bool]:
    """Whether each build_site call of a build had a previous index to patch."""
    calls: list[bool] = []
    original = index.build_site

    def spy(*args, **kwargs):
        calls.append(kwargs.get("previous") is not None)
        return original(*args, **kwargs)

    monkeypatch.setattr(index, "build_site", spy)
    return calls


def edit(path: Path, extra: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{extra}\n", encoding="utf-8")


def test_a_build_after_an_edit_patches_the_kept_index_and_equals_a_clean_build(site, indexing, tmp_path):
    config = load_config(site / "site.toml")
    assert build(config).written
    edit(site / "content" / "extra-1.md", "补充说明：新增岗位两千个。")
    (site / "content" / "extra-3.md").unlink()
    (site / "content" / "extra-0.md").rename(site / "content" / "moved-0.md")
    assert build(config).written
    assert indexing == [False, True]
    assert tree(site / "output") == clean_build(site, tmp_path / "clean")


def test_an_index_whose_articles_the_cache_no_longer_holds_is_not_used(site, indexing, tmp_path):
    """A strict build that fails saves the article cache but not the site: the kept index then
    names articles the cache no longer has, and the next build indexes everything."""
    config = load_config(site / "site.toml")
    assert build(config).written
    edit(site / "content" / "extra-2.md", "第二次补充。")
    (site / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n正文。\n", encoding="utf-8")
    assert not build(config, strict=True).written
    (site / "content" / "broken.md").unlink()
    assert build(config).written
    assert indexing == [False, True, False]  # the strict build could patch; the one after it cannot
    assert tree(site / "output") == clean_build(site, tmp_path / "clean")


def test_an_index_kept_for_other_settings_is_not_used(site, indexing):
    config = load_config(site / "site.toml")
    assert build(config).written
    (site / "site.toml").write_text((site / "site.toml").read_text(encoding="utf-8").replace("page_size = 2", "page_size = 3"),
                                    encoding="utf-8")
    assert build(load_config(site / "site.toml")).written
    assert indexing == [False, False]


def test_previous_site_takes_unchanged_articles_from_this_build_and_the_rest_from_the_cache(site, tmp_path):
    from generator.build.process import make_pipeline, process_item

    config = load_config(site / "site.toml")
    pipeline = make_pipeline(config)
    paths = sorted((site / "content").iterdir())
    articles = [index.in_zone(process_item((str(p), p.name), pipeline)[0], config.tz) for p in paths]
    indexed, _ = index.build_site(articles, config.page_size, tz=config.tz)
    store = tmp_path / "index.pickle"
    assert keep_index(store, "key", indexed)
    assert load_index(store, "other key") is None
    kept = load_index(store, "key")
    assert isinstance(kept, LastIndex) and kept.ids == tuple(a.id for a in indexed.articles)

    edited = replace(indexed.articles[0], digest="0" * 64)  # this build's version of one article
    now = [edited, *indexed.articles[1:]]
    rebuilt = previous_site(kept, now, stored=[indexed.articles[0]])
    assert rebuilt is not None and rebuilt.articles == indexed.articles
    assert all(a is b for a, b in zip(rebuilt.articles[1:], now[1:]))  # the same objects: unchanged for build_site
    assert rebuilt.articles[0] is indexed.articles[0]  # the version that was indexed
    assert rebuilt.related == indexed.related and rebuilt.regions == indexed.regions
    assert previous_site(kept, now, stored=[]) is None  # the indexed version is nowhere
    assert previous_site(kept, now, stored=[edited]) is None


def test_a_patched_build_digests_only_the_pages_it_renders(site, monkeypatch):
    """The keys an edit moved are known from the patch (render.reader.changed_keys): the other
    pages are kept without digesting what they read."""
    import generator.render.reader as reader

    config = load_config(site / "site.toml")
    assert build(config).written
    digests: list[int] = []
    original = reader.KeyValues.digest
    monkeypatch.setattr(reader.KeyValues, "digest", lambda self, keys: digests.append(1) or original(self, keys))
    edit(site / "content" / "extra-1.md", "补充说明：新增岗位两千个。")
    result = build(config)
    assert result.written and result.reused > 20
    assert 0 < len(digests) <= result.pages  # the rendered pages' records, not every page's check


def _edit_a_template(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text(
        '{% extends "theme/404.html" %}{% block title %}找不到页面{% endblock %}', encoding="utf-8")


def _edit_a_setting(site: Path) -> None:
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('page_size = 2', 'page_size = 3'), encoding="utf-8")


@pytest.mark.parametrize("change", [_edit_a_template, _edit_a_setting])
def test_after_a_template_or_settings_change_every_page_is_rendered_again_straight_away(site, monkeypatch, tmp_path,
                                                                                    change):
    """Made another way, every page goes straight to the render workers (none is gathered in
    this process or has its dependencies digested first); a page that comes out as the very
    bytes it had keeps its published file (same inode and mtime: deploy tools that sync by
    mtime skip it), any other is written anew."""
    import generator.render.reader as reader

    config = load_config(site / "site.toml")
    assert build(config).written
    before, before_stamps = tree(site / "output"), stamps(site / "output")
    checked: list[int] = []
    original = reader.KeyValues.digest
    monkeypatch.setattr(reader.KeyValues, "digest", lambda self, keys: checked.append(1) or original(self, keys))
    change(site)
    result = build(load_config(site / "site.toml"))
    assert result.written
    rendered = {path for path, record in load_manifest(config).pages.items() if record.digest}
    assert len(checked) == len(rendered)  # each rendered page's own record, nothing compared before
    after, after_stamps = tree(site / "output"), stamps(site / "output")
    same = {path for path in rendered if before.get(path) == after[path]}
    assert same and same != rendered
    assert {path for path in rendered if before_stamps.get(path) == after_stamps[path]} == same
    assert result.reused == len(same)
    assert after == clean_build(site, tmp_path / "clean")
