"""Render stage: Site -> (output path, bytes) pairs.

`plan` lists every page with the data it shows (templates through Jinja2); `documents`
adds what is not a template (feeds, sitemap, robots.txt, the region chart). Both are
pure functions of the Site and the config, so two builds of the same input give the
same bytes and an incremental build can compare plans.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, NamedTuple

import jinja2

from generator.config import SiteConfig
from generator.model import TERM_FOLDERS, Article, Page, Site, Term
from generator.render.briefings import day_title, day_view, week_title, week_view
from generator.render.chart import region_chart_svg
from generator.inputs import SiteInputs, code_version
from generator.render.fingerprint import files_key, view_fingerprint
from generator.render.fragments import FragmentMemo
from generator.render.images import link_remote_images
from generator.render.links import Links
from generator.render.reader import SiteReader, TermData, head_facts, index_of, note
from generator.render.safety import json_for_script, xml_safe
from generator.render.tile_map import region_map_svg

__all__ = ["ArticleViews", "Document", "DocumentPlan", "LazyDocument", "Links", "OutputSpec", "PagePlan", "page_plans", "site_reader", "documents", "make_environment",
           "static_files", "template_key", "xml_safe"]


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


class DocumentPlan(NamedTuple):
    """One document before it is made: `prepare()` gives the Document or LazyDocument, and
    notes what it read of the site (generator.render.reader) as its dependencies."""

    path: str
    prepare: Callable[[], "Document | LazyDocument"]


def template_key(config: SiteConfig) -> str:
    """What every page's bytes depend on besides its context: the templates and the render code."""
    inputs = SiteInputs.of(config)
    return f"{code_version()}-{files_key(list(reversed(inputs.templates)))}"  # theme's, then the site's (the key's order)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class ViewEnvironment(jinja2.Environment):
    """A Jinja environment that reads `view.title` off a plain dict without raising first.

    Jinja resolves `x.y` by trying the attribute, then the item: for the dicts every page is
    made of (article views, cards, contexts) each of the ~150 lookups of a page raised and
    caught an AttributeError (a cold 10,000-article build: 2.4 million, ~3 s of its render).
    A plain dict has no attribute but dict's own, so for any other name the item is what
    Jinja would have returned, and a missing one is the same Undefined.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """Site templates override the theme's; `{% extends "theme/x.html" %}` reaches the theme copy."""
    site_templates, theme_templates = SiteInputs.of(config).templates
    theme_loader = jinja2.FileSystemLoader(theme_templates)
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(site_templates),
        theme_loader,
        jinja2.PrefixLoader({"theme": theme_loader}),
    ])
    env = ViewEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["xmlsafe"] = xml_safe
    env.filters["tojson_safe"] = json_for_script
    env.globals["remember"] = FragmentMemo()  # generator.render.fragments
    return env


def article_view(article: Article, links: Links, term_urls: dict[tuple[str, str], str]) -> dict[str, Any]:
    """What a template may know about an article besides its body: plain values, already made safe for XML.

    `_fp` identifies everything the view shows (see render.fingerprint): the article's
    head facts (generator.render.reader.HEAD_FIELDS), the URLs it links to, the base URLs.
    """
    region, topics, subjects = _term_links(article, term_urls)
    fingerprint = _head_fingerprint(article, links, region, topics, subjects)
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
        "region": region,
        "topics": topics,
        "subjects": subjects,
        "policy": article.policy,
        "figures": [{"display": xml_safe(f.display), "context": xml_safe(f.context)} for f in article.figures],
    }


def article_fingerprint(article: Article, links: Links, term_urls: dict[tuple[str, str], str]) -> str:
    """`article_view(...)["_fp"]` without making (or keeping) the view: what a whole build's
    page records compare, in the main process, while the views are made by the render workers."""
    return _head_fingerprint(article, links, *_term_links(article, term_urls))


def _term_links(article: Article, term_urls: dict[tuple[str, str], str]) -> tuple[dict | None, list, list]:
    """The region, topics and subjects an article view shows, with their URLs."""
    region = None
    if article.region:
        region = {"name": article.region.name, "slug": article.region.slug,
                  "url": term_urls.get(("region", article.region.slug))}
    topics = [{"name": t.name, "slug": t.slug, "url": term_urls.get(("topic", t.slug)), "subject": t.subject}
              for t in article.topics]
    subjects = [{"name": s.name, "slug": s.slug, "sub": s.sub, "url": term_urls.get(("subject", s.slug))}
                for s in article.subjects]
    return region, topics, subjects


def _head_fingerprint(article: Article, links: Links, region: dict | None, topics: list, subjects: list) -> str:
    return view_fingerprint(head_facts(article), region, topics, subjects, links.base, links.absolute_base,
                            article.published.utcoffset() if article.published else None)


def body_view(article: Article, embed_images: bool = False, content_key: str = "") -> dict[str, Any]:
    """An article's body as its own page shows it. `_fp`: the source file's digest under the
    article cache's key (the body is what the pipeline made of that file) and the options."""
    body = xml_safe(article.body_html)
    return {"_fp": body_fingerprint(article, embed_images, content_key),
            "body_html": body if embed_images else link_remote_images(body),
            "reading_minutes": article.reading_minutes}


def body_fingerprint(article: Article, embed_images: bool = False, content_key: str = "") -> str:
    """`body_view(...)["_fp"]` without making the view (what a page's dependencies compare)."""
    return view_fingerprint(article.digest, content_key, embed_images)


# Article views kept by a process that keeps none for a later build (a forked render
# worker; a one-shot `digest build`): its last VIEW_WINDOW, forgotten oldest first. Pages are
# rendered in article order (generator.build.render_pages), so a view is reused by the pages
# near its article's own. 100,000 articles: a render worker's private memory 880 -> 708 MB.
VIEW_WINDOW = 4096


class ArticleViews(dict):
    """Article views by id, each made the first time a page asks for it; `body(id)` gives
    the body's view, made each time its page asks for it.

    With `cache` (kept by a long-lived Builder: id -> [key, view]) a
    view whose article and links are unchanged is reused instead of made again, so a
    preview rebuild after one edit makes one view, not ten thousand.

    Without `cache` (a one-shot build), and in a forked render worker (a process other than
    the one that made these views: what it makes dies with it), only the last VIEW_WINDOW
    views are kept, and nothing is added to `cache`.
    """

    def __init__(self, site: Site, links: Links, term_urls: dict[tuple[str, str], str], embed: bool,
                 content_key: str, cache: dict | None = None) -> None:
        super().__init__()
        self._site, self._links, self._term_urls = site, links, term_urls
        self._embed, self._content_key = embed, content_key
        self._cache = cache
        self._maker = os.getpid()

    def for_site(self, site: Site) -> "ArticleViews":
        """The views of another site of the same layout (the same links), sharing the cache."""
        return ArticleViews(site, self._links, self._term_urls, self._embed, self._content_key, self._cache)

    def __missing__(self, article_id: str) -> dict[str, Any]:
        view = self[article_id] = self._entry(article_id)[1]
        if len(self) > VIEW_WINDOW and not self._keeps_all():
            del self[next(iter(self))]  # the oldest: pages are rendered in article order
        return view

    def _keeps_all(self) -> bool:
        """Whether the views made here are kept for a later build (in the long-lived cache)."""
        return self._cache is not None and os.getpid() == self._maker

    def body(self, article_id: str) -> dict[str, Any]:
        """Made afresh, never kept: only the article's own page shows it (once per build),
        and kept bodies were every rendered article's whole text in each render worker
        (the largest process of a 100,000-article build: 1.66 GB against the main's 1.34)."""
        return body_view(self._site.by_id[article_id], self._embed, self._content_key)

    def body_fingerprint(self, article_id: str) -> str:
        return body_fingerprint(self._site.by_id[article_id], self._embed, self._content_key)

    def head_fingerprint(self, article_id: str) -> str:
        """`self[article_id]["_fp"]`; made without the view unless the view is at hand (a
        whole build compares 100,000 of them: kept views cost ~2 KB each)."""
        view = dict.get(self, article_id)
        if view is not None:
            return view["_fp"]
        cached = self._cache.get(article_id) if self._cache is not None else None
        if cached is not None and cached[0] == self._key(self._site.by_id[article_id]):
            return cached[1]["_fp"]
        return article_fingerprint(self._site.by_id[article_id], self._links, self._term_urls)

    def _entry(self, article_id: str) -> list:
        article = self._site.by_id[article_id]
        key = self._key(article)
        cached = self._cache.get(article_id) if self._cache is not None else None
        if cached is None or cached[0] != key:
            cached = [key, article_view(article, self._links, self._term_urls)]
            if self._keeps_all():  # (a worker's copy of the cache dies with it)
                self._cache[article_id] = cached  # type: ignore[index]
        return cached

    def _key(self, article: Article) -> tuple:
        """What a kept view was made of: the same key, the same view."""
        links, term_urls = self._links, self._term_urls
        return (article.digest, article.slug, self._content_key, self._embed, links.base, links.absolute_base,
                article.published, term_urls.get(("region", article.region.slug)) if article.region else None,
                tuple(term_urls.get(("topic", t.slug)) for t in article.topics),
                tuple(term_urls.get(("subject", s.slug)) for s in article.subjects))


# Other reports of a story an article page lists, and a listing card names: a story that a
# template repeats on a hundred pages is still one story, and its pages stay small.
SHOWN_REPORTS = 12
SHOWN_ALSO = 5


class PagePlan(NamedTuple):
    """One page of the site before its data is gathered: `spec()` gathers it.

    (A named tuple: a large site plans ten thousand of these for every preview update.)
    """

    path: str
    template: str
    gather: Callable[..., dict[str, Any]]
    arguments: tuple = ()
    # Where, in the site's newest-first order, the first article the page shows stands: the
    # render workers take runs of pages near each other, which read the same articles.
    near: int = 0

    def spec(self) -> OutputSpec:
        return OutputSpec(self.path, self.template, self.gather(*self.arguments))


def site_reader(site: Site, config: SiteConfig, content_key: str = "", view_cache: dict | None = None) -> SiteReader:
    """The site as its pages read it: article views (made once, kept in `view_cache` by a
    long-lived session while their article and links are unchanged; without it, a window of
    them: ArticleViews) and listings."""
    links = Links(config)
    term_urls = {(t.kind, t.slug): links.url(t.url_path)
                 for t in site.regions + site.topics + site.months + site.subjects + site.days + site.weeks}
    views = ArticleViews(site, links, term_urls, config.remote_images == "embed", content_key, view_cache)
    return SiteReader(site, views, lambda kind, slug: term_urls.get((kind, slug)))


def page_plans(reader: SiteReader, site: Site, config: SiteConfig) -> list[PagePlan]:
    """Every templated page of the site, its data not yet gathered (cheap: a preview update
    gathers only the pages whose dependencies changed).

    Every gather function reads the site through `reader` (also handed to the templates as
    `site_data`), so what a page shows is recorded as its dependencies
    (generator.render.reader) while it is gathered and rendered: there is no second list
    of what each page shows. `site` only says which pages there are.
    """
    links = Links(config)
    common = {"site": _site_view(config), "links": links, "feeds": _site_feeds(links), "nav": None,
              "site_data": reader}
    near = index_of(site).positions  # the site's own map, shared with the article neighbours
    pages = listing_plans(reader, site.index_pages, ("home", ""), "", {**common, "nav": "home"}, links,
                          heading=None, near=near)
    if site.other_pages:
        pages += listing_plans(reader, site.other_pages, ("other", ""), "other/", common, links,
                               heading="其他（非政策）文章", near=near)
    pages += _article_plans(site, reader, common, config)
    pages += _term_plans(site, reader, common, links, near)
    pages.append(PagePlan("regions/index.html", "regions.html", _regions_page, (reader, common, links)))
    pages.append(PagePlan("topics/index.html", "topics.html", _topics_page, (reader, common, links)))
    pages.append(PagePlan("subjects/index.html", "topics.html", _topics_page, (reader, common, links)))  # the same page
    pages += briefing_plans(reader, site, common, links, near)
    pages.append(PagePlan("archives/index.html", "archives.html", lambda: {
        **common, "nav": "archives", "years": _years(reader.terms("month"), links),
        "canonical": links.absolute("archives/")}))
    if config.search:
        pages.append(PagePlan("search/index.html", "search.html", lambda: {
            **common, "nav": "search", "canonical": links.absolute("search/")}))
    pages.append(PagePlan("404.html", "404.html", lambda: {**common, "canonical": links.absolute("404.html")}))
    return pages


def briefing_plans(reader: SiteReader, site: Site, common: dict[str, Any], links: Links,
                   near: dict[str, int]) -> list[PagePlan]:
    """/daily/DAY/ and /weekly/WEEK/ for every day and week with articles, and their archives."""
    plans = [PagePlan(f"daily/{term.slug}/index.html", "daily.html", _day_page, (reader, common, links, term.slug),
                      _first(term.article_ids, near)) for term in site.days]
    plans += [PagePlan(f"weekly/{term.slug}/index.html", "weekly.html", _week_page, (reader, common, links, term.slug),
                       _first(term.article_ids, near)) for term in site.weeks]
    plans.append(PagePlan("daily/index.html", "briefings.html", _briefing_archive, (reader, common, links, "day")))
    plans.append(PagePlan("weekly/index.html", "briefings.html", _briefing_archive, (reader, common, links, "week")))
    return plans


def _day_page(reader: SiteReader, common: dict[str, Any], links: Links, slug: str) -> dict[str, Any]:
    view = day_view(reader, slug, links)
    return {**common, "nav": "briefings", "day": view, "canonical": view["absolute_url"],
            **_with_briefing_feeds("day", links)}


def _week_page(reader: SiteReader, common: dict[str, Any], links: Links, slug: str) -> dict[str, Any]:
    view = week_view(reader, slug, links)
    return {**common, "nav": "briefings", "week": view, "canonical": view["absolute_url"],
            **_with_briefing_feeds("week", links)}


def _briefing_archive(reader: SiteReader, common: dict[str, Any], links: Links, kind: str) -> dict[str, Any]:
    """Every day (or week) with its story count, grouped by year (days: by month)."""
    title = day_title if kind == "day" else week_title
    groups: dict[str, list[dict[str, Any]]] = {}
    for term in reader.terms(kind):
        group = term.slug[:7] if kind == "day" else term.slug[:4]
        groups.setdefault(group, []).append({"name": title(term.slug), "count": term.count, "url": term.url})
    heading = "每日简报" if kind == "day" else "每周简报"
    folder = "daily/" if kind == "day" else "weekly/"
    return {**common, "nav": "briefings", "heading": heading, "kind": kind, "canonical": links.absolute(folder),
            "groups": [{"name": (f"{g[:4]}年{int(g[5:])}月" if kind == "day" else f"{g}年"), "items": items}
                       for g, items in groups.items()],
            **_with_briefing_feeds(kind, links), "other": _briefing_other(kind, links)}


def _briefing_other(kind: str, links: Links) -> dict[str, str]:
    return {"name": "每周简报", "url": links.url("weekly/")} if kind == "day" else \
        {"name": "每日简报", "url": links.url("daily/")}


def _latest_briefings(reader: SiteReader, links: Links) -> dict[str, Any] | None:
    """The home page's 今日/本周 links: the latest day's and week's briefings."""
    day, week = reader.newest_term("day"), reader.newest_term("week")
    if day is None:
        return None
    return {"day": {"name": day_title(day), "url": reader.term_url("day", day)},
            "week": {"name": week_title(week), "url": reader.term_url("week", week)} if week else None}


def _with_briefing_feeds(kind: str, links: Links) -> dict[str, Any]:
    """A briefing page's feeds: the site's and the briefings' in <head>, the briefings' to subscribe to."""
    own = _briefing_feeds(kind, links)
    return {"feeds": _site_feeds(links) + own, "term_feeds": own}


def _briefing_feeds(kind: str, links: Links) -> list[dict[str, str]]:
    return _feed_pair("每日简报", "daily/", links) if kind == "day" else _feed_pair("每周简报", "weekly/", links)


def _regions_page(reader: SiteReader, common: dict[str, Any], links: Links) -> dict[str, Any]:
    regions = reader.terms("region")
    return {**common, "nav": "regions", "terms": [_term_view(t, links) for t in regions],
            "chart": region_chart_svg(regions, links), "chart_url": links.url("regions/chart.svg"),
            "canonical": links.absolute("regions/"), "chart_alt": _chart_alt(regions),
            "region_map": region_map_svg({t.slug: t.count for t in regions}, {t.slug: t.url for t in regions})}


def _topics_page(reader: SiteReader, common: dict[str, Any], links: Links) -> dict[str, Any]:
    return {**common, "nav": "topics", "terms": [_term_view(t, links) for t in reader.terms("topic")],
            "subjects": _subjects_view(reader, links), "canonical": links.absolute("topics/")}


def _article_plans(site: Site, reader: SiteReader, common, config: SiteConfig) -> list[PagePlan]:
    def context(article_id: str) -> dict[str, Any]:
        view = reader.article_page(article_id)
        newer, older = reader.neighbours(article_id)
        return {**common, "article": view, "newer": newer, "older": older,
                "related": reader.related(article_id),
                "also_reported": reader.also_reported(article_id, SHOWN_REPORTS),
                "story_size": len(reader.story_ids(article_id)),
                "story_lead": (reader.story_ids(article_id) or (None,))[0],
                "canonical": view["absolute_url"],
                "json_ld": _json_ld(view, config)}

    new = tuple.__new__  # PagePlan(...) without its Python-level __new__: half the cost, per article per update
    plans = [new(PagePlan, (f"{article.url_path}index.html", "article.html", context, (article.id,), n))
             for n, article in enumerate(site.articles)]
    for n, article in [(n, a) for n, a in enumerate(site.articles) if a.aliases]:
        plans += [PagePlan(path, "redirect.html", _redirect_context, (common, reader, article.id), n)
                  for path in article.alias_pages]
    return plans


def _redirect_context(common: dict[str, Any], reader: SiteReader, article_id: str) -> dict[str, Any]:
    """An alias page: a renamed article's old URL, sending readers (and crawlers) to the new one."""
    view = reader.article(article_id)
    return {**common, "article": view, "target": view["url"], "canonical": view["absolute_url"]}


def _term_plans(site: Site, reader: SiteReader, common, links: Links, near: dict[str, int]) -> list[PagePlan]:
    pages = []
    from generator.render.feeds import offers_feed

    for term in site.regions + site.topics + site.months + site.subjects:
        feeds = _term_feeds(term, links) if offers_feed(site, term) else []
        nav = {"region": "regions", "topic": "topics", "subject": "topics", "month": "archives"}[term.kind]
        heading = {"topic": f"主题：{term.name}", "subject": f"主题分类：{term.name}"}.get(term.kind, term.name)
        pages += listing_plans(reader, term.pages, (term.kind, term.slug), term.url_path,
                               {**common, "nav": nav, "feeds": _site_feeds(links) + feeds, "term_feeds": feeds},
                               links, heading=heading, near=near)
    return pages


def listing_plans(reader: SiteReader, pages: tuple[Page, ...], listing: tuple[str, str], prefix: str,
                  common: dict[str, Any], links: Links, *, heading: str | None,
                  near: dict[str, int]) -> list[PagePlan]:
    """A paginated listing under `prefix` ("" for the home page): prefix/, prefix/page/N/.

    `listing` is the (kind, slug) the reader knows it by. A term's page shows the term (its
    name and count: read through the reader, so every page of it depends on the whole
    term); the home and "other" pages show only their slice."""
    def context(number: int, rel: str) -> dict[str, Any]:
        page = reader.page(*listing, number)
        term = reader.term(*listing) if listing[0] not in ("home", "other") else None
        latest = _latest_briefings(reader, links) if listing[0] == "home" and number == 1 else None
        return {"term": _term_view(term, links) if term else None, "term_feeds": [], **common,
                "articles": [reader.article(i) for i in page.article_ids], "page": page, "heading": heading,
                "also": {i: reader.also_reported(i, SHOWN_ALSO) for i in page.article_ids},
                "story_sizes": {i: len(reader.story_ids(i)) for i in page.article_ids}, "latest": latest,
                "prev_url": links.page(page.number - 1, prefix) if page.number > 1 else None,
                "next_url": links.page(page.number + 1, prefix) if page.number < page.total else None,
                "canonical": links.absolute(rel)}

    plans = []
    for page in pages:
        rel = prefix + ("" if page.number == 1 else f"page/{page.number}/")
        plans.append(PagePlan(rel + "index.html", "index.html", context, (page.number, rel),
                              _first(page.article_ids, near)))
    return plans


def _first(article_ids: tuple[str, ...], near: dict[str, int]) -> int:
    """A page's `near`: where its first article stands in the site's order."""
    return near.get(article_ids[0], 0) if article_ids else 0


def _term_view(term: "Term | TermData", links: Links) -> dict[str, Any]:
    count = term.count if isinstance(term, TermData) else len(term.article_ids)
    return {"kind": term.kind, "slug": term.slug, "name": term.name, "count": count,
            "url": links.url(_term_path(term.kind, term.slug))}


def _term_path(kind: str, slug: str) -> str:
    return f"{TERM_FOLDERS[kind]}/{slug}/"


def _subjects_view(reader: SiteReader, links: Links) -> list[dict[str, Any]]:
    """The subjects with their counts, each with the focus topics filed under it (a topic's
    subject is read from its newest article, as its name is)."""
    filed: dict[str, list[dict[str, Any]]] = {}
    for term in reader.terms("topic"):
        newest = reader.article(term.newest_id) if term.newest_id else None
        subject = next((t["subject"] for t in newest["topics"] if t["slug"] == term.slug), "") if newest else ""
        filed.setdefault(subject, []).append(_term_view(term, links))
    views = [{**_term_view(term, links), "topics": filed.pop(term.name, [])} for term in reader.terms("subject")]
    return views + ([{"name": "", "count": 0, "url": None, "topics": filed.pop("")}] if "" in filed else [])


def _site_feeds(links: Links) -> list[dict[str, str]]:
    return [{"title": "RSS", "type": "application/rss+xml", "url": links.url("rss.xml")},
            {"title": "Atom", "type": "application/atom+xml", "url": links.url("atom.xml")},
            {"title": "JSON Feed", "type": "application/feed+json", "url": links.url("feed.json")}]


def _term_feeds(term: Term, links: Links) -> list[dict[str, str]]:
    return _feed_pair(term.name, term.url_path, links)


def _feed_pair(name: str, folder: str, links: Links) -> list[dict[str, str]]:
    """The RSS and Atom feeds of a folder (a term's, the briefings'), as pages link them."""
    return [{"title": f"{name} RSS", "type": "application/rss+xml", "url": links.url(folder + "rss.xml")},
            {"title": f"{name} Atom", "type": "application/atom+xml", "url": links.url(folder + "atom.xml")}]


def _years(months: list[TermData], links: Links) -> list[dict[str, Any]]:
    years: dict[str, list[dict[str, Any]]] = {}
    for term in months:
        year, month = term.slug.split("/")
        years.setdefault(year, []).append({"month": int(month), "name": term.name, "count": term.count,
                                           "url": links.url(_term_path(term.kind, term.slug))})
    return [{"year": y, "months": ms, "count": sum(m["count"] for m in ms)} for y, ms in years.items()]


def _chart_alt(regions: list[TermData]) -> str:
    return "；".join(f"{t.name} {t.count} 篇" for t in regions) or "暂无文章"


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


def documents(site: Site, config: SiteConfig, content_key: str = "", reader: SiteReader | None = None
              ) -> list[DocumentPlan]:
    """Everything besides templated pages: feeds, sitemap, robots.txt, the region chart and
    /favicon.ico (a copy of the theme's static/favicon.ico, or the site's own). Feeds and
    sitemaps are lazy: made only when their fingerprint moved."""
    from generator.render.briefing_feeds import briefing_feed_documents
    from generator.render.feeds import feed_documents
    from generator.render.sitemap import robots_txt, sitemap_documents

    links = Links(config)

    def chart() -> Document:
        note(("T", "region"))
        return Document("regions/chart.svg", region_chart_svg(site.regions, links).encode("utf-8"))

    docs = [DocumentPlan("regions/chart.svg", chart)]
    docs += feed_documents(site, config, links, content_key)
    docs += briefing_feed_documents(reader or site_reader(site, config, content_key), config, links, content_key)
    docs += sitemap_documents(site, config, links)
    docs.append(DocumentPlan("robots.txt", lambda: Document("robots.txt", robots_txt(links).encode("utf-8"))))
    icon = dict(static_files(config)).get("favicon.ico")
    if icon is not None:  # also at the site's root: where a browser looks when a page (a feed) names no icon
        docs.append(DocumentPlan("favicon.ico", lambda: Document("favicon.ico", icon.read_bytes())))
    return docs


def static_files(config: SiteConfig) -> list[tuple[str, Path]]:
    """Theme static files, overridden file by file by the site's own static/ folder."""
    return SiteInputs.of(config).static_files()
