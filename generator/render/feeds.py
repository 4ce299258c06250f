"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the digest and for every region and topic.

What feed readers punish, and how it is avoided here:
- broken XML: every string goes through `xml_safe` before feedgen sees it;
- items that come back unread: an item's id is a UUID derived from the article's slug
  (its permanent path), never from base_url's scheme or host or from the build time;
- fake re-notifications: `updated`/`lastBuildDate` are the newest item's date, never now.
"""
from __future__ import annotations

import json
import os
from html import escape
import re
import uuid
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Container, Iterable

from feedgen.feed import FeedGenerator

from generator import __version__
from generator.config import SiteConfig
from generator.model import Article, Site, Term
from generator.render.links import Links
from generator.render.safety import xml_safe

GUID_NAMESPACE = uuid.UUID("6f1c8a52-3d4e-5b7a-9c1d-2e3f4a5b6c7d")
_RELATIVE_LINK = re.compile(r"""(?:href|src)\s*=\s*["']?(?!https?:|mailto:|#)""", re.I)


def article_guid(article: Article) -> str:
    """The item id: stable across base_url changes (http → https, new host) and rebuilds."""
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, 'article/' + article.slug)}"


def feed_id(path: str) -> str:
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, 'feed/' + path)}"


def feed_items(articles: Iterable[Article], config: SiteConfig) -> list[Article]:
    """Newest dated articles, at most `feed_items`, within `feed_max_age_days` of the newest one.

    `articles` are newest first (as every listing is), so the walk stops at the first one
    too old or past the limit. The age window is measured from the newest article, not
    from today, so the same content always gives the same feed.
    """
    items: list[Article] = []
    oldest = None
    for article in articles:
        if article.published is None:
            continue
        if oldest is None and config.feed_max_age_days:
            oldest = article.published - timedelta(days=config.feed_max_age_days)
        if len(items) >= config.feed_items or (oldest is not None and article.published < oldest):
            break
        items.append(article)
    return items


def fallback_date() -> datetime:
    """The `updated` of a feed with no items: SOURCE_DATE_EPOCH when set, else the Unix epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return datetime.fromtimestamp(int(epoch) if epoch.isdigit() else 0, tz=timezone.utc)


def absolute_content(article: Article, page_url: str) -> str:
    """The cleaned body with relative links made absolute (feed readers have no base URL)."""
    html = xml_safe(article.body_html)
    if not _RELATIVE_LINK.search(html):
        return html
    return _absolutize(html, page_url)


@lru_cache(maxsize=4096)
def _absolutize(html: str, base: str) -> str:
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    text = lxml.html.tostring(root, encoding="unicode")
    return text[len("<div>"):-len("</div>")]


class FeedWriter:
    """Builds the three feed formats for one listing; articles are shared across feeds."""

    def __init__(self, config: SiteConfig, links: Links) -> None:
        self.config, self.links = config, links
        self._content: dict[str, str] = {}

    def content(self, article: Article) -> str:
        if article.id not in self._content:
            page = self.links.absolute(article.url_path)
            body = absolute_content(article, page)
            if article.origin_url:
                outlet = xml_safe(article.outlet) or "原文"
                body = (f'<p>来源：<a href="{escape(article.origin_url)}">{escape(outlet)}</a></p>\n' + body)
            self._content[article.id] = body
        return self._content[article.id]

    def generator(self, title: str, description: str, path: str, page: str, items: list[Article]) -> FeedGenerator:
        config, links = self.config, self.links
        fg = FeedGenerator()
        fg.load_extension("dc")
        fg.id(feed_id(path))
        fg.title(xml_safe(title))
        fg.subtitle(xml_safe(description) or xml_safe(title))
        fg.description(escape(xml_safe(description) or xml_safe(title), quote=False))  # RSS reads it as HTML
        fg.author({"name": xml_safe(config.title)})
        fg.link(href=links.absolute(path), rel="self")
        fg.link(href=links.absolute(page), rel="alternate")  # last: feedgen's RSS <link> is the last link
        fg.language(config.language)
        fg.generator("policy-digest", version=__version__)
        newest = max((a.updated or a.published for a in items), default=None) or fallback_date()
        fg.updated(newest)
        fg.lastBuildDate(newest)
        for article in items:
            self._add_entry(fg, article)
        return fg

    def _add_entry(self, fg: FeedGenerator, article: Article) -> None:
        links = self.links
        fe = fg.add_entry(order="append")
        fe.id(article_guid(article))
        fe.guid(article_guid(article), permalink=False)
        fe.title(xml_safe(article.title) or "（无标题）")
        fe.link(href=links.absolute(article.url_path), rel="alternate")
        if article.origin_url:
            fe.link(href=article.origin_url, rel="related", title=xml_safe(article.outlet) or "原文")
        fe.content(self.content(article), type="html")
        if article.summary:
            # The summary is plain text; RSS descriptions are read as HTML, so it is escaped
            # (and typed as HTML in Atom to match): a scraped "<script>" stays words.
            fe.summary(escape(xml_safe(article.summary), quote=False), type="html")
        fe.published(article.published)
        fe.updated(article.updated or article.published)
        creator = xml_safe(article.author) or xml_safe(article.outlet)
        if creator:
            fe.author({"name": creator})
            fe.dc.dc_creator(creator)
        if article.region:
            fe.category(term=article.region.name, scheme=links.absolute("regions/"), label=article.region.name)
        for topic in article.topics:
            fe.category(term=topic.name, scheme=links.absolute("topics/"), label=topic.name)

    def xml(self, fg: FeedGenerator, kind: str, path: str) -> bytes:
        """The feed with a stylesheet processing instruction, so a browser shows it as a page."""
        data = fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)
        declaration, rest = data.split(b"\n", 1)
        stylesheet = self.links.url("static/feed.xsl").encode("utf-8")
        return declaration + b'\n<?xml-stylesheet type="text/xsl" href="' + stylesheet + b'"?>\n' + rest


def feed_documents(site: Site, config: SiteConfig, links: Links, content_key: str = "",
                   prefixes: Container[str] | None = None):
    """Every feed file of the site (site-wide RSS, Atom, JSON Feed; RSS and Atom per region and topic),
    or only those of the listings whose prefix ("" for the site, "regions/x/" ...) is in `prefixes`.

    Feeds are lazy: each carries a fingerprint of what it lists, and is generated only
    when that differs from the last build's.
    """
    from generator.render import LazyDocument
    from generator.render.fingerprint import view_fingerprint

    writer = FeedWriter(config, links)
    whole = prefixes is None or "" in prefixes
    listed = (site.by_id[i] for i in site.listed) if whole else ()
    docs = []
    listings: list[tuple[str, str, str, Iterable[Article]]] = [("", config.title, config.description, listed)] if whole else []
    for term in site.regions + site.topics:
        if prefixes is not None and term.url_path not in prefixes:
            continue
        label = "地区" if term.kind == "region" else "主题"
        listings.append((term.url_path, f"{term.name} · {config.title}",
                         f"{config.title}：{label}「{term.name}」的最新文章", _members(site, term)))
    settings = (__version__, content_key, config.language, config.title, links.base, links.absolute_base)
    for prefix, title, description, articles in listings:
        items = feed_items(articles, config)
        item_keys = [(a.digest, a.slug, a.region, a.topics, a.published) for a in items]
        for kind, name in (("rss", "rss.xml"), ("atom", "atom.xml")):
            path = prefix + name
            docs.append(LazyDocument(path, view_fingerprint(kind, path, title, description, settings, item_keys),
                                     _producer(writer, kind, title, description, path, prefix, items)))
    if not whole:
        return docs
    items = feed_items((site.by_id[i] for i in site.listed), config)
    docs.append(LazyDocument("feed.json", view_fingerprint("json", settings, config.description, [
        (a.digest, a.slug, a.region, a.topics, a.published) for a in items]),
        lambda: json_feed(items, config, links, writer)))
    return docs


def feed_paths(site: Site) -> list[str]:
    """The path of every feed file `feed_documents` makes, without making any."""
    paths = ["rss.xml", "atom.xml"]
    for term in site.regions + site.topics:
        paths += [term.url_path + "rss.xml", term.url_path + "atom.xml"]
    return paths + ["feed.json"]


def _producer(writer: FeedWriter, kind: str, title: str, description: str, path: str, prefix: str,
              items: list[Article]):
    return lambda: writer.xml(writer.generator(title, description, path, prefix or "", items), kind, path)


def _members(site: Site, term: Term) -> Iterable[Article]:
    return (site.by_id[i] for i in term.article_ids)


def json_feed(items: list[Article], config: SiteConfig, links: Links, writer: FeedWriter) -> bytes:
    """JSON Feed 1.1 of the site's newest articles."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": xml_safe(config.title),
        "description": xml_safe(config.description),
        "home_page_url": links.absolute(""),
        "feed_url": links.absolute("feed.json"),
        "language": config.language,
        "items": [_json_item(a, links, writer) for a in items],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _json_item(article: Article, links: Links, writer: FeedWriter) -> dict:
    item = {"id": article_guid(article), "url": links.absolute(article.url_path), "title": xml_safe(article.title),
            "content_html": writer.content(article), "summary": xml_safe(article.summary),
            "date_published": article.published.isoformat(),
            "date_modified": (article.updated or article.published).isoformat(),
            "tags": ([article.region.name] if article.region else []) + [t.name for t in article.topics]}
    if article.origin_url:
        item["external_url"] = article.origin_url
    creator = xml_safe(article.author) or xml_safe(article.outlet)
    if creator:
        item["authors"] = [{"name": creator}]
    return item
