"""Frozen data passed between pipeline stages: no I/O, no behaviour beyond derived views."""
from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Mapping

from generator.pickled import canonical, interned_strings, quick_pickle


@quick_pickle
@dataclass(frozen=True, slots=True)
class RawDoc:
    """What a loader read from one file, before any judgement about its content.

    `body_html` is always HTML (Markdown is rendered by the loader, text scrapes are
    wrapped in paragraphs) so that the cleaner works on one representation.
    """

    source: PurePosixPath
    kind: str  # "frontmatter" | "text" | "page"
    title: str
    published: datetime | None
    updated: datetime | None
    meta: Mapping[str, Any]
    body_html: str
    body_line: int
    digest: str
    warnings: tuple[str, ...] = ()


@quick_pickle
@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of junk the cleaner took out, and the rule that did it."""

    rule: str
    excerpt: str
    chars: int = 0  # visible characters removed, for `digest check`


@quick_pickle
@dataclass(frozen=True, slots=True)
class CleanDoc:
    """A RawDoc after cleaning and sanitizing: safe HTML plus the fields lifted out of it."""

    raw: RawDoc
    body_html: str
    text: str
    removed: tuple[Removal, ...]
    lifted: Mapping[str, str]


@interned_strings("value", "unit", "context")
@quick_pickle
@dataclass(frozen=True, slots=True)
class Figure:
    """A key figure as written in the article (e.g. 3133万人) with its clause."""

    value: str
    unit: str
    context: str

    @property
    def display(self) -> str:
        return f"{self.value}{self.unit}"


@canonical
@quick_pickle
@dataclass(frozen=True, slots=True)
class TopicRef:
    slug: str
    name: str
    subject: str = ""  # the State Council library subject this focus topic is filed under


@canonical
@quick_pickle
@dataclass(frozen=True, slots=True)
class SubjectRef:
    """A State Council library subject (一级主题) with the article's best sub-subject (二级主题)."""

    slug: str
    name: str
    sub: str


@canonical
@quick_pickle
@dataclass(frozen=True, slots=True)
class RegionRef:
    slug: str
    name: str


def pack_body(body_html: str, text: str, removed: tuple[Removal, ...]) -> bytes:
    """An article's body, its text and its removals as one compressed value.

    A build holds every article at once until its pages are written: as strings these three
    were 8.1 of an article's 14.5 KB in memory (1,000 synthetic articles), and a 100,000-article
    build peaked at 2.9 GB. Compressed together (the text repeats the body's words) they take
    about 1.8 KB; packing costs ~75 µs per article, each read ~40 µs, and only an article's own
    page, the feeds listing it and the story lead's choice read them.
    """
    return _pack((body_html, text, tuple((r.rule, r.excerpt, r.chars) for r in removed)))


def unpack_body(packed: bytes) -> tuple[str, str, tuple[tuple[str, str, int], ...]]:
    """(body_html, text, removals as (rule, excerpt, chars)) of `pack_body`'s value."""
    return _unpack(packed)


def pack_region_evidence(regions: tuple[tuple[str, float], ...], evidence: tuple[str, ...]) -> bytes:
    """The region detector's weights and reasons, read only by `digest inspect`: packed like
    the body (1.1 KB of an article as tuples and strings, ~0.2 KB packed)."""
    return _pack((tuple(regions), tuple(evidence)))


def unpack_region_evidence(packed: bytes) -> tuple[tuple[tuple[str, float], ...], tuple[str, ...]]:
    """(regions, region_evidence) of `pack_region_evidence`'s value."""
    return _unpack(packed)


def _pack(state: tuple) -> bytes:
    return zlib.compress(pickle.dumps(state, protocol=5), BODY_COMPRESSION)


def _unpack(packed: bytes) -> Any:
    # Not bytes: a body a one-shot build keeps on disk (generator.build.spill), read by bytes().
    return pickle.loads(zlib.decompress(packed if type(packed) is bytes else bytes(packed)))


# zlib level 1 / 3 / 6 on 300 synthetic bodies: 1,838 / 1,804 / 1,728 bytes, packed in 76 / 73 /
# 78 µs and unpacked in 53 / 36 / 32 µs: 6 is as quick and the smallest.
BODY_COMPRESSION = 6


@interned_strings("keywords", "numbers")
@quick_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """What every later stage and template sees."""

    id: str
    slug: str
    source: PurePosixPath
    kind: str
    title: str
    published: datetime | None
    updated: datetime | None
    origin_url: str | None
    outlet: str | None
    author: str | None
    editor: str | None
    original_title: str | None
    cover_image: str | None
    packed_body: bytes  # body_html, text and removed, packed (pack_body): read through the properties;
    # in a one-shot build, a SpilledBody (generator.build.spill) standing for those bytes
    summary: str
    region: RegionRef | None
    packed_region_evidence: bytes  # regions and region_evidence, packed (pack_region_evidence)
    topics: tuple[TopicRef, ...]
    policy: bool
    policy_score: float
    figures: tuple[Figure, ...]
    digest: str
    reading_minutes: int = 1
    warnings: tuple[str, ...] = ()
    subjects: tuple[SubjectRef, ...] = ()  # 1-3, main first
    aliases: tuple[str, ...] = ()  # old site-relative URLs ("articles/old-name/", "old.html") that redirect here
    sketch: bytes = b""  # MinHash sketch of headline and lead (generator.enrich.story_sketch)
    numbers: tuple[str, ...] = ()  # the numbers of headline and lead, for telling stories apart
    keywords: tuple[str, ...] = ()  # what it is about, most characteristic first (generator.enrich.keywords)

    @property
    def body_html(self) -> str:
        """The cleaned, sanitized body (unpacked on each read: only its own page and feeds read it)."""
        return unpack_body(self.packed_body)[0]

    @property
    def text(self) -> str:
        """The body's plain text."""
        return unpack_body(self.packed_body)[1]

    @property
    def removed(self) -> tuple[Removal, ...]:
        """The junk the cleaner took out (for `digest inspect` and `digest check`)."""
        return tuple(Removal(*fields) for fields in unpack_body(self.packed_body)[2])

    @property
    def regions(self) -> tuple[tuple[str, float], ...]:
        """Every region the detector weighed, with its points (for `digest inspect`)."""
        return unpack_region_evidence(self.packed_region_evidence)[0]

    @property
    def region_evidence(self) -> tuple[str, ...]:
        """Why the region was chosen, one line per finding (for `digest inspect`)."""
        return unpack_region_evidence(self.packed_region_evidence)[1]

    @property
    def url_path(self) -> str:
        """Site-relative URL of the article page (pretty, folder/index.html)."""
        return f"articles/{self.slug}/"

    @property
    def stamp(self) -> float | None:
        """Publication instant in POSIX seconds (what time windows compare), None when undated."""
        return self.published.timestamp() if self.published else None

    @property
    def alias_pages(self) -> tuple[str, ...]:
        """The redirect files its aliases are written as (a folder URL gets its index.html)."""
        return tuple(a + "index.html" if a.endswith("/") else a for a in self.aliases)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Page:
    """One slice of a paginated listing."""

    number: int
    total: int
    article_ids: tuple[str, ...]


# Where each kind of listing lives: /regions/chongqing/, /daily/2024-05-20/, /weekly/2024-W21/.
TERM_FOLDERS = {"region": "regions", "topic": "topics", "subject": "subjects", "month": "archives",
                "day": "daily", "week": "weekly"}


@quick_pickle
@dataclass(frozen=True, slots=True)
class Term:
    """One listing of the site besides the home page: a region, a topic or a month.

    `slug` is the URL segment under the kind's folder (`chongqing`, `jiuye-bangfu`,
    `2022/06`); `article_ids` are newest first and `pages` slice them.
    """

    kind: str  # "region" | "topic" | "subject" | "month" | "day" | "week"
    slug: str
    name: str
    article_ids: tuple[str, ...]
    pages: tuple[Page, ...]

    @property
    def url_path(self) -> str:
        return f"{TERM_FOLDERS[self.kind]}/{self.slug}/"


@quick_pickle
@dataclass(frozen=True, slots=True)
class Site:
    """All articles, newest first, plus the listings derived from them.

    `listed` are the ids shown on the home page, the term pages and the feeds (the
    non-policy setting may keep some articles off them); `related` maps an article id
    to up to five ids alike in content (generator.index.related_articles).
    """

    articles: tuple[Article, ...]
    by_id: Mapping[str, Article] = field(default_factory=dict)
    index_pages: tuple[Page, ...] = ()
    other_pages: tuple[Page, ...] = ()
    listed: tuple[str, ...] = ()
    regions: tuple[Term, ...] = ()
    topics: tuple[Term, ...] = ()
    months: tuple[Term, ...] = ()
    subjects: tuple[Term, ...] = ()  # in the State Council library's order
    days: tuple[Term, ...] = ()  # newest first; slug 2024-05-20 (the site's time zone)
    weeks: tuple[Term, ...] = ()  # newest first; slug 2024-W21 (ISO weeks)
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # generator.stories: the pairs of articles reporting one story, and every clustered
    # article's story (its ids, lead first); an article in no story is in neither.
    story_links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    stories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    renamed: bool = False  # indexing renamed a slug or dropped an alias (it warned): see index.build_site
    # The same object while the site's pages are the same ones (index.build_site makes a new
    # one whenever it indexes; an update that swaps articles into the previous site keeps it):
    # what lets an update reuse the last build's page plans (generator.build.outputs.PlanMemo).
    layout: object = field(default_factory=object, compare=False)
