"""Content keywords and their similarity (generator.enrich.keywords): what relates articles by content."""
from __future__ import annotations

import itertools
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich.keywords import (
    IDF_FILE, KEYWORD_COUNT, MIN_IDF, content_keywords, content_similarity, idf_table, terms,
)
from tests.conftest import SHARED, needs_shared

POOL = SHARED / "corpus" / "pool"

# Short texts written for these tests: two reports of one policy, two of unrelated things.
PENSION_A = (
    "个人养老金制度全国推开 参加人可享税收优惠",
    "人力资源社会保障部等五部门日前发布通知，个人养老金制度自12月起在全国全面实施。参加人每年缴纳个人养老金的上限为"
    "12000元，缴费可享受个人所得税税前扣除优惠。个人养老金资金账户可以购买储蓄存款、理财产品、商业养老保险和公募基金"
    "等产品。通知明确，下一步将丰富个人养老金产品供给，方便群众参加。",
)
PENSION_B = (
    "个人养老金扩围至全国 每年缴费上限1.2万元",
    "记者从人社部获悉，个人养老金制度由36个先行城市扩大到全国。参加人可以通过商业银行开立个人养老金资金账户，每年缴费"
    "上限12000元，并按规定享受税收优惠。专家说，个人养老金是第三支柱养老保险的组成部分，全国推开有利于满足群众多样化"
    "养老需求，领取时按3%的税率缴纳个人所得税。",
)
QUAKE = (
    "甘肃积石山县6.2级地震救援有序展开",
    "地震发生后，应急管理部启动应急响应，派出工作组赶赴震区指导抗震救灾。消防救援队伍连夜搜救被困群众，帐篷、棉被等"
    "救灾物资陆续运抵灾区。当地已转移安置受灾群众，医疗队在安置点开展巡诊，余震监测仍在持续。",
)
FOOTBALL = (
    "中超联赛新赛季开幕 球迷热情高涨",
    "新赛季中超联赛今晚在上海开幕，揭幕战吸引数万名球迷到场观赛。主队凭借下半场的两粒进球以2比1取胜。赛后主教练说，"
    "球队将继续加强体能训练，争取在联赛中取得好成绩，球迷期待本赛季有更多精彩比赛。",
)
ARTICLES = {"pension_a": PENSION_A, "pension_b": PENSION_B, "quake": QUAKE, "football": FOOTBALL}


def keywords(name: str) -> tuple[str, ...]:
    return content_keywords(*ARTICLES[name])


# --- keywords --------------------------------------------------------------------------------------------------------

def test_keywords_name_the_subject_title_first() -> None:
    found = keywords("pension_a")
    assert 0 < len(found) <= KEYWORD_COUNT and len(set(found)) == len(found)
    assert {"养老", "老金"} <= set(found[:4])
    assert {"地震", "救灾"} <= set(keywords("quake"))
    assert {"联赛", "球迷"} <= set(keywords("football"))


def test_keywords_are_deterministic() -> None:
    for title, text in ARTICLES.values():
        assert content_keywords(title, text) == content_keywords(title, text)
        assert content_keywords(title, text) == content_keywords(str(title), "".join(text))


def test_near_universal_bigrams_are_never_keywords() -> None:
    found = content_keywords("坚持高质量发展 推进工作", "发展是第一要务。要推动发展、促进发展、实现发展，做好工作，表示重视。" * 3)
    assert not {"发展", "工作", "表示"} & set(found)


def test_latin_words_and_only_the_lead_count() -> None:
    found = content_keywords("XBB变异株进入 专家解读", "XBB毒株传播力强。XBB已在多地检出。")
    assert "xbb" in found
    assert content_keywords("", "") == ()
    assert content_keywords("", "，。！" * 50 + "12345") == ()
    late = content_keywords("", "会议" + "。" * 5000 + "养老金养老金")
    assert "老金" not in late


def test_terms_stay_inside_cjk_runs() -> None:
    assert terms("养老金，GDP增长") == ["养老", "老金", "增长", "gdp"]


def test_idf_table_is_small_package_data_with_a_default() -> None:
    data = resources.files("generator.data").joinpath(IDF_FILE)
    assert len(data.read_bytes()) < 300_000
    table = idf_table()
    assert table.default > MIN_IDF and len(table.pairs) > 1_000
    assert table.names[next(iter(table.pairs))] in data.read_text(encoding="utf-8")


# --- similarity ------------------------------------------------------------------------------------------------------

def test_same_policy_scores_higher_than_different_things() -> None:
    same = content_similarity(keywords("pension_a"), keywords("pension_b"))
    assert same > 0.3
    for a, b in itertools.combinations(ARTICLES, 2):
        if {a, b} != {"pension_a", "pension_b"}:
            assert content_similarity(keywords(a), keywords(b)) < same / 3, (a, b)


def test_similarity_bounds_identity_and_unrelated() -> None:
    a, b = keywords("pension_a"), keywords("quake")
    assert content_similarity(a, a) == pytest.approx(1.0)
    assert content_similarity(a, b) == 0.0
    assert content_similarity(a, ()) == 0.0 and content_similarity((), ()) == 0.0
    assert 0.9 < content_similarity(("养老", "老金"), ("老金", "养老")) < 1.0


def test_similarity_is_symmetric_and_rank_weighted() -> None:
    a, b = keywords("pension_a"), keywords("pension_b")
    assert content_similarity(a, b) == content_similarity(b, a)
    top = content_similarity(("养老", "x1", "x2", "x3"), ("养老", "y1", "y2", "y3"))
    bottom = content_similarity(("x1", "x2", "x3", "养老"), ("y1", "y2", "y3", "养老"))
    assert 0 < bottom < top < 1


@needs_shared(POOL)
def test_real_articles_same_story_beats_other_news() -> None:
    from benchmarks.make_keyword_idf import read_article

    war_1, war_2, railway = (content_keywords(*read_article(POOL / name)) for name in (
        "cctv_20250113_14.md", "cctv_20250111_11.md", "cctv_20250107_06.md"))
    assert content_similarity(war_1, war_2) > 0.2
    assert content_similarity(war_1, war_2) > 3 * max(content_similarity(war_1, railway),
                                                       content_similarity(war_2, railway))


# --- properties ------------------------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_any_text_gives_a_short_distinct_tuple(title: str, text: str) -> None:
    found = content_keywords(title, text)
    assert isinstance(found, tuple) and len(found) <= KEYWORD_COUNT
    assert len(set(found)) == len(found) and all(found)
    assert content_similarity(found, found) in (0.0, pytest.approx(1.0))


CJK_TEXT = st.text(alphabet=st.sampled_from("养老金个人地震救援联赛球迷发展工作的是，。 GDPxbb12"), max_size=300)


@settings(max_examples=200, deadline=None)
@given(CJK_TEXT, CJK_TEXT, CJK_TEXT, CJK_TEXT)
def test_similarity_is_symmetric_and_bounded(title_a: str, text_a: str, title_b: str, text_b: str) -> None:
    a, b = content_keywords(title_a, text_a), content_keywords(title_b, text_b)
    score = content_similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == content_similarity(b, a)
    assert (score == 0.0) == set(a).isdisjoint(b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["就业", "帮扶", "养老", "保险", "重庆", "补贴", "gdp"]), max_size=20),
       st.lists(st.sampled_from(["就业", "帮扶", "养老", "保险", "重庆", "补贴", "gdp"]), max_size=20))
def test_prepared_vectors_give_content_similarity_to_the_last_bit(a, b):
    from generator.enrich.keywords import keyword_vector, vector_similarity

    a, b = tuple(a), tuple(b)
    assert vector_similarity(keyword_vector(a), keyword_vector(b)) == content_similarity(a, b)
