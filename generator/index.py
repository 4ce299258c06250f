"""Index stage: Articles -> Site (unique slugs, newest first, paginated listings)."""
from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime, timezone, tzinfo
from typing import Iterable, Mapping

from generator.diagnostics import Diagnostic, warning
from generator.enrich.keywords import KeywordVector, keyword_vector, vector_similarity
from generator.enrich.subjects import default_subjects
from generator.model import Article, Page, Site, Term
from generator.per_article import PerArticle
from generator.stories import story_groups, story_links, story_links_since

_UNDATED = datetime.min.replace(tzinfo=timezone.utc)


def sort_key(article: Article) -> tuple[datetime, str, str]:
    """Newest first; undated articles last; ties broken by title then id so order is stable."""
    return (article.published or _UNDATED, article.title, article.id)


def build_site(articles: list[Article], page_size: int, *, non_policy: str = "publish",
               tz: tzinfo = timezone.utc, previous: Site | None = None) -> tuple[Site, list[Diagnostic]]:
    """Order articles, make every slug unique (with a warning) and cut the listings into pages.

    `non_policy` decides where articles that are not about policy go: "publish" lists them
    with the rest (shown under 其他), "separate" lists them only on /other/, "drop" leaves
    them out of the site. Region, topic and month listings hold the listed articles;
    dates are put in the site's time zone (months are counted, and pages show dates, in it).

    With `previous` (the site this one replaces, indexed with the same settings) related
    lists are computed only around the articles that changed; the result is the same.
    """
    articles = [in_zone(a, tz) for a in articles]
    if non_policy == "drop":
        articles = [a for a in articles if a.policy]
    if previous is not None:
        same = _same_shape(previous, articles)
        if same is not None:
            return same, []
    ordered = _ordered(articles, previous)
    ordered, problems = _unique_slugs(ordered, previous)
    ordered, alias_problems = _usable_aliases(ordered, previous)
    problems += alias_problems
    by_id = {a.id: a for a in ordered}
    changed = changed_ids(previous, by_id) if previous is not None else None
    patch = changed is not None and patches(len(changed), len(ordered))
    if patch:
        links = story_links_since(previous.story_links, by_id, ordered, changed)
    else:
        links = story_links(ordered)
    stories = story_groups(links, by_id)
    if changed is not None:
        # An article whose story changed moves in or out of the listings (only a lead is
        # listed) and shows other "also reported by" lines: it counts as changed.
        changed |= {i for i in set(stories) | set(previous.stories) if stories.get(i) != previous.stories.get(i)}
    told = [a for a in ordered if a.id not in stories or stories[a.id][0] == a.id]  # each story once
    listed = told if non_policy == "publish" else [a for a in told if a.policy]
    others = [a for a in told if not a.policy] if non_policy == "separate" else []
    listed_ids = tuple(a.id for a in listed)
    if patch:
        regions, topics, months, subjects, days, weeks = _listings_since(previous, listed, by_id, changed, page_size)
    else:
        regions, topics, months, subjects, days, weeks = _listings(listed, page_size)
    site = Site(articles=tuple(ordered), by_id=by_id,
                index_pages=_paginate_again(listed_ids, page_size, previous.index_pages if previous else ()),
                other_pages=paginate(others, page_size) if others else (),
                listed=listed_ids, regions=regions, topics=topics, months=months, subjects=subjects,
                days=days, weeks=weeks, story_links=links, stories=stories)
    if changed is None:
        related = related_articles(listed, regions + subjects)
    else:
        related = _related_since(previous, site, changed)
    return replace(site, related=related, renamed=bool(problems)), problems


def _same_shape(previous: Site, articles: list[Article]) -> Site | None:
    """`previous` with the changed articles swapped in, when none of them changed anything
    indexing reads (an edit of the body past the lead, of the summary, of the author...):
    the order, listings, stories and related lists are then the previous ones. None when
    indexing must run (an article came, went or changed what it reads; a slug was renamed)."""
    before = previous.by_id
    if previous.renamed or len(articles) != len(before):
        return None
    fresh = [a for a in articles if before.get(a.id) is not a]
    if not patches(len(fresh), len(articles)):
        return None
    for article in fresh:
        old, in_story = before.get(article.id), article.id in previous.stories
        if old is None or index_facts(old, in_story) != index_facts(article, in_story):
            return None
    if not fresh:
        return previous
    swap = {a.id: a for a in fresh}
    by_id = dict(before)
    by_id.update(swap)
    return replace(previous, articles=tuple(swap.get(a.id, a) for a in previous.articles), by_id=by_id)


def index_facts(article: Article, in_story: bool) -> tuple:
    """Everything of an article that indexing reads: ordering (date, title, id), slug and aliases
    (and the source path that decides slug conflicts), listings (region, topics, subjects,
    policy, dates), story links (sketch and numbers of headline and lead) and related lists
    (keywords). A story picks its lead among equally early reports by text length."""
    return (article.slug, article.source, article.title, article.published, article.updated, article.region,
            article.topics, article.subjects, article.policy, article.aliases, article.sketch, article.numbers,
            article.keywords, len(article.text) if in_story else None)


def _related_since(previous: Site, site: Site, changed: set[str]) -> dict[str, tuple[str, ...]]:
    """Related lists of `site`, recomputed only for the neighbourhood of what changed since `previous`."""
    redo = changed | neighbourhood(previous, changed) | neighbourhood(site, changed)
    listed_ids = set(site.listed)
    related = {i: r for i, r in previous.related.items() if i not in redo and i in listed_ids}
    related.update(related_articles(site.by_id, site.regions + site.subjects, only=redo & listed_ids))
    return related


def in_zone(article: Article, tz: tzinfo) -> Article:
    """The article with its dates in `tz`, whatever offset the source gave (same instants)."""
    published, updated = article.published, article.updated
    if (published is None or published.tzinfo is tz) and (updated is None or updated.tzinfo is tz):
        return article
    return replace(article, published=article.published.astimezone(tz) if article.published else None,
                   updated=article.updated.astimezone(tz) if article.updated else None)


# An update changing at most PATCH_LIMIT articles, or PATCH_SHARE of the site, patches the
# previous index instead of indexing anew. The patch redoes the related lists of ~43 listed
# neighbours per changed article, so its cost follows the share of the site changed;
# `python benchmarks/bench_index_patch.py` at 10,000 articles (patched / whole, seconds):
# 16 added 0.24 / 1.70, 64: 0.67 / 1.83, 100: 1.11 / 1.89, 200: 1.55 / 2.19, 400: 2.05 / 2.07,
# 800: 1.93 / 1.85. Patching pays up to ~4% of the site; 2% keeps a margin.
PATCH_LIMIT = 64
PATCH_SHARE = 0.02


def patches(changed: int, articles: int) -> bool:
    """Whether a change of `changed` of `articles` articles is patched into the previous index."""
    return changed <= max(PATCH_LIMIT, int(articles * PATCH_SHARE))

Listings = tuple[tuple[Term, ...], tuple[Term, ...], tuple[Term, ...], tuple[Term, ...], tuple[Term, ...],
                 tuple[Term, ...]]


def listing_keys(article: Article) -> dict[tuple[str, str], str]:
    """The listings an article is in, {(kind, slug): name}: its region, its topics, its
    subjects, and the calendar month, day and ISO week of its (site time zone) date; undated
    articles have none of the three. Days and weeks are what the briefings tell."""
    keys = {("region", article.region.slug): article.region.name} if article.region else {}
    for topic in article.topics:
        keys.setdefault(("topic", topic.slug), topic.name)
    for subject in article.subjects:
        keys.setdefault(("subject", subject.slug), subject.name)
    if article.published is not None:
        year, month = article.published.year, article.published.month
        keys[("month", f"{year:04d}/{month:02d}")] = f"{year}年{month}月"
        day = article.published.date()
        keys[("day", day.isoformat())] = f"{year}年{month}月{day.day}日"
        iso_year, week, _ = day.isocalendar()
        keys[("week", f"{iso_year:04d}-W{week:02d}")] = f"{iso_year}年第{week}周"
    return keys


def _listings(listed: list[Article], page_size: int) -> Listings:
    """Region, topic, month and subject listings of the listed articles (newest first).

    A listing's name is the one its newest article gives."""
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for article in listed:
        for key, name in listing_keys(article).items():
            group = members[key]
            if not group:
                names[key] = name
            group.append(article.id)
    return _ordered_terms({key: Term(key[0], key[1], names[key], tuple(ids), _paginate_ids(tuple(ids), page_size))
                           for key, ids in members.items()})


def _listings_since(previous: Site, listed: list[Article], by_id: Mapping[str, Article], changed: set[str],
                    page_size: int) -> Listings:
    """`_listings`, by patching the previous site's: only the listings a changed article was
    or is in are made again; the others are the previous Terms themselves."""
    terms = {(t.kind, t.slug): t for t in previous.regions + previous.topics + previous.months + previous.subjects
             + previous.days + previous.weeks}
    listed_now = {a.id for a in listed} if len(listed) != len(by_id) else by_id
    keys_now = {i: listing_keys(by_id[i]) for i in changed if i in listed_now}
    touched = {key for keys in keys_now.values() for key in keys}
    touched.update(key for i in changed if i in previous.by_id for key in listing_keys(previous.by_id[i]))
    position = {a.id: n for n, a in enumerate(listed)}
    for key in touched:
        old = terms.pop(key, None)
        kept = [i for i in old.article_ids if i not in changed] if old else []
        ids = tuple(sorted(kept + [i for i, keys in keys_now.items() if key in keys], key=position.__getitem__))
        if not ids:
            continue
        name = listing_keys(by_id[ids[0]])[key]
        if old is not None and old.name == name and old.article_ids == ids:
            terms[key] = old
        else:
            terms[key] = Term(key[0], key[1], name, ids, _paginate_ids(ids, page_size))
    return _ordered_terms(terms)


def _ordered_terms(terms: Mapping[tuple[str, str], Term]) -> Listings:
    """Regions and topics biggest listing first, then by slug (never by input order); months, days
    and weeks newest first; subjects in the State Council library's order."""
    def of(kind: str) -> list[Term]:
        return [term for key, term in terms.items() if key[0] == kind]

    def by_size(found: list[Term]) -> tuple[Term, ...]:
        return tuple(sorted(found, key=lambda t: (-len(t.article_ids), t.slug)))

    order = {s.slug: n for n, s in enumerate(default_subjects().subjects)}
    def newest_first(kind: str) -> tuple[Term, ...]:
        return tuple(sorted(of(kind), key=lambda t: t.slug, reverse=True))

    return (by_size(of("region")), by_size(of("topic")), newest_first("month"),
            tuple(sorted(of("subject"), key=lambda t: (order.get(t.slug, len(order)), t.slug))),
            newest_first("day"), newest_first("week"))


def _ordered(articles: list[Article], previous: Site | None) -> list[Article]:
    """Newest first (see sort_key). After a small change, the previous order with the changed
    articles taken out and put back where they belong."""
    if previous is None:
        return sorted(articles, key=sort_key, reverse=True)
    before = previous.by_id
    fresh = [a for a in articles if before.get(a.id) is not a]
    if not patches(len(fresh), len(articles)):
        return sorted(articles, key=sort_key, reverse=True)
    present = {a.id for a in articles}
    leaving = {a.id for a in fresh}
    ordered = [a for a in previous.articles if a.id in present and a.id not in leaving]
    for article in fresh:
        key, low, high = sort_key(article), 0, len(ordered)
        while low < high:
            middle = (low + high) // 2
            if sort_key(ordered[middle]) > key:
                low = middle + 1
            else:
                high = middle
        ordered.insert(low, article)
    return ordered


def changed_ids(previous: Site, by_id: Mapping[str, Article]) -> set[str]:
    """Ids of the articles added, removed or changed (a different object: reprocessed,
    renamed, re-dated) since `previous`."""
    before = previous.by_id
    changed = {i for i, article in by_id.items() if before.get(i) is not article}
    changed.update(i for i in before if i not in by_id)
    return changed


RELATED_COUNT = 5
_NEIGHBOURS = 12
# Below this keyword similarity a candidate is rarely about the same thing (read by hand: of 46
# seeds whose best candidate scored at least 0.15, 40 were right; at 0.10, 42 of 58): no
# related article is better than an unrelated one. generator.enrich.keywords has the figures.
MIN_RELATED_SIMILARITY = 0.15


def related_articles(articles: Iterable[Article] | Mapping[str, Article], terms: tuple[Term, ...],
                     only: Iterable[str] | None = None) -> dict[str, tuple[str, ...]]:
    """Up to five articles most alike in content (generator.enrich.keywords) among those
    sharing a region or subject listing with each article, nearest in time first.

    Only an article's neighbours (twelve each side) in each of its listings are candidates,
    so the cost grows with the number of articles, not with its square; a candidate counts
    only when its keywords are alike enough (MIN_RELATED_SIMILARITY): sharing a region is
    never enough. Listings hold stories' leads only, so no article lists another report of
    its own story. Ties go to the article nearest in time, then the newer, then the smaller
    id: all of it decided inside the article's own windows, so an edit changes the related
    lists of its neighbours only, and `only` (the ids to compute) gives exactly what a full
    computation gives for them.
    """
    by_id = articles if isinstance(articles, Mapping) else {a.id: a for a in articles}
    stamp = PerArticle(by_id, lambda article: article.stamp)
    places = _memberships(terms, None if only is None else set(only))
    # Held while the articles are gone through, in the site's order: the keyword vectors of
    # the articles not done yet, and the scores of the pairs seen from one side only. A
    # candidate window is symmetric (each is in the other's), so a done article's vector is
    # never asked again and a pair's score is asked twice at most. Building every article's
    # window and every pair's score first held 72 MB at 10,000 articles (~0.7 GB at 100,000).
    vectors: dict[str, KeywordVector] = {}
    scored: dict[tuple[str, str], float] = {}
    related = {}
    for article_id in by_id:  # in the site's order: a window's articles are near in it
        where = places.get(article_id)
        if where is None:
            continue
        others = set()
        for ids, i in where:
            others.update(ids[max(0, i - _NEIGHBOURS):i + _NEIGHBOURS + 1])
        others.discard(article_id)
        mine = vectors.pop(article_id, None) or keyword_vector(by_id[article_id].keywords)
        candidates = {}
        for other in others:
            if mine.terms.isdisjoint(by_id[other].keywords):
                continue
            pair = (article_id, other) if article_id < other else (other, article_id)
            score = scored.pop(pair, None)
            if score is None:
                theirs = vectors.get(other)
                if theirs is None:
                    theirs = vectors[other] = keyword_vector(by_id[other].keywords)
                score = scored[pair] = vector_similarity(mine, theirs)
            if score >= MIN_RELATED_SIMILARITY:
                candidates[other] = score
        if candidates:
            related[article_id] = _ranked(article_id, candidates, stamp)
    return related


def _memberships(terms: tuple[Term, ...], wanted: set[str] | None) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """(listing's ids, position) of every listing each wanted article is in (None: every
    listed article, read off in one pass; a few wanted ones, an update's, are looked up)."""
    found: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    for term in terms:
        ids = term.article_ids
        if wanted is None:
            for i, article_id in enumerate(ids):
                found[article_id].append((ids, i))
        elif not wanted.isdisjoint(ids):  # one pass: `ids.index` per wanted article was quadratic
            for i, article_id in enumerate(ids):
                if article_id in wanted:
                    found[article_id].append((ids, i))
    return found


def _ranked(article_id: str, candidates: dict[str, float], stamp: dict[str, float | None]) -> tuple[str, ...]:
    here = stamp[article_id]

    def rank(other: str) -> tuple:
        there = stamp[other]
        if here is None or there is None:
            distance = 0.0 if here is None and there is None else math.inf
        else:
            distance = abs(here - there)
        return (-candidates[other], distance, -there if there is not None else math.inf, other)

    return tuple(heapq.nsmallest(RELATED_COUNT, candidates, key=rank))


def neighbourhood(site: Site, article_ids: Iterable[str]) -> set[str]:
    """The listed articles whose related lists can change when these articles change: those
    within the candidate window of them in any region or subject listing they are in."""
    wanted = set(article_ids)
    near: set[str] = set()
    for term in site.regions + site.subjects:
        ids = term.article_ids
        for article_id in wanted.intersection(ids):
            i = ids.index(article_id)
            near.update(ids[max(0, i - _NEIGHBOURS):i + _NEIGHBOURS + 1])
    return near


def paginate(articles: list[Article], page_size: int) -> tuple[Page, ...]:
    """Pages of ids; an empty listing still has one (empty) page."""
    return _paginate_ids(tuple(a.id for a in articles), page_size)


def _paginate_ids(ids: tuple[str, ...], page_size: int) -> tuple[Page, ...]:
    total = max(1, -(-len(ids) // page_size))
    return tuple(Page(n + 1, total, ids[n * page_size:(n + 1) * page_size]) for n in range(total))


def _paginate_again(ids: tuple[str, ...], page_size: int, previous: tuple[Page, ...]) -> tuple[Page, ...]:
    """`_paginate_ids`, keeping each previous Page that is unchanged (the same object)."""
    pages = _paginate_ids(ids, page_size)
    if len(pages) != len(previous):
        return pages
    return tuple(old if old == new else new for old, new in zip(previous, pages))


def _unique_slugs(articles: list[Article], previous: Site | None = None) -> tuple[list[Article], list[Diagnostic]]:
    """Two articles never share a URL: later claimants (in source order) get -2, -3 ...

    A renamed article equal to the one `previous` published is that same object, so an
    update sees it as unchanged.
    """
    counts = Counter(a.slug for a in articles)
    shared = tuple(slug for slug, count in counts.items() if count > 1)
    if not shared:
        return articles, []
    # Only articles whose slug is shared, or looks like a renamed one ("<shared>-2"), can meet
    # another slug; the rest keep theirs whatever the order.
    prefixes = tuple(f"{slug}-" for slug in shared)
    claimants = [a for a in articles if counts[a.slug] > 1 or a.slug.startswith(prefixes)]
    taken: dict[str, Article] = {}
    renamed: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for article in sorted(claimants, key=lambda a: str(a.source)):
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
    return [_renamed(a, renamed[a.id], previous) if a.id in renamed else a for a in articles], problems


# Folders and files the generator itself writes: an alias may never replace one of them.
RESERVED_FOLDERS = ("regions/", "topics/", "subjects/", "archives/", "page/", "other/", "search/", "static/", "pagefind/",
                    "feeds/", "subscribe/", "daily/", "weekly/")
RESERVED_FILES = frozenset({"index.html", "404.html", "rss.xml", "atom.xml", "feed.json", "robots.txt",
                            "favicon.ico", "sitemap.xml"})


def _usable_aliases(articles: list[Article], previous: Site | None = None) -> tuple[list[Article], list[Diagnostic]]:
    """Aliases that would overwrite a page (an article's URL, a listing, a feed) or that an
    earlier article (in source order) already claims are dropped, each with a warning."""
    claimants = [a for a in articles if a.aliases]
    if not claimants:
        return articles, []
    pages = {a.url_path for a in articles}
    taken: dict[str, Article] = {}
    kept: dict[str, tuple[str, ...]] = {}
    problems: list[Diagnostic] = []
    for article in sorted(claimants, key=lambda a: str(a.source)):
        usable = []
        for alias in article.aliases:
            if alias in pages or alias.startswith(RESERVED_FOLDERS) or alias.rstrip("/") in RESERVED_FILES \
                    or alias.startswith("sitemap"):
                problems.append(warning(article.source, f"alias {alias!r} is a page of the site itself; ignored"))
            elif alias in taken:
                problems.append(warning(article.source, f"alias {alias!r} is already used by {taken[alias].source}; ignored"))
            else:
                taken[alias] = article
                usable.append(alias)
        if len(usable) != len(article.aliases):
            kept[article.id] = tuple(usable)
    if not kept:
        return articles, problems
    return [_with_aliases(a, kept[a.id], previous) if a.id in kept else a for a in articles], problems


def _with_aliases(article: Article, aliases: tuple[str, ...], previous: Site | None) -> Article:
    fresh = replace(article, aliases=aliases)
    prior = previous.by_id.get(article.id) if previous is not None else None
    return prior if prior is not None and prior == fresh else fresh


def _renamed(article: Article, slug: str, previous: Site | None) -> Article:
    fresh = replace(article, slug=slug)
    prior = previous.by_id.get(article.id) if previous is not None else None
    return prior if prior is not None and prior == fresh else fresh
