"""Tests for generator.load.html_page: metadata, body extraction and robustness."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.load.encoding import decode_bytes
from generator.load.html_page import PageExtract, extract_page

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

# Text that must never survive into a body: page chrome seen on Chinese news sites.
JUNK_MARKERS = (
    "分享到", "相关阅读", "推荐阅读", "热门推荐", "相关推荐", "版权所有", "ICP备", "责任编辑",
    "您此时的心情", "打印本页", "关闭窗口", "网友甲", "<script", "<style", "<iframe", "<!--",
)


def _load(name: str) -> tuple[str, PageExtract]:
    html = (PAGES / name).read_text(encoding="utf-8")
    return html, extract_page(html)


def _text(body_html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body_html))


def _line_of(html: str, needle: str) -> int:
    return html[: html.index(needle)].count("\n") + 1


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("portal_article.html", "某市出台十条措施支持小微企业发展"),  # '_网易新闻'
        ("people_channel.html", "乡村振兴路上的新故事"),  # '--文化--人民网'
        ("paper_brbody.html", "春运首日客流平稳有序"),  # '_中南海_澎湃新闻-The Paper'
        ("jsonld_article.html", "全国统一大市场建设取得新进展"),  # ' | 示例财经'
        ("gov_notice.html", "关于做好2021年春耕生产工作的通知"),  # site-name <h1> must lose
    ],
)
def test_title_is_the_headline_without_site_suffix(page: str, title: str) -> None:
    assert _load(page)[1].title == title


@pytest.mark.parametrize(
    ("title_tag", "shown", "expected"),
    [
        ("苹果发布新iPhone 11|苹果|新品_新浪科技_新浪网", "苹果发布新iPhone 11", "苹果发布新iPhone 11"),
        ("国务院常务会议部署稳经济举措-新浪财经", None, "国务院常务会议部署稳经济举措"),
        ("1-10月德清县固定资产投资结构趋稳趋优", None, "1-10月德清县固定资产投资结构趋稳趋优"),
        ("[视频]江门破获一起电信诈骗案-富达传媒", "[视频]江门破获一起电信诈骗案", "江门破获一起电信诈骗案"),
        ("【不忘初心 牢记使命】我院举办技能大赛 某某医院", "【不忘初心 牢记使命】我院举办技能大赛",
         "我院举办技能大赛"),
        ("嫦娥五号——中国航天的新里程碑_新华网", None, "嫦娥五号——中国航天的新里程碑"),
        ("习近平会见外宾_中华人民共和国中央人民政府门户网站", None, "习近平会见外宾"),
        ("新华网 - 国务院常务会议部署稳经济一揽子政策措施", None, "国务院常务会议部署稳经济一揽子政策措施"),
        ("嫦娥五号为何最复杂？一图看懂-中国,嫦娥五号,航天 ——快科技(驱动之家旗下媒体)--科技改变未来", None,
         "嫦娥五号为何最复杂？一图看懂"),
    ],
)
def test_title_rules(title_tag: str, shown: str | None, expected: str) -> None:
    heading = f"<div class='title'>{shown}</div>" if shown else ""
    html = (
        f"<html><head><title>{title_tag}</title></head><body>{heading}"
        "<div><p>正文第一段，内容足够长，用于通过正文抽取的长度门槛，句子完整。</p></div></body></html>"
    )
    assert extract_page(html).title == expected


def test_logo_heading_matching_the_site_suffix_is_not_the_title() -> None:
    html = (
        "<html><head><title>省政府召开常务会议研究部署安全生产工作_某某日报</title></head><body>"
        "<h1>某某日报</h1><div><p>会议强调，要压紧压实安全生产责任，深入开展隐患排查整治，坚决遏制重特大事故。</p>"
        "</div></body></html>"
    )
    assert extract_page(html).title == "省政府召开常务会议研究部署安全生产工作"


def test_generic_title_tag_gives_way_to_h1() -> None:
    html = (
        "<html><head><title>新闻动态</title></head><body><h1>全省新增高标准农田三百万亩</h1>"
        "<div><p>记者从省农业农村厅获悉，今年全省新建高标准农田三百万亩，超额完成年度任务。</p></div></body></html>"
    )
    assert extract_page(html).title == "全省新增高标准农田三百万亩"


def test_title_falls_back_to_og_title_and_h1() -> None:
    og = '<html><head><meta property="og:title" content="开放数据新规出台"></head><body></body></html>'
    assert extract_page(og).title == "开放数据新规出台"
    h1 = "<html><body><h1>开放数据新规出台</h1><p>正文。</p></body></html>"
    assert extract_page(h1).title == "开放数据新规出台"


# --------------------------------------------------------------------------- metadata


def test_meta_published_time_is_kept_verbatim() -> None:
    assert _load("portal_article.html")[1].published_raw == "2019-09-10T11:46:48+08:00"
    assert _load("people_channel.html")[1].published_raw == "2019-06-15"
    assert _load("gov_notice.html")[1].published_raw == "2021-03-01 10:00"


def test_json_ld_date_published() -> None:
    assert _load("jsonld_article.html")[1].published_raw == "2023-03-01T08:30:00+08:00"


def test_visible_time_near_headline() -> None:
    assert _load("paper_brbody.html")[1].published_raw == "2020年01月27日 19:05"


def test_visible_time_plain_format() -> None:
    html = (
        "<html><head><title>某县召开防汛工作会议_某县新闻网</title></head><body>"
        "<h1>某县召开防汛工作会议</h1><div class='info'>2019-09-10 11:46:48 来源：某县融媒体中心</div>"
        "<div class='content'><p>会议要求，各乡镇要压实防汛责任，做好人员转移和物资储备工作，确保安全度汛。</p></div>"
        "</body></html>"
    )
    extract = extract_page(html)
    assert extract.published_raw == "2019-09-10 11:46:48"
    assert extract.outlet == "某县融媒体中心"


@pytest.mark.parametrize(
    ("page", "outlet"),
    [
        ("portal_article.html", "新京报"),  # '来源: <a>新京报</a>', not the meta author '网易'
        ("people_channel.html", "人民网"),  # '人民网-文化频道' -> outlet name only
        ("paper_brbody.html", "澎湃新闻"),  # '澎湃新闻·澎湃号·政务'
        ("gov_notice.html", "省农业农村厅"),
        ("jsonld_article.html", "示例财经"),  # og:site_name fallback
    ],
)
def test_outlet(page: str, outlet: str) -> None:
    assert _load(page)[1].outlet == outlet


def test_outlet_is_not_the_byline_author() -> None:
    extract = _load("paper_brbody.html")[1]
    assert extract.outlet == "澎湃新闻"
    assert extract.outlet != "赵六"


def test_origin_url_from_canonical_then_og_url() -> None:
    assert _load("portal_article.html")[1].origin_url == "https://news.example.com/19/0910/11/ABC.html"
    assert _load("jsonld_article.html")[1].origin_url == "https://finance.example.cn/a/20230301/1.html"
    assert _load("people_channel.html")[1].origin_url is None


def test_author_from_json_ld_and_site_name_meta_is_ignored() -> None:
    assert _load("jsonld_article.html")[1].author == "周八"
    assert _load("portal_article.html")[1].author is None  # meta author '网易' is the site


@pytest.mark.parametrize(
    ("page", "breadcrumb"),
    [
        ("portal_article.html", ("网易首页", "新闻中心", "国内")),
        ("people_channel.html", ("人民网", "文化")),
        ("paper_brbody.html", ("首页", "中南海")),
        ("gov_notice.html", ("首页", "政务公开")),
        ("jsonld_article.html", ()),
    ],
)
def test_breadcrumb(page: str, breadcrumb: tuple[str, ...]) -> None:
    assert _load(page)[1].breadcrumb == breadcrumb


def test_breadcrumb_from_position_text_without_class() -> None:
    html = (
        "<html><body><div>您的位置：<a href='/'>首页</a> &gt; <a href='/gd/'>广东</a> &gt; "
        "<a href='/gd/gz/'>广州</a></div><h1>广州发布人才新政</h1>"
        "<div><p>广州市日前发布人才新政，对高层次人才给予住房、子女入学等多方面支持。</p></div></body></html>"
    )
    assert extract_page(html).breadcrumb == ("首页", "广东", "广州")


# --------------------------------------------------------------------------- body


@pytest.mark.parametrize(
    ("page", "first", "last"),
    [
        ("portal_article.html", "新京报讯记者从市政府新闻办获悉", "让企业应享尽享。"),
        ("people_channel.html", "初夏时节，走进村里的文化广场", "排演了反映本地变化的小戏。"),
        ("paper_brbody.html", "各地交通运输部门加强运力调配", "引导旅客错峰出行。"),
        ("jsonld_article.html", "记者从有关部门了解到", "交易成本持续降低。"),
        ("gov_notice.html", "各市、县人民政府，省政府各部门", "严厉打击坑农害农行为。"),
    ],
)
def test_body_holds_the_article_and_no_chrome(page: str, first: str, last: str) -> None:
    extract = _load(page)[1]
    text = _text(extract.body_html)
    assert text.startswith(first)
    assert text.endswith(last)
    for marker in JUNK_MARKERS:
        assert marker not in extract.body_html, marker
    assert extract.warnings == ()


def test_body_keeps_subheads_images_tables_and_lists() -> None:
    portal = _load("portal_article.html")[1].body_html
    assert "<h2>减轻税费负担</h2>" in portal
    assert 'src="https://img.example.com/policy.jpg"' in portal
    article = _load("jsonld_article.html")[1].body_html
    assert 'src="https://img.example.cn/market.png"' in article  # lazy-loaded image promoted
    assert "<table>" in article and "<td>负面清单事项</td>" in article
    assert "<li>统一市场基础制度规则进一步完善" in article


def test_body_excludes_headline_and_dateline() -> None:
    extract = _load("paper_brbody.html")[1]
    assert not _text(extract.body_html).startswith("春运首日客流平稳有序")
    assert "2020年01月27日" not in extract.body_html
    assert "<strong>多措并举保障出行</strong>" in extract.body_html


def test_body_excludes_nav_sidebar_footer_share_related() -> None:
    body = _load("portal_article.html")[1].body_html
    for chrome in ("体育", "微信", "另一座城市也发布了企业扶持政策", "一条很热门但与本文无关", "京ICP备"):
        assert chrome not in body


def test_line_of_body_points_at_the_body_container() -> None:
    html, extract = _load("portal_article.html")
    assert extract.line_of_body == _line_of(html, 'id="endText"')
    html, extract = _load("gov_notice.html")
    assert extract.line_of_body == _line_of(html, 'class="TRS_Editor"')


def test_page_without_article_reports_a_warning() -> None:
    html = "<html><head><title>首页</title></head><body><ul><li><a href='/1'>链接一</a></li></ul></body></html>"
    extract = extract_page(html)
    assert extract.body_html == ""
    assert "no article body found" in extract.warnings


def test_article_directly_under_body() -> None:
    paragraph = "本市今年将新增公共充电桩一万个，重点覆盖老旧小区和高速公路服务区。"
    extract = extract_page(f"<p>{paragraph}</p><p>{paragraph}</p>")
    assert _text(extract.body_html) == paragraph * 2


def test_extract_is_frozen_with_slots() -> None:
    extract = _load("portal_article.html")[1]
    with pytest.raises(AttributeError):
        extract.title = "x"  # type: ignore[misc]
    assert not hasattr(extract, "__dict__")


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n",
        "\x00\x00",
        "<",
        "<!-- only a comment -->",
        "\ud800<p>lone surrogate</p>",
        "<?xml version='1.0' encoding='gbk'?><html><body><p>声明了编码的字符串。</p></body></html>",
        "<div>" * 5000 + "深层嵌套，测试。" * 20,
        "<title>\x01\x02</title>",
        '<script type="application/ld+json">{"author": [1, {"name": 2}], "@graph": [[[[[[[[1]]]]]]]]}</script>',
        "<html><body><script>var x = '<p>不是正文。</p>';</script></body></html>",
    ],
)
def test_extract_page_survives_odd_input(html: str) -> None:
    extract = extract_page(html)
    assert isinstance(extract, PageExtract)
    assert "<script" not in extract.body_html
    if not extract.body_html:
        assert extract.warnings


_FRAGMENTS = st.sampled_from([
    "<html>", "<head>", "<title>", "</title>", "<body>", "<div class='content'>", "</div>", "<p>", "</p>",
    "<h1>", "</h1>", "<a href='x'>", "</a>", "<script>", "</script>", "<style>", "</style>", "<!--", "-->",
    "<table><tr><td>", "</td></tr></table>", "<img data-src='a.png'>", "<br>", "来源：新华社", "2019-09-10 11:46",
    "当前位置：", "分享到", "，", "。", "标题_网易新闻", '<meta property="og:title" content="', '">',
    '<script type="application/ld+json">', "{", "}", "&nbsp;", "&#0;", "\x00", "\u3000",
])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_extract_page_never_raises_on_arbitrary_text(text: str) -> None:
    extract = extract_page(text)
    assert isinstance(extract, PageExtract)
    assert not any(w.startswith("extraction failed") for w in extract.warnings)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=30)), max_size=80))
@example(["<p>", "来源：新华社", "标题_网易新闻", "0" * 11, "0" * 24, "<head>", "00000000\x1f", "0000"])  # a control char in a moved tail
def test_extract_page_never_raises_on_html_soup(parts: list[str]) -> None:
    extract = extract_page("".join(parts))
    assert isinstance(extract, PageExtract)
    assert "<script" not in extract.body_html and "<style" not in extract.body_html
    assert not any(w.startswith("extraction failed") for w in extract.warnings)


# --------------------------------------------------------------------------- real corpus


def _corpus_pages() -> list[tuple[str, str]]:
    labels = {}
    for line in (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            labels[record["file"]] = record["title"]
    return [(name, title) for name, title in sorted(labels.items()) if name.endswith(".html")]


@pytest.mark.skipif(not (CORPUS / "labels.jsonl").is_file(), reason="shared corpus not available")
def test_real_corpus_title_accuracy_and_clean_bodies() -> None:
    pages = _corpus_pages()
    assert len(pages) >= 30
    hits = 0
    with_body = 0
    for name, label in pages:
        extract = extract_page(decode_bytes((CORPUS / name).read_bytes()).text)
        hits += " ".join((extract.title or "").split()) == " ".join(label.split())
        with_body += len(_text(extract.body_html)) >= 100
        for marker in ("<script", "<style", "<iframe"):
            assert marker not in extract.body_html, (name, marker)
    assert hits / len(pages) >= 0.95, f"title accuracy {hits}/{len(pages)}"
    assert with_body / len(pages) >= 0.9
