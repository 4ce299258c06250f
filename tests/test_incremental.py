"""Incremental builds: after any sequence of edits, the site equals a clean build byte for byte,
and a build with no change writes nothing."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
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


# ---- the preview server's in-place updates (Builder.update) ----

PLACES = ["重庆", "广州", "成都", "全国"]
SUBJECTS = ["就业帮扶", "养老保险", "低保救助", "职业培训"]
PREVIEW_ARTICLE = ("---\ntitle: {title}\ndate: 2024-{month:02d}-{day:02d} {hour:02d}:00\n---\n\n"
                   "{place}人社部门发布{subject}政策，{body}。\n")


def preview_article(n: int, variant: int) -> str:
    place = PLACES[(n + variant) % 4]
    return PREVIEW_ARTICLE.format(title=f"{place}{SUBJECTS[variant % 4]}新政第{n % 7}号", month=variant % 3 + 1,
                                  day=(n * 7 + variant) % 27 + 1, hour=n % 24, place=place.replace("全国", "国务院"),
                                  subject=SUBJECTS[(n + variant) % 4], body=f"惠及{n + variant}万人")


def preview_site(root: Path, count: int) -> Path:
    site = root / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "预览"\nbase_url = "https://example.org/d/"\npage_size = 3\n'
                                    'search = false\nfeed_items = 4\n', encoding="utf-8")
    for n in range(count):
        (site / "content" / f"a{n:02d}.md").write_text(preview_article(n, 0), encoding="utf-8")
    return site


preview_edits = st.lists(st.tuples(
    st.sampled_from(["add", "body", "redate", "retitle", "delete", "rename", "touch", "break", "twin", "alias",
                     "repost", "renumber"]),
    st.integers(0, 60), st.integers(1, 9)), min_size=1, max_size=5)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(preview_edits)
def test_in_place_updates_equal_clean_builds(tmp_path_factory, steps):
    """Whatever articles are saved, added, deleted, renamed, broken, given a twin title or
    reposted (a story of two outlets) or renumbered (a story broken up),
    the preview server's in-place update leaves exactly the site (and the diagnostics) a
    clean build gives, and a save that changes nothing writes nothing."""
    from generator.build import Builder

    base = tmp_path_factory.mktemp("preview")
    site = preview_site(base, 30)
    builder = Builder(load_config(site / "site.toml"), persist_cache=False, incremental=True)
    assert builder.build().written
    content = site / "content"
    for action, n, m in steps:
        files = sorted(content.iterdir())
        target = files[n % len(files)]
        changed = [target]
        if action == "add":
            target = content / f"new-{n}-{m}.md"
            target.write_text(preview_article(n, m), encoding="utf-8")
            changed = [target]
        elif action == "body":
            target.write_text(target.read_text(encoding="utf-8") + f"\n补充第{m}条。\n", encoding="utf-8")
        elif action in ("redate", "retitle"):
            text = target.read_text(encoding="utf-8").split("\n")
            if action == "redate":
                text[2] = f"date: 2023-{m:02d}-0{m} 08:00"
            else:
                text[1] = f"title: 新标题{m}"
            target.write_text("\n".join(text), encoding="utf-8")
        elif action == "delete":
            target.unlink()
        elif action == "rename":
            renamed = target.with_name(f"moved-{n}-{m}.md")
            target.rename(renamed)
            changed = [target, renamed]
        elif action == "touch":
            os.utime(target)
        elif action == "break":
            target.write_text("---\ntitle: [unclosed\n---\n正文\n", encoding="utf-8")
        elif action == "alias":  # an old URL of its own, and one that another article's page holds (or held)
            other = files[m % len(files)].stem
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace("---\ntitle", f"---\naliases: [/articles/old-{m}/, /articles/{other}/]\ntitle", 1),
                              encoding="utf-8")
        elif action == "repost":  # the same story from another outlet a day later: one story with it
            source = files[m % len(files)].read_text(encoding="utf-8")
            text = re.sub(r"date: (\d{4}-\d\d)-(\d\d)", lambda d: f"date: {d[1]}-{min(int(d[2]) + 1, 28):02d}", source, 1)
            target = content / f"repost-{n}-{m}.md"
            target.write_text(text.replace("---\n", "---\noutlet: 光明网\n", 1), encoding="utf-8")
            changed = [target]
        elif action == "renumber":  # other figures: no longer the story its reposts tell
            text = target.read_text(encoding="utf-8")
            target.write_text(re.sub(r"惠及(\d+)万人", lambda d: f"惠及{int(d[1]) + m * 100}万人", text), encoding="utf-8")
        else:  # a copy asking for another article's slug: the same URL, resolved with a warning
            twin = files[m % len(files)]
            text = twin.read_text(encoding="utf-8")
            (content / f"twin-{n}.md").write_text(text.replace("---\n", f"---\nslug: {twin.stem}\n", 1), encoding="utf-8")
            changed = [content / f"twin-{n}.md"]
        before = stamps(site / "output")
        result = builder.update(changed)
        assert result.in_place and result.written
        if action == "touch":
            assert stamps(site / "output") == before
        reference = base / "clean"
        assert tree(site / "output") == clean_build(site, reference)
        clean = build(load_config(reference / "site.toml"), use_cache=False)
        assert [str(d) for d in result.diagnostics] == [str(d) for d in clean.diagnostics]
    builder.close()
    assert build(load_config(site / "site.toml")).unchanged  # the saved manifest describes the updated site


def test_stories_days_and_weeks_follow_edits_in_place(tmp_path):
    """A repost joins its story (listed once, shown with its lead), a moved report leaves it for
    another day and week, a changed figure breaks a story: after each save the preview is the
    site a clean build gives, and the briefings say so."""
    from generator.build import Builder

    base = tmp_path
    site = preview_site(base, 12)
    content, output = site / "content", site / "output"
    builder = Builder(load_config(site / "site.toml"), persist_cache=False, incremental=True)
    builder.build()
    lead = (content / "a03.md").read_text(encoding="utf-8")
    day = re.search(r"date: (\d{4}-\d\d-\d\d)", lead)[1]

    def save(path: Path, text: str) -> str:
        path.write_text(text, encoding="utf-8")
        assert builder.update([path]).in_place
        assert tree(output) == clean_build(site, base / "clean")
        return (output / "daily" / day / "index.html").read_text(encoding="utf-8")

    briefing = save(content / "repost.md", lead.replace("---\n", "---\noutlet: 光明网\n", 1))
    story = "· 2 篇报道"  # a story of two reports
    assert ">光明网</a>" in briefing and story in briefing
    moved = re.sub(r"date: \S+", "date: 2023-06-15", lead.replace("---\n", "---\noutlet: 光明网\n", 1), count=1)
    briefing = save(content / "repost.md", moved)
    assert "光明网" not in briefing and (output / "daily" / "2023-06-15" / "index.html").is_file()
    assert (output / "weekly" / "2023-W24" / "index.html").is_file()
    briefing = save(content / "repost.md", lead.replace("---\n", "---\noutlet: 光明网\n", 1))
    assert story in briefing
    briefing = save(content / "repost.md", re.sub(r"惠及(\d+)万人", "惠及987万人", lead).replace("---\n", "---\noutlet: 光明网\n", 1))
    assert story not in briefing and not (output / "daily" / "2023-06-15").exists()
    builder.close()


def test_a_preview_of_an_up_to_date_site_applies_the_first_save_in_place(tmp_path):
    """`digest serve` on a site built before: nothing is rebuilt at start, and the first save
    is already an in-place update (not a whole build)."""
    from generator.build import Builder

    site = preview_site(tmp_path, 8)
    config = load_config(site / "site.toml")
    assert build(config).written
    builder = Builder(config, persist_cache=False, incremental=True)
    assert builder.build().unchanged
    before = stamps(site / "output")
    article = site / "content" / "a03.md"  # a national article
    article.write_text(article.read_text(encoding="utf-8") + "\n再补充一句。\n", encoding="utf-8")
    result = builder.update([article])
    after = stamps(site / "output")
    assert result.in_place and result.pages > 0
    assert after["regions/chongqing/index.html"] == before["regions/chongqing/index.html"]
    # a body edit shows on the article's page and in the feeds carrying it, not on the
    # listings naming it (generator.render.reader: the "b" key)
    assert after["articles/a03/index.html"] != before["articles/a03/index.html"]
    assert after["regions/national/rss.xml"] != before["regions/national/rss.xml"]
    assert after["regions/national/index.html"] == before["regions/national/index.html"]
    assert tree(site / "output") == clean_build(site, tmp_path / "clean")


def test_body_edits_past_the_lead_reuse_the_page_plans_and_equal_clean_builds(tmp_path):
    """The preview's quickest path: an edit that leaves every index fact alone (here a
    sentence added past the lead) keeps the site's layout, so the update reuses the last
    write's page plans and looks only at the pages reading the article's body; the result
    is still byte for byte a clean build's."""
    from generator.build import Builder

    site = preview_site(tmp_path, 8)
    filler = "".join(f"各地人社部门逐项落实政策，做好宣传解读和经办服务{'工作' * (k % 3)}。" for k in range(30))
    for path in sorted((site / "content").glob("*.md")):
        path.write_text(path.read_text(encoding="utf-8") + filler + "\n", encoding="utf-8")
    builder = Builder(load_config(site / "site.toml"), persist_cache=False, incremental=True)
    assert builder.build().written
    layout = builder._state.site.layout
    for step in range(3):
        target = site / "content" / f"a{step * 3:02d}.md"
        target.write_text(target.read_text(encoding="utf-8") + f"\n补充说明{'又' * step}。\n", encoding="utf-8")
        before = stamps(site / "output")
        result = builder.update([target])
        assert result.in_place and builder._state.site.layout is layout  # the same pages: the plans reused
        after = stamps(site / "output")
        rewritten = {path for path in after if after[path] != before.get(path) and path.endswith(".html")}
        assert len(rewritten) == 1  # the article's own page (and the feeds carrying its body), no listing
        assert tree(site / "output") == clean_build(site, tmp_path / f"clean{step}")
    builder.close()


def test_a_failed_update_leaves_the_next_rebuild_whole(tmp_path):
    """A write that fails halfway through an update is reported, and the next rebuild (a full
    one: the half-updated site is not trusted) gives exactly the clean build."""
    from generator.build import Builder
    from generator.write import WriteError

    site = preview_site(tmp_path, 8)
    builder = Builder(load_config(site / "site.toml"), persist_cache=False, incremental=True)
    assert builder.build().written
    (site / "output" / "rss.xml").unlink()
    (site / "output" / "rss.xml").mkdir()  # the site feed can no longer be replaced
    (site / "output" / "rss.xml" / "x").write_text("", encoding="utf-8")
    article = site / "content" / "a01.md"
    article.write_text(preview_article(1, 5), encoding="utf-8")
    with pytest.raises(WriteError, match="rss.xml"):
        builder.update([article])
    assert not any(p.name.endswith(".digest-tmp") for p in (site / "output").rglob("*"))
    result = builder.update([article])
    assert result.written and not result.in_place
    assert tree(site / "output") == clean_build(site, tmp_path / "clean")


def test_an_update_indexes_the_search_again_like_a_clean_build(tmp_path):
    """With search on, the preview's pages are on disk at once and Pagefind indexes them in the
    background into a new folder swapped in whole; a second save cancels the run in progress.
    The final index's key (the pages it was made from) is a clean build's."""
    from generator.build import Builder
    from generator.search import INDEX_FOLDER, KEY_FILE

    site = preview_site(tmp_path, 6)
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("search = false", "search = true"), encoding="utf-8")
    builder = Builder(load_config(toml), persist_cache=False, incremental=True)
    assert builder.build().written
    old_key = (site / "output" / INDEX_FOLDER / KEY_FILE).read_text(encoding="utf-8")
    for n in range(2):
        added = site / "content" / f"added-{n}.md"
        added.write_text(preview_article(40 + n, 2), encoding="utf-8")
        result = builder.update([added])
        assert result.in_place and "search" not in result.timings  # nobody waited for Pagefind
        assert builder.search.pending
    builder.search.wait(120)
    assert not builder.search.pending and builder.search.failure is None
    key = (site / "output" / INDEX_FOLDER / KEY_FILE).read_text(encoding="utf-8")
    assert key != old_key and (site / "output" / INDEX_FOLDER / "pagefind-entry.json").is_file()
    clean_build(site, tmp_path / "clean")
    assert key == (tmp_path / "clean" / "output" / INDEX_FOLDER / KEY_FILE).read_text(encoding="utf-8")
    assert not list(site.glob(".output.old-search-*"))
    builder.close()
    assert build(load_config(toml)).unchanged


def test_closing_the_preview_before_search_caught_up_makes_the_next_build_index_again(tmp_path):
    from generator.build import Builder
    from generator.search import INDEX_FOLDER, KEY_FILE

    site = preview_site(tmp_path, 4)
    toml = site / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("search = false", "search = true"), encoding="utf-8")
    builder = Builder(load_config(toml), persist_cache=False, incremental=True)
    assert builder.build().written
    added = site / "content" / "added.md"
    added.write_text(preview_article(7, 3), encoding="utf-8")
    assert builder.update([added]).in_place
    builder.close()  # Pagefind is still running: it is stopped
    result = build(load_config(toml))
    assert not result.unchanged and result.cached == result.articles  # a build, from the article cache
    clean_build(site, tmp_path / "clean")
    assert ((site / "output" / INDEX_FOLDER / KEY_FILE).read_text(encoding="utf-8")
            == (tmp_path / "clean" / "output" / INDEX_FOLDER / KEY_FILE).read_text(encoding="utf-8"))
