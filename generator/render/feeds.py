"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the digest and for every region and topic.

What feed readers punish, and how it is avoided here:
- broken XML: every string goes through `xml_safe` (in `feed_text`) before feedgen sees it;
- items that come back unread: an item's id is a UUID derived from the article's slug
  (its permanent path), never from base_url's scheme or host or from the build time;
- fake re-notifications: `updated`/`lastBuildDate` are the newest item's date, never now;
- the same story listed twice: byte-identical captures of one article (same title, date
  and body) appear once per feed (each keeps its page);
- validator warnings: C1 controls and U+FFFD (mojibake left in scraped text) are dropped
  from feed text, so every feed passes the W3C Feed Validation Service with no warning.

An Atom entry links its page (`rel="alternate"`, one per entry) and the original article
(`rel="via"`, titled with its outlet). feedgen 1.0.0 cannot write that: the loop in
`FeedEntry.atom_entry` rebinds `link` to the new element before reading `link['rel']`, so
no rel, type or title is ever written for an entry link (every link reads as another
alternate). `EntryLinks`, a feedgen entry extension, writes them instead.

A feed opened in a browser is shown as a page by a CSS stylesheet (`static/feed.css`),
not XSLT, which browsers are removing.
"""
from __future__ import annotations

import copy
import json
import os
from html import escape
import re
import uuid
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterable

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from generator import __version__
from generator.config import SiteConfig
from generator.model import Article, Site, Term
from generator.render.links import Links
from generator.render.reader import note, remembered
from generator.render.safety import xml_safe

GUID_NAMESPACE = uuid.UUID("6f1c8a52-3d4e-5b7a-9c1d-2e3f4a5b6c7d")
_RELATIVE_LINK = re.compile(r"""(?:href|src)\s*=\s*["']?(?!https?:|mailto:|#)""", re.I)
# Legal in XML, but the W3C validator warns about them ("contains bad characters"): C1
# controls (cp1252 bytes read as Latin-1) and U+FFFD (bytes lost before the scrape reached us).
_FEED_UNWANTED = re.compile("[\x80-\x9f\ufffd]")
STYLESHEET = "static/feed.css"


def feed_text(text: str | None) -> str:
    """`xml_safe` text without the characters feed validators flag as mojibake."""
    text = xml_safe(text)
    return _FEED_UNWANTED.sub("", text) if _FEED_UNWANTED.search(text) else text


def article_guid(article: Article) -> str:
    """The item id: stable across base_url changes (http → https, new host) and rebuilds."""
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, 'article/' + article.slug)}"


def feed_id(path: str) -> str:
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, 'feed/' + path)}"


def feed_items(articles: Iterable[Article], config: SiteConfig) -> list[Article]:
    """Newest dated articles, at most `feed_items`, within `feed_max_age_days` of the newest one.

    `articles` are newest first (as every listing is), so the walk stops at the first one
    too old or past the limit. The age window is measured from the newest article, not
    from today, so the same content always gives the same feed. An article identical to
    one already listed (title, date and cleaned body: another capture of the same page)
    is left out, so a reader never shows the same story twice.
    """
    items: list[Article] = []
    seen: set[tuple] = set()
    oldest = None
    for article in articles:
        if article.published is None:
            continue
        same = (article.title, article.published, article.body_html)
        if same in seen:
            continue
        seen.add(same)
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
    html = feed_text(article.body_html)
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


class EntryLinks(BaseEntryExtension):
    """The Atom links of one entry, written with their rel (see the module docstring).

    The page link is still given to feedgen (`fe.link`), which makes it the RSS <link>
    and writes a bare <link href=…/> in Atom; `extend_atom` marks that one
    rel="alternate" and adds the original article after it as rel="via".
    """

    def __init__(self) -> None:
        self.alternate: str | None = None
        self.via: tuple[str, str] | None = None  # (href, title)

    def set(self, alternate: str, via: tuple[str, str] | None = None) -> None:
        self.alternate, self.via = alternate, via

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        for link in entry.findall("link"):
            if link.get("href") != self.alternate:
                continue
            link.set("rel", "alternate")
            link.set("type", "text/html")
            if self.via is not None:
                link.addnext(etree.Element("link", href=self.via[0], rel="via", title=self.via[1]))
            break
        return entry


class _MadeOnceEntry(FeedEntry):
    """An entry whose RSS item and Atom entry are built once and copied into each feed that
    lists it (lxml copies a tree in C; feedgen rebuilt it element by element, a third of the
    feeds' time). Entries are complete before the first feed is written and never change."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[tuple[str, bool], etree._Element] = {}

    def atom_entry(self, extensions: bool = True) -> etree._Element:
        return self._copy("atom", extensions, super().atom_entry)

    def rss_entry(self, extensions: bool = True) -> etree._Element:
        return self._copy("rss", extensions, super().rss_entry)

    def _copy(self, kind: str, extensions: bool, make) -> etree._Element:
        made = self._made.get((kind, extensions))
        if made is None:
            made = self._made[kind, extensions] = make(extensions)
        return copy.deepcopy(made)


class FeedWriter:
    """Builds the three feed formats for one listing; articles are shared across feeds."""

    def __init__(self, config: SiteConfig, links: Links) -> None:
        self.config, self.links = config, links
        self._content: dict[str, str] = {}
        # An article's entry says the same in every feed that lists it (the site's, its region's,
        # topics' and subjects', RSS and Atom): made once, added to each (feedgen takes a made
        # entry; serialising one does not change it). Half of the feeds' time was remaking them.
        self._entries: dict[str, FeedEntry] = {}

    def content(self, article: Article) -> str:
        if article.id not in self._content:
            page = self.links.absolute(article.url_path)
            body = absolute_content(article, page)
            if article.origin_url:
                outlet = feed_text(article.outlet) or "原文"
                body = (f'<p>来源：<a href="{escape(article.origin_url)}">{escape(outlet)}</a></p>\n' + body)
            self._content[article.id] = body
        return self._content[article.id]

    def generator(self, title: str, description: str, path: str, page: str, items: list[Article]) -> FeedGenerator:
        config, links = self.config, self.links
        fg = FeedGenerator()
        fg.load_extension("dc")
        fg.register_extension("links", BaseExtension, EntryLinks, atom=True, rss=False)
        fg.id(feed_id(path))
        fg.title(feed_text(title))
        fg.subtitle(feed_text(description) or feed_text(title))
        fg.description(escape(feed_text(description) or feed_text(title), quote=False))  # RSS reads it as HTML
        fg.author({"name": feed_text(config.title)})
        fg.link(href=links.absolute(path), rel="self")
        fg.link(href=links.absolute(page), rel="alternate")  # last: feedgen's RSS <link> is the last link
        fg.language(config.language)
        fg.generator("policy-digest", version=__version__)
        newest = max((a.updated or a.published for a in items), default=None) or fallback_date()
        fg.updated(newest)
        fg.lastBuildDate(newest)
        for article in items:
            entry = self._entries.get(article.id)
            if entry is None:
                self._entries[article.id] = self._add_entry(fg, article)
            else:
                fg.add_entry(entry, order="append")
        return fg

    def _add_entry(self, fg: FeedGenerator, article: Article) -> FeedEntry:
        links = self.links
        fe = fg.add_entry(_MadeOnceEntry(), order="append")
        fe.id(article_guid(article))
        fe.guid(article_guid(article), permalink=False)
        fe.title(feed_text(article.title) or "（无标题）")
        page = links.absolute(article.url_path)
        fe.link(href=page, rel="alternate")  # the RSS <link>; in Atom, EntryLinks gives it its rel
        via = (article.origin_url, feed_text(article.outlet) or "原文") if article.origin_url else None
        fe.links.set(page, via)
        fe.content(self.content(article), type="html")
        if article.summary:
            # The summary is plain text; RSS descriptions are read as HTML, so it is escaped
            # (and typed as HTML in Atom to match): a scraped "<script>" stays words.
            fe.summary(escape(feed_text(article.summary), quote=False), type="html")
        fe.published(article.published)
        fe.updated(article.updated or article.published)
        creator = feed_text(article.author) or feed_text(article.outlet)
        if creator:
            fe.author({"name": creator})
            fe.dc.dc_creator(creator)
        if article.region:
            fe.category(term=article.region.name, scheme=links.absolute("regions/"), label=article.region.name)
        for topic in article.topics:
            fe.category(term=topic.name, scheme=links.absolute("topics/"), label=topic.name)
        for subject in article.subjects:
            fe.category(term=subject.name, scheme=links.absolute("subjects/"), label=subject.name)
        return fe

    def xml(self, fg: FeedGenerator, kind: str, path: str) -> bytes:
        """The feed with a CSS stylesheet processing instruction, so a browser shows it as a
        readable page (CSS, not XSLT: browsers are dropping XSLT)."""
        data = fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)
        declaration, rest = data.split(b"\n", 1)
        stylesheet = escape(self.links.url(STYLESHEET)).encode("utf-8")
        return declaration + b'\n<?xml-stylesheet type="text/css" href="' + stylesheet + b'"?>\n' + rest


def offers_feed(site: Site, term: Term) -> bool:
    """Whether a listing gets RSS and Atom feeds: when it has a dated article. Feeds list dated
    articles only, and a feed with no item would have no honest `updated` date to give.
    (Listings are newest first with undated articles last, so the first one decides.)"""
    return term.kind != "month" and bool(term.article_ids) and site.by_id[term.article_ids[0]].published is not None


def feed_documents(site: Site, config: SiteConfig, links: Links, content_key: str = ""):
    """Every feed file of the site: site-wide RSS, Atom and JSON Feed; RSS and Atom per region,
    topic and subject.

    Feeds are lazy: each carries a fingerprint of what it lists, and is generated only
    when that differs from the last build's.
    """
    from generator.render import DocumentPlan, LazyDocument
    from generator.render.fingerprint import view_fingerprint

    writer = FeedWriter(config, links)
    docs = []
    listings: list[tuple[str, str, str, tuple[str, str], tuple[str, ...]]] = [
        ("", config.title, config.description, ("home", ""), site.listed)]
    for term in site.regions + site.topics + site.subjects:
        if not offers_feed(site, term):
            continue
        label = {"region": "地区", "topic": "主题", "subject": "主题分类"}[term.kind]
        listings.append((term.url_path, f"{term.name} · {config.title}",
                         f"{config.title}：{label}「{term.name}」的最新文章", (term.kind, term.slug), term.article_ids))
    settings = (__version__, content_key, config.language, config.title, links.base, links.absolute_base)

    def items_of(listing: tuple[str, str], ids: tuple[str, ...]):
        def walk() -> tuple[list[Article], list[tuple]]:
            note(("t", *listing))
            items = feed_items(_walked(site, ids), config)
            return items, [(a.digest, a.slug, a.region, a.topics, a.subjects, a.published) for a in items]
        return remembered(walk)

    def feed(kind: str, path: str, title: str, description: str, prefix: str, items):
        def prepare() -> LazyDocument:
            chosen, item_keys = items()
            return LazyDocument(path, view_fingerprint(kind, path, title, description, settings, item_keys),
                                _producer(writer, kind, title, description, path, prefix, chosen))
        return prepare

    for prefix, title, description, listing, ids in listings:
        items = items_of(listing, ids)
        for kind, name in (("rss", "rss.xml"), ("atom", "atom.xml")):
            docs.append(DocumentPlan(prefix + name, feed(kind, prefix + name, title, description, prefix, items)))
    site_items = items_of(("home", ""), site.listed)

    def json_document() -> LazyDocument:
        chosen, item_keys = site_items()
        return LazyDocument("feed.json", view_fingerprint("json", settings, config.description, item_keys),
                            lambda: json_feed(chosen, config, links, writer))
    docs.append(DocumentPlan("feed.json", json_document))
    return docs


def _walked(site: Site, ids: tuple[str, ...]) -> Iterable[Article]:
    """The listing's articles, each noted as read as the feed walks it (it stops early)."""
    for article_id in ids:
        note(("a", article_id))  # a feed item shows the article's head and its body
        note(("b", article_id))
        yield site.by_id[article_id]


def _producer(writer: FeedWriter, kind: str, title: str, description: str, path: str, prefix: str,
              items: list[Article]):
    return lambda: writer.xml(writer.generator(title, description, path, prefix or "", items), kind, path)


def json_feed(items: list[Article], config: SiteConfig, links: Links, writer: FeedWriter) -> bytes:
    """JSON Feed 1.1 of the site's newest articles."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed_text(config.title),
        "description": feed_text(config.description),
        "home_page_url": links.absolute(""),
        "feed_url": links.absolute("feed.json"),
        "language": config.language,
        "items": [_json_item(a, links, writer) for a in items],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _json_item(article: Article, links: Links, writer: FeedWriter) -> dict:
    item = {"id": article_guid(article), "url": links.absolute(article.url_path), "title": feed_text(article.title),
            "content_html": writer.content(article), "summary": feed_text(article.summary),
            "date_published": article.published.isoformat(),
            "date_modified": (article.updated or article.published).isoformat(),
            "tags": ([article.region.name] if article.region else []) + [t.name for t in article.topics]}
    if article.origin_url:
        item["external_url"] = article.origin_url
    creator = feed_text(article.author) or feed_text(article.outlet)
    if creator:
        item["authors"] = [{"name": creator}]
    return item
