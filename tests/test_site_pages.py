"""The pages a reader sees: listings, terms, archives, sitemap, robots, chart, theme overrides."""
from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

import generator.render.sitemap as sitemap_module
from generator.build import build
from generator.config import load_config
from tests.conftest import FIXTURES


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    return root


def built(root: Path) -> Path:
    result = build(load_config(root / "site.toml"))
    assert result.written
    return root / "output"


def page(output: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / rel).read_bytes())


def test_region_topic_and_archive_pages(site):
    output = built(site)
    regions = page(output, "regions/index.html")
    assert [a.text for a in regions.cssselect(".term-list a")] == ["重庆", "广东", "全国"]
    chart_links = [a.get("href") for a in regions.cssselect("svg.region-chart a")]
    assert chart_links == ["/digest/regions/chongqing/", "/digest/regions/guangdong/", "/digest/regions/national/"]
    chongqing = page(output, "regions/chongqing/index.html")
    assert chongqing.cssselect("h1")[0].text == "重庆"
    assert [a.text for a in chongqing.cssselect(".article-card h2 a")] == ["今年以来 重庆市脱贫人口务工规模稳定在81万人以上"]
    topics = page(output, "topics/index.html")
    assert "就业帮扶" in [a.text for a in topics.cssselect(".term-list a")]
    archives = page(output, "archives/index.html")
    assert [a.get("href") for a in archives.cssselect(".term-list a")] == [
        "/digest/archives/2024/09/", "/digest/archives/2023/03/", "/digest/archives/2022/06/"]
    month = page(output, "archives/2023/03/index.html")
    assert [a.text for a in month.cssselect(".article-card h2 a")] == ["广东出台灵活就业人员社保补贴办法"]


def test_article_page_links_region_topics_related_and_neighbours(site):
    output = built(site)
    article = page(output, "articles/chongqing/index.html")
    chips = {a.text: a.get("href") for a in article.cssselect(".chips a")}
    assert chips["重庆"] == "/digest/regions/chongqing/" and chips["就业帮扶"] == "/digest/topics/employment-aid/"
    assert article.cssselect('a[rel="next"]')[0].get("href") == "/digest/articles/guangdong-flexible-jobs/"
    assert article.cssselect(".related a")  # shares 就业帮扶 with the national article
    ld = article.cssselect('script[type="application/ld+json"]')[0].text
    assert '"@type": "NewsArticle"' in ld and '"datePublished": "2024-09-28T09:59:00+08:00"' in ld
    assert article.cssselect('meta[property="og:title"]')[0].get("content").startswith("今年以来")
    assert article.cssselect('link[rel="canonical"]')[0].get("href") == \
        "https://example.org/digest/articles/chongqing/"


def test_sitemap_lastmod_is_the_article_date_never_the_build_time(site):
    output = built(site)
    root = etree.fromstring((output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
               for u in root.findall("s:url", ns)}
    assert entries["https://example.org/digest/articles/guangdong-flexible-jobs/"] == "2023-03-01T09:30:00+08:00"
    assert entries["https://example.org/digest/"] == "2024-09-28T09:59:00+08:00"
    assert "https://example.org/digest/regions/chongqing/" in entries
    assert "https://example.org/digest/404.html" not in entries
    robots = (output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/digest/sitemap.xml" in robots


def test_a_big_sitemap_becomes_an_index(site, monkeypatch):
    monkeypatch.setattr(sitemap_module, "MAX_URLS", 10)
    output = built(site)
    index = etree.fromstring((output / "sitemap.xml").read_bytes())
    assert etree.QName(index).localname == "sitemapindex"
    parts = sorted(output.glob("sitemap-*.xml"))
    assert len(parts) >= 2
    total = sum(len(etree.fromstring(p.read_bytes())) for p in parts)
    assert total > 10


def test_a_site_template_overrides_the_theme_and_can_extend_it(site):
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(
        '{% extends "theme/article.html" %}{% block title %}自定义 · {{ article.title }}{% endblock %}',
        encoding="utf-8")
    (site / "static").mkdir()
    (site / "static" / "style.css").write_text("body { color: red; }\n", encoding="utf-8")
    output = built(site)
    article = page(output, "articles/guangdong-flexible-jobs/index.html")
    assert article.findtext(".//title") == "自定义 · 广东出台灵活就业人员社保补贴办法"
    assert article.cssselect(".article-body")  # the rest of the theme's template is kept
    assert (output / "static" / "style.css").read_text(encoding="utf-8") == "body { color: red; }\n"
    assert (output / "static" / "feed.css").is_file()  # files not overridden still come from the theme


def test_theme_setting_selects_another_theme_folder(site):
    theme = site / "themes" / "plain"
    shutil.copytree(Path(__file__).resolve().parents[1] / "themes" / "default", theme)
    (theme / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>朴素主题</p>{% endblock %}', encoding="utf-8")
    with (site / "site.toml").open("a", encoding="utf-8") as f:
        f.write('theme = "plain"\n')
    output = built(site)
    assert "朴素主题" in (output / "404.html").read_text(encoding="utf-8")


def test_remote_images_are_links_by_default_and_inline_when_asked(site):
    (site / "content" / "image.md").write_text(
        "---\ntitle: 图片新闻\ndate: 2024-10-01\nslug: image-news\n---\n\n"
        '<p>重庆市就业帮扶。</p><p><img src="https://n.sinaimg.cn/a.jpg" alt="招聘会现场"></p>\n', encoding="utf-8")
    output = built(site)
    body = page(output, "articles/image-news/index.html")
    assert not body.cssselect("img")
    link = body.cssselect("a.remote-image")[0]
    assert link.get("href") == "https://n.sinaimg.cn/a.jpg" and "招聘会现场" in link.text_content()
    with (site / "site.toml").open("a", encoding="utf-8") as f:
        f.write('remote_images = "embed"\n')
    img = page(built(site), "articles/image-news/index.html").cssselect(".article-body img")[0]
    assert img.get("referrerpolicy") == "no-referrer" and img.get("loading") == "lazy"


def test_search_page_only_when_search_is_on(site):
    output = built(site)  # the fixture site has search = false
    assert not (output / "search").exists()
    assert "/digest/search/" not in (output / "index.html").read_text(encoding="utf-8")
