#!/usr/bin/env python3
"""Fit the subject selector's weights (generator/data/subject_selector.toml) on the TUNE part
of the labelled pool, and say how well they do where they were not fitted.

    pip install -e '.[train]'            # scikit-learn: needed here only, never at build time
    python benchmarks/train_subject_selector.py [--shared ../shared] [--write]

Every candidate subject of every tune-part article (generator.enrich.subjects.subject_evidence,
the tagger's own code) is one example, labelled by whether the article's hand labels
(benchmarks/labels/pool.jsonl) list that subject; its features are the tagger's own
(generator.enrich.subject_selector.candidate_features). An L2-regularised logistic regression
(scikit-learn, C = 1, its default) gives the weights. The threshold a further subject's
probability must reach is chosen by 5-fold cross-validation on the tune part (5 shuffles),
scoring subject F1 exactly as ../shared/tools/scorecard.py does, through the tagger's own
selection code. The 75 dev files (../shared/corpus/real) are scored as held out. The test part
of the pool is never read here.

--write stores the weights with these figures in the file's header; without it the script
only prints them.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "labels"))

from generator.clean import clean_doc  # noqa: E402
from generator.enrich import given_tags  # noqa: E402
from generator.enrich.subject_selector import SELECTOR_FILE, SubjectSelector, candidate_features  # noqa: E402
from generator.enrich.subject_names import subjects_file_text  # noqa: E402
from generator.enrich.subjects import OTHER, SubjectEvidence, SubjectScheme, choose, parse_subjects, subject_evidence  # noqa: E402
from generator.enrich.taxonomy import default_taxonomy  # noqa: E402
from generator.enrich.topics import tag_topics  # noqa: E402
from generator.load import load_path  # noqa: E402
from pool_sample import part  # noqa: E402

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
FOLDS, SHUFFLES = 5, 5
C = 1.0
# The vocabulary without the selector: the candidates do not depend on it (and the file may not exist yet).
SCHEME = parse_subjects(subjects_file_text())


@dataclass(frozen=True)
class Example:
    """One labelled article: its candidates and the subjects a reader gave it (main first)."""

    evidence: SubjectEvidence
    wanted: tuple[str, ...]


def examples(folder: Path, labels: Path, keep) -> list[Example]:
    """The labelled articles of `folder` whose file name `keep` accepts."""
    tz, taxonomy = ZoneInfo("Asia/Shanghai"), default_taxonomy()
    out = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        if not keep(label["file"]):
            continue
        path = folder / label["file"]
        doc = clean_doc(load_path(path, PurePosixPath(path.name), tz))
        title, meta = doc.raw.title, doc.raw.meta
        hits = tag_topics(title, doc.text, taxonomy, given=given_tags(meta))
        evidence = subject_evidence(title, doc.text, SCHEME, topic_hits=hits, topic_subjects=taxonomy.subjects)
        out.append(Example(evidence, tuple(label["subjects"])))
    return out


def fit(train: list[Example]) -> tuple[dict[str, float], float]:
    """Weights by feature name, and the intercept."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, targets = [], []
    for example in train:
        top = example.evidence.candidates[0].score if example.evidence.candidates else 0.0
        for candidate in example.evidence.candidates:
            rows.append(candidate_features(candidate, top))
            targets.append(int(candidate.name in example.wanted))
    vectorizer = DictVectorizer(sparse=False)
    model = LogisticRegression(C=C, max_iter=5000).fit(vectorizer.fit_transform(rows), targets)
    weights = {name: float(w) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])}
    return weights, float(model.intercept_[0])


def chosen(example: Example, scheme: SubjectScheme) -> list[str]:
    """What the tagger gives this article with `scheme` (tag_subjects' own choice)."""
    return [scheme.subjects[i].name for i in choose(scheme, example.evidence.candidates)] or [OTHER]


def scores(pairs: list[tuple[Example, list[str]]]) -> dict[str, float]:
    """Subject F1 (micro, as the scorecard), precision, recall and main-subject accuracy."""
    shared = sum(len(set(e.wanted) & set(got)) for e, got in pairs)
    given = sum(len(got) for _, got in pairs)
    wanted = sum(len(e.wanted) for e, _ in pairs)
    precision, recall = shared / given, shared / wanted
    return {"F1": 2 * precision * recall / (precision + recall), "P": precision, "R": recall,
            "main": sum(bool(got) and got[0] == e.wanted[0] for e, got in pairs) / len(pairs)}


def cross_validated(tune: list[Example]) -> dict[float, list[float]]:
    """Per threshold, the out-of-fold F1 of each shuffle."""
    results: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    for shuffle in range(SHUFFLES):
        order = list(range(len(tune)))
        random.Random(shuffle).shuffle(order)
        predicted: dict[float, dict[int, list[str]]] = {t: {} for t in THRESHOLDS}
        for fold in range(FOLDS):
            held = set(order[fold::FOLDS])
            weights, bias = fit([e for i, e in enumerate(tune) if i not in held])
            for threshold in THRESHOLDS:
                scheme = replace(SCHEME, selector=SubjectSelector(weights, bias, threshold))
                for i in held:
                    predicted[threshold][i] = chosen(tune[i], scheme)
        for threshold in THRESHOLDS:
            results[threshold].append(scores([(tune[i], predicted[threshold][i]) for i in range(len(tune))])["F1"])
    return results


def toml_file(weights: dict[str, float], bias: float, threshold: float, report: list[str]) -> str:
    header = [f"# Generated by benchmarks/train_subject_selector.py on {date.today().isoformat()}: do not edit",
              "# by hand. Logistic weights over generator.enrich.subject_selector.candidate_features,",
              "# fitted on the TUNE part of the labelled pool only (benchmarks/labels/pool.jsonl).",
              *(f"# {line}" for line in report), ""]
    body = ["[selector]", f"bias = {bias:.6f}", f"threshold = {threshold}", "", "[selector.weights]"]
    body += [f"{json.dumps(name, ensure_ascii=False)} = {weights[name]:.6f}" for name in sorted(weights)]
    return "\n".join(header + body) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--write", action="store_true", help=f"write generator/data/{SELECTOR_FILE}")
    args = parser.parse_args()
    pool = args.shared / "corpus" / "pool"
    tune = examples(pool, ROOT / "benchmarks" / "labels" / "pool.jsonl", lambda name: part(name) == "tune")
    dev = examples(args.shared / "corpus" / "real", args.shared / "corpus" / "real" / "labels.jsonl", lambda name: True)
    covered = sum(len(set(e.wanted) & {c.name for c in e.evidence.candidates}) for e in tune)
    report = [f"tune part: {len(tune)} articles, {sum(len(e.evidence.candidates) for e in tune)} candidates; "
              f"{covered} of {sum(len(e.wanted) for e in tune)} labelled subjects are candidates"]
    report.append("the hand-set thresholds before it (subjects.toml [selection], set on these same tune articles): "
                  f"tune F1 {scores([(e, chosen(e, SCHEME)) for e in tune])['F1']:.3f}, "
                  f"dev files F1 {scores([(e, chosen(e, SCHEME)) for e in dev])['F1']:.3f}")
    report.append(f"{FOLDS}-fold cross-validation on the tune part, {SHUFFLES} shuffles, subject F1 by threshold:")
    by_threshold = cross_validated(tune)
    for threshold, f1s in by_threshold.items():
        report.append(f"  {threshold:<5} mean {statistics.mean(f1s):.3f} (min {min(f1s):.3f}, max {max(f1s):.3f})")
    threshold = max(THRESHOLDS, key=lambda t: (statistics.mean(by_threshold[t]), -abs(t - 0.5)))
    weights, bias = fit(tune)
    held_out = scores([(e, chosen(e, replace(SCHEME, selector=SubjectSelector(weights, bias, threshold)))) for e in dev])
    report.append(f"chosen threshold {threshold}; fitted on all {len(tune)} tune articles, the 75 dev files "
                  "(../shared/corpus/real, held out): " + ", ".join(f"{k} {v:.3f}" for k, v in held_out.items()))
    print("\n".join(report))
    if args.write:
        target = ROOT / "generator" / "data" / SELECTOR_FILE
        target.write_text(toml_file(weights, bias, threshold, report), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
