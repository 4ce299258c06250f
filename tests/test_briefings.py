"""Daily and weekly briefings on a small site of two stories across four outlets, three days
and two weeks (tests/fixtures/briefings: texts written for the tests)."""
from __future__ import annotations

import os
import uuid
import shutil
from pathlib import Path

import feedparser
import pytest

from generator.build import build
from generator.config import load_config
from generator.render.feeds import GUID_NAMESPACE
from tests.conftest import FIXTURES, TESTS

GOLDEN = TESTS / "golden" / "briefings"


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("briefings") / "site"
    shutil.copytree(FIXTURES / "briefings", site)
    result = build(load_config(site / "site.toml"))
    assert result.written and not result.diagnostics
    return site / "output"


def tree(root: Path) -> dict[str, bytes]:
    """Every output but the theme's static files (the site golden test has those)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("static/")}


def test_golden_briefings(output: Path):
    """Daily and weekly pages, their feeds, the maps, the story and related lists, byte for byte."""
    built = tree(output)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden)
    for rel in golden:
        assert built[rel] == golden[rel], f"{rel} differs from the golden copy"


def test_every_day_and_week_with_articles_has_a_briefing(output: Path):
    assert sorted(p.name for p in (output / "daily").iterdir() if p.is_dir()) == ["2024-05-20", "2024-05-21", "2024-05-27",
                                                                                       "2024-05-28"]
    assert sorted(p.name for p in (output / "weekly").iterdir() if p.is_dir()) == ["2024-W21", "2024-W22"]
    home = (output / "index.html").read_text(encoding="utf-8")
    assert 'href="/brief/daily/2024-05-28/"><strong>今日</strong>' in home
    assert 'href="/brief/weekly/2024-W22/"><strong>本周</strong>' in home


def test_a_story_is_told_once_with_all_its_outlets(output: Path):
    day = (output / "daily" / "2024-05-20" / "index.html").read_text(encoding="utf-8")
    assert day.count('class="story-title"') == 1
    for outlet in ("重庆日报", "光明网", "新浪财经"):
        assert f">{outlet}</a>" in day
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "cq-jobs-gmw/\">光明网</a>" in home and 'href="/brief/articles/cq-jobs-gmw/">重庆' not in home
    assert home.count("重庆十条措施稳就业") == 0  # the Sina rewrite is shown under its lead, not again


def test_briefing_feeds_have_one_item_per_day_with_a_lasting_id(output: Path):
    daily = feedparser.parse((output / "daily" / "atom.xml").read_bytes())
    assert [e.link for e in daily.entries] == [f"https://example.org/brief/daily/{d}/"
                                               for d in ("2024-05-28", "2024-05-27", "2024-05-21", "2024-05-20")]
    assert daily.entries[3].id == f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, 'day/2024-05-20')}"  # the day's slug alone
    assert daily.entries[1].updated == "2024-05-27T18:20:00+08:00"  # the day's newest report
    content = daily.entries[3].content[0].value
    assert 'href="https://example.org/brief/articles/cq-jobs-cqrb/"' in content and 'href="/' not in content
    weekly = feedparser.parse((output / "weekly" / "rss.xml").read_bytes())
    assert [e.link for e in weekly.entries] == ["https://example.org/brief/weekly/2024-W22/",
                                                "https://example.org/brief/weekly/2024-W21/"]


def test_briefing_feeds_are_valid(output: Path):
    from tests.test_feeds import assert_feeds_valid

    assert_feeds_valid(output)


def test_related_lists_are_by_content_and_never_the_own_story(output: Path):
    """The graduates' job fair a week later is related to the jobs measures (same region, same
    matter); the measures' other reports share the lead's list and never list each other."""
    lead = (output / "articles" / "cq-jobs-cqrb" / "index.html").read_text(encoding="utf-8")
    related = lead.split('id="related-heading"')[1].split("</aside>")[0]
    assert "cq-graduates/" in related and "cq-jobs-gmw/" not in related and "cq-jobs-sina/" not in related
    repost = (output / "articles" / "cq-jobs-gmw" / "index.html").read_text(encoding="utf-8")
    assert "cq-graduates/" in repost.split('id="related-heading"')[1]
    pension = (output / "articles" / "gd-pension" / "index.html").read_text(encoding="utf-8")
    assert 'id="related-heading"' not in pension  # sharing a subject is not enough
