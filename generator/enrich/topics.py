"""Keyword topic tagging with one Aho-Corasick pass per text.

Scoring, per topic:

* a keyword in the title adds ``weight * TITLE_FACTOR`` (2.5);
* a keyword in the body adds its weight once plus REPEAT_BONUS (half) a
  weight per repeat, up to MAX_COUNTED occurrences, so a topic that runs
  through the article beats a passing mention;
* body hits are credited in proportion to how much their topic dominates the
  paragraph (line) they sit in: full credit at DOMINANCE of the paragraph's
  best topic, less below, so a skills-training phrase inside a paragraph
  about pensions counts for little;
* matching is leftmost-longest, and each automaton key carries, per topic,
  the longest keyword of that topic found inside it, so overlapping keywords
  of one topic count once while "农民工工资" still scores 农民工 for
  migrant-workers; a topic's exclusion phrase blocks that topic's keywords
  inside it.

A topic is tagged when its score reaches its ``min_score`` and at least
RELATIVE_FLOOR of the best topic's score (a passing mention in an article
about something else is not a topic of that article).

Speed: pyahocorasick finds a node's child by linear scan, and the root of a
Chinese keyword trie has one child per distinct first character (~150), so
every character of the text costs ~150 comparisons.  Keys and text are
therefore matched as UTF-8 bytes held in latin-1 strings: the root then has a
handful of children (UTF-8 lead bytes) and the scan is ~5x faster.  UTF-8 is
self-synchronising, so byte matches always fall on character boundaries.
Paragraph numbers come from newline-run keys in the same automaton, and hits are
counted with C-level iterators, leaving Python work per distinct hit only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import itemgetter

import ahocorasick

from generator.enrich.bytestrings import as_byte_string

from generator.enrich.taxonomy import Taxonomy, Topic

__all__ = ["TopicHit", "TopicScores", "score_topics", "score_topics_in_detail", "tag_topics"]

TITLE_FACTOR = 2.5
REPEAT_BONUS = 0.5
MAX_COUNTED = 5
DOMINANCE = 0.6
RELATIVE_FLOOR = 0.12
MAX_EVIDENCE = 6
_MAX_CACHED = 8
# Newline runs as keys, so a run of blank lines costs one or two matches, not one each.
_BREAK_KEYS = tuple("\n" * n for n in (1, 2, 3, 4, 6, 8, 12, 16, 24, 32))
_ASCII_SLUG_RE = re.compile(r"[^a-z0-9]+")
_key_id = itemgetter(1)
_score_of = itemgetter(0)

# What one automaton key scores: (keyword id, topic index, weight) triples.
_Outputs = tuple[tuple[int, int, float], ...]


@dataclass(frozen=True, slots=True)
class TopicHit:
    """A tagged topic with its score and the keywords that earned it."""

    slug: str
    name: str
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Matcher:
    """Compiled taxonomy: automaton values are indexes into ``outputs``."""

    automaton: ahocorasick.Automaton
    outputs: tuple[_Outputs, ...]
    breaks: tuple[int, ...]  # 1 for the newline key, else 0
    scoring: tuple[bool, ...]  # key scores for at least one topic
    keywords: tuple[tuple[int, str], ...]  # keyword id -> (topic index, term as written)
    names: dict[str, int]  # slug / name / name part (lowercase) -> topic index


_MATCHERS: dict[str, _Matcher] = {}


def tag_topics(title: str, text: str, taxonomy: Taxonomy, *, given: Sequence[str] = ()) -> tuple[TopicHit, ...]:
    """Topics of an article, best first; front-matter ``given`` tags always included."""
    found = score_topics_in_detail(title, text, taxonomy)
    scores, topics = found.scores, taxonomy.topics
    floor = RELATIVE_FLOOR * max(map(_score_of, scores), default=0.0)
    # Above a positive floor only topics with keyword hits can qualify: look at those alone.
    candidates = found.scored if floor > 0.0 else range(len(topics))
    hits = {topics[i].slug: TopicHit(topics[i].slug, topics[i].name, *scores[i]) for i in candidates
            if scores[i][0] >= max(topics[i].min_score, floor)}
    if given:
        for extra in _given_hits((given,) if isinstance(given, str) else given, taxonomy, scores):
            hits.setdefault(extra.slug, extra)
    return tuple(sorted(hits.values(), key=lambda h: (-h.score, h.slug)))


def score_topics(title: str, text: str, taxonomy: Taxonomy) -> list[tuple[float, tuple[str, ...]]]:
    """(score, evidence) for every topic in taxonomy order, tagged or not."""
    return score_topics_in_detail(title, text, taxonomy).scores


@dataclass(frozen=True, slots=True)
class TopicScores:
    """What one pass over an article found: `scores` as score_topics gives them, the topics
    the title names, each (topic, paragraph)'s keyword weight (paragraph dominance), and the
    topics any keyword scored for (in taxonomy order: every other topic scores (0.0, ()),
    so callers need not walk thousands of empty entries)."""

    scores: list[tuple[float, tuple[str, ...]]]
    in_title: frozenset[int]
    paragraphs: dict[tuple[int, int], float]
    scored: tuple[int, ...]


def score_topics_in_detail(title: str, text: str, taxonomy: Taxonomy) -> TopicScores:
    """score_topics, with where the evidence stands (the subject tagger's "real space" rule)."""
    matcher = _matcher_for(taxonomy)
    outputs = matcher.outputs
    gains: dict[int, float] = {}  # keyword id -> score contribution
    in_title: set[int] = set()
    for _para, key in _count_hits(matcher, title):
        for keyword, topic, weight in outputs[key]:
            gains[keyword] = weight * TITLE_FACTOR
            in_title.add(topic)
    paragraphs = _add_body_gains(gains, _count_hits(matcher, text), outputs)
    scores, scored = _per_topic(gains, matcher.keywords, len(taxonomy.topics))
    return TopicScores(scores, frozenset(in_title), paragraphs, scored)


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------



def _matcher_for(taxonomy: Taxonomy) -> _Matcher:
    """Automaton for a taxonomy, built once per taxonomy version."""
    matcher = _MATCHERS.get(taxonomy.version)
    if matcher is None:
        if len(_MATCHERS) >= _MAX_CACHED:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        matcher = _MATCHERS[taxonomy.version] = _build_matcher(taxonomy.topics)
    return matcher


def _build_matcher(topics: tuple[Topic, ...]) -> _Matcher:
    """One automaton over every keyword, exclusion and newline run."""
    keywords = tuple((i, term) for i, topic in enumerate(topics) for term, _ in topic.keywords)
    keyword_ids = {kw: n for n, kw in enumerate(keywords)}
    keys = [*_BREAK_KEYS, *dict.fromkeys(k.lower() for t in topics for k in (*(w for w, _ in t.keywords), *t.exclusions))]
    automaton = ahocorasick.Automaton()
    for key_id, key in enumerate(keys):
        automaton.add_word(as_byte_string(key), key_id)
    automaton.make_automaton()
    inside, index = _keys_inside(automaton, keys), _KeywordIndex.of(topics)
    outputs = tuple(() if key in _BREAK_KEYS else _outputs(key, inside(key), topics, keyword_ids, index)
                    for key in keys)
    breaks = tuple(int(key in _BREAK_KEYS) for key in keys)
    scoring = tuple(bool(out) for out in outputs)
    return _Matcher(automaton, outputs, breaks, scoring, keywords, _name_index(topics))


def _keys_inside(automaton: ahocorasick.Automaton, keys: list[str]):
    """A function giving the set of keys found inside a key, by running the automaton over it:
    linear in the key's length, where testing every keyword against every key was quadratic
    (seconds for the 2,400 subject keywords)."""
    def inside(key: str) -> set[str]:
        return {keys[key_id] for _end, key_id in automaton.iter(as_byte_string(key))}
    return inside


def _outputs(key: str, inside: set[str], topics: tuple[Topic, ...],
             keyword_ids: dict[tuple[int, str], int], index: "_KeywordIndex | None" = None) -> _Outputs:
    """Per topic, the longest keyword inside ``key`` (the first written, among equals) unless
    an exclusion of that topic lies inside it too."""
    index = index or _KeywordIndex.of(topics)
    blocked = {i for phrase in inside for i in index.exclusions.get(phrase, ())}
    best: dict[int, tuple[int, int, str, float]] = {}  # topic -> (-length, position, term, weight)
    for found in inside:
        for i, position, term, weight in index.keywords.get(found, ()):
            if i in blocked:
                continue
            candidate = (-len(term), position, term, weight)
            if i not in best or candidate < best[i]:
                best[i] = candidate
    return tuple((keyword_ids[i, term], i, weight) for i, (_, _, term, weight) in sorted(best.items()))


@dataclass(frozen=True, slots=True)
class _KeywordIndex:
    """Lower-cased keyword -> (topic, position in the topic, term as written, weight); and
    lower-cased exclusion phrase -> the topics it blocks."""

    keywords: dict[str, list[tuple[int, int, str, float]]]
    exclusions: dict[str, set[int]]

    @classmethod
    def of(cls, topics: tuple[Topic, ...]) -> "_KeywordIndex":
        keywords: dict[str, list[tuple[int, int, str, float]]] = {}
        exclusions: dict[str, set[int]] = {}
        for i, topic in enumerate(topics):
            for position, (term, weight) in enumerate(topic.keywords):
                keywords.setdefault(term.lower(), []).append((i, position, term, weight))
            for phrase in topic.exclusions:
                exclusions.setdefault(phrase.lower(), set()).add(i)
        return cls(keywords, exclusions)


@lru_cache(maxsize=4)
def _lowered_bytes(text: str) -> str:
    """The text as matched: lower-cased UTF-8 bytes.  Cached because enrich scores the same
    title and body twice (site topics, then subjects), and encoding is a copy of the text."""
    return as_byte_string(text.lower())


def _count_hits(matcher: _Matcher, text: str) -> Counter[tuple[int, int]]:
    """(paragraph number, key id) -> number of hits, counted at C speed."""
    if not text:
        return Counter()
    keys = list(map(_key_id, matcher.automaton.iter_long(_lowered_bytes(text))))
    if "\n" not in text:
        return Counter(zip(repeat(0), keys))
    paragraphs = accumulate(map(matcher.breaks.__getitem__, keys))
    return Counter(compress(zip(paragraphs, keys), map(matcher.scoring.__getitem__, keys)))


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def _add_body_gains(gains: dict[int, float], hits: Counter[tuple[int, int]],
                    outputs: tuple[_Outputs, ...]) -> dict[tuple[int, int], float]:
    """Add body credit per keyword: first hit counts fully, the next
    MAX_COUNTED - 1 count REPEAT_BONUS, each scaled by its paragraph factor.
    Returns the (topic, paragraph) sums the factors came from."""
    sums = _paragraph_sums(hits, outputs)
    best: dict[int, float] = {}
    for (_topic, para), value in sums.items():
        if value > best.get(para, 0.0):
            best[para] = value
    full_at = {para: DOMINANCE * value for para, value in best.items()}  # full credit from here on
    counted: dict[int, int] = {}
    gains_get, counted_get, full_get = gains.get, counted.get, full_at.get
    for (para, key), count in hits.items():
        full = full_get(para, 0.0)
        for keyword, topic, weight in outputs[key]:
            seen = counted_get(keyword, 0)
            if seen >= MAX_COUNTED:
                continue
            if seen == 0:  # the usual case: a keyword's first paragraph
                take = count if count < MAX_COUNTED else MAX_COUNTED
                counted[keyword] = take
                value = sums[topic, para]
                credit = (value / full if 0.0 < value < full else 1.0) * (1.0 + REPEAT_BONUS * (take - 1))
            else:
                take = min(count, MAX_COUNTED - seen)
                counted[keyword] = seen + take
                value = sums[topic, para]
                credit = (value / full if 0.0 < value < full else 1.0) * (REPEAT_BONUS * take)
            gains[keyword] = gains_get(keyword, 0.0) + weight * credit
    return sums


def _paragraph_sums(hits: Counter[tuple[int, int]], outputs: tuple[_Outputs, ...]) -> dict[tuple[int, int], float]:
    """(topic, paragraph) -> sum of that topic's keyword weights there."""
    sums: dict[tuple[int, int], float] = {}
    sums_get = sums.get
    for (para, key), count in hits.items():
        for _keyword, topic, weight in outputs[key]:
            slot = (topic, para)
            sums[slot] = sums_get(slot, 0.0) + weight * count
    return sums


def _per_topic(gains: dict[int, float], keywords: tuple[tuple[int, str], ...],
               n: int) -> tuple[list[tuple[float, tuple[str, ...]]], tuple[int, ...]]:
    """Topic scores and their strongest positive keywords, in taxonomy order; and the
    topics that got any keyword gain, in taxonomy order."""
    by_topic: dict[int, list[tuple[float, str]]] = {}
    for keyword, gain in gains.items():
        topic, term = keywords[keyword]
        by_topic.setdefault(topic, []).append((gain, term))
    out: list[tuple[float, tuple[str, ...]]] = [(0.0, ())] * n
    for topic, items in by_topic.items():
        if len(items) > 1:  # most topics have one keyword: nothing to sort
            items.sort(key=lambda gt: -gt[0])
        evidence = tuple(term for gain, term in items[:MAX_EVIDENCE] if gain > 0)
        out[topic] = (round(sum(g for g, _ in items), 3), evidence)
    return out, tuple(sorted(by_topic))


# ---------------------------------------------------------------------------
# Front-matter tags
# ---------------------------------------------------------------------------


def _given_hits(given: Iterable[str], taxonomy: Taxonomy, scores: list[tuple[float, tuple[str, ...]]]) -> list[TopicHit]:
    """Front-matter tags as hits: known topics at >= min_score, ASCII unknowns at 0."""
    index = _matcher_for(taxonomy).names
    out: list[TopicHit] = []
    for tag in given:
        label = str(tag).strip() if tag is not None else ""
        if not label:
            continue
        i = index.get(label.lower())
        if i is not None:
            topic = taxonomy.topics[i]
            score, evidence = scores[i]
            out.append(TopicHit(topic.slug, topic.name, max(score, topic.min_score), evidence))
        elif slug := _ascii_slug(label):
            out.append(TopicHit(slug, label, 0.0, ()))
    return out


def _name_index(topics: tuple[Topic, ...]) -> dict[str, int]:
    """Lookup of slug, full name and each '/'-separated name part -> topic index."""
    index: dict[str, int] = {}
    for i, topic in enumerate(topics):
        for key in (topic.slug, topic.name, *topic.name.split("/")):
            if key.strip():
                index.setdefault(key.strip().lower(), i)
    return index


MAX_SLUG = 60


def _ascii_slug(label: str) -> str | None:
    """A URL segment for an ASCII tag; long ones are cut and keep a hash so they stay distinct."""
    if not label.isascii():
        return None
    slug = _ASCII_SLUG_RE.sub("-", label.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        import hashlib
        slug = slug[:MAX_SLUG - 9].rstrip("-") + "-" + hashlib.sha1(slug.encode()).hexdigest()[:8]
    return slug or None
