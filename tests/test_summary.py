"""Extractive summary: datelines, title repeats, sentence boundaries, length."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich.summary import summarize

TITLE = "全国脱贫劳动力务工规模达到3133万人"


def test_skips_source_line_and_dateline() -> None:
    text = ("　　工人日报\n"
            "　　本报讯（记者王维砚）日前，国新办举行困难群众帮扶有关工作国务院政策例行吹风会。会上，人社部副部长李忠介绍说，"
            "今年1~5月，帮扶失业人员再就业196万人。\n")
    assert summarize(TITLE, text) == (
        "日前，国新办举行困难群众帮扶有关工作国务院政策例行吹风会。会上，人社部副部长李忠介绍说，今年1~5月，帮扶失业人员再就业196万人。")


def test_newswire_datelines() -> None:
    assert summarize("t", "新华社北京6月23日电（记者 安蓓）国务院常务会议部署稳就业举措。") == "国务院常务会议部署稳就业举措。"
    assert summarize("t", "中新网哈尔滨7月27日电（记者 史轶夫）黑龙江启动就业援助月活动。") == "黑龙江启动就业援助月活动。"
    assert summarize("t", "中新经纬11月26日电 （董湘依）16省份出手整治欠薪。") == "16省份出手整治欠薪。"
    assert summarize("t", "【深圳商报讯】（首席记者 王海荣）8月17日，深圳市科创委公示资助名单。") == "8月17日，深圳市科创委公示资助名单。"


def test_skips_title_repeat_and_original_title_lines() -> None:
    text = f"原标题：{TITLE} 来源：工人日报\n{TITLE}\n截至5月底，全国脱贫劳动力务工规模达到3133万人。\n"
    assert summarize(TITLE, text) == "截至5月底，全国脱贫劳动力务工规模达到3133万人。"


def test_keeps_whole_sentences_within_max_chars() -> None:
    text = "第一句话比较短。第二句话也不长。第三句话稍微长一些，用来测试截断是否发生在句子边界上。"
    assert summarize("t", text, max_chars=16) == "第一句话比较短。第二句话也不长。"
    assert summarize("t", text, max_chars=20) == "第一句话比较短。第二句话也不长。"
    assert summarize("t", text, max_chars=200) == text


def test_long_first_sentence_cut_at_comma_with_ellipsis() -> None:
    text = "今年以来，全省累计帮扶失业人员再就业196万人，就业困难人员实现就业68万人，脱贫劳动力务工规模达到3133万人。"
    out = summarize("t", text, max_chars=40)
    assert out == "今年以来，全省累计帮扶失业人员再就业196万人，就业困难人员实现就业68万人…"
    assert len(out) <= 40


def test_hard_cut_does_not_split_a_number() -> None:
    text = "全国脱贫劳动力务工规模达到31335555万人并且继续保持增长态势没有任何标点符号的超长句子"
    out = summarize("t", text, max_chars=20)
    assert out.endswith("…") and len(out) <= 20 and "3133" not in out


def test_continues_into_next_paragraph_when_lead_is_short() -> None:
    text = "全省就业工作会议今天召开。\n会议部署了下一阶段的就业帮扶工作。\n第三段不需要。"
    assert summarize("t", text, max_chars=60) == "全省就业工作会议今天召开。会议部署了下一阶段的就业帮扶工作。"


def test_skips_photo_captions() -> None:
    text = "被污染的江面。\n12月9日，法院一审宣判一起污染环境案。"
    assert summarize("t", text) == "12月9日，法院一审宣判一起污染环境案。"


def test_empty_and_degenerate_input() -> None:
    assert summarize("t", "") == ""
    assert summarize("t", "工人日报\n责任编辑：王珊珊") == ""
    assert summarize("t", "正文。", max_chars=0) == ""


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.text(max_size=3000), st.integers(min_value=-5, max_value=300))
def test_never_raises_and_respects_max_chars(title: str, text: str, max_chars: int) -> None:
    out = summarize(title, text, max_chars)
    assert isinstance(out, str) and len(out) <= max(0, max_chars)
