"""Key figures: units, exact text, skipped dates/ordinals/identifiers, ranking, headline repeats, short contexts."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.config import load_config
from generator.enrich.figures import MAX_CONTEXT, MAX_FIGURES, MIN_CONTEXT, REPEAT_OVERLAP, _Headline, key_figures
from generator.model import Figure
from generator.render import make_environment
from tests.conftest import FIXTURES

SEED_BODY = (
    "9月27日,重庆市脱贫人口就业帮扶工作会议在重庆市万州区召开。记者在会上获悉,今年以来,重庆市脱贫人口务工规模"
    "稳定在81万人以上,完成年度目标的109%,同比增长4.6%。\n"
    "今年已累计为企业减征失业保险费22亿元,兑现就业帮扶政策资金超4亿元,惠及脱贫人口37万人(次)。"
    "精准规范安置9.6万名脱贫人口就业。为31万困难群体代缴城乡居民养老保险费2600余万元。\n"
)


def displays(figures: tuple[Figure, ...]) -> list[str]:
    return [f.display for f in figures]


def contexts(text: str, title: str = "") -> dict[str, str]:
    return {f.display: f.context for f in key_figures(text, title=title)}


# --- what counts as a figure (unchanged) ---------------------------------------------------------------------------

def test_exact_text_value_and_unit() -> None:
    figures = {}
    for sentence in SEED_BODY.replace("\n", "").split("。"):
        figures.update({f.display: f for f in key_figures(sentence)})
    assert (figures["81万人以上"].value, figures["81万人以上"].unit) == ("81", "万人以上")
    assert (figures["2600余万元"].value, figures["2600余万元"].unit) == ("2600余", "万元")
    assert (figures["9.6万名"].value, figures["9.6万名"].unit) == ("9.6", "万名")
    assert (figures["22亿元"].value, figures["22亿元"].unit) == ("22", "亿元")
    assert (figures["109%"].value, figures["109%"].unit) == ("109", "%")


def test_housing_figures() -> None:
    figures = key_figures("此次集中开工的15个项目约115万平方米、1.85万套，建成后将健全租赁住房供应体系。")
    assert {"115万平方米", "1.85万套", "15个"} <= set(displays(figures))


def test_dates_ordinals_and_identifiers_are_skipped() -> None:
    text = ("2022年6月23日，第47号令自2022年1月1日起施行。今年1~5月、1-7月数据显示，航班CZ6335于14时38分起飞，"
            "5G手机和G20会议均有提及，咨询电话12345678，12306网站正常，00后求职，排名上升到24位，3个月内完成。")
    assert key_figures(text, limit=10) == ()


def test_thousands_separator_and_modifiers() -> None:
    assert displays(key_figures("预计每年拉动4,000亿元投资，1000多家企业受益")) == ["4,000亿元", "1000多家"]


def test_full_width_thousands_comma_is_one_number():
    (first, *_) = key_figures("全市完成投资1，135.77亿元，同比增长9%。")
    assert first.value + first.unit == "1，135.77亿元"


# --- ranking and limits --------------------------------------------------------------------------------------------

def test_ranking_title_then_lead_then_people_and_money() -> None:
    body = ("近日召开的会议指出，全市共建成零工市场116个。" + "会议要求继续做好各项工作。" * 20
            + "全年帮扶就业超过1万人，发放补贴3亿元，完成率达到95%，建成驿站20个。截至目前，累计带动务工81万人。")
    title = "全市脱贫人口务工规模达到81万人"
    # The title's figure still ranks first, shown with the body's own clause about it.
    assert displays(key_figures(body, title=title)) == ["81万人", "116个", "1万人"]
    assert key_figures(body, title=title)[0].context == "带动务工"
    # Without it: the lead beats the body, people and money beat other quantities, which beat rates.
    tail = body[body.index("全年"):].replace("截至目前，累计带动务工81万人。", "")
    assert displays(key_figures(tail)) == ["1万人", "3亿元", "20个"]


def test_dedupe_and_limit() -> None:
    text = "帮扶3133万人。再次强调3133万人。另有专项资金22亿元。"
    assert displays(key_figures(text)) == ["3133万人", "22亿元"]
    assert displays(key_figures(text, limit=1)) == ["3133万人"]
    assert key_figures(text, limit=0) == ()


def test_at_most_three_figures_whatever_the_limit() -> None:
    text = ("全区新建口袋公园42个，改造背街小巷86条，新增停车位3200个，"
            "完成老旧小区改造投资5.6亿元，惠及居民2.4万户。")
    assert MAX_FIGURES == 3
    assert len(key_figures(text)) == 3
    assert len(key_figures(text, limit=10)) == 3
    assert displays(key_figures(text, limit=10)) == displays(key_figures(text))
    assert len(key_figures(text, limit=2)) == 2


# --- the headline already shows its own figures (#15) ------------------------------------------------------------

def test_clause_repeating_the_headline_is_not_a_key_figure() -> None:
    title = "全省新建5G基站3.2万个"
    body = "全省新建5G基站3.2万个。其中城区建成1.1万个，乡镇建成2.1万个。"
    figures = key_figures(body, title=title)
    assert "3.2万个" not in displays(figures)
    assert displays(figures) == ["1.1万个", "2.1万个"]


def test_headline_with_punctuation_and_dateline_is_still_a_repeat() -> None:
    title = "820家企业获评省级“专精特新”"
    body = "本报讯 820家企业获评省级专精特新！记者从省工信厅获悉，新认定企业中制造业占比达到91%。"
    assert "820家" not in displays(key_figures(body, title=title))


def test_figure_only_in_the_title_is_dropped() -> None:
    assert key_figures("会议要求各地抓好落实，确保政策见效。", title="本市发放消费券5000万元") == ()


def test_headline_figure_restated_in_a_clause_of_its_own_keeps_its_rank() -> None:
    title = "860家企业获评专精特新"
    body = "会议通报了今年的认定情况。本批共有860家企业入选，另有新申报企业1200家。"
    figures = key_figures(body, title=title)
    assert figures[0] == Figure("860", "家", "企业入选")
    assert all(f.context not in title for f in figures)


def test_headline_repeat_measure() -> None:
    headline = _Headline("1-8月全市固定资产投资增长12.5%")
    assert headline.repeated_by("全市固定资产投资增长12.5%", "12.5%")  # a substring of the title
    assert headline.repeated_by("1至8月，全市固定资产投资同比增长12.5%", "12.5%")  # mostly the title's bigrams
    assert not headline.repeated_by("其中民间投资增长12.5%", "12.5%")
    assert not headline.repeated_by("工业技改投资占比提高到12.5%", "12.5%")
    assert 0.5 <= REPEAT_OVERLAP <= 0.8


# --- contexts: the measured thing, short ---------------------------------------------------------------------------

def test_context_is_the_subject_not_the_clause() -> None:
    text = "会上，人社部副部长李忠介绍说，截至5月底，全国脱贫劳动力务工规模达到3133万人。"
    (figure,) = key_figures(text)
    assert figure == Figure("3133", "万人", "全国脱贫劳动力务工规模")


def test_context_is_the_noun_after_a_counter() -> None:
    assert contexts("全市共有320家高新技术企业通过认定。")["320家"] == "高新技术企业"
    assert contexts("本批共有860家企业入选。")["860家"] == "企业入选"
    assert contexts("今年新建“口袋公园”42个，开放“共享球场”15处。")["42个"] == "新建“口袋公园”"
    assert contexts("为2300名学生的家庭发放助学补助。")["2300名"] == "学生"
    assert contexts("31个地市已经全部完成申报。")["31个"] == "地市"


def test_context_is_the_subject_before_the_verb() -> None:
    assert contexts("全市规模以上工业增加值达到2150.6亿元。")["2150.6亿元"] == "规上工业增加值"
    assert contexts("城镇新增就业人数为12.8万人。")["12.8万人"] == "城镇新增就业人数"
    assert contexts("全年接待游客量突破1.2亿人次。")["1.2亿人次"] == "接待游客量"
    assert contexts("社会消费品零售总额超过860亿元。")["860亿元"] == "社会消费品零售总额"
    assert contexts("粮食播种面积稳定在52.3万亩以上。")["52.3万亩以上"] == "粮食播种面积"


def test_leading_connectors_are_stripped() -> None:
    assert contexts("其中，累计发放创业担保贷款8.6亿元。")["8.6亿元"] == "发放创业担保贷款"
    assert contexts("今年以来已累计为小微企业减免税费120亿元。")["120亿元"] == "为小微企业减免税费"
    assert contexts("截至2023年底，全市养老机构床位数达到4.6万张。")["4.6万张"] == "养老机构床位数"
    assert contexts("目前全省共有乡镇综合文化站1360个。")["1360个"] == "乡镇综合文化站"


def test_two_figures_in_one_sentence_get_their_own_contexts() -> None:
    found = contexts("全市共有320家高新技术企业和45个省级研发平台。")
    assert found == {"320家": "高新技术企业", "45个": "省级研发平台"}
    found = contexts("全区完成固定资产投资186亿元，其中工业投资72亿元，新开工项目58个。")
    assert found == {"186亿元": "完成固定资产投资", "72亿元": "工业投资", "58个": "新开工项目"}


def test_rates_name_what_they_measure_or_are_dropped() -> None:
    assert contexts("85%的行政村实现垃圾集中处理。")["85%"] == "行政村实现垃圾集中处理"
    assert contexts("完成年度目标的109%。")["109%"] == "完成年度目标"
    assert key_figures("同比增长6.2%。") == ()  # a bare rate says nothing
    assert key_figures("比上月提高1.5个百分点。") == ()  # the baseline is not what is measured
    assert contexts("降幅比去年同期扩大1.5个百分点。")["1.5个百分点"] == "降幅"


def test_meaningless_figures_are_dropped() -> None:
    assert key_figures("另有22亿元。") == ()
    assert key_figures("条例自2024年5月1日起施行，共5章42条。") == ()
    assert key_figures("售价699美元（约合人民币4971元）。") == (Figure("699", "美元", "售价"),)


def test_a_bare_verb_is_kept_when_it_is_all_there_is() -> None:
    assert key_figures("惠及3.2万人。") == (Figure("3.2", "万人", "惠及"),)
    assert contexts("已经投入1.8亿元资金。")["1.8亿元"] == "投入资金"


def test_from_to_and_shared_list_subjects() -> None:
    assert contexts("孵化器数量从86家增加到132家。")["132家"] == "孵化器数量"
    assert contexts("改造老旧小区面积约86万平方米、1.2万户。")["1.2万户"] == "改造老旧小区面积"


def test_long_clause_gives_a_short_context() -> None:
    text = "围绕" + "重点领域和关键环节" * 8 + "累计投入资金900亿元"
    (figure,) = key_figures(text)
    assert figure.context == "投入资金"
    text = "为进一步加强和改进基层社会治理、提升城乡社区服务能力和水平而设立的专项补助资金达到3.5亿元。"
    (figure,) = key_figures(text)
    assert MIN_CONTEXT <= len(figure.context) <= MAX_CONTEXT
    assert figure.context.endswith("专项补助资金")


def test_no_context_is_a_whole_sentence() -> None:
    text = ("记者从市住房和城乡建设局获悉，今年以来全市新开工保障性租赁住房项目共计47个、筹集房源2.1万套，"
            "在建的城市更新项目累计完成投资达到126.8亿元，惠及沿线居民和商户总数超过3.6万户。")
    figures = key_figures(text)
    assert len(figures) == 3
    for figure in figures:
        assert MIN_CONTEXT <= len(figure.context) <= MAX_CONTEXT
        assert figure.display not in figure.context and "，" not in figure.context


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000), st.integers(min_value=-2, max_value=8))
def test_never_raises_on_arbitrary_text(text: str, limit: int) -> None:
    figures = key_figures(text, limit=limit, title=text[:30])
    assert len(figures) <= max(0, min(limit, MAX_FIGURES))
    for figure in figures:
        assert figure.display in text and MIN_CONTEXT <= len(figure.context) <= MAX_CONTEXT


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["帮扶", "3133", "万人", "亿元", "%", "，", "。", "\n", "第", "2022年", "1.5",
                                 "余", "多", "以上", "套", "-", "5月", "个", "企业", "达到", "其中", "的", "、",
                                 "（", "）", "规模以上", "增长", "从", "至"]), max_size=40),
       st.sampled_from(["", "3133万人", "帮扶企业3133万人"]))
def test_number_soup_never_raises(parts: list[str], title: str) -> None:
    text = "".join(parts)
    for figure in key_figures(text, limit=10, title=title):
        assert figure.value and figure.display in text
        assert MIN_CONTEXT <= len(figure.context) <= MAX_CONTEXT


# --- templates: 3 on an article page, 2 in listings ----------------------------------------------------------------

@pytest.fixture(scope="module")
def macros():
    config = load_config(FIXTURES / "site" / "site.toml")
    return make_environment(config).get_template("_macros.html").make_module()


def _article(count: int) -> SimpleNamespace:
    figures = tuple(Figure(str(10 + i), "万人", f"第{i}类人群") for i in range(count))
    return SimpleNamespace(url="/a/", title="标题", iso_date="2024-01-02", date="2024年1月2日", outlet=None,
                           region=None, subjects=(), topics=(), policy=True, summary="摘要", figures=figures)


def test_figures_macro_shows_three_and_cards_two(macros) -> None:
    page = lxml.html.fromstring(str(macros.figures(_article(5))))
    assert [li.text_content() for li in page.cssselect("li")] == ["10万人 第0类人群", "11万人 第1类人群",
                                                                 "12万人 第2类人群"]
    card = lxml.html.fromstring(str(macros.card(_article(5))))
    assert len(card.cssselect(".figures li")) == 2
    assert not lxml.html.fromstring("<div>" + str(macros.card(_article(0))) + "</div>").cssselect(".figures")


def test_built_pages_show_short_figures_that_do_not_repeat_the_title(tmp_path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    build(load_config(root / "site.toml"))
    pages = [p for p in (root / "output").rglob("index.html")]
    seen = 0
    for path in pages:
        doc = lxml.html.fromstring(path.read_bytes())
        for figures in doc.cssselect(".figures"):
            items = figures.cssselect("li")
            assert len(items) <= (2 if figures.getparent().tag == "li" else 3)
            for item in items:
                seen += 1
                context = item.cssselect("span")[0].text_content()
                assert MIN_CONTEXT <= len(context) <= MAX_CONTEXT
    assert seen
