"""Saved HTML pages through the loader: decoding, headline, time, outlet, body."""
from pathlib import Path, PurePosixPath

import pytest

from generator.diagnostics import LoadError
from generator.load import load_bytes, load_path
from tests.conftest import REAL_CORPUS, SHANGHAI, needs_shared

PAGE = """<html><head><meta charset="gb2312"><title>某省出台稳就业新政_某某网</title></head>
<body><nav><a href="/">首页</a></nav>
<h1>某省出台稳就业新政</h1><div class="info">2023-05-06 10:20 来源：某某日报</div>
<div class="article"><p>第一段，某省人社厅日前印发通知，出台稳就业政策十二条，支持企业吸纳就业。</p>
<p>第二段，政策明确对吸纳高校毕业生的企业给予一次性扩岗补助，每人一千五百元。</p>
<p>第三段，符合条件的企业可以通过线上平台申请，相关资金将在三十个工作日内发放。</p></div>
<footer>版权所有 ICP备12345号</footer></body></html>"""


def test_gb18030_page_with_label():
    doc = load_bytes(PAGE.encode("gb18030"), PurePosixPath("p.html"), SHANGHAI)
    assert doc.kind == "page" and doc.title == "某省出台稳就业新政"
    assert "第三段" in doc.body_html and "ICP备" not in doc.body_html
    assert doc.published.isoformat() == "2023-05-06T10:20:00+08:00"


def test_page_without_body_is_an_error():
    with pytest.raises(LoadError) as info:
        load_bytes(b"<html><head><title>t</title></head><body></body></html>", PurePosixPath("p.html"), SHANGHAI)
    assert info.value.message in {"no article body found in the saved page", "no headline found in the saved page (no <h1>, og:title or <title>)"}


@needs_shared(REAL_CORPUS)
def test_mislabelled_gb2312_page_is_not_garbled():
    path = REAL_CORPUS / "gne_tests_people_1.html"
    doc = load_path(path, PurePosixPath(path.name), SHANGHAI)
    assert doc.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆" and "\ufffd" not in doc.body_html
    assert any("ignored" in w for w in doc.warnings)


@needs_shared(REAL_CORPUS)
@pytest.mark.parametrize("path", sorted(REAL_CORPUS.glob("gne_*.html")) if REAL_CORPUS.exists() else [], ids=lambda p: p.name)
def test_every_real_page_loads(path: Path):
    doc = load_path(path, PurePosixPath(path.name), SHANGHAI)
    assert doc.title and doc.body_html and "<script" not in doc.body_html.lower()
