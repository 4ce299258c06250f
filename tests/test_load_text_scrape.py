"""Raw text scrapes: 正在阅读 line, breadcrumb, 来源 line, body, byline."""
from pathlib import PurePosixPath

import pytest

from generator.diagnostics import LoadError
from generator.load import load_bytes, load_path
from tests.conftest import SEEDS, SHANGHAI, needs_shared

SCRAPE = """点击右上角微信好友

朋友圈

正在阅读:今年以来 某市就业规模稳定
首页> 地方频道> 地方频道-重庆> 重庆观察 > 正文

今年以来 某市就业规模稳定

来源:新重庆-重庆日报2024-09-28 09:59

  第一段正文。

  第二段正文。(文/记者 张三}

阅读剩余全文(
"""


def load(text: str):
    return load_bytes(text.encode("utf-8"), PurePosixPath("a.txt"), SHANGHAI)


def test_head_fields_are_read():
    doc = load(SCRAPE)
    assert doc.kind == "text" and doc.title == "今年以来 某市就业规模稳定"
    assert doc.published.isoformat() == "2024-09-28T09:59:00+08:00"
    assert doc.meta["outlet"] == "新重庆-重庆日报"
    assert doc.meta["breadcrumb"] == ["首页", "地方频道", "地方频道-重庆", "重庆观察", "正文"]
    assert doc.meta["author"] == "张三"
    assert doc.body_html.startswith("<p>第一段正文。</p>") and "点击右上角" not in doc.body_html


def test_without_source_line_the_reading_line_gives_the_title():
    doc = load("正在阅读:标题在这里\n\n正文第一段。\n")
    assert doc.title == "标题在这里" and doc.published is None and doc.warnings


def test_headline_only_scrape():
    doc = load("一条简单的新闻标题\n\n正文第一段。\n")
    assert doc.title == "一条简单的新闻标题" and "正文第一段。" in doc.body_html


def test_text_is_escaped_not_markup():
    doc = load("标题标题标题\n\n<script>alert(1)</script>\n")
    assert "<script>" not in doc.body_html and "&lt;script&gt;" in doc.body_html


def test_no_headline_is_an_error():
    with pytest.raises(LoadError) as info:
        load("。\n")
    assert info.value.message == "no headline found: expected a '正在阅读:' line or a headline before the '来源:' line"


@needs_shared(SEEDS)
def test_seed_004():
    path = next(SEEDS.glob("004_*.txt"))
    doc = load_path(path, PurePosixPath(path.name), SHANGHAI)
    assert doc.title == "今年以来 重庆市脱贫人口务工规模稳定在81万人以上"
    assert doc.meta["outlet"] == "新重庆-重庆日报" and "地方频道-重庆" in doc.meta["breadcrumb"]
