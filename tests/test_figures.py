"""Key figures: units, exact text, skipped dates/ordinals/identifiers, ranking, context."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich.figures import MAX_CONTEXT, key_figures
from generator.model import Figure

SEED_BODY = (
    "9月27日,重庆市脱贫人口就业帮扶工作会议在重庆市万州区召开。记者在会上获悉,今年以来,重庆市脱贫人口务工规模"
    "稳定在81万人以上,完成年度目标的109%,同比增长4.6%。\n"
    "今年已累计为企业减征失业保险费22亿元,兑现就业帮扶政策资金超4亿元,惠及脱贫人口37万人(次)。"
    "精准规范安置9.6万名脱贫人口就业。为31万困难群体代缴城乡居民养老保险费2600余万元。\n"
)


def displays(figures: tuple[Figure, ...]) -> list[str]:
    return [f.display for f in figures]


def test_exact_text_value_and_unit() -> None:
    figures = {f.display: f for f in key_figures(SEED_BODY, limit=20)}
    assert figures["81万人以上"] == Figure("81", "万人以上", figures["81万人以上"].context)
    assert (figures["2600余万元"].value, figures["2600余万元"].unit) == ("2600余", "万元")
    assert (figures["9.6万名"].value, figures["9.6万名"].unit) == ("9.6", "万名")
    assert (figures["22亿元"].value, figures["22亿元"].unit) == ("22", "亿元")
    assert (figures["109%"].value, figures["109%"].unit) == ("109", "%")
    assert "22亿元" in figures["22亿元"].context


def test_housing_figures() -> None:
    figures = key_figures("此次集中开工的15个项目约115万平方米、1.85万套，建成后将健全租赁住房供应体系。")
    assert {"115万平方米", "1.85万套", "15个"} <= set(displays(figures))


def test_context_is_the_clause() -> None:
    text = "会上，人社部副部长李忠介绍说，截至5月底，全国脱贫劳动力务工规模达到3133万人。"
    (figure,) = key_figures(text)
    assert figure == Figure("3133", "万人", "全国脱贫劳动力务工规模达到3133万人")


def test_dates_ordinals_and_identifiers_are_skipped() -> None:
    text = ("2022年6月23日，第47号令自2022年1月1日起施行。今年1~5月、1-7月数据显示，航班CZ6335于14时38分起飞，"
            "5G手机和G20会议均有提及，咨询电话12345678，12306网站正常，00后求职，排名上升到24位，3个月内完成。")
    assert key_figures(text, limit=10) == ()


def test_ranking_title_then_lead_then_people_and_money() -> None:
    body = ("近日召开的会议指出，全市共建成零工市场116个。" + "会议要求继续做好各项工作。" * 20
            + "全年帮扶就业超过1万人，发放补贴3亿元，完成率达到95%，建成驿站20个。")
    figures = key_figures(body, limit=5, title="全市脱贫人口务工规模达到81万人")
    assert displays(figures) == ["81万人", "116个", "1万人", "3亿元", "20个"]


def test_dedupe_and_limit() -> None:
    text = "帮扶3133万人。再次强调3133万人。另有22亿元。"
    assert displays(key_figures(text)) == ["3133万人", "22亿元"]
    assert displays(key_figures(text, limit=1)) == ["3133万人"]
    assert key_figures(text, limit=0) == ()


def test_long_clause_is_trimmed_to_max_context() -> None:
    text = "围绕" + "重点领域和关键环节" * 8 + "累计投入资金900亿元"
    (figure,) = key_figures(text)
    assert len(figure.context) <= MAX_CONTEXT
    assert figure.context.endswith("900亿元") and figure.context.startswith("…")


def test_thousands_separator_and_modifiers() -> None:
    assert displays(key_figures("预计每年拉动4,000亿元投资，1000多家企业受益")) == ["4,000亿元", "1000多家"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000), st.integers(min_value=-2, max_value=8))
def test_never_raises_on_arbitrary_text(text: str, limit: int) -> None:
    figures = key_figures(text, limit=limit, title=text[:30])
    assert len(figures) <= max(0, limit)
    for figure in figures:
        assert figure.display in text and len(figure.context) <= MAX_CONTEXT


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["帮扶", "3133", "万人", "亿元", "%", "，", "。", "\n", "第", "2022年", "1.5",
                                 "余", "多", "以上", "套", "-", "5月", "个"]), max_size=40))
def test_number_soup_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    for figure in key_figures(text, limit=10):
        assert figure.value and figure.display in text


def test_full_width_thousands_comma_is_one_number():
    from generator.enrich.figures import key_figures as figures_of

    (first, *_) = figures_of("全市完成投资1，135.77亿元，同比增长9%。")
    assert first.value + first.unit == "1，135.77亿元"
