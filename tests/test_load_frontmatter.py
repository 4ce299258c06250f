"""Front-matter articles: Hexo keys, dates, leading blank lines, HTML and Markdown bodies."""
from pathlib import Path, PurePosixPath

import pytest

from generator.diagnostics import LoadError
from generator.load import load_bytes, load_path
from tests.conftest import REAL_CORPUS, SEEDS, SHANGHAI, needs_shared


def load_text(text: str, name: str = "a.md"):
    return load_bytes(text.encode("utf-8"), PurePosixPath(name), SHANGHAI)


SINA_STYLE = """
---
title: '全国脱贫劳动力务工规模达到3133万人'
categories: 
 - 金融
 - 新浪财经
headimg: 'https://n.sinaimg.cn/finance/x.png'
author: 新浪财经
comments: false
date: Thu, 23 Jun 2022 23:54:17 GMT
---

<div>   
<p cms-style="font-L">　　第一段。</p>

            <style>
            .appendQr_wrap&#123;border:1px solid #E6E6E6;&#125;
            </style>
<p>最后一段。</p>
</div>  """


def test_sina_post_with_leading_blank_line_keeps_the_whole_html_body():
    doc = load_text(SINA_STYLE)
    assert doc.kind == "frontmatter" and doc.title == "全国脱贫劳动力务工规模达到3133万人"
    assert doc.published.isoformat() == "2022-06-23T23:54:17+00:00"
    assert doc.meta["categories"] == ["金融", "新浪财经"] and doc.meta["author"] == "新浪财经"
    # the body after the blank line stays HTML: no <pre><code> from CommonMark's HTML-block rule
    assert "<pre>" not in doc.body_html and "最后一段。" in doc.body_html and "<style>" in doc.body_html
    assert doc.body_line == 13


def test_markdown_body_is_rendered():
    doc = load_text("---\ntitle: 标题\ndate: 2022-06-23\n---\n\n## 小标题\n\n正文 **加粗**。\n")
    assert "<h2>小标题</h2>" in doc.body_html and "<strong>加粗</strong>" in doc.body_html


def test_html_file_with_front_matter_is_an_article():
    doc = load_text("---\ntitle: 标题\ndate: 2022年6月23日\n---\n<p>正文</p>\n", "a.html")
    assert doc.kind == "frontmatter" and doc.published.isoformat() == "2022-06-23T00:00:00+08:00"


def test_naive_datetime_from_yaml_is_shanghai_time():
    doc = load_text("---\ntitle: t\ndate: 2022-06-23 08:30:00\n---\nbody\n")
    assert doc.published.isoformat() == "2022-06-23T08:30:00+08:00"


def test_missing_date_is_a_warning_not_an_error():
    doc = load_text("---\ntitle: t\n---\nbody\n")
    assert doc.published is None and doc.warnings == ("no 'date:' in the front matter; the article is listed last",)


@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: 'unclosed\ndate: 2022-01-01\n---\nbody\n", 2, "front matter is not valid YAML: while scanning a quoted scalar; found unexpected end of stream"),
    ("---\ntitle: a\ntitle: b\n---\nbody\n", 3, "front matter is not valid YAML: duplicate key 'title'"),
    ("---\ntitle: a\ntags:\n\t- x\n---\nbody\n", 4, "front matter is not valid YAML: while scanning for the next token; found character '\\t' that cannot start any token"),
    ("---\ndate: 2022-01-01\n---\nbody\n", 2, "missing title: add a 'title:' line to the front matter"),
    ("---\ntitle: t\ndate: 2022-02-30\n---\nbody\n", 3, "date: date '2022-02-30' is not a valid date (day is out of range for month)"),
    ("\n\n---\ntitle: t\n", 3, "front matter is not closed by a '---' line"),
])
def test_bad_front_matter_names_the_line(text, line, message):
    with pytest.raises(LoadError) as info:
        load_text(text)
    assert (info.value.line, info.value.message) == (line, message)


@needs_shared(SEEDS)
def test_seed_000_is_read_as_front_matter_even_with_txt_suffix():
    path = next(SEEDS.glob("000_*.txt"))
    doc = load_path(path, PurePosixPath(path.name), SHANGHAI)
    assert doc.kind == "frontmatter" and doc.title == "全国脱贫劳动力务工规模达到3133万人"
    assert "3133万人" in doc.body_html and "appendQr_wrap" in doc.body_html


@needs_shared(REAL_CORPUS)
@pytest.mark.parametrize("path", sorted(REAL_CORPUS.glob("sina_*.md")) if REAL_CORPUS.exists() else [], ids=lambda p: p.name)
def test_every_real_sina_variant_loads_whole(path: Path):
    """Variants in SOURCES.md: editor line or none, img_wrapper, video slot, ad_list comments, US-stock links."""
    doc = load_path(path, PurePosixPath(path.name), SHANGHAI)
    raw = path.read_text(encoding="utf-8")
    assert doc.title and doc.published is not None
    assert "<pre>" not in doc.body_html
    last_paragraph = raw.rsplit("</p>", 2)[-2][-20:]
    assert last_paragraph in doc.body_html
