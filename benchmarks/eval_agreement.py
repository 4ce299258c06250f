#!/usr/bin/env python3
"""How far two hand labellings of the same pool articles agree: the ceiling a tagger is held to.

    .venv/bin/python benchmarks/eval_agreement.py FIRST.jsonl SECOND.jsonl [--tagger]

Two annotators who each read the article and followed the same rules (../shared/corpus/real/
SOURCES.md, ../shared/corpus/SUBJECTS.md, benchmarks/labels/README.md) still disagree on
judgement calls: which of two provinces, 全国 or none for a national company story, whether a
regulator's campaign is policy, a main subject among close ones. A tagger scored against one
annotator's labels cannot be expected to agree with them more often than a second careful
annotator does, so this prints, for the articles both files label, the same figures the
scorecard prints for the tagger (region and policy agreement, subject set F1 micro over both
files' subjects, main-subject agreement), per source and together.

Subject F1 is symmetric in the two files (shared subjects over the sum of both counts), so
which file is "first" does not matter. With --tagger it also runs `digest inspect --json` on
those articles (from ../shared/corpus/pool/) and prints the tagger against each file: on
articles the tagger was tuned on, the gap between its agreement with the labels it was tuned
on and with a second reading of them is how much of its score is fitted to one annotator.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_pool import SOURCES, digest_env  # noqa: E402

POOL = ROOT.parent / "shared" / "corpus" / "pool"


def read_labels(path: Path) -> dict[str, dict]:
    """file name -> label row, for every non-empty line of a labels file."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["file"]: row for row in rows}


def agreement(pairs: list[tuple[dict, dict]]) -> dict[str, float]:
    """Region, policy, subject F1 and main-subject agreement of (first, second) label pairs."""
    n = len(pairs)
    shared = counted = 0
    for first, second in pairs:
        a, b = set(first.get("subjects") or ()), set(second.get("subjects") or ())
        shared += len(a & b)
        counted += len(a) + len(b)
    return {
        "n": n,
        "region": sum(a.get("region") == b.get("region") for a, b in pairs) / n,
        "policy": sum(bool(a.get("policy")) == bool(b.get("policy")) for a, b in pairs) / n,
        "subject F1": 2 * shared / counted if counted else 0.0,
        "main": sum(_main(a) is not None and _main(a) == _main(b) for a, b in pairs) / n,
    }


def _main(row: dict) -> str | None:
    """The main (first) subject of a label row, if it has any."""
    subjects = row.get("subjects") or ()
    return subjects[0] if subjects else None


def tagger_labels(files: list[str], pool: Path = POOL) -> dict[str, dict]:
    """file name -> the tagger's region, policy and subjects (`digest inspect --json`)."""
    out = subprocess.run(["digest", "inspect", "--json", *(str(pool / f) for f in files)],
                         check=True, capture_output=True, text=True, env=digest_env()).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    return {Path(r["path"]).name: {"region": r["region"], "policy": r["policy"], "subjects": r["subjects"]}
            for r in rows}


def print_table(title: str, first: dict[str, dict], second: dict[str, dict], files: list[str]) -> None:
    """The agreement figures of two labellings over `files`, per source and together."""
    print(title)
    print(f"{'source':<9}{'n':>5}{'region':>8}{'policy':>8}{'subj F1':>9}{'main':>7}")
    groups = [(name, [f for f in files if f.startswith(prefix)]) for prefix, name in SOURCES.items()]
    for name, chosen in groups + [("both", files)]:
        if chosen:
            s = agreement([(first[f], second[f]) for f in chosen])
            print(f"{name:<9}{s['n']:>5}{s['region']:>8.3f}{s['policy']:>8.3f}{s['subject F1']:>9.3f}{s['main']:>7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--tagger", action="store_true", help="also score the tagger against each file")
    args = parser.parse_args()
    first, second = read_labels(args.first), read_labels(args.second)
    both = sorted(set(first) & set(second))
    if not both:
        parser.error("the two files label no article in common")
    print_table(f"{args.first.name} vs {args.second.name}", first, second, both)
    if args.tagger:
        tagger = tagger_labels(both)
        for labels in (args.first, args.second):
            print()
            print_table(f"tagger vs {labels.name}", read_labels(labels), tagger, both)


if __name__ == "__main__":
    main()
