"""Which of an article's candidate subjects it gets: a small logistic model over the keyword
scores, learned from hand labels instead of thresholds set by hand.

The keyword scores (generator.enrich.subjects) find the right subjects (97% of the labelled
subjects of the pool's tune part are among an article's candidates) but rank them imperfectly,
and fixed cut-offs cannot tell that some subjects are named in passing far more often than
others (对外事务 in trade news, 工业、交通 in any story with a factory in it). Each candidate is
described by a handful of named features (`candidate_features`), and the probability that a
reader would file the article under it is the logistic of their weighted sum. The weights are
data (generator/data/subject_selector.toml), fitted at development time by
benchmarks/train_subject_selector.py on the tune part of the labelled pool only; reading them
needs nothing but this module.

Selection: the most probable candidate is the main subject; the next ones are added while their
probability reaches `threshold`, at most `max_subjects` in all.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

SELECTOR_FILE = "subject_selector.toml"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A subject with keyword evidence: its index in the scheme, its summed score, its place
    among the candidates by score (0 = highest), and whether the headline names it or it holds
    a paragraph of its own (SUBJECTS.md's "real space")."""

    index: int
    name: str
    score: float
    rank: int
    in_title: bool
    spaced: bool


@dataclass(frozen=True, slots=True)
class SubjectSelector:
    """Feature weights, the intercept and the probability a further subject needs."""

    weights: Mapping[str, float]
    bias: float
    threshold: float

    def probability(self, candidate: Candidate, top: float) -> float:
        """How likely a reader files the article under this candidate (0..1)."""
        weights = self.weights
        total = self.bias + sum(value * weights.get(name, 0.0)
                                for name, value in candidate_features(candidate, top).items())
        return 1.0 / (1.0 + math.exp(-total)) if total > -700 else 0.0

    def select(self, candidates: Sequence[Candidate], max_subjects: int) -> list[Candidate]:
        """The main subject (most probable; the higher score among equals) and the further
        ones that reach the threshold, most probable first."""
        if not candidates:
            return []
        top = max(c.score for c in candidates)
        ranked = sorted(((self.probability(c, top), c) for c in candidates), key=lambda pc: (-pc[0], pc[1].rank))
        chosen = [ranked[0][1]]
        chosen.extend(c for p, c in ranked[1:max_subjects] if p >= self.threshold)
        return chosen


def candidate_features(candidate: Candidate, top: float) -> dict[str, float]:
    """The named features of one candidate; the training script and the tagger share them.

    log_score and share_of_top: how strong the evidence is, alone and beside the best
    candidate's; rank_1..rank_3: its place; in_title, spaced: SUBJECTS.md's real space;
    subject:<name>: a per-subject bias (how often that subject's words are named in passing).
    """
    features = {
        "log_score": math.log1p(candidate.score),
        "share_of_top": candidate.score / top if top > 0 else 0.0,
        "in_title": float(candidate.in_title),
        "spaced": float(candidate.spaced),
        f"subject:{candidate.name}": 1.0,
    }
    if candidate.rank < 3:
        features[f"rank_{candidate.rank + 1}"] = 1.0
    return features


def parse_selector(text: str) -> SubjectSelector:
    """A selector from its TOML (a `[selector]` table with bias, threshold and weights)."""
    table = tomllib.loads(text)["selector"]
    weights = {str(name): float(value) for name, value in table["weights"].items()}
    return SubjectSelector(weights, float(table["bias"]), float(table["threshold"]))


@lru_cache(maxsize=1)
def default_selector() -> SubjectSelector:
    """The shipped weights (package data, read once)."""
    return parse_selector(resources.files("generator.data").joinpath(SELECTOR_FILE).read_text(encoding="utf-8"))
