"""Policy relevance: real hand-labelled corpus, synthetic corpus, examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import load_bench
from generator.enrich.policy import THRESHOLD, PolicyVerdict, is_policy
from generator.enrich.taxonomy import default_taxonomy
from generator.enrich.topics import TopicHit, tag_topics

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "corpus" / "real"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"

# Measured: real corpus 1.000 (75 items; the weakest verdicts sit ~1 point from
# the threshold, so unseen articles will do worse), synthetic 1.000.
MIN_REAL_ACCURACY = 0.85




def verdict(title: str, text: str) -> PolicyVerdict:
    return is_policy(title, text, tag_topics(title, text, default_taxonomy()))


def test_government_document_is_policy() -> None:
    v = verdict("国务院办公厅印发《关于进一步做好稳就业工作的意见》",
                "国务院办公厅近日印发通知，部署各地实施就业补贴政策，人社部将会同财政部抓好落实。")
    assert v.policy and v.score >= THRESHOLD
    assert "国务院办公厅" in v.evidence or "印发" in v.evidence


def test_court_story_is_not_policy() -> None:
    v = verdict("125亿元大案一审宣判", "上海市第一中级人民法院依法公开宣判被告人集资诈骗一案，对被告人判处无期徒刑。")
    assert not v.policy
    assert "无期徒刑" in v.evidence


def test_company_news_is_not_policy() -> None:
    v = verdict("苹果发布新iPhone", "苹果发布会上，新品售价5499元，搭载最新处理器，股价随后上涨，市值再创新高。")
    assert not v.policy


def test_commercial_survey_is_not_policy() -> None:
    v = verdict("00后择业观调研", "某招聘平台研究院发布调研报告，报告显示近八成受访者想立即工作。")
    assert not v.policy


def test_topics_add_a_bounded_bonus() -> None:
    base = is_policy("标题", "正文", [])
    strong = [TopicHit("social-security", "社会保障", 100.0, ("养老金",))] * 5
    assert is_policy("标题", "正文", strong).score == pytest.approx(base.score + 3.0)


def test_empty_input() -> None:
    assert is_policy("", "", []) == PolicyVerdict(False, 0.0, ())


def test_real_corpus_accuracy() -> None:
    if not REAL.is_dir():
        pytest.skip("shared/corpus/real not available")
    pytest.importorskip("trafilatura")
    bench = load_bench()
    items = list(bench.real_items(REAL))
    errors: list[str] = []
    accuracy = bench.policy_accuracy(items, default_taxonomy(), errors=errors)
    print(f"\nreal policy accuracy: {accuracy:.3f} on {len(items)} items", *errors, sep="\n  ")
    assert accuracy >= MIN_REAL_ACCURACY


def test_synthetic_corpus_is_all_policy(tmp_path: Path) -> None:
    if not MAKE_CORPUS.is_file():
        pytest.skip("shared/bench/make_corpus.py not available")
    bench = load_bench()
    bench.make_synthetic(tmp_path, count=300, seed=1, raw_fraction=0.1, shared=SHARED)
    items = list(bench.synthetic_items(tmp_path))
    errors: list[str] = []
    accuracy = bench.policy_accuracy(items, default_taxonomy(), errors=errors)
    print(f"\nsynthetic policy accuracy: {accuracy:.3f}", *errors, sep="\n  ")
    assert accuracy == 1.0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=3000))
def test_never_raises_on_arbitrary_text(title: str, text: str) -> None:
    v = is_policy(title, text, [])
    assert isinstance(v.policy, bool) and v.policy == (v.score >= THRESHOLD)
    assert all(isinstance(term, str) for term in v.evidence)
