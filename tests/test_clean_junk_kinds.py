"""Issue #15: each junk kind defined by what it is, wherever and however it is written.

Editor credits, site footers and copyright notices, bare outlet lines and <br>-separated
lines, each with examples written for these tests, and the article sentences that merely
mention 编辑 or 版权 and must stay.
"""
from pathlib import PurePosixPath

import pytest

from generator.clean import clean_doc
from generator.clean.rules import RuleError, default_rules, parse_rules
from generator.load import load_path
from generator.model import RawDoc
from tests.conftest import SEEDS, SHANGHAI, needs_shared

S1 = "国务院日前印发通知，部署进一步做好稳就业工作，要求各地加大政策支持力度。"
S2 = "通知明确，对吸纳高校毕业生就业的企业给予一次性扩岗补助，每人一千五百元。"
ARTICLE = f"<p>{S1}</p><p>{S2}</p>"


def clean(body: str, title: str = "一个标题"):
    return clean_doc(RawDoc(PurePosixPath("t.md"), "frontmatter", title, None, None, {}, body, 1, "0" * 64))


def paragraphs(html: str) -> list[str]:
    import re
    return re.findall(r"<(?:p|h2)>(.*?)</(?:p|h2)>", html)


# --------------------------------------------------------------------------- editor credits

@pytest.mark.parametrize(("body", "editor"), [
    (ARTICLE + "<p>责任编辑：张三</p>", "张三"),                          # final paragraph
    (f"<p>{S1}</p><p>责任编辑：张三</p><p>{S2}</p>", "张三"),              # in the middle
    (ARTICLE + "<p>（责任编辑：李四）</p>", "李四"),                       # parenthesised, own paragraph
    (ARTICLE + "<p>[责任编辑：韩保林 PK155]</p>", "韩保林"),               # bracketed, CMS code
    (ARTICLE + "<p>编辑：王五 审核：赵六</p>", "王五"),                    # editor and checker
    (ARTICLE + "<p>主编：钱七 责编：孙八</p>", "孙八"),                    # the 责编 is the editor
    (ARTICLE + "<p>编辑 何先锋 责任编辑 魏孔明</p>", "魏孔明"),            # no colons at all
    (ARTICLE + "<p><strong>责任编辑：李红梅 刘亚</strong></p>", "李红梅 刘亚"),  # bold, two names
    (ARTICLE + "<p>(责编：汤诗瑶、丁涛)</p>", "汤诗瑶、丁涛"),
    (ARTICLE + "<p>责编：Demi Xia</p>", "Demi Xia"),
    (ARTICLE + "<p>编辑丨杨布丁</p>", "杨布丁"),
    (ARTICLE + "<p>医技药剂党支部供稿  摄影/张艳  编辑/苏芳</p>", "苏芳"),  # among other credits
])
def test_editor_credit_paragraph_goes_and_is_lifted(body: str, editor: str):
    cleaned = clean(body)
    assert paragraphs(cleaned.body_html) == [S1, S2]
    assert cleaned.lifted["editor"] == editor
    assert {r.rule for r in cleaned.removed} == {"editor-line"}


@pytest.mark.parametrize("credit", ["值班编委：李红梅", "审读：戴士潮", "校对：黄慧敏", "终审：王蓉", "监制|章北海"])
def test_other_sign_off_credits_go(credit: str):
    cleaned = clean(ARTICLE + f"<p>{credit}</p>")
    assert paragraphs(cleaned.body_html) == [S1, S2]


def test_trailing_parenthesised_credit_is_cut_from_the_sentence():
    cleaned = clean(f"<p>{S1}</p><p>通知明确，对吸纳高校毕业生就业的<b>企业</b>给予补助。（责任编辑：<span>李四</span>）</p>")
    assert paragraphs(cleaned.body_html) == [S1, "通知明确，对吸纳高校毕业生就业的<b>企业</b>给予补助。"]
    assert cleaned.lifted["editor"] == "李四"
    assert [r.rule for r in cleaned.removed] == ["editor-line"]


def test_trailing_credit_after_the_last_sentence_is_cut():
    cleaned = clean(f"<p>{S1}编辑：王五 审核：赵六</p>")
    assert paragraphs(cleaned.body_html) == [S1]
    assert cleaned.lifted["editor"] == "王五"


def test_credit_lines_parted_by_br_go_one_by_one():
    body = f"{S1}<br>{S2}<br>编辑|禤志杰<br>责编|陈梦莹<br>校对|黄慧敏<br>来源|广州参考、羊城晚报<br>"
    cleaned = clean(body)
    assert paragraphs(cleaned.body_html) == [S1, S2]
    assert cleaned.lifted["editor"] == "禤志杰" and cleaned.lifted["outlet"] == "广州参考、羊城晚报"


def test_the_opening_byline_keeps_its_editor_and_the_sign_off_names_the_editor():
    body = f"<p>记者 | 高佳</p><p>编辑 | 翟瑞民</p>{ARTICLE}<p>责任编辑：张亚楠</p>"
    cleaned = clean(body)
    assert paragraphs(cleaned.body_html) == ["记者 | 高佳", "编辑 | 翟瑞民", S1, S2]
    assert cleaned.lifted["editor"] == "张亚楠"


def test_an_editor_line_without_a_byline_before_it_goes_even_at_the_top():
    cleaned = clean(f"<p>编辑 | 翟瑞民</p>{ARTICLE}")
    assert paragraphs(cleaned.body_html) == [S1, S2] and cleaned.lifted["editor"] == "翟瑞民"


# --------------------------------------------------------------------------- footers

@pytest.mark.parametrize("footer", [
    "Copyright © 2019 某某网 版权所有",
    "COPYRIGHT (c) 2008-2023 SOMESITE.COM ALL RIGHTS RESERVED",
    "版权所有：某某网",
    "某某日报社版权所有",
    "未经授权禁止转载",
    "未经授权不得转载以及任何形式使用",
    "中新经纬版权所有，未经书面授权，任何单位及个人不得转载、摘编或以其它方式使用。",
    "【版权声明】本文著作权归某某新媒体独家所有，未经授权，不得转载。",
    "本网站所刊登的各种新闻、信息和各种专题专栏资料，均为某某网版权所有，未经协议授权，禁止下载使用。",
    "转载请注明出处：某某科技",
    "图片来自网络，如有侵权，请联系删除。",
    "京ICP备12345678号",
    "京ICP证030173号 京公网安备11010502000001号",
    "网站标识码：1100000088",
    "违法和不良信息举报电话：12377 举报邮箱：jubao@example.cn",
    "关于我们 | 联系我们 | 网站地图 Copyright © 2019 某某网 京ICP备12345678号-1 地址：北京市某区某路1号",
])
def test_site_footer_and_copyright_notice_go(footer: str):
    for body in (ARTICLE + f"<p>{footer}</p>", f"<p>{S1}</p><p>{footer}</p><p>{S2}</p>", f"{S1}<br>{S2}<br>{footer}"):
        cleaned = clean(body)
        assert paragraphs(cleaned.body_html) == [S1, S2], (body, cleaned.body_html)


# --------------------------------------------------------------------------- sentences that stay

@pytest.mark.parametrize("sentence", [
    "出版社编辑部门加强版权保护工作",
    "出版社编辑部门加强版权保护工作。",
    "该报责任编辑张三表示，这是一项好政策。",
    "主编《中国就业年鉴》的专家表示，就业形势总体稳定。",
    "中央网信办违法和不良信息举报中心发布2023年工作报告。",
    "网民可拨打违法和不良信息举报电话12377举报。",
    "市民可拨打举报电话12345反映问题。",
    "网站须依法办理ICP备案手续。",
    "著作权人对作品享有版权所有权。",
    "记者了解到，该网站未经授权转载大量新闻作品。",
    "国家版权局表示，将严厉打击侵权盗版行为。",
    "记者 张三",
    "红星新闻记者 罗梦婕 实习生 徐三妹 受访者供图",
    "港口吞吐量同比增长一成。图为繁忙的集装箱码头（摄影 张三 ©2023 某某图片社）",
])
def test_article_sentences_about_editors_or_copyright_stay(sentence: str):
    for body in (f"<p>{sentence}</p>{ARTICLE}", f"<p>{S1}</p><p>{sentence}</p><p>{S2}</p>", f"{ARTICLE}<p>{sentence}</p>"):
        cleaned = clean(body)
        assert sentence in paragraphs(cleaned.body_html), (body, cleaned.body_html)
        assert "editor" not in cleaned.lifted


# --------------------------------------------------------------------------- bare outlet lines

@pytest.mark.parametrize(("body", "outlet"), [
    ("<p>工人日报</p>" + ARTICLE, "工人日报"),
    ("<p>　　工人日报</p>" + ARTICLE, "工人日报"),
    (ARTICLE + "<p>新华社</p>", "新华社"),
    (ARTICLE + "<p>（财联社）</p>", "财联社"),
    ("<div><p>央视新闻客户端</p></div>" + ARTICLE, "央视新闻客户端"),
    (ARTICLE + "<p>每日经济新闻</p><p>责任编辑：张三</p>", "每日经济新闻"),  # last once the credit is gone
])
def test_bare_outlet_opening_or_closing_the_body_is_lifted(body: str, outlet: str):
    cleaned = clean(body)
    assert paragraphs(cleaned.body_html) == [S1, S2]
    assert cleaned.lifted["outlet"] == outlet
    assert "outlet-line" in {r.rule for r in cleaned.removed}


@pytest.mark.parametrize(("body", "kept", "outlet"), [
    (f"<p>{S1}</p><p>人民日报</p><p>{S2}</p>", "人民日报", None),  # a section head of a press review
    ("<p>统计公报</p>" + ARTICLE, "统计公报", None),                 # no outlet
    ("<p>来源：人民日报</p><p>工人日报</p>", "工人日报", "人民日报"),   # never the only block left
    ("<p>工人日报</p>", "工人日报", None),
])
def test_outlet_like_lines_elsewhere_stay(body: str, kept: str, outlet: str | None):
    cleaned = clean(body)
    assert kept in paragraphs(cleaned.body_html)
    assert cleaned.lifted.get("outlet") == outlet


def test_outlet_in_the_front_matter_still_wins_in_enrich():
    from generator.enrich import enrich
    from generator.enrich.taxonomy import default_taxonomy
    raw = RawDoc(PurePosixPath("t.md"), "frontmatter", "标题", None, None, {"outlet": "某某网"},
                 "<p>工人日报</p>" + ARTICLE, 1, "0" * 64)
    cleaned = clean_doc(raw)
    assert cleaned.lifted["outlet"] == "工人日报"
    assert enrich(cleaned, default_taxonomy()).outlet == "某某网"


@needs_shared(SEEDS)
def test_seed_whose_body_opens_with_the_outlet():
    path = SEEDS / "000_97c6df1248a48c22.txt"
    cleaned = clean_doc(load_path(path, PurePosixPath(path.name), SHANGHAI))
    assert cleaned.lifted["outlet"] == "工人日报" and cleaned.lifted["editor"] == "何中夫"
    assert cleaned.body_html.startswith("<p>本报讯（记者王维砚）")
    assert "工人日报</p>" not in cleaned.body_html


# --------------------------------------------------------------------------- lines parted by <br>

def test_br_lines_become_paragraphs_and_cleaning_twice_changes_nothing():
    body = f"本文原标题：《旧标题》<br>{S1}<br><br>{S2}<br>扫描下方二维码关注我们"
    once = clean(body)
    assert paragraphs(once.body_html) == [S1, S2]
    assert once.lifted["original_title"] == "《旧标题》"
    assert clean(once.body_html).body_html == once.body_html


def test_div_text_is_a_paragraph_and_lists_keep_their_lines():
    cleaned = clean(f"<div>{S1}<br>责任编辑：张三</div><ul><li>第一行<br>第二行</li></ul>")
    assert cleaned.body_html == f"<p>{S1}</p><ul><li>第一行<br>第二行</li></ul>"


# --------------------------------------------------------------------------- rule-file features

def test_define_fragments_are_expanded_in_site_rules():
    text = "[define]\nword = '推广|广告'\n\n[[rule]]\nname = \"ads\"\ndrop_text = ['^{word}.{0,10}$']\n"
    rules = parse_rules(text, "site.toml", default_rules())
    cleaned = clean_doc(RawDoc(PurePosixPath("t.md"), "frontmatter", "t", None, None, {}, ARTICLE + "<p>推广：某某产品</p>", 1, "0"), rules)
    assert paragraphs(cleaned.body_html) == [S1, S2]
    # the shipped fragments are there for a site's rules too
    assert parse_rules("[[rule]]\nname = \"x\"\ndrop_text = ['^{editor_role}$']\n", "s.toml", default_rules())


def test_rule_file_problems_name_the_fragment_and_the_key():
    text = ("[define]\ncatch = '(a)'\n\n[[rule]]\nname = \"x\"\ndrop_text = ['{nope}']\n"
            "position = \"middle\"\n")
    with pytest.raises(RuleError) as info:
        parse_rules(text, "r.toml")
    assert info.value.problems == [
        "r.toml: define.catch: a fragment may not capture: write (?:...) for its groups",
        "r.toml: rule 'x'.drop_text: unknown fragment {nope} (define it under [define])",
        "r.toml: rule 'x'.position: must be one of anywhere, first, last, edges",
    ]


def test_a_shipped_rule_can_still_be_switched_off():
    rules = parse_rules('[[rule]]\nname = "outlet-line"\nenabled = false\n', "s.toml", default_rules())
    raw = RawDoc(PurePosixPath("t.md"), "frontmatter", "t", None, None, {}, "<p>工人日报</p>" + ARTICLE, 1, "0")
    assert "工人日报" in clean_doc(raw, rules).body_html
