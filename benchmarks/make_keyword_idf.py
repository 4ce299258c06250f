#!/usr/bin/env python3
"""Derive generator/data/keyword_idf.tsv, the IDF of content keywords, from the pool articles.

    .venv/bin/python benchmarks/make_keyword_idf.py [--pool ../shared/corpus/pool] [--min-df 18]

Reads the 1,000 front-matter articles of ../shared/corpus/pool/ (title plus the body's HTML
paragraphs as plain text, the way the build sees them) and counts, for every term of
generator.enrich.keywords.terms, in how many articles it occurs. Writes only derived numbers:
idf = ln((N + 1) / (df + 1)) for terms with df >= --min-df, most common first, plus a `*` row,
the idf every unlisted (rarer) term gets: that of df = min-df - 1. No article text goes into
the project.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.clean import html_to_text  # noqa: E402
from generator.enrich.keywords import IDF_FILE, terms  # noqa: E402

DEFAULT_POOL = ROOT.parent / "shared" / "corpus" / "pool"
OUT = ROOT / "generator" / "data" / IDF_FILE
# Terms in fewer than MIN_DF articles are not listed and all get the idf of df = MIN_DF - 1: a
# bigram the pool hardly repeats is a word boundary (会今) as often as a person's name, so telling
# df 4 from df 15 does not help. Label agreement of benchmarks/eval_related.py / top 1 right by
# hand (60 seeds) / file size for MIN_DF 5 (default at df 17) / 12 / 18 / 24 / 31: 0.389 / 24 / 252 KB,
# 0.383 / 25 / 87 KB, 0.390 / 25 / 53 KB, 0.390 / 23 / 37 KB, 0.398 / 24 / 27 KB; and with
# MIN_DF 5, a default at df 4 / 10 / 30 / 60 gave 0.370 / 0.379 / 0.402 / 0.404 (a lower default
# lets common topic words outweigh rare names: same-topic matches gain, same-story ones lose).
MIN_DF = 18
_TITLE_RE = re.compile(r"^title:\s*'(.*)'\s*$", re.M)


def read_article(path: Path) -> tuple[str, str]:
    """(title, plain body text) of one front-matter Markdown article with an HTML body."""
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    match = _TITLE_RE.search(front)
    title = match.group(1).replace("''", "'") if match else ""
    return title, html_to_text(body)


def pool_articles(pool: Path) -> list[tuple[str, str, str]]:
    """(file name, title, text) of every pool article, by name."""
    return [(p.name, *read_article(p)) for p in sorted(pool.glob("*.md")) if p.name != "SOURCES.md"]


def document_frequencies(articles: list[tuple[str, str, str]]) -> Counter[str]:
    df: Counter[str] = Counter()
    for _, title, text in articles:
        df.update(set(terms(title)) | set(terms(text)))
    return df


def idf_lines(df: Counter[str], total: int, min_df: int) -> list[str]:
    def idf(count: float) -> float:
        return math.log((total + 1) / (count + 1))

    rows = sorted(((count, term) for term, count in df.items() if count >= min_df), key=lambda r: (-r[0], r[1]))
    return [
        f"# content-keyword IDF of the terms in >= {min_df} of {total} pool articles (benchmarks/make_keyword_idf.py);"
        " term<TAB>idf, * = any other term",
        f"*\t{idf(min_df - 1):.2f}",
        *(f"{term}\t{idf(count):.2f}" for count, term in rows),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=Path, default=DEFAULT_POOL)
    parser.add_argument("--min-df", type=int, default=MIN_DF)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    articles = pool_articles(args.pool)
    lines = idf_lines(document_frequencies(articles), len(articles), args.min_df)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines) - 2} terms, {args.out.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
