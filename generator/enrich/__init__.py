"""Enrich stage: CleanDoc -> Article (region, topics, policy relevance, summary, figures)."""
from __future__ import annotations

import hashlib
import re
from typing import Any

from generator.enrich.figures import key_figures
from generator.enrich.keywords import content_keywords
from generator.enrich.policy import is_policy
from generator.enrich.regions import detect_region, province_by_name
from generator.enrich.slugs import article_aliases, article_slug
from generator.enrich.subjects import default_subjects, tag_subjects
from generator.enrich.story_sketch import story_numbers, story_sketch
from generator.enrich.summary import summarize
from generator.enrich.taxonomy import Taxonomy
from generator.enrich.topics import tag_topics
from generator.model import Article, CleanDoc, RegionRef, SubjectRef, TopicRef, pack_body, pack_region_evidence

NATIONAL = RegionRef("national", "全国")


def enrich(doc: CleanDoc, taxonomy: Taxonomy, *, summary_length: int = 120) -> Article:
    """Everything a reader sees besides the body, derived from the cleaned text and the meta."""
    raw, meta = doc.raw, doc.raw.meta
    title = raw.title
    outlet = _first_text(meta, "outlet", "source", "origin") or doc.lifted.get("outlet")
    guess = detect_region(
        title, doc.text, outlet=outlet, hints=_hints(meta), override=_text(meta.get("region")) or None,
    )
    hits = tag_topics(title, doc.text, taxonomy, given=given_tags(meta))
    verdict = is_policy(title, doc.text, hits)
    filed_under = taxonomy.subjects  # a property that builds a dict: built once here, not once per topic
    subjects = tag_subjects(title, doc.text, default_subjects(), topic_hits=hits, topic_subjects=filed_under)
    summary = _first_text(meta, "summary", "description") or summarize(title, doc.text, max_chars=summary_length)
    figures = key_figures(doc.text, title=title)
    slug, slug_warning = article_slug(meta, raw.source)
    aliases, alias_warnings = article_aliases(meta.get("aliases"))
    return Article(
        id=hashlib.sha256(str(raw.source).encode("utf-8")).hexdigest()[:16], slug=slug,
        source=raw.source, kind=raw.kind, title=title, published=raw.published,
        updated=raw.updated, origin_url=_url(_first_text(meta, "origin_url", "link", "url", "original_url")),
        outlet=outlet, author=_text(meta.get("author")) or None, editor=doc.lifted.get("editor") or _text(meta.get("editor")) or None,
        original_title=doc.lifted.get("original_title") or _text(meta.get("original_title")) or None, cover_image=_url(_first_text(meta, "headimg", "thumbnail", "cover", "image")),
        packed_body=pack_body(doc.body_html, doc.text, doc.removed), summary=summary,
        region=_region_ref(guess.primary), packed_region_evidence=pack_region_evidence(guess.weights, guess.evidence),
        topics=tuple(TopicRef(h.slug, h.name, filed_under.get(h.slug, "")) for h in hits), policy=verdict.policy, policy_score=round(verdict.score, 2), figures=figures,
        digest=raw.digest, reading_minutes=reading_minutes(doc.text),
        warnings=raw.warnings + ((slug_warning,) if slug_warning else ()) + tuple(alias_warnings),
        aliases=aliases, subjects=tuple(SubjectRef(h.slug, h.name, h.sub) for h in subjects),
        sketch=story_sketch(title, doc.text), numbers=story_numbers(title, doc.text),
        keywords=content_keywords(title, doc.text),
    )


def given_tags(meta: Any) -> tuple[str, ...]:
    """The topics and tags the front matter names (the topic tagger counts them in)."""
    return _strings(meta.get("topics")) + _strings(meta.get("tags"))


_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")
CJK_PER_MINUTE = 400
WORDS_PER_MINUTE = 220


def reading_minutes(text: str) -> int:
    """Chinese characters and Latin words are counted apart (Hugo counts mixed text wrong).

    Chinese characters are counted by runs (one match per run, not per character), and
    Latin words are found in the text as is: a Chinese character can never be part of a
    word match, so it separates words just as well as a space would.
    """
    cjk = sum(map(len, _CJK_RUN.findall(text)))
    words = len(_LATIN_WORD.findall(text))
    return max(1, round(cjk / CJK_PER_MINUTE + words / WORDS_PER_MINUTE))


def _region_ref(name: str | None) -> RegionRef | None:
    if name is None:
        return None
    if name == "全国":
        return NATIONAL
    province = province_by_name(name)
    return RegionRef(province.slug, province.short) if province else None


def _hints(meta: Any) -> tuple[str, ...]:
    return _strings(meta.get("breadcrumb")) + _strings(meta.get("categories"))


def _text(value: object) -> str:
    if value is None or isinstance(value, (list, dict)):
        return ""
    return " ".join(str(value).split())


def _first_text(meta: Any, *keys: str) -> str | None:
    for key in keys:
        value = _text(meta.get(key))
        if value:
            return value
    return None


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(_text(v) for v in value if _text(v))
    text = _text(value)
    return (text,) if text else ()


def _url(value: str | None) -> str | None:
    """Only http(s) URLs are kept: a front-matter `javascript:` image must never reach a page."""
    if not value:
        return None
    if value.startswith("//"):
        value = "https:" + value
    return value if re.match(r"^https?://[^\s\"'<>]+$", value) else None
