"""Topic taxonomy: load, validate and merge TOML taxonomies.

The shipped default lives in ``generator/data/taxonomy.toml``.  A site may
ship its own ``taxonomy.toml`` that either extends the default (new topics,
extra keywords/exclusions for existing slugs) or replaces it::

    mode = "extend"            # or "replace"; "extend" when omitted
    [[topic]]
    slug = "elderly-care"      # ASCII lowercase letters, digits and '-'
    name = "养老服务"
    min_score = 4.0            # optional, default 4.0
    exclusions = ["养老服务业股票"]
    [topic.keywords]           # term = weight, or a plain list (weight 1.0)
    "养老服务" = 3.0

Validation never raises on the first problem: every problem is collected as a
message naming the file and key (``taxonomy.toml: topic[3].slug: ...``; topic
indexes count from 0 in file order) and raised together in ``TaxonomyError``
so a site author can fix them in one go.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from generator.diagnostics import SettingsFileError
from generator.enrich.subject_names import subject_names

__all__ = [
    "DEFAULT_MIN_SCORE",
    "Taxonomy",
    "TaxonomyError",
    "Topic",
    "check_taxonomy",
    "default_taxonomy",
    "load_taxonomy",
    "make_taxonomy",
    "parse_taxonomy",
]

DEFAULT_MIN_SCORE = 4.0
MAX_WEIGHT = 100.0
MAX_TERM_CHARS = 50
MAX_SLUG_CHARS = 64
_FORMAT_TAG = "policy-digest-taxonomy/1"  # bump when matching semantics change
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_TOPIC_KEYS = frozenset({"slug", "name", "min_score", "keywords", "exclusions", "subject"})
_TOP_KEYS = frozenset({"mode", "topic"})
_MODES = ("extend", "replace")


@dataclass(frozen=True, slots=True)
class Topic:
    """One taxonomy topic; keywords are (term, weight) pairs in file order."""

    slug: str
    name: str
    keywords: tuple[tuple[str, float], ...]
    exclusions: tuple[str, ...]
    min_score: float
    subject: str = ""  # the State Council library subject this focus topic is filed under


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """An ordered set of topics; ``version`` is a content hash for cache keys."""

    topics: tuple[Topic, ...]
    version: str

    @property
    def subjects(self) -> dict[str, str]:
        """Topic slug -> the subject it is filed under (topics filed under none left out)."""
        return {t.slug: t.subject for t in self.topics if t.subject}

    def get(self, slug: str) -> Topic | None:
        """The topic with this slug, or None."""
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        return None


class TaxonomyError(SettingsFileError):
    """A taxonomy file could not be used; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped default taxonomy (package data, parsed once)."""
    text = resources.files("generator.data").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    return parse_taxonomy(text, source="generator/data/taxonomy.toml")


def load_taxonomy(path: str | Path | None = None, *, base: Taxonomy | None = None) -> Taxonomy:
    """Default taxonomy, or a site file applied on top of ``base`` (default: shipped one).

    Raises TaxonomyError (never OSError/TOMLDecodeError) so callers can print
    ``problems`` and stop cleanly.
    """
    if path is None:
        return default_taxonomy()
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError([f"{source}: cannot read: {exc}"]) from None
    return parse_taxonomy(text, source=source, base=default_taxonomy() if base is None else base)


def parse_taxonomy(text: str, *, source: str = "taxonomy.toml", base: Taxonomy | None = None) -> Taxonomy:
    """Parse TOML text into a Taxonomy, extending/replacing ``base`` if given."""
    data, problems = _decode(text, source)
    if not problems:
        problems = _validate(data, source, base)
    if problems:
        raise TaxonomyError(problems)
    return _build(data, base)


def check_taxonomy(text: str, *, source: str = "taxonomy.toml", base: Taxonomy | None = None) -> list[str]:
    """Validation messages for TOML text (empty list when it is usable)."""
    data, problems = _decode(text, source)
    return problems or _validate(data, source, base)


def make_taxonomy(topics: Iterable[Topic]) -> Taxonomy:
    """Wrap topics in a Taxonomy whose version hashes their content."""
    topics = tuple(topics)
    return Taxonomy(topics=topics, version=_content_hash(topics))


# ---------------------------------------------------------------------------
# Decoding and validation
# ---------------------------------------------------------------------------


def _decode(text: str, source: str) -> tuple[dict[str, Any], list[str]]:
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"{source}: invalid TOML: {exc}"]


def _mode(data: Mapping[str, Any], base: Taxonomy | None) -> str:
    if base is None:
        return "replace"
    mode = data.get("mode", "extend")
    return mode if mode in _MODES else "extend"


def _validate(data: Mapping[str, Any], source: str, base: Taxonomy | None) -> list[str]:
    problems: list[str] = []
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(f"{source}: unknown key '{key}' (expected mode, topic)")
    if "mode" in data and data["mode"] not in _MODES:
        problems.append(f'{source}: mode: must be "extend" or "replace"')
    topics = data.get("topic", [])
    if not isinstance(topics, list) or not all(isinstance(t, dict) for t in topics):
        problems.append(f"{source}: topic: must be an array of tables ([[topic]])")
        return problems
    mode = _mode(data, base)
    if mode == "replace" and not topics:
        problems.append(f"{source}: topic: at least one [[topic]] is needed")
    known = {t.slug for t in base.topics} if base is not None and mode == "extend" else set()
    seen: dict[str, int] = {}
    for i, raw in enumerate(topics):
        where = f"{source}: topic[{i}]"
        problems += _check_topic(raw, where, known)
        slug = raw.get("slug")
        if isinstance(slug, str):
            if slug in seen:
                problems.append(f"{where}.slug: duplicate of topic[{seen[slug]}] ('{slug}')")
            else:
                seen[slug] = i
    return problems


def _check_topic(raw: Mapping[str, Any], where: str, known: set[str]) -> list[str]:
    problems = [f"{where}: unknown key '{k}' (expected {', '.join(sorted(_TOPIC_KEYS))})"
                for k in raw if k not in _TOPIC_KEYS]
    slug = raw.get("slug")
    if slug is None:
        problems.append(f"{where}.slug: missing")
    elif not isinstance(slug, str) or len(slug) > MAX_SLUG_CHARS or not _SLUG_RE.match(slug):
        problems.append(f"{where}.slug: must be ASCII lowercase letters, digits and '-'")
    is_new = not (isinstance(slug, str) and slug in known)
    problems += _check_name(raw.get("name"), f"{where}.name", required=is_new)
    if "min_score" in raw and not _is_number(raw["min_score"], minimum=0.0):
        problems.append(f"{where}.min_score: must be a number >= 0")
    problems += _check_keywords(raw.get("keywords"), f"{where}.keywords", required=is_new)
    problems += _check_exclusions(raw.get("exclusions"), f"{where}.exclusions")
    problems += _check_subject(raw.get("subject"), f"{where}.subject")
    return problems


def _check_subject(subject: Any, where: str) -> list[str]:
    if subject is None:
        return []
    names = subject_names()
    if subject not in names:
        return [f"{where}: must be one of the 22 subjects of the State Council library ({'、'.join(names[:3])} ...), "
                f"got {subject!r}"]
    return []


def _check_name(name: Any, where: str, *, required: bool) -> list[str]:
    if name is None:
        return [f"{where}: missing"] if required else []
    if not isinstance(name, str) or not name.strip():
        return [f"{where}: must be a non-empty string"]
    return []


def _check_keywords(keywords: Any, where: str, *, required: bool) -> list[str]:
    if keywords is None:
        return [f"{where}: missing"] if required else []
    if isinstance(keywords, list):
        problems = [f"{where}[{j}]: {msg}" for j, term in enumerate(keywords)
                    if (msg := _term_problem(term))]
        items = [(t, 1.0) for t in keywords if isinstance(t, str)]
    elif isinstance(keywords, dict):
        problems = []
        for term, weight in keywords.items():
            key = f"{where}.{json.dumps(term, ensure_ascii=False)}"
            if msg := _term_problem(term):
                problems.append(f"{key}: {msg}")
            if not _is_number(weight) or weight == 0 or abs(weight) > MAX_WEIGHT:
                problems.append(f"{key}: weight must be a non-zero number between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}")
        items = [(t, w) for t, w in keywords.items() if _is_number(w)]
    else:
        return [f"{where}: must be a list of strings or a table of \"keyword\" = weight"]
    if required and not any(w > 0 for _, w in items):
        problems.append(f"{where}: needs at least one keyword with a positive weight")
    problems += _duplicate_terms([t for t, _ in items], where)
    return problems


def _check_exclusions(exclusions: Any, where: str) -> list[str]:
    if exclusions is None:
        return []
    if not isinstance(exclusions, list):
        return [f"{where}: must be a list of strings"]
    return [f"{where}[{j}]: {msg}" for j, term in enumerate(exclusions) if (msg := _term_problem(term))]


def _term_problem(term: Any) -> str | None:
    if not isinstance(term, str) or not term.strip():
        return "must be a non-empty string"
    if term != term.strip():
        return "must not start or end with whitespace"
    if any(c in term for c in "\r\n\t"):
        return "must not contain line breaks or tabs"
    if len(term) > MAX_TERM_CHARS:
        return f"longer than {MAX_TERM_CHARS} characters"
    return None


def _duplicate_terms(terms: list[Any], where: str) -> list[str]:
    seen: set[str] = set()
    problems = []
    for term in terms:
        if not isinstance(term, str):
            continue
        folded = term.strip().lower()
        if folded in seen:
            problems.append(f"{where}: duplicate keyword '{term}'")
        seen.add(folded)
    return problems


def _is_number(value: Any, *, minimum: float | None = None) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if not math.isfinite(value):
        return False
    return minimum is None or value >= minimum


# ---------------------------------------------------------------------------
# Building and merging
# ---------------------------------------------------------------------------


def _build(data: Mapping[str, Any], base: Taxonomy | None) -> Taxonomy:
    raw_topics = data.get("topic", [])
    if _mode(data, base) == "replace" or base is None:
        return make_taxonomy(_new_topic(raw) for raw in raw_topics)
    merged = {t.slug: t for t in base.topics}
    for raw in raw_topics:
        old = merged.get(raw["slug"])
        merged[raw["slug"]] = _new_topic(raw) if old is None else _extend_topic(old, raw)
    return make_taxonomy(merged.values())


def _new_topic(raw: Mapping[str, Any]) -> Topic:
    return Topic(
        slug=raw["slug"],
        name=raw["name"].strip(),
        keywords=tuple(_keyword_items(raw["keywords"])),
        exclusions=tuple(dict.fromkeys(raw.get("exclusions", ()))),
        min_score=float(raw.get("min_score", DEFAULT_MIN_SCORE)),
        subject=raw.get("subject", ""),
    )


def _extend_topic(old: Topic, raw: Mapping[str, Any]) -> Topic:
    """Add keywords (a repeated term takes the new weight) and exclusions."""
    weights = dict(old.keywords)
    weights.update(_keyword_items(raw.get("keywords", ())))
    return Topic(
        slug=old.slug,
        name=raw["name"].strip() if "name" in raw else old.name,
        keywords=tuple(weights.items()),
        exclusions=tuple(dict.fromkeys((*old.exclusions, *raw.get("exclusions", ())))),
        min_score=float(raw.get("min_score", old.min_score)),
        subject=raw.get("subject", old.subject),
    )


def _keyword_items(keywords: Any) -> list[tuple[str, float]]:
    if isinstance(keywords, dict):
        return [(term, float(weight)) for term, weight in keywords.items()]
    return [(term, 1.0) for term in keywords]


def _content_hash(topics: tuple[Topic, ...]) -> str:
    payload = [_FORMAT_TAG] + [
        [t.slug, t.name, [[k, w] for k, w in t.keywords], list(t.exclusions), t.min_score, t.subject] for t in topics
    ]
    blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]
