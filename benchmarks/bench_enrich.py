#!/usr/bin/env python3
"""Median clean+sanitize and enrichment time per article on the synthetic corpus.

    python benchmarks/bench_enrich.py [--count 1000] [--seed 1] [--raw-fraction 0.1] [--against DIR]

Makes the corpus with ../shared/bench/make_corpus.py (into a temporary folder), loads
every file once, then times clean_doc and enrich separately per article (after a warm-up
pass, so the one-off data loading is not counted) and prints median / p90 / max in ms.

--against DIR (another checkout, e.g. `git worktree add /tmp/base HEAD~1`) loads that
checkout's `generator` into the same process too and times both on every article, in
turns (the order flips from one article to the next), then prints the ratio of medians.
On a shared machine whose speed drifts by 10-20% between runs, two separate runs cannot
show a 5% change; interleaved in one process both versions see the same drift.
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import Any, Callable, NamedTuple
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]


class Version(NamedTuple):
    """One checkout's functions, loaded under its own copy of the `generator` package."""

    name: str
    clean_doc: Callable[..., Any]
    enrich: Callable[..., Any]
    taxonomy: Any
    load_path: Callable[..., Any]


def load_version(root: Path, name: str) -> Version:
    """Import `generator` from `root`. Modules already imported (another checkout's) are set
    aside first; the functions returned keep their own modules' globals, so two versions live
    side by side."""
    for module in [m for m in sys.modules if m == "generator" or m.startswith("generator.")]:
        del sys.modules[module]
    sys.path.insert(0, str(root))
    try:
        clean = importlib.import_module("generator.clean")
        enrich = importlib.import_module("generator.enrich")
        taxonomy = importlib.import_module("generator.enrich.taxonomy")
        load = importlib.import_module("generator.load")
    finally:
        sys.path.remove(str(root))
    return Version(name, clean.clean_doc, enrich.enrich, taxonomy.default_taxonomy(), load.load_path)


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
    parser.add_argument("--against", type=Path, help="another checkout to time in the same process, in turns")
    args = parser.parse_args()
    if args.against is not None and not (args.against / "generator" / "__init__.py").is_file():
        parser.error(f"--against {args.against}: no generator/ package there")
    tz = ZoneInfo("Asia/Shanghai")
    versions = [load_version(ROOT, "this tree")]
    if args.against is not None:
        versions.append(load_version(args.against.resolve(), str(args.against)))
    with tempfile.TemporaryDirectory() as tmp:
        files = make_corpus(Path(tmp), args.count, args.seed, args.raw_fraction)
        raws = [[v.load_path(p, PurePosixPath(p.name), tz) for p in files] for v in versions]
    for version, docs in zip(versions, raws):
        for raw in docs[:20]:  # warm-up: region tables, automata, parsers
            version.enrich(version.clean_doc(raw), version.taxonomy)
    times = [([], []) for _ in versions]  # per version: clean times, enrich times
    order = list(range(len(versions)))
    for n in range(len(files)):
        for k in (order if n % 2 == 0 else order[::-1]):
            version, (clean_times, enrich_times) = versions[k], times[k]
            start = time.perf_counter()
            cleaned = version.clean_doc(raws[k][n])
            middle = time.perf_counter()
            version.enrich(cleaned, version.taxonomy)
            clean_times.append(middle - start)
            enrich_times.append(time.perf_counter() - middle)
    print(f"synthetic corpus: {len(files)} articles, seed {args.seed}, raw fraction {args.raw_fraction}")
    for version, (clean_times, enrich_times) in zip(versions, times):
        if len(versions) > 1:
            print(f"{version.name}:")
        print(describe("clean+sanitize", clean_times))
        print(describe("enrich", enrich_times))
    if len(versions) > 1:
        (new_clean, new_enrich), (old_clean, old_enrich) = times
        print(f"this tree / {versions[1].name}, medians: clean+sanitize "
              f"{statistics.median(new_clean) / statistics.median(old_clean):.3f}, "
              f"enrich {statistics.median(new_enrich) / statistics.median(old_enrich):.3f}")


if __name__ == "__main__":
    main()
