#!/usr/bin/env python3
"""Measure topic tagging, policy relevance and speed on the shared corpora.

    .venv/bin/python benchmarks/eval_topics_policy.py [--count 300] [--seed 1]
                     [--raw-fraction 0.1] [--shared ../shared] [--errors]

* Topic P/R/F1: a synthetic corpus made by shared/bench/make_corpus.py, scored
  against ``_truth.jsonl`` over the 11 topic slugs the generator knows
  (tags for other default topics, e.g. migrant-workers, are not counted).
* Policy accuracy: shared/corpus/real/labels.jsonl (``policy`` key; Sina posts
  are the HTML after the front matter with tags stripped, gne_*.html pages go
  through trafilatura.extract) and every synthetic item (all are policy).
* Speed: ms per article for tag_topics (and is_policy) on synthetic items,
  normalised to 3,000 characters.

The corpus readers here are also used by the tests, so both measure the same
way.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.enrich.policy import is_policy  # noqa: E402
from generator.enrich.taxonomy import Taxonomy, default_taxonomy  # noqa: E402
from generator.enrich.topics import tag_topics  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
_TITLE_RE = re.compile(r"^title:\s*'(.*)'\s*$", re.M)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_STYLE_RE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
_BLOCK_RE = re.compile(r"<(?:p|div|br|li|h\d)\b[^>]*>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(slots=True)
class Item:
    """One evaluation article."""

    name: str
    title: str
    text: str
    topics: tuple[str, ...] = ()
    policy: bool | None = None


@dataclass(slots=True)
class TopicScores:
    """Micro-averaged counts plus per-topic confusion."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    per_topic: dict[str, Counter] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / max(1e-9, p + r)


# ---------------------------------------------------------------------------
# Corpus readers
# ---------------------------------------------------------------------------


def html_to_text(fragment: str) -> str:
    """Crude tag stripper: comments/styles dropped, block tags become newlines."""
    fragment = _COMMENT_RE.sub("", fragment)
    fragment = _STYLE_RE.sub("", fragment)
    fragment = _BLOCK_RE.sub("\n", fragment)
    return html.unescape(_TAG_RE.sub("", fragment))


def read_sina(raw: str) -> tuple[str, str]:
    """(title, body text) of a Hexo/Sina post: front-matter title, stripped HTML body."""
    parts = raw.split("---", 2)
    if len(parts) < 3:
        return "", html_to_text(raw)
    match = _TITLE_RE.search(parts[1])
    title = match.group(1).replace("''", "'") if match else ""
    return title, html_to_text(parts[2])


def synthetic_items(outdir: Path) -> Iterator[Item]:
    """Items of a make_corpus.py output dir (gmw .txt files are used raw)."""
    for line in (outdir / "_truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        raw = (outdir / truth["file"]).read_text(encoding="utf-8")
        text = read_sina(raw)[1] if truth["format"] == "sina-hexo" else raw
        yield Item(truth["file"], truth["title"], text, tuple(truth["topics"]), True)


def real_items(real_dir: Path) -> Iterator[Item]:
    """Hand-labelled real articles (labels.jsonl) with their evaluation text."""
    import trafilatura

    for line in (real_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        raw = (real_dir / label["file"]).read_bytes().decode("utf-8", "replace")
        if label["file"].endswith(".md"):
            title, text = read_sina(raw)
        else:
            title, text = label["title"], trafilatura.extract(raw) or ""
        yield Item(label["file"], title or label["title"], text, tuple(label.get("topics", ())), label["policy"])


def make_synthetic(outdir: Path, *, count: int, seed: int, raw_fraction: float, shared: Path = DEFAULT_SHARED) -> Path:
    """Run shared/bench/make_corpus.py into outdir."""
    script = shared / "bench" / "make_corpus.py"
    subprocess.run([sys.executable, str(script), str(outdir), "--count", str(count), "--seed", str(seed),
                    "--raw-fraction", str(raw_fraction)], check=True)
    return outdir


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------


def synthetic_slugs(items: list[Item]) -> set[str]:
    return {slug for item in items for slug in item.topics}


def evaluate_topics(items: list[Item], taxonomy: Taxonomy, *, errors: list[str] | None = None) -> TopicScores:
    """P/R/F1 over the slugs that appear in the truth (others are unknowable)."""
    scope = synthetic_slugs(items)
    scores = TopicScores()
    for item in items:
        got = {h.slug for h in tag_topics(item.title, item.text, taxonomy)} & scope
        want = set(item.topics)
        for slug in scope:
            c = scores.per_topic.setdefault(slug, Counter())
            c["tp"] += slug in got and slug in want
            c["fp"] += slug in got and slug not in want
            c["fn"] += slug in want and slug not in got
        scores.tp += len(got & want)
        scores.fp += len(got - want)
        scores.fn += len(want - got)
        if errors is not None and got != want:
            errors.append(f"{item.name}: want {sorted(want)} got {sorted(got)} | {item.title}")
    return scores


def policy_accuracy(items: list[Item], taxonomy: Taxonomy, *, errors: list[str] | None = None) -> float:
    right = 0
    for item in items:
        verdict = is_policy(item.title, item.text, tag_topics(item.title, item.text, taxonomy))
        right += verdict.policy == item.policy
        if errors is not None and verdict.policy != item.policy:
            errors.append(f"{item.name}: want {item.policy} got {verdict.policy} score={verdict.score} "
                          f"{verdict.evidence[:8]} | {item.title}")
    return right / max(1, len(items))


def ms_per_article(items: list[Item], taxonomy: Taxonomy, *, with_policy: bool = False, repeat: int = 3) -> float:
    """Best-of-N mean ms per article, scaled to a 3,000-character article."""
    chars = sum(len(i.title) + len(i.text) for i in items)
    tag_topics(items[0].title, items[0].text, taxonomy)  # build the automaton outside the clock
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            hits = tag_topics(item.title, item.text, taxonomy)
            if with_policy:
                is_policy(item.title, item.text, hits)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / max(1, chars) * 3000


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--raw-fraction", type=float, default=0.1)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--errors", action="store_true", help="list misclassified items")
    args = ap.parse_args(argv)
    taxonomy = default_taxonomy()
    with tempfile.TemporaryDirectory() as tmp:
        make_synthetic(Path(tmp), count=args.count, seed=args.seed, raw_fraction=args.raw_fraction, shared=args.shared)
        synth = list(synthetic_items(Path(tmp)))
    topic_errors: list[str] = []
    scores = evaluate_topics(synth, taxonomy, errors=topic_errors)
    print(f"synthetic topics ({len(synth)} items): P={scores.precision:.3f} R={scores.recall:.3f} F1={scores.f1:.3f}")
    for slug, c in sorted(scores.per_topic.items()):
        p = c["tp"] / max(1, c["tp"] + c["fp"])
        r = c["tp"] / max(1, c["tp"] + c["fn"])
        print(f"  {slug:22s} tp={c['tp']:4d} fp={c['fp']:4d} fn={c['fn']:4d} P={p:.3f} R={r:.3f}")
    synth_policy_errors: list[str] = []
    print(f"synthetic policy accuracy: {policy_accuracy(synth, taxonomy, errors=synth_policy_errors):.3f}")
    real_dir = args.shared / "corpus" / "real"
    real_errors: list[str] = []
    if real_dir.is_dir():
        real = list(real_items(real_dir))
        print(f"real policy accuracy ({len(real)} items): {policy_accuracy(real, taxonomy, errors=real_errors):.3f}")
    print(f"tag_topics: {ms_per_article(synth, taxonomy):.3f} ms per 3,000-char article; "
          f"with is_policy: {ms_per_article(synth, taxonomy, with_policy=True):.3f} ms")
    if args.errors:
        for line in topic_errors[:80] + synth_policy_errors[:20] + real_errors:
            print("  ERR", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
