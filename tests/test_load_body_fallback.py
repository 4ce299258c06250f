"""Issue #15: a saved news page with a visible article always yields its body.

When the paragraph-cluster scoring finds nothing, the extractor falls back to the page's
densest block of paragraph text; credits and footers in it are the cleaner's to remove.
"""
from pathlib import PurePosixPath

import pytest

from generator.clean import clean_doc
from generator.diagnostics import LoadError
from generator.load import load_bytes
from generator.load.html_page import extract_page
from tests.conftest import SHANGHAI

S1 = "国务院日前印发通知，部署进一步做好稳就业工作，要求各地加大政策支持力度，帮助企业稳定岗位。"
S2 = "通知明确，对吸纳高校毕业生就业的企业给予一次性扩岗补助，补助标准为每人一千五百元。"
HEAD = ("<html><head><title>某省出台稳就业新政_某某网</title></head><body>"
        "<nav><a href='/'>首页</a> <a href='/n'>新闻</a></nav><h1>某省出台稳就业新政</h1>")
FOOT = "<div class='footer'>Copyright © 2019 某某网 版权所有 京ICP备12345678号</div></body></html>"

MISSED_BY_SCORING = {
    "text straight in <body>": HEAD + f"{S1}<br><br>{S2}<br><br>（责任编辑：张三）" + FOOT,
    "an unknown element": HEAD + f"<x-article>{S1}<br>{S2}</x-article>" + FOOT,
    "spans only": HEAD + f"<span>{S1}</span><br><span>{S2}</span>" + FOOT,
    "hidden until a script shows it": HEAD + (f'<div class="rich_media_content" id="js_content" style="visibility: hidden;">'
                                              f"<p>{S1}</p><p>{S2}</p></div>") + FOOT,
}


@pytest.mark.parametrize("name", sorted(MISSED_BY_SCORING))
def test_fallback_finds_the_body_scoring_missed(name: str):
    extract = extract_page(MISSED_BY_SCORING[name])
    assert S1 in extract.body_html and S2 in extract.body_html
    assert "某省出台稳就业新政" not in extract.body_html and "首页" not in extract.body_html
    assert "no article body found" not in extract.warnings


@pytest.mark.parametrize("name", sorted(MISSED_BY_SCORING))
def test_fallback_body_is_cleaned_like_any_other(name: str):
    doc = load_bytes(MISSED_BY_SCORING[name].encode("utf-8"), PurePosixPath("p.html"), SHANGHAI)
    cleaned = clean_doc(doc)
    assert cleaned.text.split("\n") == [S1, S2]
    for junk in ("责任编辑", "版权所有", "ICP备", "<script", "首页"):
        assert junk not in cleaned.body_html


def test_a_short_article_signed_by_its_editor_keeps_its_sentence():
    html = HEAD + f"<div class='content'><p>{S1}（责任编辑：张三）</p></div>" + FOOT
    doc = load_bytes(html.encode("utf-8"), PurePosixPath("p.html"), SHANGHAI)
    cleaned = clean_doc(doc)
    assert cleaned.body_html == f"<p>{S1}</p>" and cleaned.lifted["editor"] == "张三"


def test_editor_signing_off_after_the_body_becomes_metadata():
    html = HEAD + (f"<div class='article'><p>{S1}</p><p>{S2}</p></div>"
                   "<div class='edit'>责任编辑：王五_NB12556</div>") + FOOT
    doc = load_bytes(html.encode("utf-8"), PurePosixPath("p.html"), SHANGHAI)
    assert doc.meta["editor"] == "王五" and "王五" not in doc.body_html


def test_chrome_alone_is_no_body():
    html = HEAD + "<footer>Copyright © 2019 某某网 版权所有，未经授权禁止转载，违者必究。</footer></body></html>"
    with pytest.raises(LoadError) as info:
        load_bytes(html.encode("utf-8"), PurePosixPath("p.html"), SHANGHAI)
    assert info.value.message == "no article body found in the saved page"
