"""What a page may read of the site, and the record of what each page read.

Pages never see the `Site` itself: the data a page is planned with (its context) and
whatever its template asks for on top (`site_data` in every template) come through a
`SiteReader`, which notes a dependency key for everything it hands out. A page's keys,
recorded while it was gathered and rendered, are its dependencies: the one declaration
that incremental builds derive their work from.

Keys and what they stand for (`KeyValues.of` gives each key's value on a site):

    ("a", id)          the article's view: all but its body (address, title, summary, figures,
                       region, topics...: HEAD_FIELDS)
    ("b", id)          the article's body (its own page and the feeds show it)
    ("n", id)          the ids of its newer and older neighbour in the site's order
    ("r", id)          the ids of its related articles
    ("t", kind, slug)  a listing: its name and its article ids in order (kinds: region,
                       topic, subject, month, and "home" and "other" for the two plain ones)
    ("p", kind, slug, n)  page n of a listing: its number, the page count and its ids
    ("T", kind)        the terms of a kind: their slugs, names and counts, in order
    ("u", id)          the article's address and date (all the sitemap shows of it)
    ("s", id)          the ids of the article's story (generator.stories), lead first
    ("A",)             the ids of every article, in the site's order (listed or not)
    ("N", kind, slug)  the slugs of the terms next to a term in its kind's order (a day's
                       newer and older day)
    ("F", kind, n)     the slugs of the first n terms of a kind (the latest day, the days a
                       briefing feed carries)

An edit of some articles changes the values of a few keys (`changed_keys`); the pages
that read one of them are the pages to look at again, whatever their templates show.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

from generator.model import Page, Site, Term

Key = tuple

_recording: list[set[Key]] = []  # the keys of the page being gathered or rendered (innermost last)


@contextmanager
def recording(into: set[Key] | None = None) -> Iterator[set[Key]]:
    """Collect the keys every reader hands out inside the block."""
    keys = into if into is not None else set()
    _recording.append(keys)
    try:
        yield keys
    finally:
        _recording.pop()


_interned: dict[Key, Key] = {}


def note(key: Key) -> None:
    if _recording:
        # One tuple per key, however many pages read it: records and the saved manifest
        # share it (pickle writes it once) instead of holding thousands of equal copies.
        _recording[-1].add(_interned.setdefault(key, key))


def note_all(keys: Iterable[Key]) -> None:
    """`note` for keys already noted once (so already interned): a remembered fragment's reads."""
    if _recording:
        _recording[-1].update(keys)


def remembered(make: Callable[[], Any]) -> Callable[[], Any]:
    """`make`, run once; every call (the first included) notes the keys that first run read,
    so two outputs sharing one computation (a listing's RSS and Atom feeds) both depend on it."""
    memo: list = []

    def call() -> Any:
        if not memo:
            with recording() as keys:
                memo.append((make(), frozenset(keys)))
        value, keys = memo[0]
        for key in keys:
            note(key)
        return value
    return call


# What an article's view (reader.article: every page naming it) shows of it. Its body is
# apart (reader.body: its own page and the feeds), so an edit of the body re-renders those,
# not the listings, neighbours and related lists naming the article. tests/test_article_views.py
# fails when a field outside this list changes the view.
HEAD_FIELDS = ("id", "slug", "title", "published", "updated", "outlet", "origin_url", "author", "editor",
               "original_title", "cover_image", "summary", "region", "topics", "subjects", "policy", "figures")


def head_facts(article: Any) -> tuple:
    """The fields of an article its view shows (HEAD_FIELDS): equal facts, equal view."""
    return tuple(getattr(article, name) for name in HEAD_FIELDS)


LISTING_KINDS = ("region", "topic", "subject", "month", "day", "week")
# The most terms `newest_terms` gives (the briefing feeds' 30 days): changed_keys marks the
# ("F", kind, n) keys up to it.
FIRST_LIMIT = 30


class SiteIndex:
    """Every listing of a site by (kind, slug), the home and "other" listings included, and
    each article's position in the site's order: made once per site (`index_of`) and shared
    by its reader, its key values and the comparison with the next site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.listings = {(t.kind, t.slug): t for t in site.regions + site.topics + site.months + site.subjects
                         + site.days + site.weeks}
        for kind, pages in (("home", site.index_pages), ("other", site.other_pages)):
            self.listings[(kind, "")] = Term(kind, "", "", tuple(i for page in pages for i in page.article_ids), pages)
        self._positions: dict[str, int] | None = None
        self._term_positions: dict[str, dict[str, int]] = {}

    def term_neighbours(self, kind: str, slug: str) -> tuple[str | None, str | None]:
        """The slugs of the terms before and after one in `_terms_of` order (None at the ends)."""
        terms = _terms_of(self.site, kind)
        positions = self._term_positions.get(kind)
        if positions is None:
            positions = self._term_positions[kind] = {t.slug: n for n, t in enumerate(terms)}
        n = positions.get(slug)
        if n is None:
            return None, None
        return (terms[n - 1].slug if n > 0 else None), (terms[n + 1].slug if n + 1 < len(terms) else None)

    @property
    def positions(self) -> dict[str, int]:
        """Each article's position in the site's order (newest first), made on first use."""
        if self._positions is None:
            self._positions = {a.id: n for n, a in enumerate(self.site.articles)}
        return self._positions

    def neighbours(self, article_id: str) -> tuple[str | None, str | None]:
        """The ids of the newer and the older article next to it in the site's order."""
        n = self.positions.get(article_id)
        if n is None:
            return None, None
        order = self.site.articles
        return (order[n - 1].id if n > 0 else None), (order[n + 1].id if n + 1 < len(order) else None)


_indexes: dict[int, SiteIndex] = {}  # by id(site); the two newest, the preview's old and new site


def index_of(site: Site) -> SiteIndex:
    index = _indexes.get(id(site))
    if index is None or index.site is not site:
        if len(_indexes) >= 2:
            _indexes.pop(next(iter(_indexes)))
        index = _indexes[id(site)] = SiteIndex(site)
    return index


class SiteReader:
    """The site as pages read it: article views (dicts made safe for templates) and listings
    (`TermData`), each access noted as a dependency of the page being made."""

    def __init__(self, site: Site, views: Any, term_url: Any) -> None:
        self._site, self._views, self._term_url = site, views, term_url
        self._index = index_of(site)

    def rebind(self, site: Site) -> None:
        """Read `site` from now on: a site of the same layout (`Site.layout`: the same pages,
        so the same terms and URLs) whose articles changed. Page plans made with this reader
        then gather the new site's data."""
        self._site, self._views = site, self._views.for_site(site)
        self._index = index_of(site)

    # -- articles ------------------------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any]:
        """The view of one article."""
        note(("a", article_id))
        return self._views[article_id]

    def body(self, article_id: str) -> dict[str, Any]:
        """The view of one article's body (`body_html`, `reading_minutes`)."""
        note(("b", article_id))
        return self._views.body(article_id)

    def article_page(self, article_id: str) -> dict[str, Any]:
        """The view of one article with its body: what its own page shows."""
        view, body = self.article(article_id), self.body(article_id)
        return {**view, **body, "_fp": view["_fp"] + body["_fp"]}

    @property
    def views(self) -> Any:
        """The article views themselves, read without noting (what generator.render.reader.KeyValues compares)."""
        return self._views

    def neighbours(self, article_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The views of the newer and the older article next to it in the site's order."""
        note(("n", article_id))
        newer, older = self._index.neighbours(article_id)
        return (self.article(newer) if newer else None), (self.article(older) if older else None)

    def related(self, article_id: str) -> list[dict[str, Any]]:
        """Its related articles; a report that is not its story's lead (so in no listing) shares the lead's."""
        story = self.story_ids(article_id)
        owner = story[0] if story else article_id
        note(("r", owner))
        return [self.article(i) for i in self._site.related.get(owner, ()) if i not in story]

    def story_ids(self, article_id: str) -> tuple[str, ...]:
        """The ids of the article's story, lead first (generator.stories); () when it is alone."""
        note(("s", article_id))
        return self._site.stories.get(article_id, ())

    def also_reported(self, article_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        """The views of the other reports of the article's story, lead first (the first
        `limit` of them: a template repeated by a hundred pages is one story of a hundred)."""
        others = [i for i in self.story_ids(article_id) if i != article_id]
        return [self.article(i) for i in others[:limit]]

    def latest(self, count: int = 5) -> list[dict[str, Any]]:
        """The newest articles of the home listing (for a sidebar or a footer)."""
        return self.term("home", "").articles[:count]

    # -- listings ------------------------------------------------------------------------------

    def term(self, kind: str, slug: str) -> "TermData | None":
        """One listing (a region, topic, subject or month; "home"/"other" with slug ""), or None."""
        note(("t", kind, slug))
        term = self._index.listings.get((kind, slug))
        return TermData(self, term) if term is not None else None

    def terms(self, kind: str) -> list["TermData"]:
        """Every term of a kind, in the site's order (regions by count, subjects in the library's)."""
        note(("T", kind))
        return [TermData(self, term, noted=False) for term in _terms_of(self._site, kind)]

    def page(self, kind: str, slug: str, number: int) -> Page:
        """Page `number` of a listing (its slice of ids and the page count): a page that shows
        only its slice does not depend on the rest of the listing."""
        note(("p", kind, slug, number))
        return self._index.listings[(kind, slug)].pages[number - 1]

    def term_url(self, kind: str, slug: str) -> str | None:
        return self._term_url(kind, slug)

    def term_neighbours(self, kind: str, slug: str) -> tuple[str | None, str | None]:
        """The slugs of the terms before and after it in the site's order of its kind (for days
        and weeks: the newer and the older one): a page linking them depends on nothing else."""
        note(("N", kind, slug))
        return self._index.term_neighbours(kind, slug)

    def newest_term(self, kind: str) -> str | None:
        """The slug of the first term of a kind (the latest day or week), None when there is none."""
        terms = self.newest_terms(kind, 1)
        return terms[0].slug if terms else None

    def newest_terms(self, kind: str, count: int) -> list["TermData"]:
        """The first `count` terms of a kind (the latest days): what depends on them does not
        depend on the counts of all the others, as `terms` would make it."""
        count = min(count, FIRST_LIMIT)
        note(("F", kind, count))
        return [TermData(self, term) for term in _terms_of(self._site, kind)[:count]]


class TermData:
    """A listing as templates see it: `name`, `slug`, `kind`, `url`, `count`, `articles`
    (views, newest first), `newest`. Reading anything of it depends on the listing."""

    def __init__(self, reader: SiteReader, term: Term, noted: bool = True) -> None:
        self._reader, self._term, self._noted = reader, term, noted
        self.kind, self.slug, self.name = term.kind, term.slug, term.name

    def _read(self) -> Term:
        if not self._noted:
            note(("t", self.kind, self.slug))
        return self._term

    @property
    def count(self) -> int:
        return len(self._read().article_ids)

    @property
    def url(self) -> str | None:
        return self._reader.term_url(self.kind, self.slug)

    @property
    def articles(self) -> list[dict[str, Any]]:
        return [self._reader.article(i) for i in self._read().article_ids]

    @property
    def newest(self) -> dict[str, Any] | None:
        ids = self._read().article_ids
        return self._reader.article(ids[0]) if ids else None

    @property
    def newest_id(self) -> str | None:
        ids = self._read().article_ids
        return ids[0] if ids else None

    @property
    def pages(self) -> int:
        return len(self._read().pages)

    @property
    def article_ids(self) -> tuple[str, ...]:
        return self._read().article_ids

    @property
    def url_path(self) -> str:
        return self._term.url_path


def _terms_of(site: Site, kind: str) -> tuple[Term, ...]:
    return {"region": site.regions, "topic": site.topics, "subject": site.subjects, "month": site.months,
            "day": site.days, "week": site.weeks}.get(kind, ())


# ---------------------------------------------------------------------------
# Values of keys, and the keys an edit changes
# ---------------------------------------------------------------------------


class KeyValues:
    """Each key's value on one site, as a short digest, computed once per key."""

    def __init__(self, site: Site, views: Any) -> None:
        self._site, self._views = site, views
        self._index = index_of(site)
        self._digests: dict[Key, str] = {}

    def digest(self, keys: Iterable[Key]) -> str:
        """One digest of the values of `keys` (in sorted order)."""
        known, parts = self._digests, []
        for key in sorted(keys):
            value = known.get(key)
            if value is None:
                value = known[key] = _short(repr(self.value(key)))
            parts.append(value)
        # One update of the joined values: the same digest as one update per value, at a
        # fraction of the calls (a whole build digests ~20,000 pages' keys).
        return hashlib.blake2b("".join(parts).encode(), digest_size=16).hexdigest()

    def value(self, key: Key) -> object:
        site, kind = self._site, key[0]
        if kind == "a":
            return self._views.head_fingerprint(key[1]) if key[1] in site.by_id else None
        if kind == "b":
            return self._views.body_fingerprint(key[1]) if key[1] in site.by_id else None
        if kind == "n":
            return self._index.neighbours(key[1])
        if kind == "r":
            return site.related.get(key[1], ())
        if kind == "t":
            term = self._index.listings.get((key[1], key[2]))
            return (term.name, term.article_ids) if term is not None else None
        if kind == "p":
            term = self._index.listings.get((key[1], key[2]))
            return term.pages[key[3] - 1] if term is not None and key[3] <= len(term.pages) else None
        if kind == "T":
            return _term_counts(site, key[1])
        if kind == "u":
            return address(site.by_id.get(key[1]))
        if kind == "N":
            return self._index.term_neighbours(key[1], key[2])
        if kind == "F":
            return tuple(t.slug for t in _terms_of(site, key[1])[:key[2]])
        if kind == "A":
            return tuple(a.id for a in site.articles)
        if kind == "s":
            return site.stories.get(key[1], ())
        raise ValueError(f"unknown dependency key {key!r}")


def changed_keys(old: Site, new: Site, changed: set[str]) -> set[Key]:
    """The keys whose value differs between two indexed sites, given the ids of the articles
    added, removed or changed (`index.changed_ids`).

    Only keys that can change are compared: an article's view, its neighbours' (in either
    order), the related lists of the articles within reach of it (`index.neighbourhood`),
    and the listings, which are few.
    """
    from generator.index import neighbourhood

    retold = {i for i in set(old.stories) | set(new.stories) if old.stories.get(i) != new.stories.get(i)}
    keys: set[Key] = {("b", i) for i in changed}
    keys.update(("a", i) for i in changed if _head(old, i) != _head(new, i))
    keys.update(("s", i) for i in retold)
    if any((i in old.by_id) != (i in new.by_id) for i in changed):
        keys.add(("A",))
    changed = changed | retold  # in or out of the listings: neighbours and related lists move too
    keys.update(("u", i) for i in changed if address(old.by_id.get(i)) != address(new.by_id.get(i)))
    before, after = index_of(old), index_of(new)
    near: set[str] = set(changed)
    for index in (before, after):
        for i in changed:
            near.update(x for x in index.neighbours(i) if x)
    keys.update(("n", i) for i in near if before.neighbours(i) != after.neighbours(i))
    for i in neighbourhood(old, changed) | neighbourhood(new, changed) | changed:
        if old.related.get(i, ()) != new.related.get(i, ()):
            keys.add(("r", i))
    for key in set(before.listings) | set(after.listings):
        was, now = before.listings.get(key), after.listings.get(key)
        if was is None or now is None or was.name != now.name or was.article_ids != now.article_ids:
            keys.add(("t", *key))
            old_pages, new_pages = (was.pages if was else ()), (now.pages if now else ())
            keys.update(("p", *key, n + 1) for n in range(max(len(old_pages), len(new_pages)))
                        if n >= len(old_pages) or n >= len(new_pages) or old_pages[n] != new_pages[n])
    recounted = [kind for kind in LISTING_KINDS if _term_counts(old, kind) != _term_counts(new, kind)]
    keys.update(("T", kind) for kind in recounted)
    for kind in recounted:  # a term born, gone or moved shifts its neighbours' links and maybe the newest
        old_slugs, new_slugs = [t.slug for t in _terms_of(old, kind)], [t.slug for t in _terms_of(new, kind)]
        if old_slugs != new_slugs:
            keys.update(("N", kind, slug) for slug in set(old_slugs) | set(new_slugs)
                        if before.term_neighbours(kind, slug) != after.term_neighbours(kind, slug))
            first = next((n for n, (a, b) in enumerate(zip(old_slugs, new_slugs)) if a != b),
                         min(len(old_slugs), len(new_slugs)))
            keys.update(("F", kind, n) for n in range(first + 1, FIRST_LIMIT + 1))
    # A listing that appears or goes away gives (or takes) a link in the view of every article
    # of its term, listed or not (a story's other reports, a non-policy article on /other/).
    born = {key for key in set(before.listings) ^ set(after.listings) if key[0] in ("region", "topic", "subject")}
    if born:
        from generator.index import listing_keys

        keys.update(("a", a.id) for a in new.articles if born.intersection(listing_keys(a)))
    return keys


def _head(site: Site, article_id: str) -> tuple | None:
    article = site.by_id.get(article_id)
    return head_facts(article) if article is not None else None


def _term_counts(site: Site, kind: str) -> tuple[tuple[str, str, int], ...]:
    """What a list of the terms of a kind shows: each term's slug, name and count, in order."""
    return tuple((t.slug, t.name, len(t.article_ids)) for t in _terms_of(site, kind))


def _short(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def address(article: Any) -> tuple | None:
    """What the sitemap shows of an article: its URL path and its date."""
    if article is None:
        return None
    return article.url_path, (article.updated or article.published) if article.published else None
