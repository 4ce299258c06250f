#!/usr/bin/env python3
"""Index benchmark: patching the previous index against indexing anew, by how much changed.

    python benchmarks/bench_index_patch.py [--size 10000] [--added 16,64,100,200,400,800] [--runs 3] [--work DIR]

Makes the synthetic corpus of bench_build.py (../shared/bench/make_corpus.py, seed 1), runs
its articles through the build's own pipeline once, then, for each count: indexes the site
without that many articles (chosen at random), and times `index.build_site` of the whole
site patching that index (`previous`) against indexing it anew. Both must give the same
site (checked; "DIFFERENT" is printed otherwise). Where the patch stops paying is what
`index.PATCH_SHARE` is set from.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_build import make_corpus  # noqa: E402
from generator import index  # noqa: E402
from generator.build.cache import ArticleCache  # noqa: E402
from generator.build.process import display_paths, make_pipeline, process_files  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.discover import discover  # noqa: E402

COMPARED = ("articles", "listed", "index_pages", "regions", "topics", "months", "subjects", "days", "weeks", "related",
            "story_links", "stories")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--added", default="16,64,100,200,400,800")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/tmp/digest-bench")
    args = parser.parse_args()
    corpus = make_corpus(Path(args.work), args.size)
    config = replace(load_config(None), page_size=20)  # the settings of bench_build.py's sites
    files, _ = discover(corpus)
    files = [f for f in files if f.suffix in {".md", ".txt", ".html"}]
    results, _ = process_files(files, display_paths(files, corpus), make_pipeline(config), ArticleCache(None, ""))
    articles = [index.in_zone(a, config.tz) for a, _ in results if a is not None]
    index.PATCH_LIMIT, index.PATCH_SHARE = len(articles), 1.0  # always patch: that is what is measured
    rng = random.Random(7)
    print(f"{len(articles)} articles: build_site patching the index without N of them / indexing anew (median of {args.runs})")
    for count in (int(n) for n in args.added.split(",")):
        patched, whole, same = [], [], True
        for _ in range(args.runs):
            left_out = set(rng.sample(range(len(articles)), count))
            previous, _ = index.build_site([a for n, a in enumerate(articles) if n not in left_out], config.page_size,
                                           non_policy=config.non_policy, tz=config.tz)
            mark = time.perf_counter()
            site, _ = index.build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz,
                                       previous=previous)
            patched.append(time.perf_counter() - mark)
            mark = time.perf_counter()
            fresh, _ = index.build_site(articles, config.page_size, non_policy=config.non_policy, tz=config.tz)
            whole.append(time.perf_counter() - mark)
            same = same and all(getattr(site, name) == getattr(fresh, name) for name in COMPARED)
        print(f"added {count:5d} ({count / len(articles):6.1%}): patched {statistics.median(patched):.2f} s, "
              f"anew {statistics.median(whole):.2f} s{'' if same else '  DIFFERENT'}")


if __name__ == "__main__":
    main()
