"""One fixture per named cleaning rule: input HTML, what must go, what must stay."""
from pathlib import PurePosixPath

import pytest

from generator.clean import clean_doc
from generator.clean.rules import RuleError, default_rules, parse_rules
from generator.model import RawDoc

# rule name -> (input body, fragments that must be gone, fragments that must stay, lifted fields)
CASES = {
    "sina-qr-block": ('<p>正文。</p><div class="clearfix appendQr_wrap"><div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div></div>',
                      ["appendQr", "海量资讯"], ["正文。"], {}),
    "style-and-script": ('<p>正文。</p><style>.appendQr_wrap&#123;border:1px&#125;</style><script>alert(1)</script><iframe src="https://x"></iframe>',
                         ["appendQr", "alert", "iframe", "style"], ["正文。"], {}),
    "sina-account-ad": ('<p>正文。</p><div class="app-kaihu-qr"><p>开户就送大礼</p></div>', ["开户", "kaihu"], ["正文。"], {}),
    "sina-video-placeholder": ('<div class="video-2017" id="videoList0" style></div><p>正文。</p>', ["video"], ["正文。"], {}),
    "editor-line": ('<p>正文。</p><p>责任编辑：何中夫 SF014</p>', ["责任编辑", "何中夫"], ["正文。"], {"editor": "何中夫"}),
    "outlet-line": ('<p>工人日报</p><p>本报讯 正文。</p><p>正文。</p>', ["工人日报"], ["本报讯 正文。"], {"outlet": "工人日报"}),
    "copyright-notice": ('<p>正文。</p><p>某某网版权所有，未经书面授权不得转载。</p>', ["版权所有", "转载"], ["正文。"], {}),
    "editor-paragraph": ('<p>正文。</p><p class="article-editor"><img src="https://x/e.png"></p>', ["article-editor", "e.png"], ["正文。"], {}),
    "original-title-line": ('<p>　　原标题：旧标题 来源：人民日报</p><p>正文。</p>', ["原标题", "旧标题"], ["正文。"], {"original_title": "旧标题"}),
    "source-line": ('<p>正文。</p><p>来源 | 现代快报</p>', ["现代快报"], ["正文。"], {"outlet": "现代快报"}),
    "stock-keyword-links": ('<p>畅通<span id="stock_sz300959"><a href="https://finance.sina.com.cn/realstock/company/sz300959/nc.shtml" class="keyword">线上线下</a></span><span id="quote_sz300959"></span>失业登记渠道。</p>',
                            ["stock_", "keyword", "realstock"], ["畅通线上线下失业登记渠道。"], {}),
    "stock-quote-placeholders": ('<p>财<span id="usstock_CKHUY"><a href="https://stock.finance.sina.com.cn/usstock/quotes/CKHUY.html">长和</a></span><span id="quote_CKHUY"></span>央行。</p>',
                                 ["quote_", "usstock"], ["财长和央行。"], {}),
    "sina-tool-links": ('<p>个人所得<a class="article-calculator" href="https://finance.sina.cn/app/taxcalc.shtml">个税</a>及<a href="http://tousu.sina.com.cn/">投诉</a>。</p>',
                        ["taxcalc", "tousu"], ["个人所得个税及投诉。"], {}),
    "promo-link-paragraph": ('<p>正文。</p><p>长按下方二维码关注我们</p><p><a href="https://finance.sina.com.cn/zt_d/x">【点击查看2021胡润中国500强全榜单】</a></p>', ["二维码"], ["正文。", "点击查看2021胡润中国500强全榜单"], {}),
    "related-news-line": ('<p>相关新闻：<a href="https://x">另一条新闻标题</a></p><p>正文。</p>', ["相关新闻", "另一条"], ["正文。"], {}),
    "share-chrome": ("<p>点击右上角微信好友</p><p>朋友圈</p><p>请使用浏览器分享功能进行分享</p><p>正文。</p>", ["微信好友", "朋友圈", "分享"], ["正文。"], {}),
    "footer-lines": ("<p>正文。</p><p>Copyright © 2020 某网 版权所有 京ICP备12345678号</p>", ["ICP备", "版权所有"], ["正文。"], {}),
    "read-more-and-widgets": ("<p>正文。</p><p>阅读剩余全文(</p><p>相关阅读</p><p>您此时的心情</p><ul><li>开心 0</li></ul><p>推荐阅读</p><p>无关的别的新闻。</p><p>加载更多</p>",
                              ["阅读剩余全文", "相关阅读", "心情", "开心", "推荐阅读", "无关", "加载更多"], ["正文。"], {}),
    "empty-paragraphs": ('<p cms-style="font-L">　</p><p></p><p>正文。</p>', ["<p></p>", "cms-style"], ["<p>正文。</p>"], {}),
}


def raw(body: str, title: str = "一个标题") -> RawDoc:
    return RawDoc(PurePosixPath("t.md"), "frontmatter", title, None, None, {}, body, 1, "0" * 64)


def test_every_shipped_rule_has_a_fixture():
    assert {r.name for r in default_rules().rules} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_fixture(name: str):
    body, gone, kept, lifted = CASES[name]
    cleaned = clean_doc(raw(body))
    for fragment in gone:
        assert fragment not in cleaned.body_html, fragment
    for fragment in kept:
        assert fragment in cleaned.body_html, fragment
    for key, value in lifted.items():
        assert cleaned.lifted[key] == value
    if gone and name not in {"stock-keyword-links", "stock-quote-placeholders", "sina-tool-links", "empty-paragraphs"}:
        assert name in {r.rule for r in cleaned.removed} | {"style-and-script"}


def test_comments_go_first_even_with_markup_inside():
    body = '<p>正文。</p><!--article_adlist[<p><a href="https://x">百万用户都在看</a></p>]article_adlist-->'
    cleaned = clean_doc(raw(body))
    assert cleaned.body_html == "<p>正文。</p>"
    assert cleaned.removed[0].rule == "html-comments"


def test_weibo_hashtag_markers_go_but_the_sentence_stays():
    cleaned = clean_doc(raw("<p>【#养老金计发基数公布#】14省份公布养老金计发基数。</p>"))
    assert cleaned.body_html == "<p>14省份公布养老金计发基数。</p>"


def test_img_wrapper_becomes_figure_with_safe_image():
    body = '<div class="img_wrapper"><img src="//n.sinaimg.cn/x.jpg" alt="图"><span class="img_descr">图片说明</span></div><p>正文。</p>'
    html = clean_doc(raw(body)).body_html
    assert '<figure><img src="https://n.sinaimg.cn/x.jpg" alt="图"' in html
    assert 'referrerpolicy="no-referrer"' in html and 'loading="lazy"' in html
    assert "<figcaption>图片说明</figcaption>" in html


def test_bold_paragraph_becomes_heading():
    html = clean_doc(raw('<p cms-style="font-L strong-Bold">　　一、强化就业援助</p><p>正文。</p>')).body_html
    assert html.startswith("<h2>一、强化就业援助</h2>")


def test_repeated_headline_is_dropped():
    assert clean_doc(raw("<p>一个标题</p><p>正文。</p>")).body_html == "<p>正文。</p>"


def test_site_rules_extend_override_and_disable():
    rules = parse_rules('[[rule]]\nname = "mine"\ndrop = ["div.ad"]\n\n[[rule]]\nname = "footer-lines"\nenabled = false\n',
                        "site.toml", default_rules())
    names = {r.name for r in rules.rules}
    assert "mine" in names and "footer-lines" not in names and rules.version != default_rules().version


def test_rule_problems_are_all_reported():
    text = '[[rule]]\nname = "Bad Name"\n\n[[rule]]\nname = "x"\ndrop_text = ["("]\nlift = { mood = "(.)" }\n'
    with pytest.raises(RuleError) as info:
        parse_rules(text, "rules.toml")
    assert info.value.problems == [
        "rules.toml: rule[0].name: must be a lowercase ASCII name such as 'sina-qr-block'",
        "rules.toml: rule 'x'.drop_text: bad regular expression '(': missing ), unterminated subpattern at position 0",
        "rules.toml: rule 'x'.lift.mood: can lift only editor, original_title, outlet",
    ]


def test_when_limits_a_rule_to_its_source():
    rules = parse_rules('[[rule]]\nname = "only-x"\ndrop = ["p.x"]\nwhen = { author = ["某报"] }\n', "r.toml")
    other = RawDoc(PurePosixPath("t.md"), "frontmatter", "t", None, None, {"author": "别的"}, '<p class="x">留下</p>', 1, "0")
    mine = RawDoc(PurePosixPath("t.md"), "frontmatter", "t", None, None, {"author": "某报"}, '<p class="x">删掉</p>', 1, "0")
    assert "留下" in clean_doc(other, rules).body_html
    assert "删掉" not in clean_doc(mine, rules).body_html
