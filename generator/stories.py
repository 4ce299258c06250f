"""Story clusters: the articles that report one story, from any outlets, told once.

Index stage, pure. Two articles are *linked* when `same_story` says so; a story is a
connected group of linked articles, and its lead (the earliest report) stands for it in
listings, briefings and feeds, the others shown with it as "also reported by".

Only articles sharing something are compared: two of the SKETCH_SIZE sketch values of their
headline and lead (generator.enrich.story_sketch), or numbers, within the time window. A full
build finds those pairs through posting lists of the values; an update compares each changed
article with the articles of its time window. Both apply the same test to the same pairs
(`candidate` then `same_story`), so an update links exactly what a full build links.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from generator.enrich.story_sketch import SKETCH_SIZE, sketch_values
from generator.model import Article

__all__ = ["RULES", "StoryRules", "candidate", "same_story", "story_links", "story_groups", "pair_evidence"]


@dataclass(frozen=True, slots=True)
class StoryRules:
    """When two articles are one story. Chosen before the labelled pairs were read
    (benchmarks/labels/STORY_PAIRS.md) from what each signal measures; see tests/test_stories.py."""

    # Reports of one event come out within days; a weekly statistic repeats a week later.
    window_hours: float = 72.0
    # Shared postings (sketch values + numbers) that make two articles worth comparing.
    min_shared: int = 2
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


def _stamp(article: Article) -> float | None:
    return article.published.timestamp() if article.published else None


def candidate(a: Article, b: Article, rules: StoryRules = RULES) -> bool:
    """Worth comparing: both dated, within the window, sharing `min_shared` sketch values or numbers."""
    ta, tb = _stamp(a), _stamp(b)
    if ta is None or tb is None or abs(ta - tb) > rules.window_hours * 3600:
        return False
    shared = len(set(sketch_values(a.sketch)).intersection(sketch_values(b.sketch)))
    shared += len(set(a.numbers).intersection(b.numbers))
    return shared >= rules.min_shared


def pair_evidence(a: Article, b: Article) -> PairEvidence:
    sa, sb = set(sketch_values(a.sketch)), set(sketch_values(b.sketch))
    merged = sorted(sa | sb)[:SKETCH_SIZE]
    similarity = sum(1 for v in merged if v in sa and v in sb) / len(merged) if merged else 0.0
    na, nb = set(a.numbers), set(b.numbers)
    shared = len(na & nb)
    conflict = min(len(na), len(nb)) >= RULES.conflict_numbers and shared * 2 < min(len(na), len(nb))
    ta, tb = _stamp(a), _stamp(b)
    hours = abs(ta - tb) / 3600 if ta is not None and tb is not None else float("inf")
    return PairEvidence(hours, similarity, _title_similarity(a.title, b.title), shared, conflict)


def same_story(a: Article, b: Article, rules: StoryRules = RULES) -> bool:
    """Whether two candidate articles report one story (see StoryRules)."""
    if not candidate(a, b, rules):
        return False
    e = pair_evidence(a, b)
    if e.conflict:
        return False
    if e.similarity >= rules.repost_similarity:
        return True
    if e.similarity >= rules.title_similarity and e.title >= rules.rewrite_title:
        return True
    if e.similarity >= rules.rewrite_similarity and e.shared_numbers >= rules.rewrite_numbers:
        return True
    return e.shared_numbers >= rules.numbers_only and e.similarity >= rules.numbers_similarity


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
    articles that shares `min_shared` postings within the window, tested once."""
    dated = sorted((a for a in articles if a.published is not None), key=lambda a: (_stamp(a), a.id))
    stamps = [_stamp(a) for a in dated]
    postings: dict[object, list[int]] = defaultdict(list)
    for n, article in enumerate(dated):
        for value in sketch_values(article.sketch):
            postings[value].append(n)
        for number in article.numbers:
            postings[number].append(n)
    window = rules.window_hours * 3600
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in postings.values():
        if len(members) < 2:
            continue
        for i, first in enumerate(members):
            limit = stamps[first] + window
            for second in members[i + 1:]:
                if stamps[second] > limit:
                    break
                shared[first, second] += 1
    links: dict[str, set[str]] = defaultdict(set)
    for (i, j), count in shared.items():
        if count >= rules.min_shared and same_story(dated[i], dated[j], rules):
            links[dated[i].id].add(dated[j].id)
            links[dated[j].id].add(dated[i].id)
    return {i: tuple(sorted(ids)) for i, ids in links.items()}


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
    # Newest first: negated stamps ascend, so bisect finds the window.
    keys = [-(_stamp(a) or float("-inf")) for a in ordered]
    window = rules.window_hours * 3600
    for i in sorted(changed):
        article = by_id.get(i)
        stamp = _stamp(article) if article is not None else None
        if stamp is None:
            continue
        low = bisect.bisect_left(keys, -(stamp + window))
        high = bisect.bisect_right(keys, -(stamp - window))
        for other in ordered[low:high]:
            if other.id != i and same_story(article, other, rules):
                links.setdefault(i, set()).add(other.id)
                links.setdefault(other.id, set()).add(i)
    return {i: tuple(sorted(ids)) for i, ids in links.items()}


# ---------------------------------------------------------------------------
# Groups: connected linked articles, lead first
# ---------------------------------------------------------------------------

_LATEST = datetime.max


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
        limit = _stamp(by_id[lead]) + window
        group, todo = {lead}, [lead]
        while todo:
            for other in links.get(todo.pop(), ()):
                if other not in group and other not in stories and _stamp(by_id[other]) <= limit:
                    group.add(other)
                    todo.append(other)
        if len(group) < 2:
            continue
        members = tuple(sorted(group, key=lambda i: _lead_rank(by_id[i])))
        for i in members:
            stories[i] = members
    return stories


def _lead_rank(article: Article) -> tuple:
    published = article.published
    minute = published.timestamp() // 60 if published else float("inf")
    return (minute, -len(article.text), article.id)
