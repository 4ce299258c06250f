"""Subjects: the State Council library's 22 subjects, 1-3 per article, main first, 其他 only
when nothing fits; one typical headline per subject (written for these tests)."""
from __future__ import annotations

import dataclasses
import re

import pytest

from generator.enrich.subject_selector import Candidate, SubjectSelector, candidate_features, default_selector
from generator.enrich.subjects import default_subjects, parse_subjects, subject_evidence, tag_subjects
from generator.enrich.taxonomy import TaxonomyError, default_taxonomy, parse_taxonomy
from generator.enrich.topics import TopicHit
from tests.conftest import SHARED, needs_shared

HEADLINES = [
 ("国务院组织机构", "国务院关于调整国务院议事协调机构设置的通知", "国务院对议事协调机构作出调整。"),
 ("综合政务", "国务院办公厅印发《政府信息公开工作年度报告》", "各级行政机关依法推进政务公开，完善政府信息公开制度。"),
 ("国民经济管理、国有资产监管", "国家统计局：前三季度国内生产总值同比增长5.2%", "国家统计局发布数据，GDP同比增长5.2%，国民经济运行总体平稳。"),
 ("财政、金融、审计", "中国人民银行决定下调金融机构存款准备金率0.5个百分点", "央行宣布降准，释放长期资金约1万亿元。"),
 ("国土资源、能源", "国家能源局：今年新增光伏发电装机容量创新高", "光伏和风电装机持续增长，电力供应保障有力。"),
 ("农业、林业、水利", "农业农村部部署夏粮收购和高标准农田建设", "各地抓好小麦收获，确保粮食丰收。"),
 ("工业、交通", "一批新建高速铁路开通运营 铁路营业里程再增加", "国铁集团介绍，新线开通后铁路网进一步完善。"),
 ("商贸、海关、旅游", "海关总署：前10个月我国货物贸易进出口总值增长", "外贸进出口保持稳定，出口增长较快。"),
 ("市场监管、安全生产监管", "市场监管总局开展食品安全专项抽检", "抽检发现不合格食品，依法查处。"),
 ("城乡建设、环境保护", "生态环境部通报重点城市空气质量改善情况", "PM2.5浓度下降，大气污染防治成效明显。"),
 ("科技、教育", "教育部部署做好高考报名和考试安全工作", "各地教育部门做好考务组织。"),
 ("文化、广电、新闻出版", "国家文物局公布一批重要考古新发现", "考古工作者发掘出土大量文物。"),
 ("卫生、体育", "国家卫生健康委推进公立医院高质量发展", "各地医院改善医疗服务。"),
 ("人口与计划生育、妇女儿童工作", "多地出台育儿补贴政策 支持三孩生育", "托育服务体系加快建设。"),
 ("劳动、人事、监察", "人社部：今年高校毕业生就业工作稳步推进", "各地开展稳岗就业服务，组织招聘活动。"),
 ("公安、安全、司法", "警方破获一起特大电信网络诈骗案 抓获嫌疑人百余名", "公安机关依法打击电信网络诈骗犯罪。"),
 ("民政、扶贫、救灾", "应急管理部紧急预拨救灾资金支持受灾地区", "受灾群众得到妥善安置，救灾物资陆续运抵灾区。"),
 ("民族、宗教", "全国民族团结进步表彰大会召开", "各族群众共同团结奋斗，民族团结进步事业取得成就。"),
 ("对外事务", "外交部发言人就中美元首会晤答记者问", "双方就双边关系和共同关心的国际问题交换意见。"),
 ("港澳台侨工作", "国台办：坚决反对“台独”分裂活动", "两岸关系和平发展符合两岸同胞共同利益。"),
 ("国防", "解放军东部战区在台岛周边组织联合演训", "战区部队开展海空联合战备警巡。"),
]


@pytest.mark.parametrize("want, title, text", HEADLINES, ids=[h[0] for h in HEADLINES])
def test_a_typical_headline_gets_its_subject_first(want: str, title: str, text: str):
    hits = tag_subjects(title, text, default_subjects())
    assert hits[0].name == want
    assert hits[0].sub in default_subjects().by_name(want).subs


# 综合政务 is also the running of the party-state itself and the response to accidents (the
# labelling of the pool and of the 75 dev files): two headlines per kind, written for these tests.
GENERAL_GOVERNMENT = [
    ("应急管理", "某市一居民楼发生火灾 消防救援人员紧急扑救", "火情于当晚被扑灭，事故原因正在调查。"),
    ("应急管理", "景区河段三名游客溺水 救援队连夜搜寻", "当地启动应急响应，两人获救，一人遇难。"),
    ("其他", "全国人大常委会举行委员长会议 决定下次会议议程", "会议听取了有关工作情况的汇报。"),
    ("其他", "各地开展全会精神宣讲活动", "宣讲团深入基层，推动学习教育走深走实。"),
]


@pytest.mark.parametrize("sub, title, text", GENERAL_GOVERNMENT, ids=[f"{g[0]}-{i}" for i, g in enumerate(GENERAL_GOVERNMENT)])
def test_accidents_and_the_party_states_own_business_are_general_government(sub: str, title: str, text: str):
    hits = tag_subjects(title, text, default_subjects())
    assert (hits[0].name, hits[0].sub) == ("综合政务", sub)


def test_every_subject_has_a_headline_and_the_scheme_is_the_librarys():
    scheme = default_subjects()
    assert [s.name for s in scheme.subjects] == [h[0] for h in HEADLINES] + ["其他"]
    assert len({s.slug for s in scheme.subjects}) == 22
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.slug) for s in scheme.subjects)


@needs_shared(SHARED / "corpus" / "SUBJECTS.md")
def test_names_and_order_follow_subjects_md():
    rows = re.findall(r"^\| (\d+) \| ([^|]+?) \| ([^|]+?) \|$", (SHARED / "corpus" / "SUBJECTS.md").read_text("utf-8"), re.M)
    scheme = default_subjects()
    assert [s.name for s in scheme.subjects] == [name for _, name, _ in rows]
    for subject, (_, _, subs) in zip(scheme.subjects, rows):
        assert list(subject.subs) == ([] if subs == "—" else [s.strip() for s in subs.split(";")])


def test_nothing_recognisable_is_other_alone():
    hits = tag_subjects("今天天晴了吗", "我们在家里吃饭聊天。", default_subjects())
    assert [(h.name, h.sub) for h in hits] == [("其他", "其他")]


def test_second_subjects_need_a_share_of_the_main_score_and_at_most_three():
    scheme = dataclasses.replace(default_subjects(), selector=None)  # the thresholds, without learned weights
    assert (scheme.min_score, scheme.second_ratio, scheme.max_subjects, scheme.space_share) == (1.0, 0.4, 3, 0.5)
    title = "人社部：高校毕业生就业 稳岗扩岗 公安机关打击诈骗 海关总署外贸进出口 国家统计局GDP"
    hits = tag_subjects(title, "", scheme)
    assert 1 < len(hits) <= 3
    assert all(h.score >= scheme.second_ratio * hits[0].score for h in hits[1:])
    only_main = dataclasses.replace(scheme, second_ratio=1.01)
    assert len(tag_subjects(title, "", only_main)) == 1  # the main subject is always kept


def test_a_focus_topic_counts_for_the_subject_it_is_filed_under():
    scheme = default_subjects()
    text = "会议讨论了有关事项。"
    plain = tag_subjects("会议召开", text, scheme)
    hit = TopicHit("social-security", "社会保障", 6.0, ("养老保险",))
    filed = tag_subjects("会议召开", text, scheme, topic_hits=[hit], topic_subjects={"social-security": "劳动、人事、监察"})
    assert plain[0].name == "其他" and filed[0].name == "劳动、人事、监察"


def test_every_shipped_topic_is_filed_under_a_subject():
    names = {s.name for s in default_subjects().subjects}
    topics = default_taxonomy().topics
    assert topics and all(t.subject in names for t in topics)


def test_a_taxonomy_naming_an_unknown_subject_is_refused_with_its_place():
    text = '[[topic]]\nslug = "x"\nname = "某专题"\nsubject = "经济"\nkeywords = ["某词"]\n'
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(text, source="my.toml")
    assert caught.value.problems[0].startswith("my.toml: topic[0].subject: must be one of the 22 subjects")


def test_a_scheme_without_selection_table_uses_defaults():
    scheme = parse_subjects('[[subject]]\nname = "其他"\nslug = "other"\nsub = []\n')
    assert tag_subjects("标题", "正文", scheme)[0].name == "其他"


TWO_SUBJECTS = """
[[subject]]
name = "劳动、人事、监察"
slug = "labour"
[[subject.sub]]
name = "劳动就业"
keywords = { "招聘" = 3 }
[[subject]]
name = "公安、安全、司法"
slug = "security"
[[subject.sub]]
name = "公安"
keywords = { "诈骗" = 3 }
[[subject]]
name = "卫生、体育"
slug = "health"
[[subject.sub]]
name = "卫生"
keywords = { "义诊" = 3 }
[[subject]]
name = "其他"
slug = "other"
sub = []
[selection]
min_score = 1.0
second_ratio = 0.1
space_share = 0.5
"""


def test_a_second_subject_needs_a_paragraph_of_its_own_or_the_headline():
    scheme = parse_subjects(TWO_SUBJECTS)
    names = lambda title, text, sc=scheme: [h.name for h in tag_subjects(title, text, sc)]
    # 诈骗 in a paragraph about 招聘: a passing mention, no second subject ...
    assert names("通知", "招聘会招聘，招聘岗位多，谨防诈骗。") == ["劳动、人事、监察"]
    # ... unless space is not asked for, it holds a paragraph of its own, or it is in the headline.
    assert names("通知", "招聘会招聘，招聘岗位多，谨防诈骗。", dataclasses.replace(scheme, space_share=0.0)) == [
        "劳动、人事、监察", "公安、安全、司法"]
    assert names("通知", "招聘会招聘，招聘岗位多。\n谨防诈骗。") == ["劳动、人事、监察", "公安、安全、司法"]
    assert names("招聘会谨防诈骗", "招聘会招聘，招聘岗位多，谨防诈骗。") == ["劳动、人事、监察", "公安、安全、司法"]


def test_a_third_subject_must_be_in_the_headline():
    scheme = parse_subjects(TWO_SUBJECTS)
    text = "招聘会招聘，招聘岗位多。\n谨防诈骗。\n现场有义诊。"
    assert [h.name for h in tag_subjects("招聘会谨防诈骗", text, scheme)] == ["劳动、人事、监察", "公安、安全、司法"]
    assert [h.name for h in tag_subjects("招聘会谨防诈骗 设义诊点", text, scheme)] == [
        "劳动、人事、监察", "公安、安全、司法", "卫生、体育"]


def test_an_excluded_phrase_stops_a_keyword_inside_it():
    toml = """
[[subject]]
name = "工业、交通"
slug = "industry-transport"
[[subject.sub]]
name = "铁路"
keywords = { "动车" = 3 }
{exclude}
[[subject]]
name = "其他"
slug = "other"
sub = []
"""
    plain = parse_subjects(toml.replace("{exclude}", ""))
    excluding = parse_subjects(toml.replace("{exclude}", 'exclude = ["电动车"]'))
    assert tag_subjects("动车组开行", "", excluding)[0].name == "工业、交通"
    assert tag_subjects("电动车防雨蓬被划破", "", plain)[0].name == "工业、交通"
    assert tag_subjects("电动车防雨蓬被划破", "", excluding)[0].name == "其他"
    # and the shipped vocabulary uses it
    assert tag_subjects("路边电动车被划破", "", default_subjects())[0].name != "工业、交通"


# ---------------------------------------------------------------------------
# The learned selector (generator/enrich/subject_selector.py)
# ---------------------------------------------------------------------------

def _candidate(index: int, name: str, score: float, rank: int, *, in_title: bool = False, spaced: bool = False) -> Candidate:
    return Candidate(index, name, score, rank, in_title, spaced)


def test_the_shipped_scheme_selects_with_the_shipped_weights_and_every_weight_is_a_feature():
    selector = default_selector()
    assert default_subjects().selector is selector
    names = {s.name for s in default_subjects().subjects}
    plain = {"log_score", "share_of_top", "in_title", "spaced", "rank_1", "rank_2", "rank_3"}
    assert set(selector.weights) <= plain | {f"subject:{n}" for n in names}  # a renamed feature would weigh nothing
    assert plain <= set(selector.weights) and 0.0 < selector.threshold < 1.0


def test_a_candidates_probability_is_the_logistic_of_its_weighted_features():
    candidate = _candidate(0, "对外事务", 8.0, 1, in_title=True)
    features = candidate_features(candidate, top=16.0)
    assert features == {"log_score": pytest.approx(2.1972246), "share_of_top": 0.5, "in_title": 1.0, "spaced": 0.0,
                        "subject:对外事务": 1.0, "rank_2": 1.0}
    selector = SubjectSelector({"share_of_top": 2.0, "in_title": 1.0, "subject:对外事务": -1.0}, -0.5, 0.5)
    assert selector.probability(candidate, 16.0) == pytest.approx(1 / (1 + 2.718281828459045 ** -0.5))
    assert "rank_4" not in candidate_features(_candidate(0, "国防", 1.0, 3), top=2.0)  # ranks past the third: none


def test_the_selector_takes_the_most_probable_first_and_others_over_the_threshold_up_to_the_maximum():
    selector = SubjectSelector({"subject:甲": 3.0, "subject:乙": 0.0, "subject:丙": -0.1, "subject:丁": -5.0}, 0.0, 0.45)
    candidates = [_candidate(0, "乙", 10.0, 0), _candidate(1, "甲", 5.0, 1), _candidate(2, "丙", 4.0, 2),
                  _candidate(3, "丁", 3.0, 3)]
    # 甲 is the most probable though it scored less: it is the main subject; 乙 (0.5) passes, 丙 (0.475) too, 丁 never.
    assert [c.name for c in selector.select(candidates, 3)] == ["甲", "乙", "丙"]
    assert [c.name for c in selector.select(candidates, 2)] == ["甲", "乙"]
    assert [c.name for c in SubjectSelector(selector.weights, 0.0, 0.49).select(candidates, 3)] == ["甲", "乙"]
    assert selector.select([], 3) == []


def test_with_the_selector_the_main_subject_is_kept_and_a_weak_article_is_still_other():
    scheme = default_subjects()
    assert [h.name for h in tag_subjects("今天天晴了吗", "我们在家里吃饭聊天。", scheme)] == ["其他"]
    hits = tag_subjects("人社部：高校毕业生就业 稳岗扩岗 公安机关打击诈骗 海关总署外贸进出口 国家统计局GDP", "", scheme)
    assert 1 <= len(hits) <= scheme.max_subjects and hits[0].name == "劳动、人事、监察"


def test_the_candidates_are_ranked_by_score_with_their_real_space():
    evidence = subject_evidence("海关总署：外贸进出口增长", "海关总署发布数据，外贸进出口增长。\n警方破获诈骗案。",
                                default_subjects())
    ranks = [c.rank for c in evidence.candidates]
    assert ranks == list(range(len(ranks))) and evidence.candidates[0].name == "商贸、海关、旅游"
    assert evidence.candidates[0].in_title and evidence.candidates[0].spaced
    scores = [c.score for c in evidence.candidates]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
