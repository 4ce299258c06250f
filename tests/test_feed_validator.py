"""Every RSS and Atom file the site writes passes the W3C Feed Validation Service's own code
(vendored in ../shared/feedvalidator, run by ../shared/tools/validate_feed.py) with no
error and no warning: for the bundled sample digest and for the dev corpus of real
scraped articles (../shared/corpus/real). Skipped when ../shared is absent.

Both sites are built the way a user builds them: `python -m generator build` from the
repository root, with the repository's configuration.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import load_config
from tests.conftest import REAL_CORPUS, SHARED, needs_shared

ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = SHARED / "tools" / "validate_feed.py"
pytestmark = needs_shared(VALIDATOR)


def build(source: Path, output: Path) -> None:
    """`python -m generator build` at the repository root (--no-cache: nothing left in its .cache/)."""
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(source),
                             "--output", str(output), "--no-search", "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (output / "rss.xml").is_file() and (output / "atom.xml").is_file(), result.stderr[-3000:]


def validate(output: Path) -> tuple[int, str]:
    """(number of feeds, the validator's report) for every RSS and Atom file (not the sitemaps)."""
    feeds = sorted(p for p in output.rglob("*.xml") if not p.name.startswith("sitemap"))
    assert {p.name for p in feeds} == {"rss.xml", "atom.xml"}
    config = load_config(ROOT / "site.toml" if (ROOT / "site.toml").exists() else None)
    result = subprocess.run([sys.executable, str(VALIDATOR), *map(str, feeds), "--url-base", config.base_url,
                             "--root", str(output)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return len(feeds), result.stdout


def assert_clean(output: Path) -> None:
    count, report = validate(output)
    summary = report.strip().splitlines()[-1]
    assert summary == f"feeds {count} | errors 0 | warnings 0", report


def test_every_feed_of_the_sample_site_passes_the_w3c_validator(tmp_path: Path):
    output = tmp_path / "output"
    build(Path("content"), output)  # relative, as a user types it at the repository root
    assert_clean(output)


@needs_shared(REAL_CORPUS)
def test_every_feed_of_the_dev_corpus_site_passes_the_w3c_validator(tmp_path: Path):
    content = tmp_path / "content"
    content.mkdir()
    for path in sorted(REAL_CORPUS.glob("sina_*.md")) + sorted(REAL_CORPUS.glob("gne_*.html")):
        shutil.copy2(path, content / path.name)  # the labelled articles, not SOURCES.md or labels.jsonl
    output = tmp_path / "output"
    build(content, output)
    assert_clean(output)
    atom = (output / "atom.xml").read_text(encoding="utf-8")
    assert 'rel="via"' in atom  # the original article is linked, not a second alternate
