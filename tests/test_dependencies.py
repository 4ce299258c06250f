"""Dependencies are what pages read, not a map kept beside the templates.

A theme author adds a field that shows other articles' data (the newest article of the
same region, the count of a subject, the latest headlines in every page's footer ...)
through `site_data`, touching no code; then articles are edited through the preview's
in-place update path. The published site must be byte for byte what a clean build gives.
"""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.build import Builder, build
from generator.config import load_config
from generator.inputs import bundled_themes_dir
from tests.test_incremental import clean_build, preview_article, preview_site, tree

# (template, the line after which the field goes, the field): each shows data of other articles.
FIELDS = [
    ("article.html", "{% block main %}",
     '{% if article.region %}{% set t = site_data.term("region", article.region.slug) %}'
     '<p class="x-region">{{ t.newest.title }} · {{ t.count }}</p>{% endif %}'),
    ("article.html", "{% block main %}",
     '{% for s in article.subjects[:1] %}{% set t = site_data.term("subject", s.slug) %}'
     '<p class="x-subject">{{ s.name }} {{ t.count if t else 0 }}</p>{% endfor %}'),
    ("article.html", "{% block main %}",
     '{% for tp in article.topics[:1] %}{% set t = site_data.term("topic", tp.slug) %}'
     '<p class="x-oldest">{{ (t.articles | last).title if t else "" }}</p>{% endfor %}'),
    ("index.html", "{% block main %}",
     '<p class="x-latest">{% for a in site_data.latest(2) %}{{ a.title }}（{{ a.date }}）；{% endfor %}</p>'),
    ("index.html", "{% block main %}",
     '<p class="x-regions">{% for r in site_data.terms("region")[:3] %}{{ r.name }} {{ r.count }}；{% endfor %}</p>'),
    ("base.html", "{% block main %}{% endblock %}",
     '<p class="x-subjects">{% for s in site_data.terms("subject") %}{{ s.name }}{{ s.count }}{% endfor %}</p>'),
    ("base.html", "{% block main %}{% endblock %}",
     '{% set home = site_data.term("home", "") %}<p class="x-newest">{{ home.newest.title if home.newest else "" }}'
     ' / {{ home.count }}</p>'),
]

article_edits = st.lists(st.tuples(st.sampled_from(["add", "body", "redate", "retitle", "delete", "rename"]),
                                   st.integers(0, 60), st.integers(1, 9)), min_size=1, max_size=4)


def add_fields(site: Path, chosen: list[int]) -> None:
    """Copy the theme's templates that the chosen fields go in to the site's templates/ (a
    user's override), each with its fields added."""
    theme = bundled_themes_dir() / "default" / "templates"
    folder = site / "templates"
    folder.mkdir(exist_ok=True)
    for template in sorted({FIELDS[i][0] for i in chosen}):
        text = (theme / template).read_text(encoding="utf-8")
        for i in chosen:
            name, after, field = FIELDS[i]
            if name == template:
                assert after in text, f"{template} has no {after!r} any more: pick another anchor"
                text = text.replace(after, after + field, 1)
        (folder / template).write_text(text, encoding="utf-8")


def edit(content: Path, action: str, n: int, m: int) -> list[Path]:
    files = sorted(content.iterdir())
    target = files[n % len(files)]
    if action == "add":
        target = content / f"new-{n}-{m}.md"
        target.write_text(preview_article(n, m), encoding="utf-8")
    elif action == "body":
        target.write_text(target.read_text(encoding="utf-8") + f"\n补充第{m}条。\n", encoding="utf-8")
    elif action in ("redate", "retitle"):
        lines = target.read_text(encoding="utf-8").split("\n")
        if action == "redate":
            lines[2] = f"date: 2023-{m:02d}-0{m} 08:00"
        else:
            lines[1] = f"title: 新标题{n}-{m}"
        target.write_text("\n".join(lines), encoding="utf-8")
    elif action == "delete":
        target.unlink()
    else:
        renamed = target.with_name(f"moved-{n}-{m}.md")
        target.rename(renamed)
        return [target, renamed]
    return [target]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, len(FIELDS) - 1), min_size=1, max_size=3, unique=True), article_edits)
def test_fields_showing_other_articles_stay_current_through_updates(tmp_path_factory, chosen, steps):
    base = tmp_path_factory.mktemp("deps")
    site = preview_site(base, 24)
    builder = Builder(load_config(site / "site.toml"), persist_cache=False, incremental=True)
    assert builder.build().written
    add_fields(site, chosen)
    assert builder.build().written  # a template change: the preview builds the whole site again
    for action, n, m in steps:
        result = builder.update(edit(site / "content", action, n, m))
        assert result.in_place and result.written
        assert tree(site / "output") == clean_build(site, base / "clean")
    builder.close()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, len(FIELDS) - 1), min_size=1, max_size=3, unique=True), article_edits)
def test_whole_builds_keep_only_pages_whose_reads_are_unchanged(tmp_path_factory, chosen, steps):
    """`digest build` after edits keeps a published page only when its context and everything
    its template read through `site_data` are unchanged."""
    base = tmp_path_factory.mktemp("deps-build")
    site = preview_site(base, 24)
    add_fields(site, chosen)
    config = load_config(site / "site.toml")
    assert build(config).written
    for action, n, m in steps:
        edit(site / "content", action, n, m)
        result = build(config)
        assert result.written and not result.in_place
        assert tree(site / "output") == clean_build(site, base / "clean")


def test_a_field_is_really_shown_and_really_moves(tmp_path):
    """The fields above are not inert: the region field names the region's newest article,
    and an update that adds a newer one rewrites every article page of that region."""
    site = preview_site(tmp_path, 12)
    add_fields(site, [0])
    builder = Builder(load_config(site / "site.toml"), persist_cache=False, incremental=True)
    assert builder.build().written
    pages = sorted((site / "output" / "articles").glob("*/index.html"))
    assert any('class="x-region"' in p.read_text(encoding="utf-8") for p in pages)
    newest = site / "content" / "zz-newest.md"
    newest.write_text("---\ntitle: 重庆最新就业帮扶消息\ndate: 2025-12-31 09:00\n---\n\n重庆人社部门发布就业帮扶政策，惠及1万人。\n",
                      encoding="utf-8")
    before = {p: os.stat(p).st_mtime_ns for p in pages}
    result = builder.update([newest])
    assert result.in_place
    shown = [p for p in sorted((site / "output" / "articles").glob("*/index.html"))
             if "重庆最新就业帮扶消息 · " in p.read_text(encoding="utf-8")]
    assert len(shown) > 2  # every 重庆 article page now names it, rewritten in place
    assert all(p not in before or os.stat(p).st_mtime_ns != before[p] for p in shown)
    assert tree(site / "output") == clean_build(site, tmp_path / "clean")
    builder.close()
