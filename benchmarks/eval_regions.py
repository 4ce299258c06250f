#!/usr/bin/env python3
"""Measure region detection (generator.enrich.regions) on the shared corpora.

    .venv/bin/python benchmarks/eval_regions.py [--count 300] [--seed 1]
                     [--raw-fraction 0.1] [--shared ../shared] [--errors]
                     [--gne-reader auto|html_page|trafilatura]

* Real corpus: shared/corpus/real/labels.jsonl (``region``: short name, 全国
  or null).  Sina posts: front-matter title, HTML body with tags stripped.
  gne_*.html pages: generator.load.html_page.extract_page (title, body,
  outlet, breadcrumb) when importable, else trafilatura (title from the
  label file, no outlet/breadcrumb).  Accuracy is printed for sina_* and gne_*
  separately.
* Synthetic corpus: shared/bench/make_corpus.py output; truth is
  ``region_name`` (全国 for slug ``national``).  Sina-style .md items are read
  like the real Sina posts; gmw raw .txt items are split into breadcrumb
  (hints), title, outlet (来源:) and the body before the page widgets.
* Speed: ms per article for detect_region, normalised to 3,000 characters.

The readers here are also used by tests/test_regions.py, so both measure the
same way.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.enrich.regions import NATIONAL, RegionGuess, detect_region  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
_TITLE_RE = re.compile(r"^title:\s*'(.*)'\s*$", re.M)
_CATEGORY_RE = re.compile(r"^\s*-\s*(.+?)\s*$", re.M)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_STYLE_RE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
_BLOCK_RE = re.compile(r"<(?:p|div|br|li|h\d|tr|section|article)\b[^>]*>", re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_GMW_SOURCE_RE = re.compile(r"^来源[:：]\s*(.*?)\s*\d{4}-\d{2}-\d{2}")
_GMW_TAIL_MARKERS = ("阅读剩余全文", "相关阅读", "您此时的心情")


@dataclass(slots=True)
class Item:
    """One evaluation article with its expected region (None = no region)."""

    name: str
    title: str
    text: str
    expected: str | None
    outlet: str | None = None
    hints: tuple[str, ...] = ()


# ---------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------


def html_to_text(fragment: str) -> str:
    """Crude tag stripper: comments/styles dropped, block tags become newlines."""
    fragment = _COMMENT_RE.sub("", fragment)
    fragment = _STYLE_RE.sub("", fragment)
    fragment = _BLOCK_RE.sub("\n", fragment)
    text = html.unescape(_TAG_RE.sub("", fragment))
    return re.sub(r"[ \t\u3000\xa0]*\n\s*", "\n", text).strip()


def read_sina(raw: str) -> tuple[str, str, tuple[str, ...]]:
    """(title, body text, categories) of a Hexo/Sina post."""
    parts = raw.split("---", 2)
    if len(parts) < 3:
        return "", html_to_text(raw), ()
    match = _TITLE_RE.search(parts[1])
    title = match.group(1).replace("''", "'") if match else ""
    head = parts[1].split("categories:", 1)
    categories = ()
    if len(head) == 2:
        block = re.split(r"\n\S", head[1], maxsplit=1)[0]
        categories = tuple(_CATEGORY_RE.findall(block))
    return title, html_to_text(parts[2]), categories


def read_gmw(raw: str) -> tuple[str, str, str | None, tuple[str, ...]]:
    """(title, body, outlet, breadcrumb) of a raw gmw.cn text scrape."""
    lines = raw.splitlines()
    crumb_at = next((i for i, line in enumerate(lines) if line.startswith("首页>")), None)
    if crumb_at is None:
        return "", raw, None, ()
    hints = tuple(part.strip() for part in lines[crumb_at].split(">") if part.strip())
    rest = lines[crumb_at + 1:]
    title_at = next((i for i, line in enumerate(rest) if line.strip()), 0)
    title = rest[title_at].strip() if rest else ""
    outlet = None
    body: list[str] = []
    for line in rest[title_at + 1:]:
        source = _GMW_SOURCE_RE.match(line.strip())
        if source and outlet is None and not body:
            outlet = source.group(1)
            continue
        if line.strip().startswith(_GMW_TAIL_MARKERS):
            break
        body.append(line.strip())
    return title, "\n".join(b for b in body if b), outlet, hints


def read_gne(raw: str, fallback_title: str, reader: str = "auto") -> tuple[str, str, str | None, tuple[str, ...]]:
    """(title, body, outlet, breadcrumb) of a saved news page."""
    if reader in ("auto", "html_page"):
        try:
            from generator.load.html_page import extract_page
        except ImportError:
            if reader == "html_page":
                raise
        else:
            page = extract_page(raw)
            return page.title or fallback_title, html_to_text(page.body_html), page.outlet, tuple(page.breadcrumb)
    import trafilatura

    return fallback_title, trafilatura.extract(raw) or "", None, ()


def real_items(real_dir: Path, *, gne_reader: str = "auto") -> Iterator[Item]:
    """Hand-labelled real articles with their evaluation text."""
    for line in (real_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        raw = (real_dir / label["file"]).read_bytes().decode("utf-8", "replace")
        if label["file"].endswith(".md"):
            title, text, categories = read_sina(raw)
            yield Item(label["file"], title or label["title"], text, label["region"], None, categories)
        else:
            title, text, outlet, crumb = read_gne(raw, label["title"], gne_reader)
            yield Item(label["file"], title, text, label["region"], outlet, crumb)


def synthetic_items(outdir: Path) -> Iterator[Item]:
    """Items of a make_corpus.py output dir with their true region."""
    for line in (outdir / "_truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        raw = (outdir / truth["file"]).read_text(encoding="utf-8")
        expected = NATIONAL if truth["region"] == "national" else truth["region_name"]
        if truth["format"] == "sina-hexo":
            title, text, categories = read_sina(raw)
            yield Item(truth["file"], title, text, expected, None, categories)
        else:
            title, text, outlet, crumb = read_gmw(raw)
            yield Item(truth["file"], title, text, expected, outlet, crumb)


def make_synthetic(outdir: Path, *, count: int, seed: int, raw_fraction: float, shared: Path = DEFAULT_SHARED) -> Path:
    """Run shared/bench/make_corpus.py into outdir."""
    script = shared / "bench" / "make_corpus.py"
    subprocess.run([sys.executable, str(script), str(outdir), "--count", str(count), "--seed", str(seed),
                    "--raw-fraction", str(raw_fraction)], check=True, stdout=subprocess.DEVNULL)
    return outdir


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------


def guess(item: Item) -> RegionGuess:
    return detect_region(item.title, item.text, outlet=item.outlet, hints=item.hints)


def accuracy(items: Sequence[Item], *, errors: list[str] | None = None) -> float:
    """Share of items whose primary region equals the label."""
    right = 0
    for item in items:
        result = guess(item)
        right += result.primary == item.expected
        if errors is not None and result.primary != item.expected:
            errors.append(f"{item.name}: want {item.expected} got {result.primary} | {item.title[:40]}\n"
                          f"      weights {result.weights[:5]}\n      " + "\n      ".join(result.evidence[:7]))
    return right / max(1, len(items))


def ms_per_article(items: Sequence[Item], *, repeat: int = 3) -> float:
    """Best-of-N mean ms per article, scaled to a 3,000-character article."""
    chars = sum(len(i.title) + len(i.text) for i in items)
    guess(items[0])  # build the automaton outside the clock
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            guess(item)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / max(1, chars) * 3000


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--raw-fraction", type=float, default=0.1)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--gne-reader", choices=("auto", "html_page", "trafilatura"), default="auto")
    ap.add_argument("--errors", action="store_true", help="list misclassified items with evidence")
    args = ap.parse_args(argv)
    errors: list[str] = []
    real_dir = args.shared / "corpus" / "real"
    if real_dir.is_dir():
        real = list(real_items(real_dir, gne_reader=args.gne_reader))
        sina = [i for i in real if i.name.startswith("sina_")]
        gne = [i for i in real if i.name.startswith("gne_")]
        acc_sina = accuracy(sina, errors=errors)
        acc_gne = accuracy(gne, errors=errors)
        acc_all = (acc_sina * len(sina) + acc_gne * len(gne)) / max(1, len(real))
        print(f"real: {acc_all:.3f} ({len(real)} items) | sina_* {acc_sina:.3f} ({len(sina)}) | "
              f"gne_* {acc_gne:.3f} ({len(gne)}, reader={args.gne_reader})")
    with tempfile.TemporaryDirectory() as tmp:
        make_synthetic(Path(tmp), count=args.count, seed=args.seed, raw_fraction=args.raw_fraction, shared=args.shared)
        synth = list(synthetic_items(Path(tmp)))
    synth_errors: list[str] = []
    print(f"synthetic: {accuracy(synth, errors=synth_errors):.3f} ({len(synth)} items, seed {args.seed})")
    print(f"detect_region: {ms_per_article(synth):.3f} ms per 3,000-char article (synthetic); "
          f"{ms_per_article(real) if real_dir.is_dir() else float('nan'):.3f} ms (real)")
    if args.errors:
        for line in errors + synth_errors[:40]:
            print("  ERR", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
