"""sitemap.xml (an index of sitemap-N.xml files above 50,000 URLs) and robots.txt.

`lastmod` is the date of the newest article a page shows, never the build time, so an
unchanged site gives an unchanged sitemap and crawlers are not sent back for nothing.
"""
from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from generator.config import SiteConfig
from generator.model import Article, Site
from generator.render.links import Links
from generator.render.reader import note, remembered

MAX_URLS = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_entries(site: Site, config: SiteConfig, links: Links) -> list[tuple[str, datetime | None]]:
    """(absolute URL, lastmod) for every page worth indexing, in a stable order."""
    note(("A",))  # every article has a page, listed or not (a story's other reports)
    for article in site.articles:
        note(("u", article.id))  # all it shows of an article: its address and date
    for kind, slug in [("home", ""), ("other", "")] + [(t.kind, t.slug) for t in site.regions + site.topics
                                                        + site.months + site.subjects + site.days + site.weeks]:
        note(("t", kind, slug))

    def newest(ids) -> datetime | None:
        return max((d for d in (lastmod(site.by_id[i]) for i in ids) if d is not None), default=None)

    entries: list[tuple[str, datetime | None]] = []
    for page in site.index_pages:
        entries.append((links.absolute("" if page.number == 1 else f"page/{page.number}/"), newest(page.article_ids)))
    for page in site.other_pages:
        entries.append((links.absolute("other/" + ("" if page.number == 1 else f"page/{page.number}/")),
                        newest(page.article_ids)))
    for article in site.articles:
        entries.append((links.absolute(article.url_path), lastmod(article)))
    everything = newest(site.listed)
    for folder, terms in (("regions/", site.regions), ("topics/", site.topics), ("archives/", site.months)):
        entries.append((links.absolute(folder), everything))
        for term in terms:
            for page in term.pages:
                rel = term.url_path + ("" if page.number == 1 else f"page/{page.number}/")
                entries.append((links.absolute(rel), newest(page.article_ids)))
    for folder, terms in (("daily/", site.days), ("weekly/", site.weeks)):  # the briefings
        entries.append((links.absolute(folder), everything))
        entries += [(links.absolute(term.url_path), newest(term.article_ids)) for term in terms]
    for term in site.subjects:  # listed on the topics page: no index of their own
        for page in term.pages:
            rel = term.url_path + ("" if page.number == 1 else f"page/{page.number}/")
            entries.append((links.absolute(rel), newest(page.article_ids)))
    return entries


def lastmod(article: Article) -> datetime | None:
    """When an article last changed, as its sitemap entry says (None: undated)."""
    return (article.updated or article.published) if article.published else None


def sitemap_documents(site: Site, config: SiteConfig, links: Links):
    """sitemap.xml, split into sitemap-1.xml ... under an index when there are too many URLs;
    each made only when its entries changed (their fingerprint)."""
    from generator.render import DocumentPlan, LazyDocument
    from generator.render.fingerprint import view_fingerprint

    entries = remembered(lambda: sitemap_entries(site, config, links))
    count = len(site.index_pages) + len(site.other_pages) + len(site.articles) + 5 + len(site.days) + len(site.weeks)
    count += sum(len(term.pages) for term in site.regions + site.topics + site.months + site.subjects)
    if count <= MAX_URLS:
        return [DocumentPlan("sitemap.xml", lambda: LazyDocument(
            "sitemap.xml", view_fingerprint("sitemap", entries()), lambda: _urlset(entries())))]

    def chunk(n: int) -> list[tuple[str, datetime | None]]:
        return entries()[(n - 1) * MAX_URLS:n * MAX_URLS]

    def part(n: int):
        return lambda: LazyDocument(f"sitemap-{n}.xml", view_fingerprint("sitemap", chunk(n)), lambda: _urlset(chunk(n)))

    def index() -> LazyDocument:
        parts = [(links.absolute(f"sitemap-{n}.xml"), max((d for _, d in chunk(n) if d), default=None))
                 for n in range(1, -(-count // MAX_URLS) + 1)]
        return LazyDocument("sitemap.xml", view_fingerprint("sitemap-index", parts), lambda: _sitemap_index(parts))

    return [DocumentPlan(f"sitemap-{n}.xml", part(n)) for n in range(1, -(-count // MAX_URLS) + 1)] + \
        [DocumentPlan("sitemap.xml", index)]


def _sitemap_index(index: list[tuple[str, datetime | None]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{_NS}">']
    lines += [f"<sitemap><loc>{escape(url)}</loc>{_lastmod(d)}</sitemap>" for url, d in index]
    lines.append("</sitemapindex>\n")
    return "\n".join(lines).encode("utf-8")


def _urlset(entries: list[tuple[str, datetime | None]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{_NS}">']
    lines += [f"<url><loc>{escape(url)}</loc>{_lastmod(d)}</url>" for url, d in entries]
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def _lastmod(when: datetime | None) -> str:
    return f"<lastmod>{when.isoformat(timespec='seconds')}</lastmod>" if when else ""


def robots_txt(links: Links) -> str:
    """Allow everything and name the sitemap (robots.txt only counts at a host's root: copy it there)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {links.absolute('sitemap.xml')}\n"
