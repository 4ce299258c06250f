"""Story clusters: the articles that report one story, from any outlets, told once.

Index stage, pure. Two articles are *linked* when `same_story` says so; a story is a
connected group of linked articles, and its lead (the earliest report) stands for it in
listings, briefings and feeds, the others shown with it as "also reported by".

Only articles sharing something are compared: two of the smallest `StoryRules.indexed` sketch
values of their headline and lead (generator.enrich.story_sketch), or numbers, within the time
window. A full build finds those pairs through posting lists of the values; an update compares
each changed article with the articles of its time window. Both apply the same test (`_same`,
which starts with the candidate test), so an update links exactly what a full build links.
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple, Sequence

from generator.enrich.story_sketch import SKETCH_SIZE, sketch_values
from generator.model import Article
from generator.per_article import PerArticle

__all__ = ["RULES", "StoryRules", "pair_evidence", "same_story", "story_groups", "story_links", "story_links_since"]


@dataclass(frozen=True, slots=True)
class StoryRules:
    """When two articles are one story. Chosen before the labelled pairs were read
    (benchmarks/labels/STORY_PAIRS.md) from what each signal measures; see tests/test_stories.py."""

    # Reports of one event come out within days; a weekly statistic repeats a week later.
    window_hours: float = 72.0
    # Shared postings that make two articles worth comparing: the `indexed` smallest values of
    # each sketch, and the numbers. Two texts sharing a third of their 4-grams share about a
    # third of their smallest values too: indexing 16 of 48 finds them at a third of the cost.
    min_shared: int = 2
    indexed: int = 16
    # Estimated Jaccard similarity of headline+lead 4-grams: a repost keeps most of the text
    # (0.6 and above), two articles of one field share almost none (below 0.1).
    repost_similarity: float = 0.5
    # A rewrite keeps a part of the wording plus the headline or the numbers. Short formulaic
    # items (市长会见X客人 / 市长会见Y客人) share a fifth of their 4-grams and half their
    # headline bigrams: the headline alone needs a third of the wording besides.
    rewrite_similarity: float = 0.2
    title_similarity: float = 0.3
    rewrite_title: float = 0.5
    rewrite_numbers: int = 2
    # A rewrite in other words still reports the same numbers.
    numbers_only: int = 3
    numbers_similarity: float = 0.1
    # The same sentence with other numbers is another issue of a statistic (or another
    # county's copy of one notice): when both give at least this many numbers and share less
    # than half of the smaller set, never one story.
    conflict_numbers: int = 1


RULES = StoryRules()


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """What `same_story` weighs, for tests and for `benchmarks/eval_stories.py`."""

    hours: float
    similarity: float
    title: float
    shared_numbers: int
    conflict: bool


class Traits(NamedTuple):
    """What the rules read of one article, decoded once per build (not once per pair)."""

    stamp: float | None
    values: frozenset[int]
    indexed: frozenset[int]  # the smallest RULES.indexed values: what candidates share
    numbers: frozenset[str]
    title: str


def traits_of(article: Article) -> Traits:
    ordered = sketch_values(article.sketch)
    return Traits(article.stamp, frozenset(ordered), frozenset(ordered[:RULES.indexed]), frozenset(article.numbers),
                  article.title)


def _candidate(a: Traits, b: Traits, rules: StoryRules) -> bool:
    """Worth comparing: both dated, within the window, sharing `min_shared` of their indexed
    sketch values and numbers."""
    if a.stamp is None or b.stamp is None or abs(a.stamp - b.stamp) > rules.window_hours * 3600:
        return False
    return len(a.indexed & b.indexed) + len(a.numbers & b.numbers) >= rules.min_shared


def pair_evidence(a: Article, b: Article) -> PairEvidence:
    return _evidence(traits_of(a), traits_of(b))


def _evidence(a: Traits, b: Traits) -> PairEvidence:
    shared = len(a.numbers & b.numbers)
    hours = abs(a.stamp - b.stamp) / 3600 if a.stamp is not None and b.stamp is not None else float("inf")
    return PairEvidence(hours, _similarity(a, b), _title_similarity(a.title, b.title), shared,
                        _conflict(a, b, shared, RULES))


def _similarity(a: Traits, b: Traits) -> float:
    """Broder's bottom-k estimate of the Jaccard similarity of the two shingle sets."""
    merged = sorted(a.values | b.values)[:SKETCH_SIZE]
    return sum(1 for v in merged if v in a.values and v in b.values) / len(merged) if merged else 0.0


def _conflict(a: Traits, b: Traits, shared_numbers: int, rules: StoryRules) -> bool:
    """Both give numbers and share less than half of the smaller set: another issue of a statistic."""
    smaller = min(len(a.numbers), len(b.numbers))
    return smaller >= rules.conflict_numbers and shared_numbers * 2 < smaller


def same_story(a: Article, b: Article, rules: StoryRules = RULES) -> bool:
    """Whether two candidate articles report one story (see StoryRules)."""
    return _same(traits_of(a), traits_of(b), rules)


def _same(a: Traits, b: Traits, rules: StoryRules) -> bool:
    """The rules of StoryRules, cheapest test first (most candidate pairs fail the first two)."""
    if not _candidate(a, b, rules):
        return False
    numbers = len(a.numbers & b.numbers)
    if _conflict(a, b, numbers, rules):
        return False
    # The estimated similarity is at most the shared values over the merged sketch's size:
    # below what the best rule open to this pair needs, no need to estimate it.
    need = (rules.numbers_similarity if numbers >= rules.numbers_only
            else rules.rewrite_similarity if numbers >= rules.rewrite_numbers else rules.title_similarity)
    shared = len(a.values & b.values)
    if shared < need * min(SKETCH_SIZE, len(a.values) + len(b.values) - shared):
        return False
    similarity = _similarity(a, b)
    if similarity >= rules.repost_similarity:
        return True
    if similarity >= rules.rewrite_similarity and numbers >= rules.rewrite_numbers:
        return True
    if numbers >= rules.numbers_only and similarity >= rules.numbers_similarity:
        return True
    return similarity >= rules.title_similarity and _title_similarity(a.title, b.title) >= rules.rewrite_title


def _title_similarity(a: str, b: str) -> float:
    """Dice coefficient of the headlines' character bigrams (letters and digits only)."""
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def _bigrams(text: str) -> set[str]:
    letters = "".join(ch for ch in text if ch.isalnum())
    return {letters[i:i + 2] for i in range(len(letters) - 1)}


# ---------------------------------------------------------------------------
# Links: every pair same_story joins
# ---------------------------------------------------------------------------

Links = Mapping[str, tuple[str, ...]]


def story_links(articles: Sequence[Article], rules: StoryRules = RULES) -> dict[str, tuple[str, ...]]:
    """For each article linked to any other, the ids it is linked to (sorted): every pair of
    articles that shares `min_shared` postings within the window, tested once.

    One sweep in time order: each article is counted against the postings of the articles
    of the window before it, and an article leaves the postings (and its traits are
    dropped) once the window has passed it. Held at once is one window's worth, not every
    article's traits and every candidate pair (62 MB at 10,000 articles, ~0.6 GB at 100,000)."""
    dated = sorted((a for a in articles if a.published is not None), key=lambda a: (a.stamp, a.id))
    window = rules.window_hours * 3600
    postings: dict[object, deque[int]] = defaultdict(deque)  # sketch value or number -> articles in the window, oldest first
    traits: dict[int, Traits] = {}  # of the articles in the window
    oldest = 0
    links: dict[str, set[str]] = defaultdict(set)
    for n, article in enumerate(dated):
        found = traits[n] = traits_of(article)
        while traits[oldest].stamp < found.stamp - window:  # out of reach of this and every later article
            for key in _postings_of(traits.pop(oldest)):
                members = postings[key]
                members.popleft()
                if not members:
                    del postings[key]
            oldest += 1
        shared: Counter[int] = Counter()
        for key in _postings_of(found):
            members = postings[key]
            if members:
                shared.update(members)
            members.append(n)
        for other, count in shared.items():
            if count >= rules.min_shared and _same(traits[other], found, rules):
                links[dated[other].id].add(article.id)
                links[article.id].add(dated[other].id)
    return {i: tuple(sorted(ids)) for i, ids in links.items()}


def _postings_of(traits: Traits) -> Iterable[object]:
    """What candidates share: the indexed sketch values and the numbers (an int never equals a str)."""
    yield from traits.indexed
    yield from traits.numbers


def story_links_since(previous: Links, by_id: Mapping[str, Article], ordered: Sequence[Article],
                      changed: Iterable[str], rules: StoryRules = RULES) -> dict[str, tuple[str, ...]]:
    """`story_links` after a change of a few articles: the previous links not touching them,
    plus each changed article's links to the articles of its time window (`ordered` is the
    site's order, newest first)."""
    changed = set(changed)
    links: dict[str, set[str]] = {}
    for i, others in previous.items():
        if i in changed or i not in by_id:
            continue
        kept = {o for o in others if o not in changed and o in by_id}
        if kept:
            links[i] = kept
    window = rules.window_hours * 3600
    traits = PerArticle(by_id, traits_of)

    def key(article: Article) -> float:  # newest first: negated stamps ascend (undated last)
        stamp = traits[article.id].stamp
        return -stamp if stamp is not None else float("inf")

    for i in sorted(changed):
        if i not in by_id or traits[i].stamp is None:
            continue
        stamp = traits[i].stamp
        low = bisect.bisect_left(ordered, -(stamp + window), key=key)
        high = bisect.bisect_right(ordered, -(stamp - window), key=key)
        for other in ordered[low:high]:
            if other.id != i and _same(traits[i], traits[other.id], rules):
                links.setdefault(i, set()).add(other.id)
                links.setdefault(other.id, set()).add(i)
    return {i: tuple(sorted(ids)) for i, ids in links.items()}


# ---------------------------------------------------------------------------
# Groups: connected linked articles, lead first
# ---------------------------------------------------------------------------

def story_groups(links: Links, by_id: Mapping[str, Article], rules: StoryRules = RULES) -> dict[str, tuple[str, ...]]:
    """Every clustered article's story: the ids of its group, lead first, then by date and id.

    The lead is the earliest report (the source the others repeat); of two at the same minute,
    the longer text (the more complete one). A story is what links reach from its lead, but
    only within the time window after the lead: without that bound, a template every day
    repeats (or a run of reposts) would chain a month of articles into one story.
    Leads are taken in order, so the grouping is a function of the links alone.
    """
    stories: dict[str, tuple[str, ...]] = {}
    window = rules.window_hours * 3600
    for lead in sorted(links, key=lambda i: _lead_rank(by_id[i])):
        if lead in stories:
            continue
        limit = by_id[lead].stamp + window
        group, todo = {lead}, [lead]
        while todo:
            for other in links.get(todo.pop(), ()):
                if other not in group and other not in stories and by_id[other].stamp <= limit:
                    group.add(other)
                    todo.append(other)
        if len(group) < 2:
            continue
        members = tuple(sorted(group, key=lambda i: _lead_rank(by_id[i])))
        for i in members:
            stories[i] = members
    return stories


def _lead_rank(article: Article) -> tuple:
    minute = article.stamp // 60 if article.published else float("inf")
    return (minute, -len(article.text), article.id)
