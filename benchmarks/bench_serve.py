"""Save-to-disk latency of the preview server's rebuild: one article edited in a warm process.

    python benchmarks/bench_serve.py [--size 10000] [--edits 7] [--work DIR]

Builds the synthetic corpus once with a `Builder` (what `digest serve` keeps alive), then
edits one article at a time and times `Builder.build()` from the save until the affected
pages are on disk (the build returns after the swap). Prints the median, the range and
the median seconds per stage of the incremental builds.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_build import make_corpus, our_site  # noqa: E402
from generator.build import Builder  # noqa: E402
from generator.config import load_config  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--work", default="/tmp/digest-bench")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    site = our_site(work, make_corpus(work, args.size), args.size)
    builder = Builder(load_config(site / "site.toml"), persist_cache=False)
    started = time.perf_counter()
    builder.build()
    print(f"cold build of {args.size:,} articles: {time.perf_counter() - started:.2f} s")
    articles = sorted((site / "content").glob("*.md"))
    times, stages = [], []
    for n in range(args.edits):
        victim = articles[n * 97 % len(articles)]
        text = victim.read_text(encoding="utf-8")
        victim.unlink()  # hard-linked from the corpus: write a new file
        victim.write_text(text + f"\n\n编辑补充第{n}次。\n", encoding="utf-8")
        mark = time.perf_counter()
        result = builder.build()
        times.append(time.perf_counter() - mark)
        stages.append(result.timings)
        assert result.written and not result.unchanged
    print(f"save -> affected pages on disk, {args.size:,} articles: median {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.edits} edits)")
    names = [k for k in stages[0] if k not in ("total", "cached")]
    print("per stage (ms): " + ", ".join(f"{k} {statistics.median(s.get(k, 0) for s in stages) * 1000:.0f}"
                                         for k in names))
    builder.close()


if __name__ == "__main__":
    main()
