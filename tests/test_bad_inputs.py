"""Bad input: one diagnostic per bad file, naming the file (and line) and the reason; the rest builds.

`tests/fixtures/bad/` holds the committed bad files; a few more (a 50 MB article,
symbolic links, a file name that is not UTF-8) are made by the test in tmp_path.
EXPECTED lists, per file, every diagnostic the build gives for it, word for word:

- a file that cannot become an article gives exactly one error and is skipped;
- a file that is fixed up (a guessed encoding, removed control characters, an unsafe
  or duplicate slug, a missing date) is published with exactly one warning;
- a file that is valid but odd (CRLF, BOM, UTF-16 with a BOM, a declared GBK page,
  Chinese dates, slugs equal to top-level paths such as `index`) is published with
  no diagnostic at all.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from tests.conftest import FIXTURES, SHANGHAI

BAD = FIXTURES / "bad"
SLUG_MESSAGE = "is not a safe URL segment (a-z, 0-9 and '-'); the article is published as"
REMOVED = "warning: removed control characters or lone surrogates:"
EXPECTED: dict[str, list[str]] = {
    # -- errors: skipped, one error each
    "unclosed_quote.md": ["content/unclosed_quote.md:2: error: front matter is not valid YAML: while scanning a quoted scalar; found unexpected end of stream"],
    "tab_indent.md": ["content/tab_indent.md:4: error: front matter is not valid YAML: while scanning for the next token; found character '\\t' that cannot start any token"],
    "duplicate_key.md": ["content/duplicate_key.md:3: error: front matter is not valid YAML: duplicate key 'title'"],
    "unclosed_bracket.md": ["content/unclosed_bracket.md:4: error: front matter is not valid YAML: while parsing a flow sequence; expected ',' or ']', but got '<stream end>'"],
    "mapping_in_scalar.md": ["content/mapping_in_scalar.md:2: error: front matter is not valid YAML: mapping values are not allowed here"],
    "undefined_alias.md": ["content/undefined_alias.md:4: error: front matter is not valid YAML: found undefined alias 'nope'"],
    "deep_nesting.md": ["content/deep_nesting.md:2: error: front matter is nested too deeply to read"],
    "unclosed_front_matter.md": ["content/unclosed_front_matter.md:1: error: front matter is not closed by a '---' line"],
    "list_front_matter.md": ["content/list_front_matter.md:2: error: front matter must be a mapping of 'key: value' lines"],
    "no_front_matter.md": ["content/no_front_matter.md:1: error: no front matter: the file must start with a '---' line"],
    "missing_title.md": ["content/missing_title.md:2: error: missing title: add a 'title:' line to the front matter"],
    "empty_title.md": ["content/empty_title.md:2: error: missing title: add a 'title:' line to the front matter"],
    "title_list.md": ["content/title_list.md:2: error: title must be text, not a list"],
    "title_control_only.md": ["content/title_control_only.md: error: missing title: the title has nothing but control characters"],
    "invalid_date.md": ["content/invalid_date.md:3: error: date: date '2022-02-30' is not a valid date (day is out of range for month)"],
    "date_month_13.md": ["content/date_month_13.md:3: error: date: date '2022-13-01' is not a valid date (month must be in 1..12)"],
    "cn_date_invalid.md": ["content/cn_date_invalid.md:3: error: date: date '2022年2月30日' is not a valid date (day is out of range for month)"],
    "unreadable_date.md": ["content/unreadable_date.md:3: error: date: date '昨天' is not RFC 2822, ISO 8601, 'YYYY-MM-DD HH:MM' or 'YYYY年M月D日'"],
    "date_number.md": ["content/date_number.md:3: error: date: date 12 is not a date"],
    "empty.md": ["content/empty.md: error: file is empty"],
    "whitespace_only.md": ["content/whitespace_only.md: error: file is empty"],
    "binary.md": ["content/binary.md: error: binary file (NUL bytes), not an article"],
    "binary.txt": ["content/binary.txt: error: binary file (NUL bytes), not an article"],
    "utf16_no_bom.md": ["content/utf16_no_bom.md: error: UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)"],
    "no_headline.txt": ["content/no_headline.txt:1: error: no headline found: expected a '正在阅读:' line or a headline before the '来源:' line"],
    "no_headline.html": ["content/no_headline.html: error: no headline found in the saved page (no <h1>, og:title or <title>)"],
    "no_body.html": ["content/no_body.html: error: no article body found in the saved page"],
    # -- fixed up: published, one warning each
    "gbk.md": ["content/gbk.md: warning: encoding guessed as gb18030"],
    "gb18030.md": ["content/gb18030.md: warning: encoding guessed as gb18030"],
    "gbk_scrape.txt": ["content/gbk_scrape.txt: warning: encoding guessed as gb18030"],
    "latin1.md": ["content/latin1.md: warning: encoding guessed as cp1252"],
    "truncated_utf8.md": ["content/truncated_utf8.md: warning: UTF-8 text ends in an incomplete character; it was replaced"],
    "invalid_utf8.md": ["content/invalid_utf8.md: warning: could not determine the encoding; decoded as UTF-8 with replacement characters"],
    "mislabelled_charset.html": ["content/mislabelled_charset.html: warning: declared charset 'gb2312' ignored: the bytes are valid UTF-8"],
    "control_title.md": [f"content/control_title.md: {REMOVED} U+0001"],
    "control_escape_title.md": [f"content/control_escape_title.md: {REMOVED} U+0007"],
    "surrogate_title.md": [f"content/surrogate_title.md: {REMOVED} U+D800"],
    "control_body.md": [f"content/control_body.md: {REMOVED} U+000B, U+001B"],
    "c1_control_body.md": [f"content/c1_control_body.md: {REMOVED} U+0085, U+009B"],
    "slug_nul.md": [f"content/slug_nul.md: {REMOVED} U+0000"],
    "empty_date.md": ["content/empty_date.md: warning: 'date:' is empty; the article is listed last"],
    "no_date.md": ["content/no_date.md: warning: no 'date:' in the front matter; the article is listed last"],
    "slug_traversal.md": [f"content/slug_traversal.md: warning: slug '../../etc/passwd' {SLUG_MESSAGE} 'etc-passwd'"],
    "slug_absolute.md": [f"content/slug_absolute.md: warning: slug '/abs' {SLUG_MESSAGE} 'abs'"],
    "slug_backslash.md": [f"content/slug_backslash.md: warning: slug '..\\\\' {SLUG_MESSAGE} 'be9415775f'"],
    "slug_percent.md": [f"content/slug_percent.md: warning: slug '%2e%2e%2f' {SLUG_MESSAGE} '706f164784'"],
    "slug_chinese.md": [f"content/slug_chinese.md: warning: slug '就业帮扶' {SLUG_MESSAGE} 'dda5ae44e9'"],
    "slug_rss_xml.md": [f"content/slug_rss_xml.md: warning: slug 'rss.xml' {SLUG_MESSAGE} 'rss-xml'"],
    "slug_sitemap_xml.md": [f"content/slug_sitemap_xml.md: warning: slug 'sitemap.xml' {SLUG_MESSAGE} 'sitemap-xml'"],
    "dup_slug_a.md": [],
    "dup_slug_b.md": ["content/dup_slug_b.md: warning: slug 'same' is already used by content/dup_slug_a.md; this article is published as 'same-2'"],
    "dup_title_a.md": [],
    # same title and date as dup_title_a.md: no longer a clash, a URL comes from the file's place
    "dup_title_b.md": [],
    # -- valid but odd: published, no diagnostic
    "crlf.md": [], "bom.md": [], "bom_crlf.md": [], "bom_crlf.txt": [], "utf16le_bom.md": [], "utf16be_bom.md": [],
    "gbk_declared.html": [], "blank_lines_before.md": [], "yaml_alias_bomb.md": [],
    "cn_date.md": [], "cn_date_time.md": [], "naive_date.md": [], "rfc2822_date.md": [],
    **{f"slug_reserved_{name}.md": [] for name in ("index", "regions", "topics", "archives", "search", "page", "static",
                                                   "pagefind", "404", "other", "articles")},
}
# Made in the test (too big to commit, or not representable in git as they must be).
GENERATED: dict[str, list[str]] = {
    "too_big.md": ["content/too_big.md: error: file is 50 MB, above the 20 MB limit"],
    "link_outside.md": ["content/link_outside.md: error: symbolic link points outside the source folder; skipped"],
    "linked_folder": ["content/linked_folder: error: symbolic link points outside the source folder; skipped"],
    "link_broken.md": ["content/link_broken.md: error: broken symbolic link (its target does not exist); skipped"],
    "link_loop.md": ["content/link_loop.md: error: symbolic link loops or cannot be followed; skipped"],
    "\udcff\udcfe.md": ["content/\\xff\\xfe.md: error: file name is not valid UTF-8; rename the file"],
}
# Where the fixed-up and odd files are published (a sample; every published file is checked to exist).
PUBLISHED_AT = {
    "slug_traversal.md": "etc-passwd", "slug_absolute.md": "abs", "slug_nul.md": "ab", "slug_rss_xml.md": "rss-xml",
    "slug_percent.md": "706f164784", "slug_backslash.md": "be9415775f", "dup_slug_a.md": "same",
    "dup_slug_b.md": "same-2", "slug_reserved_index.md": "index", "slug_reserved_404.md": "404",
    "slug_reserved_articles.md": "articles", "slug_reserved_pagefind.md": "pagefind",
}
GOOD = "---\ntitle: 好文章\ndate: 2022-06-23 10:00\n---\n\n<p>人社部发布就业帮扶新政策。</p>\n"


def errors_expected(expected: list[str]) -> bool:
    return any(": error: " in line for line in expected)


def good_site(root: Path) -> Path:
    """The fixture site (a Sina repost, a Markdown article, a text scrape) plus one more article."""
    shutil.copytree(FIXTURES / "site", root)
    (root / "content" / "good.md").write_text(GOOD, encoding="utf-8")
    return root


def add_generated(content: Path, outside: Path) -> None:
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text("---\ntitle: 外面的文章\ndate: 2022-01-01\n---\n秘密\n", encoding="utf-8")
    with open(content / "too_big.md", "wb") as big:
        big.write(b"---\ntitle: big\ndate: 2022-01-01\n---\n")
        line = ("就业帮扶政策。" * 1024 + "\n").encode("utf-8")
        big.write(line * -(-50 * 2**20 // len(line)))  # just over 50 MB
    (content / "link_outside.md").symlink_to(outside / "secret.md")
    (content / "linked_folder").symlink_to(outside, target_is_directory=True)
    (content / "link_broken.md").symlink_to(content / "nowhere.md")
    (content / "link_loop.md").symlink_to(content / "link_loop.md")
    with open(os.path.join(os.fsencode(content), b"\xff\xfe.md"), "wb") as undecodable:
        undecodable.write(GOOD.encode("utf-8"))


def mixed_site(root: Path) -> Path:
    site = good_site(root)
    for path in BAD.iterdir():
        shutil.copy(path, site / "content" / path.name)
    add_generated(site / "content", root.parent / f"{root.name}-outside")
    return site


def reference_site(root: Path) -> Path:
    """The good site plus exactly the bad files that end up published (no error expected)."""
    site = good_site(root)
    for name, expected in EXPECTED.items():
        if not errors_expected(expected):
            shutil.copy(BAD / name, site / "content" / name)
    return site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def snapshot_outside_output(root: Path, output: Path) -> dict[str, int]:
    """Every path under `root` except `output`, with its size: what a build must not change."""
    seen = {}
    skip = os.fsencode(output)
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        if dirpath == skip or dirpath.startswith(skip + b"/"):
            continue
        for name in filenames + dirnames:
            path = os.path.join(dirpath, name)
            if path != skip:
                seen[os.path.relpath(path, os.fsencode(root)).decode("utf-8", "backslashreplace")] = os.lstat(path).st_size
    return seen


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, object, dict[str, int], dict[str, int]]:
    """One build of the good site with every bad file in it (shared: the 50 MB file is slow to copy)."""
    root = tmp_path_factory.mktemp("mixed")
    site = mixed_site(root / "site")
    before = snapshot_outside_output(root, site / "output")
    result = build(load_config(site / "site.toml"))
    return site, result, before, snapshot_outside_output(root, site / "output")


def test_every_fixture_has_an_expected_message():
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)
    assert len(EXPECTED) + len(GENERATED) >= 40


def test_each_bad_file_gives_exactly_its_diagnostics_and_the_rest_builds(mixed):
    site, result, _, _ = mixed
    expected = [line for lines in [*EXPECTED.values(), *GENERATED.values()] for line in lines]
    assert sorted(str(d) for d in result.diagnostics) == sorted(expected)
    for name, lines in {**EXPECTED, **GENERATED}.items():
        assert len(lines) <= 1, name  # never more than one message per file
        shown = os.fsencode(name).decode("utf-8", "backslashreplace")
        assert all(line.startswith(f"content/{shown}: ") or line.startswith(f"content/{shown}:") for line in lines), name
    failed = sum(errors_expected(lines) for lines in [*EXPECTED.values(), *GENERATED.values()])
    published = sum(not errors_expected(lines) for lines in EXPECTED.values())
    assert result.written and result.skipped == failed
    assert result.articles == published + 4  # + the three fixture articles and good.md


def test_fixed_up_and_odd_files_are_published_where_the_warning_says(mixed):
    site, _, _, _ = mixed
    articles = site / "output" / "articles"
    for name, slug in PUBLISHED_AT.items():
        assert (articles / slug / "index.html").is_file(), name
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in articles.glob("*/index.html")}
    titles = "".join(pages.values())
    for title in ("CRLF换行的文章", "带BOM的文章", "UTF-16LE带BOM的文章", "UTF-16BE带BOM的文章", "GBK编码的就业帮扶文章",
                  "GB18030编码的文章𠀀", "Café à Pékin, l&#39;emploi des diplômés", "声明为GBK的网页", "带BOM和CRLF的文本抓取",
                  "标题里有控制字符", "标题里有转义的响铃", "标题里有孤立代理字符", "YAML别名炸弹"):
        assert re.search(f"<h1\\b[^>]*>{re.escape(title)}</h1>", titles), title
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", titles)


def test_valid_chinese_and_naive_dates_are_accepted(mixed):
    site, _, _, _ = mixed
    published = {}
    for page in (site / "output" / "articles").glob("*/index.html"):
        match = re.search(r"<h1\b[^>]*>(.*?)</h1>.*?<time datetime=\"([^\"]+)\"", article_element(page), re.S)
        if match:
            published[match.group(1)] = datetime.fromisoformat(match.group(2))
    assert published["中文日期的文章"] == datetime(2022, 6, 23, tzinfo=SHANGHAI)
    assert published["中文日期和时间的文章"] == datetime(2022, 6, 23, 19, 5, tzinfo=SHANGHAI)
    assert published["没有时区的日期"] == datetime(2022, 6, 23, 10, tzinfo=SHANGHAI)  # naive: the site's time zone
    assert published["RFC 2822日期的文章"] == datetime(2022, 6, 23, 23, 54, 17, tzinfo=timezone.utc)


def test_nothing_is_written_outside_output(mixed, tmp_path):
    """Only output/ changes, and the article cache in .cache/digest/ beside site.toml."""
    site, _, before, after = mixed
    cache = [path for path in after if path.startswith("site/.cache")]
    assert cache and all(path in ("site/.cache", "site/.cache/digest") or path.startswith("site/.cache/digest/")
                         for path in cache), cache
    assert {k: v for k, v in after.items() if k not in cache} == before
    assert not list(site.parent.glob(".output.*")), "a staging folder was left behind"
    assert not (Path("/etc/passwd/index.html")).exists()
    for path in (site / "output").rglob("*"):
        assert path.resolve().is_relative_to((site / "output").resolve()), path


def test_bad_files_change_nothing_else_byte_for_byte(mixed, tmp_path):
    """The fair and strict comparison.

    A build with the bad files must equal, byte for byte and file for file, a build of
    only the files that end up published: the good articles plus the fixed-up and odd
    ones. Those published extras legitimately change listings, feeds, prev/next links
    and related articles, so the reference has to contain them; the files that fail must
    leave no trace at all, anywhere in the tree. (That a published odd file does not
    change the good articles' own content is the next test.)
    """
    site, _, _, _ = mixed
    reference = reference_site(tmp_path / "reference")
    result = build(load_config(reference / "site.toml"))
    assert not [d for d in result.diagnostics if d.level == "error"]
    assert tree(site / "output") == tree(reference / "output")


def test_the_good_articles_themselves_are_unchanged(mixed, tmp_path):
    """Each good article's <article> element (title, meta line, chips, figures, body) is
    byte-identical to a build of the good files alone. Outside <article> the page shows
    navigation (prev/next, related articles) that rightly includes the published extras."""
    site, _, _, _ = mixed
    alone = good_site(tmp_path / "alone")
    build(load_config(alone / "site.toml"))
    good_pages = sorted((alone / "output" / "articles").glob("*/index.html"))
    assert len(good_pages) == 4
    for page in good_pages:
        mixed_page = site / "output" / page.relative_to(alone / "output")
        assert article_element(mixed_page) == article_element(page), page.parent.name


def article_element(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    match = re.search(r"<article\b.*?</article>", text, re.S)
    assert match, page
    return match.group(0)


def test_duplicate_slugs_are_disambiguated_with_a_warning(tmp_path: Path):
    site = good_site(tmp_path / "site")
    for name in ("a.md", "b.md", "c.md"):
        (site / "content" / name).write_text(f"---\ntitle: 同名{name}\nslug: same\ndate: 2022-01-01\n---\n<p>人社部就业政策。</p>\n", encoding="utf-8")
    result = build(load_config(site / "site.toml"))
    warnings = [str(d) for d in result.diagnostics if d.level == "warning"]
    assert warnings == [
        "content/b.md: warning: slug 'same' is already used by content/a.md; this article is published as 'same-2'",
        "content/c.md: warning: slug 'same' is already used by content/a.md; this article is published as 'same-3'",
    ]
    for slug, name in (("same", "a.md"), ("same-2", "b.md"), ("same-3", "c.md")):
        assert f"同名{name}" in (site / "output/articles" / slug / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug, published", [
    ("../../etc/passwd", "etc-passwd"), ("/abs", "abs"), ("..\\\\x", "x"), ("%2e%2e%2fx", "x"), ("..%2F..%2Fy", "y"),
    ("a/../../b", "a-b"), ("C:\\\\Windows", "c-windows"), ("\\0", None), ("..", None), ("%00", None), ("\\u202e", None),
])
def test_traversal_slugs_stay_inside_output_with_one_warning(tmp_path: Path, slug: str, published: str | None):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text("search = false\n", encoding="utf-8")
    (site / "content" / "t.md").write_text(f"---\ntitle: t\nslug: \"{slug}\"\ndate: 2022-01-01\n---\n<p>x</p>\n", encoding="utf-8")
    result = build(load_config(site / "site.toml"))
    assert len(result.diagnostics) == 1 and result.diagnostics[0].level == "warning", result.diagnostics
    published = published or "t"  # nothing usable left: the default slug, from the file name t.md
    assert (site / "output" / "articles" / published / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert sorted(p.name for p in site.iterdir()) == [".cache", "content", "output", "site.toml"]
    assert [p.name for p in (site / ".cache").iterdir()] == ["digest"]


def test_the_command_line_reports_bad_input_without_a_traceback(mixed, tmp_path):
    """What a user sees: one line per diagnostic plus the summary, and exit status 0."""
    site, _, _, _ = mixed
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(site / "content"),
                           "--output", str(tmp_path / "out"), "--config", str(site / "site.toml")],
                          capture_output=True, text=True, errors="backslashreplace", timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    diagnostics = [line for line in lines if re.match(r"^content/\S.*: (error|warning): ", line)]
    assert len(diagnostics) == sum(map(len, [*EXPECTED.values(), *GENERATED.values()]))
    assert len(lines) == len(diagnostics) + 1 and lines[-1].startswith("built "), lines[-1]
    assert (tmp_path / "out" / "index.html").exists()


def test_strict_build_fails_and_leaves_output_untouched(tmp_path: Path):
    site = good_site(tmp_path / "site")
    config = load_config(site / "site.toml")
    build(config)
    before = tree(site / "output")
    shutil.copy(BAD / "invalid_date.md", site / "content")
    (site / "content" / "good.md").write_text(GOOD.replace("好文章", "改过的文章"), encoding="utf-8")
    result = build(config, strict=True)
    assert not result.written
    assert tree(site / "output") == before
