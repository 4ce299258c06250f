#!/usr/bin/env python3
"""Score the tagger on the hand-labelled pool articles, by part (tune / test) and source.

    .venv/bin/python benchmarks/eval_pool.py [--shared ../shared]

Runs ../shared/tools/scorecard.py (the issue's own scorer, through `digest inspect --json`)
once over ../shared/corpus/pool/ with benchmarks/labels/pool.jsonl, then splits its per-file
findings by `pool_sample.part()` (the split fixed before any label was written) and by
source (cctv_* = CCTV 新闻联播, qq_* = Tencent News), and prints region and policy accuracy
and subject precision, recall and F1 (micro, as the scorecard computes them: shared subjects
over given and over labelled ones) and main-subject accuracy for each. The test part is
printed by labelling round too: test1 (the first sample, one annotator an article), test3 (the
third round, two independent annotators and a third reader for their disagreements; see
labels/README.md). The test part is for reporting only: nothing may be tuned on what this
prints for it.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "labels" / "pool.jsonl"
sys.path.insert(0, str(LABELS.parent))

from pool_sample import part, sample  # noqa: E402

SOURCES = {"cctv_": "CCTV", "qq_": "Tencent"}


def digest_env() -> dict[str, str]:
    """The environment with this Python's `digest` first on PATH (the scorecard calls `digest`)."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def findings(shared: Path) -> list[dict]:
    """The scorecard's per-file findings for every labelled pool article."""
    env = digest_env()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "findings.json"
        subprocess.run([sys.executable, str(shared / "tools" / "scorecard.py"), str(shared / "corpus" / "pool"),
                        "--labels", str(LABELS), "--json", str(report), "--quiet"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        data = json.loads(report.read_text(encoding="utf-8"))
    labelled = {json.loads(line)["file"] for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()}
    return [row for row in data["files"] if row["file"] in labelled]


def scores(rows: list[dict]) -> dict[str, float]:
    """Region and policy accuracy; subject P / R / F1 (micro) and main-subject accuracy."""
    n = len(rows)
    shared = given = wanted = main = 0
    for row in rows:
        want, got = row["subjects"]
        shared += len(set(want) & set(got))
        given, wanted = given + len(got), wanted + len(want)
        main += bool(want and got and want[0] == got[0])
    precision = shared / given if given else 0.0
    recall = shared / wanted if wanted else 0.0
    return {"n": n, "region": sum(r["region"][0] == r["region"][1] for r in rows) / n,
            "policy": sum(r["policy"][0] == r["policy"][1] for r in rows) / n,
            "subject F1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "P": precision, "R": recall, "main": main / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = parser.parse_args()
    rows = findings(Path(args.shared))
    print(f"{'part':<6}{'source':<9}{'n':>5}{'region':>8}{'policy':>8}{'subj F1':>9}{'P':>7}{'R':>7}{'main':>7}")
    first_sample = set(sample())
    test = [r for r in rows if part(r["file"]) == "test"]
    parts = {
        "tune": [r for r in rows if part(r["file"]) == "tune"],
        # The test part as labelled in two rounds: the first sample (one annotator each) and the
        # third round (two annotators each, disagreements settled by a third reader).
        "test1": [r for r in test if r["file"] in first_sample],
        "test3": [r for r in test if r["file"] not in first_sample],
        "test": test,
    }
    for which, in_part in parts.items():
        for label, group in [(name, [r for r in in_part if r["file"].startswith(prefix)])
                             for prefix, name in SOURCES.items()] + [("both", in_part)]:
            if group:
                s = scores(group)
                print(f"{which:<6}{label:<9}{s['n']:>5}{s['region']:>8.3f}{s['policy']:>8.3f}{s['subject F1']:>9.3f}"
                      f"{s['P']:>7.3f}{s['R']:>7.3f}{s['main']:>7.3f}")


if __name__ == "__main__":
    main()
