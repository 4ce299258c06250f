"""Which pool articles are hand-labelled, and which of them are the test part.

Run once, before any labelling (2026-12-02): 220 CCTV and 220 Tencent articles drawn from
../shared/corpus/pool/ with a fixed seed, skipping any article already in an evaluation set
(../shared/corpus/USED.sha256). The split is fixed by the file name alone, decided before a
single label was written and before the tagger ran on any of these articles: an article is
in the TEST part when sha256("split:" + name) is 0 or 1 mod 5 (about 40%), else in TUNE.
The test part is never used to tune anything (word lists, weights, thresholds).

    python benchmarks/labels/pool_sample.py            # prints the sample, one name a line
    python benchmarks/labels/pool_sample.py --counts   # sizes of both parts per source
"""
from __future__ import annotations

import argparse
import hashlib
import random
from pathlib import Path

POOL = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pool"
USED = POOL.parent / "USED.sha256"
SEED = 20261202
PER_SOURCE = 220


def unused(pool: Path = POOL) -> list[str]:
    """The pool's articles that are in no evaluation set yet (none of USED.sha256), by name."""
    used = {line.split()[0] for line in USED.read_text(encoding="utf-8").splitlines() if line.strip()}
    return sorted(p.name for p in pool.glob("*.md") if p.name != "SOURCES.md"
                  and hashlib.sha256(p.read_bytes()).hexdigest() not in used)


def sample(pool: Path = POOL) -> list[str]:
    names = unused(pool)
    rng = random.Random(SEED)
    chosen: list[str] = []
    for prefix in ("cctv_", "qq_"):
        group = [n for n in names if n.startswith(prefix)]
        rng.shuffle(group)
        chosen += sorted(group[:PER_SOURCE])
    return chosen


def second_round(pool: Path = POOL) -> list[str]:
    """The second labelling round: every other pool article in the TUNE part (the test part
    stays the first sample's)."""
    first = set(sample(pool))
    return sorted(p.name for p in pool.glob("*.md")
                  if p.name != "SOURCES.md" and p.name not in first and part(p.name) == "tune")


def third_round(pool: Path = POOL) -> list[str]:
    """The third labelling round (2026-12-05): every other pool article in the TEST part, none
    in USED.sha256, labelled by two annotators independently and their disagreements settled by
    a third reader, all before the tagger had been run on any of them."""
    first = set(sample(pool))
    return [name for name in unused(pool) if name not in first and part(name) == "test"]


def part(name: str) -> str:
    """'test' or 'tune', from the name alone."""
    return "test" if int(hashlib.sha256(f"split:{name}".encode()).hexdigest(), 16) % 5 < 2 else "tune"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", action="store_true")
    args = parser.parse_args()
    names = sample()
    if not args.counts:
        print("\n".join(names))
        return
    for which in ("tune", "test"):
        for source in ("cctv", "qq"):
            print(which, source, sum(1 for n in names if part(n) == which and n.startswith(source)))


if __name__ == "__main__":
    main()
