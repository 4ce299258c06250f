"""`digest import`: the file written is the cleaned article with everything learned in its
front matter, and building it publishes the same page, under the same URL, as building the
original from its source folder."""
from __future__ import annotations

import importlib.util
import re
import shutil
from dataclasses import fields
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from generator.build import build, make_pipeline, process_file
from generator.cli import main
from generator.config import SiteConfig, load_config
from generator.load import load_path
from generator.load.frontmatter_article import load_frontmatter_article
from tests.conftest import FIXTURES, REAL_CORPUS, SEEDS, SHANGHAI, SHARED, needs_shared

CONTENT = Path(__file__).resolve().parents[1] / "content"
SCORECARD = SHARED / "tools" / "scorecard.py"


def _seeds() -> list:
    if not SEEDS.is_dir():
        return [pytest.param(SEEDS / "absent", marks=needs_shared(SEEDS), id="seeds")]
    return [pytest.param(path, id=f"seed-{path.stem}") for path in sorted(SEEDS.iterdir()) if path.is_file()]


CASES = _seeds() + [
    pytest.param(REAL_CORPUS / "gne_tests_cjddsb_1.html", marks=needs_shared(REAL_CORPUS), id="saved-page-corpus"),
    pytest.param(CONTENT / "gne_tests_shanxi_1.html", id="saved-page-inline-body"),  # the body opens with text
    pytest.param(CONTENT / "sina_002.md", id="hexo"),
    pytest.param(CONTENT / "sina_033.md", id="hexo-figure-caption"),  # a 来源 caption must not be lifted on import
]


def junk_markers() -> dict:
    """The junk markers of ../shared/tools/scorecard.py, read from the script itself."""
    if not SCORECARD.exists():
        pytest.skip(f"{SCORECARD} not present")
    spec = importlib.util.spec_from_file_location("scorecard_for_import_tests", SCORECARD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.JUNK_MARKERS


def junk_in(text: str, markers: dict) -> list[str]:
    return [name for name, marker in markers.items()
            if (marker.search(text) if isinstance(marker, re.Pattern) else marker in text)]


def build_one(root: Path, article: Path, name: str) -> Path:
    """A site holding one article (as content/<name>), built without search; returns output/."""
    (root / "content").mkdir(parents=True)
    shutil.copyfile(article, root / "content" / name)
    (root / "site.toml").write_text("search = false\n", encoding="utf-8")
    result = build(load_config(root / "site.toml"), jobs=1, use_cache=False)
    assert result.written and not [d for d in result.diagnostics if d.level == "error"], result.diagnostics
    return root / "output"


def import_(*args: str):
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False)


def front_and_body(path: Path) -> tuple[dict, str]:
    raw = load_frontmatter_article(path.read_text(encoding="utf-8"), PurePosixPath("content", path.name), SHANGHAI, "")
    return dict(raw.meta), raw.body_html


# Everything an article shows besides where its file lives (id and source derive from the path).
# packed_body holds the removals too (the original had junk to remove): its body and text are compared.
NOT_COMPARED = {"id", "source", "kind", "digest", "packed_body", "warnings"}


@pytest.mark.parametrize("original", CASES)
def test_imported_article_builds_the_same_page_as_the_original(original: Path, tmp_path: Path, monkeypatch):
    markers = junk_markers()
    monkeypatch.chdir(tmp_path)  # no site.toml or content/ here: the original's own folder is its source
    result = import_(str(original), "--to", "imported")
    assert result.exit_code == 0, result.output
    (written,) = (tmp_path / "imported").glob("*.md")
    text = written.read_text(encoding="utf-8")

    # No junk is left anywhere in the file (front matter included).
    assert junk_in(text, markers) == []
    if original.parent == SEEDS:
        assert junk_in(original.read_text(encoding="utf-8"), markers)  # there was junk to remove

    # The front matter: learned keys first, then the input's other keys in their order.
    meta, body = front_and_body(written)
    original_output = build_one(tmp_path / "a", original, original.name)
    (page_dir,) = (original_output / "articles").iterdir()
    slug = page_dir.name
    assert written.name == f"{slug}.md" and meta["slug"] == slug  # the original's URL
    learned = ["title", "date", "outlet", "origin_url", "author", "editor", "original_title", "breadcrumb", "slug"]
    keys = list(meta)
    assert keys[:keys.index("slug") + 1] == [k for k in learned if k in meta]
    original_raw = load_path(original, PurePosixPath(original.parent.name, original.name), SHANGHAI)
    if original_raw.kind == "frontmatter":
        others = [k for k in original_raw.meta if k not in learned]
        assert keys[keys.index("slug") + 1:] == others
        assert all(meta[k] == original_raw.meta[k] for k in others)
    assert meta["title"] == original_raw.title
    if original_raw.published:  # the same instant and the same offset
        assert meta["date"] == original_raw.published.isoformat()

    # The body is HTML the loader keeps whole (not read as Markdown).
    assert body.strip() == text.split("\n---\n", 1)[1].strip()

    # Built: the same article page, byte for byte, at the same URL.
    imported_output = build_one(tmp_path / "b", written, written.name)
    assert [p.name for p in (imported_output / "articles").iterdir()] == [slug]
    assert (imported_output / "articles" / slug / "index.html").read_text(encoding="utf-8") == \
        (page_dir / "index.html").read_text(encoding="utf-8")

    # And the same article through load, clean and enrich (what the listings and feeds show).
    pipeline = make_pipeline(SiteConfig())
    first, _ = process_file(original, PurePosixPath("content", original.name), pipeline)
    again, _ = process_file(written, PurePosixPath("content", written.name), pipeline)
    assert first is not None and again is not None
    assert (again.body_html, again.text) == (first.body_html, first.text)
    for field in fields(first):
        if field.name not in NOT_COMPARED:
            assert getattr(again, field.name) == getattr(first, field.name), field.name


@needs_shared(SEEDS)
def test_seed_front_matter_keeps_what_was_learned_and_the_hexo_keys(tmp_path: Path):
    hexo, scrape = sorted(SEEDS.glob("*.txt"))[:2]
    result = import_(str(hexo), str(scrape), "--to", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    metas = {m["title"]: m for m in (front_and_body(p)[0] for p in (tmp_path / "out").glob("*.md"))}
    sina = metas["全国脱贫劳动力务工规模达到3133万人"]
    assert sina["date"] == "2022-06-23T23:54:17+00:00" and sina["editor"] == "何中夫"  # lifted 责任编辑
    assert sina["categories"] == ["金融", "新浪财经", "新浪财经－国內"] and sina["comments"] is False
    assert sina["headimg"] == sina["thumbnail"] == "https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png"
    chongqing = metas["今年以来 重庆市脱贫人口务工规模稳定在81万人以上"]
    assert chongqing["date"] == "2024-09-28T09:59:00+08:00" and chongqing["outlet"] == "新重庆-重庆日报"
    assert chongqing["breadcrumb"] == ["首页", "地方频道", "地方频道-重庆", "重庆观察", "正文"]


def test_lifted_original_title_and_editor_come_back_from_front_matter(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "posts" / "原文.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: 新标题\ndate: 2022-06-23 10:00\n---\n\n<p>原标题：旧标题</p>\n<p>正文第一段。</p>\n"
                      "<p>来源：人民网</p>\n<p>责任编辑：张三</p>\n", encoding="utf-8")
    assert import_(str(source), "--to", "imported").exit_code == 0
    (written,) = (tmp_path / "imported").glob("*.md")
    meta, body = front_and_body(written)
    assert {k: meta[k] for k in ("outlet", "editor", "original_title")} == {
        "outlet": "人民网", "editor": "张三", "original_title": "旧标题"}
    assert meta["date"] == "2022-06-23T10:00:00+08:00" and body.strip() == "<p>正文第一段。</p>"
    pipeline = make_pipeline(SiteConfig())
    article, _ = process_file(written, PurePosixPath("content", written.name), pipeline)
    assert (article.outlet, article.editor, article.original_title) == ("人民网", "张三", "旧标题")


def test_a_file_in_a_subfolder_of_the_source_keeps_its_url(tmp_path: Path, monkeypatch):
    """The slug comes from the path relative to the site's source folder, as in a build."""
    site = tmp_path / "site"
    nested = site / "content" / "2024" / "2024-09-28 重庆.txt"
    nested.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "site" / "content" / "chongqing.txt", nested)
    (site / "site.toml").write_text("search = false\n", encoding="utf-8")
    assert build(load_config(site / "site.toml"), jobs=1, use_cache=False).written
    (page,) = (site / "output" / "articles").iterdir()
    assert page.name.startswith("20240928-")
    monkeypatch.chdir(site)
    result = import_("content/2024/2024-09-28 重庆.txt", "--to", str(tmp_path / "imported"))
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "imported").iterdir()] == [f"{page.name}.md"]


def test_import_never_overwrites(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = FIXTURES / "site" / "content" / "chongqing.txt"
    assert import_(str(source), "--to", "imported").exit_code == 0
    (written,) = (tmp_path / "imported").glob("*.md")
    written.write_text(written.read_text(encoding="utf-8") + "<p>编辑补充的一段。</p>\n", encoding="utf-8")
    edited = written.read_bytes()
    again = import_(str(source), "--to", "imported")
    assert again.exit_code == 0
    assert again.output.strip() == f"{source}: skipped: imported/{written.name} already exists"
    assert written.read_bytes() == edited and len(list((tmp_path / "imported").iterdir())) == 1


def test_bad_input_is_one_line_naming_file_and_line(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: 标题\ndate: 2022-02-30\n---\n\n<p>正文。</p>\n", encoding="utf-8")
    good = FIXTURES / "site" / "content" / "chongqing.txt"
    result = CliRunner().invoke(main, ["import", str(bad), str(good), "--to", "imported"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == f"{bad}:3: error: date: date '2022-02-30' is not a valid date (day is out of range for month)"
    assert len(lines) == 2 and lines[1].startswith(f"{good} -> imported/")
    assert len(list((tmp_path / "imported").glob("*.md"))) == 1


def test_importing_beside_the_original_says_the_url_would_be_taken_twice(tmp_path: Path, monkeypatch):
    (tmp_path / "content").mkdir()
    shutil.copyfile(FIXTURES / "site" / "content" / "chongqing.txt", tmp_path / "content" / "重庆.txt")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", "content/重庆.txt"])
    assert result.exit_code == 0
    warning, done = result.output.strip().splitlines()
    (written,) = (tmp_path / "content").glob("*.md")
    assert done == f"content/重庆.txt -> content/{written.name}"
    assert warning.startswith("content/重庆.txt: warning: the original stays in content beside the imported file")
    assert warning.endswith(f"published as '{written.stem}-2'")
