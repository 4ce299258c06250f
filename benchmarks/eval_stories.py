#!/usr/bin/env python3
"""Measure the story clusterer (generator.stories) on the labelled pairs.

    .venv/bin/python benchmarks/eval_stories.py [--shared ../shared] [--errors]

Reads benchmarks/labels/story_pairs.jsonl (pairs of real articles labelled same story /
different story by reading, see STORY_PAIRS.md), runs each file through the build's own
pipeline (load, clean, enrich: the sketch and numbers the clusterer uses) and prints the
precision and recall of `same_story` over the pairs, and its answer per kind. A pair counts
as joined when the two articles end up in one story of a site made of the two (`story_links`
then `story_groups`: what a build does).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.build.process import make_pipeline, process_item  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.stories import pair_evidence, story_groups, story_links  # noqa: E402

PAIRS = ROOT / "benchmarks" / "labels" / "story_pairs.jsonl"


def read_pairs(path: Path = PAIRS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def articles_of(pairs: list[dict], corpus: Path) -> dict[str, object]:
    """Each file of the pairs as the build makes it (checked against the sha256 it was labelled with)."""
    pipeline = make_pipeline(load_config(None))
    found = {}
    for pair in pairs:
        for side in ("a", "b"):
            name = pair[side]
            if name in found:
                continue
            path = (corpus / name).resolve()
            if hashlib.sha256(path.read_bytes()).hexdigest() != pair[f"sha256_{side}"]:
                raise SystemExit(f"{path}: not the file that was labelled (sha256 differs)")
            article, _, _ = process_item((str(path), name), pipeline)
            found[name] = article
    return found


def joined(a, b) -> bool:
    links = story_links([a, b])
    stories = story_groups(links, {a.id: a, b.id: b})
    return b.id in stories.get(a.id, ())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--errors", action="store_true", help="print every wrong pair with its evidence")
    args = parser.parse_args(argv)
    pairs = read_pairs()
    articles = articles_of(pairs, Path(args.shared) / "corpus")
    outcome: Counter = Counter()
    by_kind: Counter = Counter()
    errors = []
    for pair in pairs:
        a, b = articles[pair["a"]], articles[pair["b"]]
        said = joined(a, b)
        truth = bool(pair["same_story"])
        outcome[(truth, said)] += 1
        by_kind[(pair["kind"], said == truth)] += 1
        if said != truth:
            errors.append((pair, pair_evidence(a, b)))
    tp, fp, fn = outcome[(True, True)], outcome[(False, True)], outcome[(True, False)]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"pairs {len(pairs)} (same story {tp + fn}, different {len(pairs) - tp - fn})")
    print(f"precision {precision:.3f} ({tp}/{tp + fp})  recall {recall:.3f} ({tp}/{tp + fn})")
    for kind in sorted({k for k, _ in by_kind}):
        right, wrong = by_kind[(kind, True)], by_kind[(kind, False)]
        print(f"  {kind:20s} right {right:3d}  wrong {wrong:3d}")
    if args.errors:
        for pair, evidence in errors:
            print(f"{'MISSED' if pair['same_story'] else 'JOINED'} {pair['a']} {pair['b']} [{pair['kind']}] {evidence}\n"
                  f"    {pair['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
