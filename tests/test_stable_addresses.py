"""Stable addresses: an article's URL and feed id come from where its file lives, never from
its title, date or body; `slug:` wins; `aliases:` keeps renamed articles' old URLs working."""
from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath

import pytest

from generator.build import build
from generator.config import load_config
from generator.enrich.slugs import article_aliases, default_slug
from tests.conftest import FIXTURES

ARTICLE = """---
title: 云南出台返乡创业人员社保补贴办法
date: 2023-03-01 09:30
---

<p>云南省人力资源和社会保障厅印发办法，对灵活就业人员给予社会保险补贴。</p>
"""


@pytest.mark.parametrize("source, slug", [
    ("content/guangdong-jobs.md", "guangdong-jobs"),                 # already a safe slug: used as it is
    ("content/2023/03/guangdong-jobs.md", "guangdong-jobs"),         # folders do not matter then
    ("content/Guangdong-Jobs.md", "guangdong-jobs"),                 # URLs are case-folded
    ("content/2024-09-28-chongqing.md", "2024-09-28-chongqing"),     # a safe name keeps its date as written
])
def test_a_safe_file_name_is_the_slug(source: str, slug: str):
    assert default_slug(PurePosixPath(source)) == slug


def test_other_names_get_a_short_hash_of_the_relative_path_and_their_date():
    plain = default_slug(PurePosixPath("content/sina_002.md"))
    assert re.fullmatch(r"[0-9a-f]{10}", plain)
    dated = default_slug(PurePosixPath("content/2024-09-28 重庆务工.md"))
    assert re.fullmatch(r"20240928-[0-9a-f]{10}", dated)
    # the source folder's own name is not part of it: moving the whole folder moves nothing
    assert default_slug(PurePosixPath("articles/sina_002.md")) == plain
    # but the place inside it is
    assert default_slug(PurePosixPath("content/2022/sina_002.md")) != plain
    assert default_slug(PurePosixPath("content/99999999_x.md")).count("-") == 0  # not a date


def _site(tmp_path: Path, name: str, text: str) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    (site / "content" / name).write_text(text, encoding="utf-8")
    return site


def _build(site: Path) -> Path:
    result = build(load_config(site / "site.toml"), use_cache=False)
    assert result.written, [str(d) for d in result.diagnostics]
    return site / "output"


def _entry_ids(feed: str) -> dict[str, str]:
    """Atom entry title -> id."""
    return dict((html_title, entry_id) for entry_id, html_title in
                re.findall(r"<entry>\s*<id>([^<]+)</id>\s*<title>([^<]+)</title>", feed))


def test_editing_title_date_and_body_keeps_url_and_feed_id(tmp_path: Path):
    site = _site(tmp_path, "灵活就业_补贴.md", ARTICLE)
    out = _build(site)
    pages = sorted(p.parent.name for p in (out / "articles").glob("*/index.html"))
    ids = _entry_ids((out / "atom.xml").read_text(encoding="utf-8"))
    old_id = ids["云南出台返乡创业人员社保补贴办法"]

    edited = (ARTICLE.replace("社保补贴办法", "社保补贴新办法").replace("2023-03-01 09:30", "2023-03-05 08:00")
              .replace("给予社会保险补贴", "按月给予社会保险补贴"))
    (site / "content" / "灵活就业_补贴.md").write_text(edited, encoding="utf-8")
    out = _build(site)
    assert sorted(p.parent.name for p in (out / "articles").glob("*/index.html")) == pages
    slug = default_slug(PurePosixPath("content/灵活就业_补贴.md"))
    page = (out / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert "社保补贴新办法" in page and "按月给予" in page and "2023-03-05" in page
    assert _entry_ids((out / "atom.xml").read_text(encoding="utf-8"))["云南出台返乡创业人员社保补贴新办法"] == old_id


def test_two_folders_give_the_same_urls(tmp_path: Path):
    first = _build(_site(tmp_path / "a", "x_y.md", ARTICLE))
    second = _build(_site(tmp_path / "b", "x_y.md", ARTICLE))
    assert sorted(p.relative_to(first).as_posix() for p in first.rglob("*")) == \
        sorted(p.relative_to(second).as_posix() for p in second.rglob("*"))


def test_front_matter_slug_still_wins(tmp_path: Path):
    out = _build(_site(tmp_path, "x_y.md", ARTICLE.replace("---\ntitle", "---\nslug: my-own\ntitle")))
    assert (out / "articles" / "my-own" / "index.html").is_file()
    assert not (out / "articles" / default_slug(PurePosixPath("content/x_y.md"))).exists()


def test_a_renamed_file_with_aliases_keeps_its_old_url_working(tmp_path: Path):
    site = _site(tmp_path, "old-name.md", ARTICLE)
    out = _build(site)
    assert (out / "articles" / "old-name" / "index.html").is_file()
    (site / "content" / "old-name.md").unlink()
    (site / "content" / "new-name.md").write_text(
        ARTICLE.replace("---\ntitle", "---\naliases:\n  - /articles/old-name/\n  - /2023/old.html\ntitle"), "utf-8")
    out = _build(site)
    for alias in ("articles/old-name/index.html", "2023/old.html"):
        redirect = (out / alias).read_text(encoding="utf-8")
        target = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', redirect).group(1)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', redirect).group(1)
        assert target == "/digest/articles/new-name/" and canonical == "https://example.org/digest/articles/new-name/"
        followed = out / target.removeprefix("/digest/") / "index.html"  # follow it as a browser would
        assert "云南出台返乡创业人员社保补贴办法" in followed.read_text(encoding="utf-8")


@pytest.mark.parametrize("value, paths, warned", [
    ("/articles/old/", ("articles/old/",), 0),
    (["articles/old", "https://example.org/x/y.html?utm=1"], ("articles/old/", "x/y.html"), 0),
    (["/政策/旧文章/"], ("政策/旧文章/",), 0),
    (["../etc/passwd", "/a/./b/", "a\\b", {"x": 1}], (), 4),
    ({"x": 1}, (), 1),
])
def test_aliases_are_paths_inside_the_site(value, paths, warned: int):
    got, problems = article_aliases(value)
    assert got == paths and len(problems) == warned


def test_an_alias_never_replaces_a_page_of_the_site(tmp_path: Path):
    site = _site(tmp_path, "new-name.md", ARTICLE.replace(
        "---\ntitle", "---\naliases: [/articles/guangdong-flexible-jobs/, /regions/, /rss.xml, /ok/]\ntitle"))
    result = build(load_config(site / "site.toml"), use_cache=False)
    notes = sorted(str(d) for d in result.diagnostics)
    assert notes == [
        "content/new-name.md: warning: alias 'articles/guangdong-flexible-jobs/' is a page of the site itself; ignored",
        "content/new-name.md: warning: alias 'regions/' is a page of the site itself; ignored",
        "content/new-name.md: warning: alias 'rss.xml/' is a page of the site itself; ignored",
    ]
    assert (site / "output" / "rss.xml").is_file() and not (site / "output" / "rss.xml").is_dir()
    assert (site / "output" / "ok" / "index.html").is_file()
