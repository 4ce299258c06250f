"""Save-to-disk latency of the preview server's rebuild: one article edited in a warm process.

    python benchmarks/bench_serve.py [--size 10000] [--edits 7] [--work DIR]

Builds the synthetic corpus once through the preview server's rebuilder (the long-lived
`Builder` that `digest serve` keeps), then edits one article at a time (a sentence
appended) and times `rebuild()` of that one-file change, from the save until the
affected pages are on disk (it returns after the last write); then the same for headlines
edited (what every listing naming the article shows) and for new articles added one at
a time. Prints the median, the range and the median milliseconds
per stage for each.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_build import make_corpus, our_site  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.serve.changes import ChangeSet  # noqa: E402
from generator.serve.rebuild import PreviewRebuilder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--work", default="/tmp/digest-bench")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    site = our_site(work, make_corpus(work, args.size), args.size)
    rebuilder = PreviewRebuilder(lambda: load_config(site / "site.toml"))
    started = time.perf_counter()
    rebuilder.rebuild(ChangeSet.everything())
    print(f"cold build of {args.size:,} articles: {time.perf_counter() - started:.2f} s")
    articles = sorted((site / "content").glob("*.md"))

    def edit_body(n: int) -> Path:
        victim = articles[n * 97 % len(articles)]
        text = victim.read_text(encoding="utf-8")
        victim.unlink()  # hard-linked from the corpus: write a new file
        victim.write_text(text + f"\n\n编辑补充第{n}次。\n", encoding="utf-8")
        return victim

    def retitle(n: int) -> Path:
        victim = articles[(n * 97 + 13) % len(articles)]
        text = victim.read_text(encoding="utf-8")
        victim.unlink()
        victim.write_text(text.replace("title: ", f"title: 修订{n} ", 1), encoding="utf-8")
        return victim

    def add_article(n: int) -> Path:
        model = articles[n * 89 % len(articles)].read_text(encoding="utf-8")
        new = site / "content" / f"added-{n}.md"
        new.write_text(model.replace("title: ", f"title: 新增第{n}篇 ", 1), encoding="utf-8")
        return new

    for label, change in (("save -> affected pages on disk", edit_body),
                          ("headline edited -> affected pages on disk", retitle),
                          ("new article -> its pages on disk", add_article)):
        times, stages = [], []
        for n in range(args.edits):
            path = change(n)
            mark = time.perf_counter()
            result = rebuilder.rebuild(ChangeSet.of("content", path))
            times.append(time.perf_counter() - mark)
            stages.append(result.timings)
            assert result.written and result.in_place and not result.unchanged
        print(f"{label}, {args.size:,} articles: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.edits} edits)")
        names = [k for k in stages[0] if k not in ("total", "cached")]
        print("  per stage (ms): " + ", ".join(f"{k} {statistics.median(s.get(k, 0) for s in stages) * 1000:.0f}"
                                             for k in names))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the preview process: {peak:.0f} MiB")
    rebuilder.close()


if __name__ == "__main__":
    main()
