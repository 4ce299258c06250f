"""Index stage: Articles -> Site (unique slugs, newest first, paginated listings)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from generator.diagnostics import Diagnostic, warning
from generator.model import Article, Page, Site

_UNDATED = datetime.min.replace(tzinfo=timezone.utc)


def sort_key(article: Article) -> tuple[datetime, str, str]:
    """Newest first; undated articles last; ties broken by title then id so order is stable."""
    return (article.published or _UNDATED, article.title, article.id)


def build_site(articles: list[Article], page_size: int, *, non_policy: str = "publish") -> tuple[Site, list[Diagnostic]]:
    """Order articles, make every slug unique (with a warning) and cut the listings into pages.

    `non_policy` decides where articles that are not about policy go: "publish" lists them
    with the rest (shown under 其他), "separate" lists them only on /other/, "drop" leaves
    them out of the site.
    """
    if non_policy == "drop":
        articles = [a for a in articles if a.policy]
    ordered = sorted(articles, key=sort_key, reverse=True)
    ordered, problems = _unique_slugs(ordered)
    listed = [a for a in ordered if a.policy or non_policy == "publish"]
    others = [a for a in ordered if not a.policy] if non_policy == "separate" else []
    site = Site(articles=tuple(ordered), by_id={a.id: a for a in ordered},
                index_pages=paginate(listed, page_size), other_pages=paginate(others, page_size) if others else ())
    return site, problems


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
