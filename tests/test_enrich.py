"""The enrich stage as a whole: CleanDoc -> Article, and the index's non-policy choices."""
from pathlib import PurePosixPath

import pytest

from generator.clean import clean_doc
from generator.enrich import enrich, reading_minutes
from generator.enrich.taxonomy import default_taxonomy
from generator.index import build_site
from generator.load import load_bytes
from tests.conftest import SHANGHAI

POLICY = "---\ntitle: 重庆出台就业帮扶新政\ndate: 2024-01-02\n{extra}---\n\n<p>重庆市人力资源和社会保障局印发通知，对吸纳脱贫人口就业的企业给予补贴，惠及3.2万人。</p>\n"
MARKET = "---\ntitle: 某公司发布新款手机\ndate: 2024-01-03\n---\n\n<p>某科技公司今天在发布会上推出新款手机，售价5999元，搭载自研芯片。</p>\n"


def article(text: str, name: str = "a.md", **kwargs):
    raw = load_bytes(text.encode("utf-8"), PurePosixPath(name), SHANGHAI)
    return enrich(clean_doc(raw), default_taxonomy(), **kwargs)


def test_region_topics_policy_figures():
    a = article(POLICY.format(extra=""))
    assert a.region.name == "重庆" and a.region.slug == "chongqing"
    assert a.policy and "就业帮扶" in [t.name for t in a.topics]
    assert [f.display for f in a.figures] == ["3.2万人"]
    assert a.region_evidence


def test_front_matter_overrides_region_and_summary():
    a = article(POLICY.format(extra="region: 四川\nsummary: 手写的摘要\n"))
    assert a.region.name == "四川" and a.summary == "手写的摘要"
    b = article(POLICY.format(extra="description: 描述优先\n"))
    assert b.summary == "描述优先"


def test_summary_length_is_configurable():
    a = article(POLICY.format(extra=""), summary_length=20)
    assert len(a.summary) <= 20


@pytest.mark.parametrize("text, minutes", [("字" * 400, 1), ("字" * 2000, 5), ("word " * 1100, 5), ("字" * 800 + " word" * 440, 4), ("", 1)])
def test_reading_time_counts_chinese_characters_and_latin_words_apart(text, minutes):
    assert reading_minutes(text) == minutes


@pytest.mark.parametrize("mode, listed, others, total", [("publish", 2, 0, 2), ("separate", 1, 1, 2), ("drop", 1, 0, 1)])
def test_non_policy_articles(mode, listed, others, total):
    articles = [article(POLICY.format(extra=""), "p.md"), article(MARKET, "m.md")]
    assert [a.policy for a in articles] == [True, False]
    site, _ = build_site(articles, 10, non_policy=mode)
    assert len(site.articles) == total
    assert sum(len(p.article_ids) for p in site.index_pages) == listed
    assert sum(len(p.article_ids) for p in site.other_pages) == others
