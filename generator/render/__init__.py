"""Render stage: Site -> (output path, bytes) pairs.

`plan` lists every page with the data it shows (templates through Jinja2); `documents`
adds what is not a template (feeds, sitemap, robots.txt, the region chart). Both are
pure functions of the Site and the config, so two builds of the same input give the
same bytes and an incremental build can compare plans.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Container, NamedTuple

import jinja2

from generator.config import SiteConfig
from generator.model import Article, Page, Site, Term
from generator.render.chart import region_chart_svg
from generator.themes import theme_dirs
from generator.render.fingerprint import context_fingerprint, files_key, view_fingerprint
from generator.render.images import link_remote_images
from generator.render.links import Links
from generator.render.safety import json_for_script, xml_safe

__all__ = ["ArticleViews", "Document", "LazyDocument", "Links", "OutputSpec", "PagePlan", "page_plans", "context_fingerprint", "documents", "make_environment", "plan",
           "document_paths", "static_files", "template_key", "xml_safe"]


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """One planned page: where it goes, which template, and what it shows."""

    path: str
    template: str
    context: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Document:
    """One output file made without a template (feed, sitemap, robots.txt, SVG)."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class LazyDocument:
    """A costly document (a feed): made by `produce()` only when its fingerprint changed."""

    path: str
    fingerprint: str
    produce: Callable[[], bytes]


def template_key(config: SiteConfig) -> str:
    """What every page's bytes depend on besides its context: the templates and the render code."""
    from generator.cache import code_version

    theme, root = theme_dirs(config)
    return f"{code_version()}-{files_key([theme / 'templates', root / 'templates'])}"


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """Site templates override the theme's; `{% extends "theme/x.html" %}` reaches the theme copy."""
    theme, root = theme_dirs(config)
    theme_loader = jinja2.FileSystemLoader(theme / "templates")
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(root / "templates"),
        theme_loader,
        jinja2.PrefixLoader({"theme": theme_loader}),
    ])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["xmlsafe"] = xml_safe
    env.filters["tojson_safe"] = json_for_script
    return env


def article_view(article: Article, links: Links, term_urls: dict[tuple[str, str], str],
                 embed_images: bool = False, content_key: str = "") -> dict[str, Any]:
    """What a template may know about an article: plain values, already made safe for XML.

    `_fp` identifies everything the view shows (see render.fingerprint): the source
    file's digest under the article cache's key, the URLs it links to, the options.
    """
    body = xml_safe(article.body_html)
    region = None
    if article.region:
        region = {"name": article.region.name, "slug": article.region.slug,
                  "url": term_urls.get(("region", article.region.slug))}
    topics = [{"name": t.name, "slug": t.slug, "url": term_urls.get(("topic", t.slug))} for t in article.topics]
    subjects = [{"name": s.name, "slug": s.slug, "sub": s.sub, "url": term_urls.get(("subject", s.slug))}
                for s in article.subjects]
    fingerprint = view_fingerprint(article.digest, content_key, article.id, article.slug, region, topics, subjects,
                                   embed_images, links.base, links.absolute_base,
                                   article.published.utcoffset() if article.published else None)
    return {
        "_fp": fingerprint,
        "id": article.id,
        "title": xml_safe(article.title),
        "url": links.url(article.url_path),
        "absolute_url": links.absolute(article.url_path),
        "published": article.published,
        "date": article.published.strftime("%Y-%m-%d %H:%M") if article.published else "日期不详",
        "day": article.published.strftime("%Y-%m-%d") if article.published else "日期不详",
        "iso_date": article.published.isoformat() if article.published else None,
        "iso_updated": (article.updated or article.published).isoformat() if article.published else None,
        "outlet": xml_safe(article.outlet),
        "origin_url": article.origin_url,
        "author": xml_safe(article.author),
        "editor": xml_safe(article.editor),
        "original_title": xml_safe(article.original_title),
        "cover_image": article.cover_image,
        "summary": xml_safe(article.summary),
        "body_html": body if embed_images else link_remote_images(body),
        "region": region,
        "topics": topics,
        "subjects": subjects,
        "policy": article.policy,
        "reading_minutes": article.reading_minutes,
        "figures": [{"display": xml_safe(f.display), "context": xml_safe(f.context)} for f in article.figures],
    }


class ArticleViews(dict):
    """Article views by id, each made the first time a page asks for it.

    With `cache` (kept by a long-lived Builder: id -> (key, view)) a view whose article and
    links are unchanged is reused instead of made again, so a preview rebuild after one
    edit makes one view, not ten thousand.
    """

    def __init__(self, site: Site, links: Links, term_urls: dict[tuple[str, str], str], embed: bool,
                 content_key: str, cache: dict | None = None) -> None:
        super().__init__()
        self._site, self._links, self._term_urls = site, links, term_urls
        self._embed, self._content_key = embed, content_key
        self._cache = cache if cache is not None else {}

    def __missing__(self, article_id: str) -> dict[str, Any]:
        article, links, term_urls = self._site.by_id[article_id], self._links, self._term_urls
        key = (article.digest, article.slug, self._content_key, self._embed, links.base, links.absolute_base,
               article.published, term_urls.get(("region", article.region.slug)) if article.region else None,
               tuple(term_urls.get(("topic", t.slug)) for t in article.topics),
               tuple(term_urls.get(("subject", s.slug)) for s in article.subjects))
        cached = self._cache.get(article_id)
        if cached is not None and cached[0] == key:
            view = cached[1]
        else:
            view = article_view(article, links, term_urls, self._embed, self._content_key)
            self._cache[article_id] = (key, view)
        self[article_id] = view
        return view


class PagePlan(NamedTuple):
    """One page of the site before its data is gathered: `spec()` gathers it.

    (A named tuple: a large site plans ten thousand of these for every preview update.)
    """

    path: str
    template: str
    gather: Callable[..., dict[str, Any]]
    arguments: tuple = ()

    def spec(self) -> OutputSpec:
        return OutputSpec(self.path, self.template, self.gather(*self.arguments))


def plan(site: Site, config: SiteConfig, content_key: str = "", view_cache: dict | None = None) -> list[OutputSpec]:
    """Every templated page of the site, with the data each shows.

    `content_key` is the article cache's key: with it, view fingerprints tell whether a
    page changed since the last build without rendering it.
    """
    specs = [page.spec() for page in page_plans(site, config, content_key, view_cache)]
    if view_cache is not None:  # keep only this site's views
        for article_id in [i for i in view_cache if i not in site.by_id]:
            del view_cache[article_id]
    return specs


def page_plans(site: Site, config: SiteConfig, content_key: str = "", view_cache: dict | None = None) -> list[PagePlan]:
    """Every templated page of the site, its data not yet gathered (cheap: a preview rebuild
    gathers only the pages an edit can have changed)."""
    links = Links(config)
    term_urls = {(t.kind, t.slug): links.url(t.url_path)
                 for t in site.regions + site.topics + site.months + site.subjects}
    views = ArticleViews(site, links, term_urls, config.remote_images == "embed", content_key, view_cache)
    common = {"site": _site_view(config), "links": links, "feeds": _site_feeds(links), "nav": None}
    pages = listing_plans(site.index_pages, "", views, {**common, "nav": "home"}, links, heading=None)
    if site.other_pages:
        pages += listing_plans(site.other_pages, "other/", views, common, links, heading="其他（非政策）文章")
    pages += _article_plans(site, views, common, config)
    pages += _term_plans(site, views, common, links)
    pages.append(PagePlan("regions/index.html", "regions.html", lambda: {
        **common, "nav": "regions", "terms": [_term_view(t, links) for t in site.regions],
        "chart": region_chart_svg(site.regions, links), "chart_url": links.url("regions/chart.svg"),
        "canonical": links.absolute("regions/"), "chart_alt": _chart_alt(site.regions)}))
    def topics_page() -> dict[str, Any]:
        return {**common, "nav": "topics", "terms": [_term_view(t, links) for t in site.topics],
                "subjects": _subjects_view(site, links), "canonical": links.absolute("topics/")}

    pages.append(PagePlan("topics/index.html", "topics.html", topics_page))
    pages.append(PagePlan("subjects/index.html", "topics.html", topics_page))  # /subjects/ is the same page
    pages.append(PagePlan("archives/index.html", "archives.html", lambda: {
        **common, "nav": "archives", "years": _years(site.months, links), "canonical": links.absolute("archives/")}))
    if config.search:
        pages.append(PagePlan("search/index.html", "search.html", lambda: {
            **common, "nav": "search", "canonical": links.absolute("search/")}))
    pages.append(PagePlan("404.html", "404.html", lambda: {**common, "canonical": links.absolute("404.html")}))
    return pages


def _article_plans(site: Site, views: ArticleViews, common, config: SiteConfig) -> list[PagePlan]:
    ordered = site.articles

    def context(position: int) -> dict[str, Any]:
        article = ordered[position]
        view = views[article.id]
        return {**common, "article": view,
                "newer": views[ordered[position - 1].id] if position > 0 else None,
                "older": views[ordered[position + 1].id] if position + 1 < len(ordered) else None,
                "related": [views[i] for i in site.related.get(article.id, ())],
                "canonical": view["absolute_url"],
                "json_ld": _json_ld(view, config)}

    plans = [PagePlan(f"{article.url_path}index.html", "article.html", context, (position,))
             for position, article in enumerate(ordered)]
    for article in ordered:
        if article.aliases:
            plans += [PagePlan(path, "redirect.html", _redirect_context, (common, views, article.id))
                      for path in article.alias_pages]
    return plans


def _redirect_context(common: dict[str, Any], views: ArticleViews, article_id: str) -> dict[str, Any]:
    """An alias page: a renamed article's old URL, sending readers (and crawlers) to the new one."""
    view = views[article_id]
    return {**common, "article": view, "target": view["url"], "canonical": view["absolute_url"]}


def _term_plans(site: Site, views: ArticleViews, common, links: Links) -> list[PagePlan]:
    pages = []
    from generator.render.feeds import offers_feed

    for term in site.regions + site.topics + site.months + site.subjects:
        feeds = _term_feeds(term, links) if offers_feed(site, term) else []
        nav = {"region": "regions", "topic": "topics", "subject": "topics", "month": "archives"}[term.kind]
        heading = {"topic": f"主题：{term.name}", "subject": f"主题分类：{term.name}"}.get(term.kind, term.name)
        pages += listing_plans(term.pages, term.url_path, views,
                               {**common, "nav": nav, "feeds": _site_feeds(links) + feeds, "term_feeds": feeds,
                                "term": _term_view(term, links)}, links, heading=heading)
    return pages


def listing_plans(pages: tuple[Page, ...], prefix: str, views: ArticleViews,
                  common: dict[str, Any], links: Links, *, heading: str | None) -> list[PagePlan]:
    """A paginated listing under `prefix` ("" for the home page): prefix/, prefix/page/N/."""
    def context(page: Page, rel: str) -> dict[str, Any]:
        return {"term": None, "term_feeds": [], **common,
                "articles": [views[i] for i in page.article_ids], "page": page, "heading": heading,
                "prev_url": links.page(page.number - 1, prefix) if page.number > 1 else None,
                "next_url": links.page(page.number + 1, prefix) if page.number < page.total else None,
                "canonical": links.absolute(rel)}

    plans = []
    for page in pages:
        rel = prefix + ("" if page.number == 1 else f"page/{page.number}/")
        plans.append(PagePlan(rel + "index.html", "index.html", context, (page, rel)))
    return plans


def _term_view(term: Term, links: Links) -> dict[str, Any]:
    return {"kind": term.kind, "slug": term.slug, "name": term.name, "count": len(term.article_ids),
            "url": links.url(term.url_path)}


def _subjects_view(site: Site, links: Links) -> list[dict[str, Any]]:
    """The subjects with their counts, each with the focus topics filed under it (a topic's
    subject is read from its newest article, as its name is)."""
    filed: dict[str, list[dict[str, Any]]] = {}
    for term in site.topics:
        newest = site.by_id[term.article_ids[0]]
        subject = next((t.subject for t in newest.topics if t.slug == term.slug), "")
        filed.setdefault(subject, []).append(_term_view(term, links))
    views = [{**_term_view(term, links), "topics": filed.pop(term.name, [])} for term in site.subjects]
    return views + ([{"name": "", "count": 0, "url": None, "topics": filed.pop("")}] if "" in filed else [])


def _site_feeds(links: Links) -> list[dict[str, str]]:
    return [{"title": "RSS", "type": "application/rss+xml", "url": links.url("rss.xml")},
            {"title": "Atom", "type": "application/atom+xml", "url": links.url("atom.xml")},
            {"title": "JSON Feed", "type": "application/feed+json", "url": links.url("feed.json")}]


def _term_feeds(term: Term, links: Links) -> list[dict[str, str]]:
    return [{"title": f"{term.name} RSS", "type": "application/rss+xml", "url": links.url(term.url_path + "rss.xml")},
            {"title": f"{term.name} Atom", "type": "application/atom+xml", "url": links.url(term.url_path + "atom.xml")}]


def _years(months: tuple[Term, ...], links: Links) -> list[dict[str, Any]]:
    years: dict[str, list[dict[str, Any]]] = {}
    for term in months:
        year, month = term.slug.split("/")
        years.setdefault(year, []).append({"month": int(month), "name": term.name, "count": len(term.article_ids),
                                           "url": links.url(term.url_path)})
    return [{"year": y, "months": ms, "count": sum(m["count"] for m in ms)} for y, ms in years.items()]


def _chart_alt(regions: tuple[Term, ...]) -> str:
    return "；".join(f"{t.name} {len(t.article_ids)} 篇" for t in regions) or "暂无文章"


def _site_view(config: SiteConfig) -> dict[str, Any]:
    return {"title": xml_safe(config.title), "description": xml_safe(config.description), "language": config.language,
            "base_url": config.base_url, "search": config.search}


def _json_ld(view: dict[str, Any], config: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": view["title"],
                            "url": view["absolute_url"], "mainEntityOfPage": view["absolute_url"],
                            "inLanguage": config.language}
    if view["iso_date"]:
        data["datePublished"] = view["iso_date"]
        data["dateModified"] = view["iso_updated"]
    if view["author"]:
        data["author"] = {"@type": "Person", "name": view["author"]}
    if view["outlet"]:
        data["publisher"] = {"@type": "Organization", "name": view["outlet"]}
    if view["cover_image"]:
        data["image"] = view["cover_image"]
    if view["summary"]:
        data["description"] = view["summary"]
    if view["origin_url"]:
        data["isBasedOn"] = view["origin_url"]
    return data


def documents(site: Site, config: SiteConfig, content_key: str = "", feeds: Container[str] | None = None,
              sitemap: bool = True) -> list[Document | LazyDocument]:
    """Everything besides templated pages: feeds, sitemap, robots.txt, the region chart and
    /favicon.ico (a copy of the theme's static/favicon.ico, or the site's own).

    For an update, `feeds` limits the feeds to those of the listings with these prefixes
    ("" is the site's) and `sitemap=False` leaves the sitemap out.
    """
    from generator.render.feeds import feed_documents
    from generator.render.sitemap import robots_txt, sitemap_documents

    links = Links(config)
    docs: list[Document | LazyDocument] = [Document("regions/chart.svg", region_chart_svg(site.regions, links).encode("utf-8"))]
    docs += feed_documents(site, config, links, content_key, feeds)
    if sitemap:
        docs += sitemap_documents(site, config, links)
    docs.append(Document("robots.txt", robots_txt(links).encode("utf-8")))
    icon = dict(static_files(config)).get("favicon.ico")
    if icon is not None:  # also at the site's root: where a browser looks when a page (a feed) names no icon
        docs.append(Document("favicon.ico", icon.read_bytes()))
    return docs


def document_paths(site: Site) -> list[str]:
    """The path of every file `documents` makes (with every feed), without making any."""
    from generator.render.feeds import feed_paths
    from generator.render.sitemap import sitemap_paths

    return ["regions/chart.svg", *feed_paths(site), *sitemap_paths(site), "robots.txt", "favicon.ico"]


def static_files(config: SiteConfig) -> list[tuple[str, Path]]:
    """Theme static files, overridden file by file by the site's own static/ folder."""
    theme, root = theme_dirs(config)
    chosen: dict[str, Path] = {}
    for folder in (theme / "static", root / "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    chosen[path.relative_to(folder).as_posix()] = path
    return sorted(chosen.items())
