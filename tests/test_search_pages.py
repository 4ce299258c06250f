"""Which pages Pagefind reads (generator.search.searchable_pages) and what its index depends on."""
from __future__ import annotations

from pathlib import Path

from generator.config import load_config
from generator.render import template_key
from generator.search import ALL_PAGES, ARTICLE_PAGES, index_key, is_searchable, search_pages, searchable_pages



def _templates(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_the_bundled_theme_marks_only_article_pages_so_pagefind_reads_only_those():
    config = load_config(None)
    assert search_pages(config, template_key(config)) == ARTICLE_PAGES


def test_only_article_html_marked_reads_article_pages(tmp_path):
    theme = _templates(tmp_path / "theme", {"article.html": "<article data-pagefind-body>", "list.html": "<ol>"})
    assert searchable_pages([tmp_path / "site", theme]) == ARTICLE_PAGES


def test_a_mark_in_a_template_every_page_uses_reads_every_page(tmp_path):
    theme = _templates(tmp_path / "theme", {"base.html": "<main data-pagefind-body>", "article.html": "x"})
    assert searchable_pages([theme]) == ALL_PAGES


def test_a_theme_marking_briefings_too_reads_every_page(tmp_path):
    theme = _templates(tmp_path / "theme", {"article.html": "<article data-pagefind-body>",
                                            "daily.html": "<section data-pagefind-body>"})
    assert searchable_pages([theme]) == ALL_PAGES


def test_no_mark_at_all_reads_every_page_as_pagefind_then_indexes_them_all(tmp_path):
    theme = _templates(tmp_path / "theme", {"article.html": "<article>", "base.html": "<main>"})
    assert searchable_pages([theme]) == ALL_PAGES


def test_the_site_own_article_template_stands_for_the_theme_one(tmp_path):
    theme = _templates(tmp_path / "theme", {"article.html": "<article data-pagefind-body>"})
    site = _templates(tmp_path / "site", {"article.html": "<article>"})  # the mark dropped
    assert searchable_pages([site, theme]) == ALL_PAGES
    site_marks = _templates(tmp_path / "site2", {"article.html": "<div data-pagefind-body>"})
    assert searchable_pages([site_marks, _templates(tmp_path / "t2", {"article.html": "<article>"})]) == ARTICLE_PAGES


def test_is_searchable_follows_the_glob():
    assert is_searchable("articles/a-b/index.html", ARTICLE_PAGES)
    assert not is_searchable("regions/beijing/index.html", ARTICLE_PAGES)
    assert not is_searchable("articles/feed.xml", ARTICLE_PAGES)
    assert is_searchable("regions/beijing/index.html", ALL_PAGES)


def test_the_index_key_ignores_pages_pagefind_does_not_read():
    pages = [("index.html", "1"), ("articles/a/index.html", "2"), ("regions/x/index.html", "3")]
    moved_listing = [("index.html", "9"), ("articles/a/index.html", "2"), ("regions/x/index.html", "8")]
    edited_article = [("index.html", "1"), ("articles/a/index.html", "7"), ("regions/x/index.html", "3")]
    assert index_key(pages, "zh-CN", ARTICLE_PAGES) == index_key(moved_listing, "zh-CN", ARTICLE_PAGES)
    assert index_key(pages, "zh-CN", ARTICLE_PAGES) != index_key(edited_article, "zh-CN", ARTICLE_PAGES)
    assert index_key(pages, "zh-CN", ALL_PAGES) != index_key(moved_listing, "zh-CN", ALL_PAGES)
    assert index_key(pages, "zh-CN", ARTICLE_PAGES) != index_key(pages, "zh-CN", ALL_PAGES)
