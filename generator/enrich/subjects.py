"""Subjects: the State Council policy library's 22 first-level subjects (主题分类), each with its
best second-level subject, 1 to 3 per article, main one first; 其他 only when nothing fits.

The vocabulary is data (generator/data/subjects.toml: every sub-subject with weighted
keywords, derived from the library's own subject-labelled titles). Scoring reuses the topic
tagger's single Aho-Corasick pass (generator.enrich.topics.score_topics) with one "topic" per
sub-subject, so title hits weigh more, repeats add less and less, and a keyword counts fully
only in a paragraph its sub-subject dominates. A subject's score is the sum of its
sub-subjects'; the best of them names it. The focus topics an article got add their score
to the subject each topic is filed under (taxonomy.toml `subject = ...`).

Selection (the `[selection]` table of subjects.toml, measured on the tune part of the
labelled pool and the 75 dev files, see that table's comments): the main subject is the
best-scoring one when it reaches `min_score`; another is added while it reaches
`second_ratio` of the main one's score and `min_score`, at most `max_subjects` in all, and only
when the article spends real space on it (SUBJECTS.md): a second subject must be in the headline
or hold `space_share` of some paragraph's subject-keyword weight, a third must be in the headline.
A sub-subject's `exclude` phrases stop its keywords from counting inside them (动车 in 电动车).

The shipped scheme replaces the second/third-subject thresholds with a learned selector
(generator.enrich.subject_selector: a logistic model over each candidate's score, rank, real
space and subject, fitted on the tune part of the labelled pool); a scheme without one, such
as a test's, selects by the thresholds above. Both keep `min_score` and `max_subjects`.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from generator.enrich.subject_names import subjects_file_text
from generator.enrich.subject_selector import Candidate, SubjectSelector, default_selector
from generator.enrich.taxonomy import Taxonomy, Topic, make_taxonomy
from generator.enrich.topics import TopicHit, score_topics_in_detail

OTHER = "其他"


@dataclass(frozen=True, slots=True)
class SubjectHit:
    """A subject given to an article: its name, URL slug, best sub-subject and score."""

    slug: str
    name: str
    sub: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subject:
    name: str
    slug: str
    subs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SubjectScheme:
    """The 22 subjects in the library's order, and one scoring topic per (subject, sub-subject)."""

    subjects: tuple[Subject, ...]
    taxonomy: Taxonomy  # topic slug "<subject index>/<sub index>"
    owners: tuple[tuple[int, int], ...]  # per scoring topic: (subject index, sub-subject index)
    min_score: float
    second_ratio: float
    max_subjects: int
    space_share: float = 0.0  # a second subject must hold this share of a paragraph's keyword weight
    selector: SubjectSelector | None = None  # learned selection; None: the thresholds above

    @property
    def version(self) -> str:
        return self.taxonomy.version

    def by_name(self, name: str) -> Subject | None:
        for subject in self.subjects:
            if subject.name == name:
                return subject
        return None


@lru_cache(maxsize=1)
def default_subjects() -> SubjectScheme:
    """The shipped scheme (package data, parsed once)."""
    return parse_subjects(subjects_file_text(), selector=default_selector())


def parse_subjects(text: str, *, selector: SubjectSelector | None = None) -> SubjectScheme:
    data = tomllib.loads(text)
    subjects: list[Subject] = []
    rows: list[tuple[int, int, str, tuple[tuple[str, float], ...], tuple[str, ...]]] = []
    for si, raw in enumerate(data["subject"]):
        subs = []
        for ui, sub in enumerate(raw.get("sub", [])):
            subs.append(sub["name"])
            keywords = tuple((str(term), float(weight)) for term, weight in (sub.get("keywords") or {}).items())
            rows.append((si, ui, f"{raw['name']}\\{sub['name']}", keywords, tuple(map(str, sub.get("exclude", ())))))
        subjects.append(Subject(raw["name"], raw["slug"], tuple(subs)))
    topics = [Topic(f"{si}/{ui}", name, kws, exclude, 0.0) for si, ui, name, kws, exclude in rows]
    selection = data.get("selection", {})
    owners = tuple((int(a), int(b)) for a, b in (t.slug.split("/") for t in topics))
    return SubjectScheme(tuple(subjects), make_taxonomy(topics), owners, float(selection.get("min_score", 2.0)),
                         float(selection.get("second_ratio", 0.5)), int(selection.get("max_subjects", 3)),
                         float(selection.get("space_share", 0.0)), selector)


def tag_subjects(title: str, text: str, scheme: SubjectScheme, *, topic_hits: Iterable[TopicHit] = (),
                 topic_subjects: Mapping[str, str] | None = None) -> tuple[SubjectHit, ...]:
    """1 to 3 subjects, main first; `其他` alone when no subject reaches the minimum score."""
    evidence = subject_evidence(title, text, scheme, topic_hits=topic_hits, topic_subjects=topic_subjects)
    chosen = choose(scheme, evidence.candidates)
    if not chosen:
        return (_other(scheme),)
    return tuple(_hit(scheme, si, evidence.totals[si], evidence.best.get(si), evidence.found.get(si, []))
                 for si in chosen)


def choose(scheme: SubjectScheme, candidates: Sequence[Candidate]) -> list[int]:
    """The chosen subjects' indices, main first: by the scheme's selector, or by its thresholds
    when it has none; none at all (其他) when no candidate reaches `min_score`."""
    if not candidates or candidates[0].score < scheme.min_score:
        return []
    if scheme.selector is not None:
        return [c.index for c in scheme.selector.select(candidates, scheme.max_subjects)]
    return _select_by_thresholds(scheme, candidates)


@dataclass(frozen=True, slots=True)
class SubjectEvidence:
    """Every subject with keyword evidence, as candidates ranked by score (the higher first,
    the library's order among equals), with each one's total, best sub-subject and keywords."""

    candidates: tuple[Candidate, ...]
    totals: dict[int, float]
    best: dict[int, tuple[float, int]]
    found: dict[int, list[str]]


def subject_evidence(title: str, text: str, scheme: SubjectScheme, *, topic_hits: Iterable[TopicHit] = (),
                     topic_subjects: Mapping[str, str] | None = None) -> SubjectEvidence:
    """The candidates the selection chooses from (benchmarks/train_subject_selector.py learns
    from the same ones)."""
    scores, scored, in_title, spaced = _score(title, text, scheme)
    totals: dict[int, float] = {}
    best: dict[int, tuple[float, int]] = {}
    found: dict[int, list[str]] = {}
    for topic in scored:  # sub-subjects with keyword hits, in order (the others score 0)
        score, terms = scores[topic]
        if score <= 0:
            continue
        si, ui = scheme.owners[topic]
        totals[si] = totals.get(si, 0.0) + score
        if score > best.get(si, (0.0, 0))[0]:
            best[si] = (score, ui)
        found.setdefault(si, []).extend(terms)
    position: dict[str, int] = {}  # subject name -> its first index (what by_name + index gave)
    for si, subject in enumerate(scheme.subjects):
        position.setdefault(subject.name, si)
    for hit in topic_hits:
        si = position.get((topic_subjects or {}).get(hit.slug, ""))
        if si is not None:
            totals[si] = totals.get(si, 0.0) + hit.score
    ranked = sorted(((si, score) for si, score in totals.items() if score > 0), key=lambda item: (-item[1], item[0]))
    candidates = tuple(Candidate(si, scheme.subjects[si].name, score, rank, si in in_title, si in spaced)
                       for rank, (si, score) in enumerate(ranked))
    return SubjectEvidence(candidates, totals, best, found)


def _select_by_thresholds(scheme: SubjectScheme, candidates: Sequence[Candidate]) -> list[int]:
    """The main subject, then others while they reach `second_ratio` of its score and
    `min_score`, at most `max_subjects`; a second must have real space, a third the headline."""
    top = candidates[0].score
    chosen = [candidates[0].index]
    for candidate in candidates[1:]:
        score = candidate.score
        if len(chosen) >= scheme.max_subjects or score < scheme.min_score or score < scheme.second_ratio * top:
            break
        # Real space (SUBJECTS.md): in the headline, or holding a paragraph; a third only from the headline.
        if candidate.in_title or (len(chosen) < 2 and candidate.spaced):
            chosen.append(candidate.index)
    return chosen


def _score(title: str, text: str, scheme: SubjectScheme
           ) -> tuple[list[tuple[float, tuple[str, ...]]], tuple[int, ...], set[int], set[int]]:
    """score_topics' scores for every sub-subject, from one automaton pass, the sub-subjects
    with keyword hits, the subjects named in the title and those holding at least
    `space_share` of some paragraph's keyword weight."""
    found = score_topics_in_detail(title, text, scheme.taxonomy)
    owners = scheme.owners
    per_para: dict[int, dict[int, float]] = {}
    for (topic, para), value in found.paragraphs.items():
        row = per_para.setdefault(para, {})
        si = owners[topic][0]
        row[si] = row.get(si, 0.0) + value
    spaced = set()
    for row in per_para.values():
        floor = scheme.space_share * sum(row.values())
        spaced.update(si for si, value in row.items() if value >= floor)
    return found.scores, found.scored, {owners[topic][0] for topic in found.in_title}, spaced


def _hit(scheme: SubjectScheme, si: int, score: float, best: tuple[float, int] | None,
         evidence: list[str]) -> SubjectHit:
    subject = scheme.subjects[si]
    sub = subject.subs[best[1]] if best is not None else (OTHER if OTHER in subject.subs else subject.subs[0])
    return SubjectHit(subject.slug, subject.name, sub, round(score, 2), tuple(dict.fromkeys(evidence))[:6])


def _other(scheme: SubjectScheme) -> SubjectHit:
    subject = scheme.by_name(OTHER)
    assert subject is not None, "subjects.toml must list 其他"
    return SubjectHit(subject.slug, subject.name, OTHER, 0.0)
