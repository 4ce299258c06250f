"""Index stage: Articles -> Site (unique slugs, newest first, paginated listings)."""
from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timezone, tzinfo

from generator.diagnostics import Diagnostic, warning
from generator.model import Article, Page, Site, Term

_UNDATED = datetime.min.replace(tzinfo=timezone.utc)


def sort_key(article: Article) -> tuple[datetime, str, str]:
    """Newest first; undated articles last; ties broken by title then id so order is stable."""
    return (article.published or _UNDATED, article.title, article.id)


def build_site(articles: list[Article], page_size: int, *, non_policy: str = "publish",
               tz: tzinfo = timezone.utc) -> tuple[Site, list[Diagnostic]]:
    """Order articles, make every slug unique (with a warning) and cut the listings into pages.

    `non_policy` decides where articles that are not about policy go: "publish" lists them
    with the rest (shown under 其他), "separate" lists them only on /other/, "drop" leaves
    them out of the site. Region, topic and month listings hold the listed articles;
    dates are put in the site's time zone (months are counted, and pages show dates, in it).
    """
    articles = [in_zone(a, tz) for a in articles]
    if non_policy == "drop":
        articles = [a for a in articles if a.policy]
    ordered = sorted(articles, key=sort_key, reverse=True)
    ordered, problems = _unique_slugs(ordered)
    listed = [a for a in ordered if a.policy or non_policy == "publish"]
    others = [a for a in ordered if not a.policy] if non_policy == "separate" else []
    regions = _terms("region", listed, lambda a: [(a.region.slug, a.region.name)] if a.region else [], page_size)
    topics = _terms("topic", listed, lambda a: [(t.slug, t.name) for t in a.topics], page_size)
    months = _month_terms(listed, page_size)
    site = Site(articles=tuple(ordered), by_id={a.id: a for a in ordered},
                index_pages=paginate(listed, page_size), other_pages=paginate(others, page_size) if others else (),
                listed=tuple(a.id for a in listed), regions=regions, topics=topics, months=months,
                related=related_articles(listed, regions + topics))
    return site, problems


def in_zone(article: Article, tz: tzinfo) -> Article:
    """The article with its dates in `tz`, whatever offset the source gave (same instants)."""
    if article.published is None and article.updated is None:
        return article
    return replace(article, published=article.published.astimezone(tz) if article.published else None,
                   updated=article.updated.astimezone(tz) if article.updated else None)


def _terms(kind: str, articles: list[Article], keys, page_size: int) -> tuple[Term, ...]:
    """Group articles (already newest first) by the (slug, name) pairs `keys` gives each one.

    Biggest listing first, then by slug, so the order never depends on input order.
    """
    members: dict[str, list[Article]] = defaultdict(list)
    names: dict[str, str] = {}
    for article in articles:
        for slug, name in keys(article):
            if not members[slug] or members[slug][-1] is not article:
                members[slug].append(article)
            names.setdefault(slug, name)
    order = sorted(members, key=lambda slug: (-len(members[slug]), slug))
    return tuple(Term(kind, slug, names[slug], tuple(a.id for a in members[slug]), paginate(members[slug], page_size))
                 for slug in order)


def _month_terms(articles: list[Article], page_size: int) -> tuple[Term, ...]:
    """One listing per calendar month of the articles' own (site) time zone, newest first;
    undated articles have none."""
    members: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in articles:
        if article.published is not None:
            members[(article.published.year, article.published.month)].append(article)
    return tuple(Term("month", f"{y:04d}/{m:02d}", f"{y}年{m}月", tuple(a.id for a in members[(y, m)]),
                      paginate(members[(y, m)], page_size))
                 for y, m in sorted(members, reverse=True))


RELATED_COUNT = 5
_NEIGHBOURS = 12


def related_articles(articles: list[Article], terms: tuple[Term, ...]) -> dict[str, tuple[str, ...]]:
    """Up to five articles sharing the most regions/topics with each article, nearest in time first.

    Only an article's neighbours in each of its listings are candidates, so the cost
    grows with the number of articles, not with its square; 全国 counts less than a
    province because half the digest is national.
    """
    position = {a.id: i for i, a in enumerate(articles)}
    scores: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for term in terms:
        weight = 0.5 if term.slug == "national" else 1.0
        ids = term.article_ids
        for i, article_id in enumerate(ids):
            for other in ids[max(0, i - _NEIGHBOURS):i + _NEIGHBOURS + 1]:
                if other != article_id:
                    scores[article_id][other] += weight
    related = {}
    for article_id, candidates in scores.items():
        here = position[article_id]
        ranked = [(-score, abs(position[o] - here), position[o], o) for o, score in candidates.items()]
        related[article_id] = tuple(item[3] for item in heapq.nsmallest(RELATED_COUNT, ranked))
    return related


def paginate(articles: list[Article], page_size: int) -> tuple[Page, ...]:
    """Pages of ids; an empty listing still has one (empty) page."""
    ids = tuple(a.id for a in articles)
    total = max(1, -(-len(ids) // page_size))
    return tuple(Page(n + 1, total, ids[n * page_size:(n + 1) * page_size]) for n in range(total))


def _unique_slugs(articles: list[Article]) -> tuple[list[Article], list[Diagnostic]]:
    """Two articles never share a URL: later claimants (in source order) get -2, -3 ..."""
    taken: dict[str, Article] = {}
    renamed: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for article in sorted(articles, key=lambda a: str(a.source)):
        slug = article.slug
        if slug in taken:
            n = 2
            while f"{slug}-{n}" in taken:
                n += 1
            new = f"{slug}-{n}"
            problems.append(warning(article.source, f"slug {slug!r} is already used by {taken[slug].source}; this article is published as {new!r}"))
            renamed[article.id] = new
            slug = new
        taken[slug] = article
    return [replace(a, slug=renamed[a.id]) if a.id in renamed else a for a in articles], problems
