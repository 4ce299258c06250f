"""Content keywords: the terms that say what an article is about, so that "related articles"
can be related by content rather than by sharing a region or a topic listing.

Chinese has no spaces, so a term is a character bigram inside a run of CJK characters, or a
lower-cased Latin word (GDP, XBB, iphone). The terms of the title and of the lead of the body
are scored by term frequency times inverse document frequency. The IDF is data
(generator/data/keyword_idf.tsv, from benchmarks/make_keyword_idf.py over the 1,000 pool
articles); a term too rare to be listed gets the table's default, and terms nearly every
article has (新闻, 发展, 表示) never become keywords.

Tuned on the pool with benchmarks/eval_related.py: "label agreement" is how often the most
similar article within 30 days shares a hand-labelled sub-subject (benchmarks/labels/, 767
seeds); "by hand" is a reading of the top 1 of 60 random seeds. The constants say what was
measured.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from math import sqrt
from typing import NamedTuple

# 24 or 32 raised the label agreement by 0.01 to 0.04 at equal coverage but not the top 1s right
# by hand (27 of 60 with 16 and with 24); 16 keeps the tuples and the comparisons small.
KEYWORD_COUNT = 16
# Chars of body read (the pool's median body is ~680). Lead 500 / 700 / 800 / 1000: label
# agreement 0.368 / 0.373 / 0.390 / 0.385, top 1 right by hand 23 / 24 / 25 / 24 of 60, median
# time 65 / 71 / 76 / 78 µs: 800 is the best and still inside the 80 µs budget.
LEAD_CHARS = 800
# A title term counts as this many occurrences on top of the lead's when the lead confirms it
# (has it too), as one when it does not: an unconfirmed title bigram is mostly a word boundary
# (会今, 天闭). Title weight 1 / 2 / 3 / 4: label agreement 0.403 / 0.396 / 0.390 / 0.385; top 1
# right by hand 24 / 25 / 25 / 23 of 60 seeds and 26 / 27 / 27 (1 / 2 / 3) of 60 others. The
# labels reward any topical likeness; a heavier headline keeps same-story pairs together.
TITLE_WEIGHT = 3
TITLE_ONLY_WEIGHT = 1
# Terms with a lower idf (df above ~20% of the articles: 经济, 美国, 今年) are never keywords.
# MIN_IDF 1.0 / 1.6 / 2.3 / 2.8: label agreement 0.391 / 0.390 / 0.391 / 0.369.
MIN_IDF = 1.6
# Below this similarity a candidate is rarely about the same thing: by hand, of the 46 seeds (of
# 120) whose best candidate within 30 days scored >= 0.15, 40 were right (>= 0.10: 42 of 58;
# sharing any keyword: 52 of 97). A suggestion for the caller; nothing here applies it.
MIN_RELATED_SIMILARITY = 0.15
IDF_FILE = "keyword_idf.tsv"

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
# Two UTF-16 code units read as one native int: one int per bigram, counted in C. The codec
# follows the byte order so that each 16-bit half of the int is one character on any machine.
_CODEC = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"


@dataclass(frozen=True, slots=True)
class IdfTable:
    """idf by bigram code and by Latin word (0.0 for a term too common to be a keyword), the
    idf of an unlisted term, and the listed bigrams by code (decoding a winner is a look-up)."""

    pairs: dict[int, float]
    words: dict[str, float]
    default: float
    names: dict[int, str]


def terms(text: str) -> list[str]:
    """Every term occurrence of `text`: bigrams within CJK runs, then lower-cased Latin words.
    The reference definition (benchmarks/make_keyword_idf.py counts these)."""
    found = [run[i:i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]
    return found + [word.lower() for word in _LATIN_WORD.findall(text)]


@lru_cache(maxsize=1)
def idf_table() -> IdfTable:
    """generator/data/keyword_idf.tsv (term<TAB>idf; the `*` row is the default), read once."""
    text = resources.files("generator.data").joinpath(IDF_FILE).read_text(encoding="utf-8")
    pairs: dict[int, float] = {}
    words: dict[str, float] = {}
    names: dict[int, str] = {}
    default = 0.0
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        term, value = line.split("\t")
        idf = float(value)
        if term == "*":
            default = idf
            continue
        idf = idf if idf >= MIN_IDF else 0.0
        if len(term) == 2 and _CJK_RUN.fullmatch(term):
            code = _code(term)
            pairs[code], names[code] = idf, term
        else:
            words[term] = idf
    return IdfTable(pairs, words, default, names)


def content_keywords(title: str, text: str) -> tuple[str, ...]:
    """Up to KEYWORD_COUNT terms of the article (`text`: the plain body text, of which only the
    first LEAD_CHARS are read), the most characteristic first, ties by term.

    Title terms and terms the lead repeats come first (a bigram seen once is as often a word
    boundary as a word); single occurrences only fill the places those leave."""
    table = idf_table()
    lead = text[:LEAD_CHARS]
    body = _pair_counts(lead)
    scores = _score_pairs(body, table, least=2)
    heading = {code: body.get(code, 0) + (TITLE_WEIGHT if code in body else TITLE_ONLY_WEIGHT)
               for code in _pair_counts(title)}
    scores.update(_score_pairs(heading, table))
    latin = _LATIN_WORD.findall(lead)
    words = Counter(word.lower() for word in latin) if latin else Counter()
    headline = {word.lower() for word in _LATIN_WORD.findall(title)}
    for word, n in words.items():
        if n > 1 or word in headline:
            _score_word(scores, word, n + (TITLE_WEIGHT if word in headline else 0), table)
    for word in headline - words.keys():
        _score_word(scores, word, TITLE_ONLY_WEIGHT, table)
    keywords = _best(scores, table)
    if len(keywords) < KEYWORD_COUNT:  # short or unrepetitive text: single occurrences fill up
        rest = {key: score for key, score in _score_pairs(body, table).items() if key not in scores}
        for word, n in words.items():
            if word not in scores:
                _score_word(rest, word, n, table)
        keywords += _best(rest, table)[:KEYWORD_COUNT - len(keywords)]
    return keywords


def content_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How alike two keyword tuples are, in [0, 1]: the cosine of their rank-weighted term
    vectors (a keyword's weight is 1/sqrt(rank + 2), so earlier keywords count more but a
    shared 10th keyword still counts). 1 for the same tuple, 0 when nothing is shared.
    Only the first KEYWORD_COUNT keywords count."""
    a, b = a[:KEYWORD_COUNT], b[:KEYWORD_COUNT]
    shared = set(a).intersection(b)
    if not shared:  # most candidate pairs: the cheap way out
        return 0.0
    if a == b:
        return 1.0
    if b < a:  # one order of summation, so that f(a, b) == f(b, a) to the last bit
        a, b = b, a
    weights, dot = _RANK_WEIGHTS, 0.0
    for rank, term in enumerate(a):  # in rank order (a set's order changes with the hash seed)
        if term in shared:
            shared.discard(term)  # a repeated term counts once, at its first rank
            dot += weights[rank] * weights[b.index(term)]
            if not shared:
                break
    return min(1.0, dot / sqrt(_NORMS[len(a)] * _NORMS[len(b)]))


class KeywordVector(NamedTuple):
    """An article's keywords ready for many comparisons (the index compares each article with
    dozens of others): the terms as a set, each term's first rank, the tuple itself."""

    terms: frozenset[str]
    rank: dict[str, int]
    keywords: tuple[str, ...]


def keyword_vector(keywords: tuple[str, ...]) -> KeywordVector:
    keywords = keywords[:KEYWORD_COUNT]
    rank: dict[str, int] = {}
    for n, term in enumerate(keywords):
        rank.setdefault(term, n)
    return KeywordVector(frozenset(rank), rank, keywords)


def vector_similarity(a: KeywordVector, b: KeywordVector) -> float:
    """`content_similarity` of two prepared vectors: the same value to the last bit (the same
    terms summed in the same order), without rebuilding sets for every pair."""
    shared = a.terms & b.terms
    if not shared:
        return 0.0
    if a.keywords == b.keywords:
        return 1.0
    if b.keywords < a.keywords:
        a, b = b, a
    weights, dot = _RANK_WEIGHTS, 0.0
    for term in sorted(shared, key=a.rank.__getitem__):
        dot += weights[a.rank[term]] * weights[b.rank[term]]
    return min(1.0, dot / sqrt(_NORMS[len(a.keywords)] * _NORMS[len(b.keywords)]))


_RANK_WEIGHTS = tuple(1.0 / sqrt(rank + 2) for rank in range(KEYWORD_COUNT))
_NORMS = tuple(sum(x * x for x in _RANK_WEIGHTS[:n]) for n in range(KEYWORD_COUNT + 1))


def _code(pair: str) -> int:
    return memoryview(pair.encode(_CODEC, "surrogatepass")).cast("I")[0]


def _term(code: int) -> str:
    return code.to_bytes(4, sys.byteorder).decode(_CODEC, "surrogatepass")


def _pair_counts(text: str) -> Counter[int]:
    """How often each pair of adjacent characters occurs, by code (any characters: the
    scoring keeps CJK pairs only)."""
    data = text.encode(_CODEC, "surrogatepass")
    counts = Counter(memoryview(data[:len(data) & ~3]).cast("I"))
    data = data[2:]
    counts.update(memoryview(data[:len(data) & ~3]).cast("I"))
    return counts


def _score_pairs(counts: dict[int, int], table: IdfTable, least: int = 1) -> dict[int | str, float]:
    """count * idf of each CJK pair counted at least `least` times (a listed pair is CJK by
    construction; an unlisted one is checked: both 16-bit halves in the CJK blocks)."""
    scores: dict[int | str, float] = {}
    get, default = table.pairs.get, table.default
    for code, n in counts.items():
        if n < least:
            continue
        idf = get(code)
        if idf is None:
            low, high = code & 0xFFFF, code >> 16
            if not ((0x3400 <= low < 0xA000 or 0xF900 <= low < 0xFB00)
                    and (0x3400 <= high < 0xA000 or 0xF900 <= high < 0xFB00)):
                continue
            idf = default
        if idf:
            scores[code] = n * idf
    return scores


def _score_word(scores: dict[int | str, float], word: str, n: int, table: IdfTable) -> None:
    idf = table.words.get(word, table.default)
    if idf:
        scores[word] = n * idf


def _best(scores: dict[int | str, float], table: IdfTable) -> tuple[str, ...]:
    """The KEYWORD_COUNT best-scored terms, by score then term; only those at or above the
    cut-off score are decoded and sorted, so the cost stays with the winners."""
    if len(scores) > KEYWORD_COUNT:
        cut = sorted(scores.values(), reverse=True)[KEYWORD_COUNT - 1]
        scores = {key: score for key, score in scores.items() if score >= cut}
    names = table.names
    ranked = sorted((-score, key if isinstance(key, str) else names.get(key) or _term(key))
                    for key, score in scores.items())
    return tuple(term for _, term in ranked[:KEYWORD_COUNT])
