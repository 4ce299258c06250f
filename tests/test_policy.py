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

# Measured: real corpus 1.000 (75 items), synthetic 1.000; the tune part of the
# hand-labelled pool (264 CCTV/Tencent articles, not in this repo) 0.917.
MIN_REAL_ACCURACY = 0.95




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


# One test per rule of generator/enrich/policy.py; the headlines and sentences
# are made up for the tests, not taken from any corpus.

def test_leader_title_is_not_a_government_act() -> None:
    v = verdict("李强会见来访的某国总统",
                "国务院总理李强今天在人民大会堂会见来访的某国总统。两国关系保持良好发展势头，双方愿深化友好合作。")
    assert not v.policy
    assert "国务院" not in v.evidence and "会见" in v.evidence
    assert is_policy("", "国务院总理李强会见外宾", []).score < is_policy("", "国务院会见外宾", []).score


def test_ceremonial_diplomacy_is_not_policy() -> None:
    v = verdict("习近平同某国总统互致贺电",
                "国家主席习近平同某国总统互致贺电，庆祝两国建交30周年。习近平指出，两国传统友谊深厚。")
    assert not v.policy
    assert {"贺电", "建交"} <= set(v.evidence)


def test_government_body_acting_adds_a_bonus() -> None:
    v = verdict("省财政厅下达资金", "省财政厅近日下达专项资金2亿元。")
    assert v.policy and "财政厅+下达" in v.evidence


def test_act_bonus_needs_the_same_sentence() -> None:
    same = is_policy("", "财政厅负责人介绍了情况，下达时间尚未确定。", [])
    split = is_policy("", "财政厅负责人介绍了情况。记者了解到，下达时间尚未确定。", [])
    far = is_policy("", "财政厅负责人介绍了本省今年以来的整体经济运行和社会发展情况，下达时间尚未确定。", [])
    assert same.score - split.score > 0.5  # ACT_BONUS x the position factor of a late verb
    assert same.score - far.score > 0.5


def test_act_bonus_is_capped() -> None:
    acts = "省政府印发方案。省政府部署工作。省政府下达资金。省政府召开会议。省政府督促落实。省政府组织检查。"
    plain = acts.replace("省政府", "省里")
    assert is_policy("", acts, []).score - is_policy("", plain, []).score <= 6 * 2.0 * 1.25 + 4.0


def test_national_programme_framing_is_policy() -> None:
    v = verdict("各地因地制宜推进高标准农田建设",
                "今年以来，各地各部门统筹资金，因地制宜推进高标准农田建设，夯实粮食安全根基。")
    assert v.policy and "高标准农田" in v.evidence


def test_foreign_government_trade_measure_is_policy() -> None:
    v = verdict("美国宣布对多家中国企业实施出口管制", "美国商务部宣布将12家中国企业列入实体清单，实施出口管制。")
    assert v.policy and "出口管制" in v.evidence


def test_foreign_war_is_not_policy() -> None:
    v = verdict("某国空袭邻国多地", "某国军方称对邻国多地发动空袭，导弹击中一处定居点，造成重大伤亡。"
                "对方政府谴责袭击并宣布停火谈判暂停。")
    assert not v.policy and "空袭" in v.evidence


def test_foreign_election_is_not_policy() -> None:
    v = verdict("某国执政党在大选中落败", "某国执政党在议会大选中落败，现任总理恐难连任。"
                "民调显示，反对派获得多数选民支持，新政府将推出新政策。")
    assert not v.policy and "大选" in v.evidence


def test_incident_and_official_reply_is_not_policy() -> None:
    v = verdict("网传执法人员划破车篷？官方回应：情况属实",
                "近日，网传视频显示一名执法人员划破路边车辆雨篷。当地回应称情况属实，涉事人员已被停职。")
    assert not v.policy and "官方回应" in v.evidence


def test_exchange_rate_market_report_is_not_policy() -> None:
    v = verdict("人民币汇率大涨 离岸人民币涨超300点",
                "周一，在岸人民币对美元汇率收盘大涨，离岸人民币涨超300点。分析师认为，央行此前释放的信号起了作用。")
    assert not v.policy and "汇率" in v.evidence


def test_public_finance_data_is_policy() -> None:
    v = verdict("前两个月全国一般公共预算收入增长",
                "财政部今天公布数据，前两个月全国一般公共预算收入5万亿元，财政支出保障有力，转移支付及时下达。")
    assert v.policy and "一般公共预算" in v.evidence


def test_prosecution_case_is_not_policy() -> None:
    v = verdict("某市一男子受贿案宣判", "检察机关以受贿罪提起公诉，法院今天公开宣判，判处有期徒刑十年。")
    assert not v.policy and {"公诉", "宣判"} <= set(v.evidence)


def test_court_and_procuratorate_as_institutions_are_not_crime_words() -> None:
    v = is_policy("", "县里建设综治中心，检察院、法院和司法所进驻，一站式化解矛盾纠纷。", [])
    assert "检察院" not in v.evidence


def test_entertainment_and_science_are_not_policy() -> None:
    show = verdict("某歌手演唱会门票秒光", "某歌手巡回演唱会门票开售即售罄，粉丝热情高涨，演唱会票房创下新高。")
    lab = verdict("研究团队发现新型材料", "研究团队在国际期刊发表论文，科学家们称这一材料有望用于探测器。")
    assert not show.policy and "演唱会" in show.evidence
    assert not lab.policy and "研究团队" in lab.evidence


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


def test_a_party_discipline_case_is_not_policy() -> None:
    """An official expelled for violating discipline is a case, like a court case: the
    news is about one person, not a rule or programme."""
    text = ("经中共中央批准，中央纪委国家监委对某省原副省长严重违纪违法问题进行了立案审查调查。\n"
            "经查，其违反组织纪律，利用职务便利为他人谋取利益并收受财物。决定给予其开除党籍处分，"
            "由国家监委给予其开除公职处分，将其涉嫌犯罪问题移送检察机关依法审查起诉。")
    assert not verdict("某省原副省长严重违纪违法被开除党籍和公职", text).policy
