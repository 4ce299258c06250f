#!/usr/bin/env python3
"""What the digest features cost a cold build: the same build with and without them, in turns.

    python benchmarks/bench_digest_cost.py [--size 10000] [--runs 2] [--work DIR]

Issue #17 bounds the growth of a cold 10,000-article build that story clusters, related
articles by content, and the daily and weekly briefings (pages and feeds) may cause: at most
10%. Two separate benchmark runs cannot show that on a shared machine whose speed drifts by
more than 10% within the hour, so this script runs both builds of the same corpus
(../shared/bench/make_corpus.py, seed 1, raw fraction 0.1, as bench_build.py) alternating,
ABBA, --runs times each, and prints each run's wall and CPU time (user + system, workers
included), the stages that differ, and the growth of the medians.

"Without" is today's code with those features switched off in the build process by
benchmarks/without_digest_features.py (measurement only; nothing else is changed): no story
sketch, numbers or content keywords per article, no story links or groups, no related lists,
no daily or weekly pages, archives or feeds. The related lists the site had before #17 (by
shared region) are not put back, so the growth printed is, if anything, too high.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_build import make_corpus, our_site, run  # noqa: E402

WITHOUT = ROOT / "benchmarks" / "without_digest_features.py"
STAGES = ("process", "enrich", "index", "render", "feeds")


def cold_build(site: Path, without: bool) -> dict:
    """One build from nothing (no output, no cache) with or without the digest features."""
    for leftover in [site / "output", site / ".cache", *site.glob(".output*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    timings = site.parent / "timings.json"
    runner = [str(WITHOUT)] if without else ["-m", "generator"]
    figures = run([sys.executable, *runner, "build", "--timings", str(timings)], cwd=site)
    figures["stages"] = json.loads(timings.read_text(encoding="utf-8"))
    figures["pages"] = sum(1 for _ in (site / "output").rglob("*.html"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=2, help="ABBA rounds (each: two builds of each kind)")
    parser.add_argument("--work", default="/tmp/digest-bench")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    site = our_site(work, make_corpus(work, args.size), args.size)
    results: dict[bool, list[dict]] = {False: [], True: []}
    for _ in range(args.runs):
        for without in (False, True, True, False):
            figures = cold_build(site, without)
            results[without].append(figures)
            stages = " ".join(f"{name} {figures['stages'].get(name, 0.0):.2f}" for name in STAGES)
            print(f"{'without' if without else 'with   '} wall {figures['wall']:6.2f} s  cpu {figures['cpu']:6.2f} s  "
                  f"pages {figures['pages']:6d}  | {stages}", flush=True)
    print(f"{args.size} articles, {args.runs} ABBA rounds, medians:")
    for key in ("wall", "cpu"):
        with_ = statistics.median(r[key] for r in results[False])
        without_ = statistics.median(r[key] for r in results[True])
        print(f"  {key}: with {with_:.2f} s, without {without_:.2f} s: the digest features add "
              f"{with_ - without_:.2f} s, {100 * (with_ / without_ - 1):+.1f}%")


if __name__ == "__main__":
    main()
