#!/usr/bin/env python3
"""Median clean+sanitize and enrichment time per article on the synthetic corpus.

    python benchmarks/bench_enrich.py [--count 1000] [--seed 1] [--raw-fraction 0.1]

Makes the corpus with ../shared/bench/make_corpus.py (into a temporary folder), loads
every file once, then times clean_doc and enrich separately per article (after a warm-up
pass, so the one-off data loading is not counted) and prints median / p90 / max in ms.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.clean import clean_doc  # noqa: E402
from generator.enrich import enrich  # noqa: E402
from generator.enrich.taxonomy import default_taxonomy  # noqa: E402
from generator.load import load_path  # noqa: E402


def make_corpus(out: Path, count: int, seed: int, raw_fraction: float) -> list[Path]:
    script = ROOT.parent / "shared" / "bench" / "make_corpus.py"
    subprocess.run([sys.executable, str(script), str(out), "--count", str(count), "--seed", str(seed),
                    "--raw-fraction", str(raw_fraction)], check=True, stdout=subprocess.DEVNULL)
    return sorted(p for p in out.iterdir() if p.suffix in {".md", ".txt"})


def describe(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return (f"{name:16} median {statistics.median(ms):.3f} ms  p90 {ms[int(len(ms) * 0.9)]:.3f} ms  "
            f"max {ms[-1]:.3f} ms  (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--raw-fraction", type=float, default=0.1)
    args = parser.parse_args()
    tz = ZoneInfo("Asia/Shanghai")
    taxonomy = default_taxonomy()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_corpus(Path(tmp), args.count, args.seed, args.raw_fraction)
        raws = [load_path(p, PurePosixPath(p.name), tz) for p in files]
    for raw in raws[:20]:  # warm-up: region tables, automata, parsers
        enrich(clean_doc(raw), taxonomy)
    clean_times, enrich_times = [], []
    for raw in raws:
        start = time.perf_counter()
        cleaned = clean_doc(raw)
        middle = time.perf_counter()
        enrich(cleaned, taxonomy)
        clean_times.append(middle - start)
        enrich_times.append(time.perf_counter() - middle)
    print(f"synthetic corpus: {len(raws)} articles, seed {args.seed}, raw fraction {args.raw_fraction}")
    print(describe("clean+sanitize", clean_times))
    print(describe("enrich", enrich_times))


if __name__ == "__main__":
    main()
