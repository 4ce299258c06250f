"""Bad input: exactly one diagnostic per file, naming the file, line and reason; the rest builds."""
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"
EXPECTED = {
    "unclosed_quote.md": "content/unclosed_quote.md:2: error: front matter is not valid YAML: while scanning a quoted scalar; found unexpected end of stream",
    "tab_indent.md": "content/tab_indent.md:4: error: front matter is not valid YAML: while scanning for the next token; found character '\\t' that cannot start any token",
    "duplicate_key.md": "content/duplicate_key.md:3: error: front matter is not valid YAML: duplicate key 'title'",
    "missing_title.md": "content/missing_title.md:2: error: missing title: add a 'title:' line to the front matter",
    "empty_title.md": "content/empty_title.md:2: error: missing title: add a 'title:' line to the front matter",
    "invalid_date.md": "content/invalid_date.md:3: error: date: date '2022-02-30' is not a valid date (day is out of range for month)",
    "unreadable_date.md": "content/unreadable_date.md:3: error: date: date '昨天' is not RFC 2822, ISO 8601, 'YYYY-MM-DD HH:MM' or 'YYYY年M月D日'",
    "empty.md": "content/empty.md: error: file is empty",
    "binary.md": "content/binary.md: error: binary file (NUL bytes), not an article",
    "unclosed_front_matter.md": "content/unclosed_front_matter.md:1: error: front matter is not closed by a '---' line",
    "list_front_matter.md": "content/list_front_matter.md:2: error: front matter must be a mapping of 'key: value' lines",
    "no_headline.txt": "content/no_headline.txt:1: error: no headline found: expected a '正在阅读:' line or a headline before the '来源:' line",
    "no_body.html": "content/no_body.html: error: no article body found in the saved page",
}
GOOD = "---\ntitle: 好文章\ndate: 2022-06-23 10:00\n---\n\n<p>人社部发布就业帮扶新政策。</p>\n"


def test_every_fixture_has_an_expected_message():
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_each_bad_file_gives_exactly_its_diagnostic_and_the_rest_builds(site: Path):
    for path in BAD.iterdir():
        shutil.copy(path, site / "content" / path.name)
    result = build(load_config(site / "site.toml"))
    errors = sorted(str(d) for d in result.diagnostics if d.level == "error")
    assert errors == sorted(EXPECTED.values())
    assert result.written and result.articles == 1 and result.skipped == len(EXPECTED)
    assert (site / "output" / "index.html").read_text(encoding="utf-8").count("好文章") == 1


def test_strict_build_fails_and_leaves_output_untouched(site: Path):
    config = load_config(site / "site.toml")
    build(config)
    before = (site / "output" / "index.html").read_bytes()
    shutil.copy(BAD / "invalid_date.md", site / "content")
    (site / "content" / "good.md").write_text(GOOD.replace("好文章", "改过的文章"), encoding="utf-8")
    result = build(config, strict=True)
    assert not result.written
    assert (site / "output" / "index.html").read_bytes() == before


def test_duplicate_slugs_are_disambiguated_with_a_warning(site: Path):
    for name in ("a.md", "b.md"):
        (site / "content" / name).write_text("---\ntitle: 同名\nslug: same\ndate: 2022-01-01\n---\n<p>人社部就业政策。</p>\n", encoding="utf-8")
    result = build(load_config(site / "site.toml"))
    warnings = [str(d) for d in result.diagnostics if d.level == "warning"]
    assert warnings == ["content/b.md: warning: slug 'same' is already used by content/a.md; this article is published as 'same-2'"]
    assert (site / "output/articles/same/index.html").exists() and (site / "output/articles/same-2/index.html").exists()


@pytest.mark.parametrize("slug, expected", [("../../etc/passwd", "etc-passwd"), ("/abs", "abs"), ("..\\\\x", "x"), ("%2e%2e%2f", "2e-2e-2f")])
def test_traversal_slugs_stay_inside_output(site: Path, slug: str, expected: str):
    (site / "content" / "t.md").write_text(f"---\ntitle: t\nslug: '{slug}'\ndate: 2022-01-01\n---\n<p>x</p>\n", encoding="utf-8")
    build(load_config(site / "site.toml"))
    assert (site / "output" / "articles" / expected / "index.html").exists()
    assert not (site.parent / "etc").exists()
