"""Pull the article out of a saved HTML news page.

Saved Chinese news pages wrap a few paragraphs of article in hundreds of
kilobytes of navigation, share widgets, comment boxes, "recommended" lists and
footers.  This module finds the article with a paragraph-cluster score (in the
spirit of Readability and GeneralNewsExtractor: text, punctuation and link
density propagated to ancestors), then prunes junk blocks inside it.  Metadata
(title, time, outlet, URL, author, breadcrumb) come from meta tags first and
from the visible header around the headline second.

The extractor is generic: no per-site rules beyond common class names.
It never raises; problems are reported in ``PageExtract.warnings``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from generator.load.body_fallback import densest_block

__all__ = ["PageExtract", "extract_page"]


@dataclass(frozen=True, slots=True)
class PageExtract:
    """What the loader keeps from one saved page."""

    title: str | None
    published_raw: str | None
    outlet: str | None
    origin_url: str | None
    author: str | None
    breadcrumb: tuple[str, ...]
    body_html: str
    line_of_body: int | None
    warnings: tuple[str, ...]
    editor: str | None = None


# --------------------------------------------------------------------------- #
# Vocabulary
# --------------------------------------------------------------------------- #

# Elements that never hold article text; removed before anything else.
_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "frame", "frameset", "template", "object",
    "embed", "svg", "canvas", "input", "textarea", "select", "button", "link", "audio",
    "video", "source", "map", "dialog",
)
# Structural elements that are page chrome when they sit inside the article.
_CHROME_TAGS = {"nav", "aside", "footer", "form", "menu"}
_BLOCK_TAGS = {
    "p", "div", "td", "th", "li", "section", "article", "main", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "table", "tr", "tbody", "ul", "ol",
    "dl", "center", "header", "figure", "figcaption", "body", "form",
}
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PARAGRAPH_TAGS = {"p", "li", "td", "th", "dd", "dt", "pre", "blockquote", "h1", "h2", "h3", "h4",
                   "h5", "h6", "figcaption"}
# Climbing into these would return table rows or the whole page as the "article".
_NO_CLIMB_TAGS = {"body", "html", "tr", "tbody", "thead", "table"}
_LOOSE_TITLE_TAGS = {"p", "span", "div", "strong", "b", "td", "font"}
_STYLED_XPATH = etree.XPath("//body//*[@style or @hidden]")

# Class/id words that mark page chrome (matched as whole tokens of class/id).
_NEGATIVE_TOKENS = {
    "share", "sharing", "social", "bshare", "jiathis", "related", "relate", "relative",
    "recommend", "recommended", "recom", "comment", "comments", "cmt", "reply", "footer",
    "foot", "sidebar", "side", "aside", "nav", "navbar", "menu", "breadcrumb",
    "breadcrumbs", "crumb", "crumbs", "ad", "ads", "advert", "advertisement", "adv",
    "banner", "sponsor", "qr", "qrcode", "ewm", "erweima", "tool", "tools", "toolbar",
    "hot", "hotnews", "rank", "ranking", "popular", "subscribe", "copyright", "tags",
    "keywords", "pager", "pagination", "login", "search", "widget", "more", "weixin",
    "wechat", "appdown", "download", "statement", "disclaimer", "interest", "feedback",
    "report", "print", "mod-share", "bottom", "top-bar", "topbar", "header", "masthead",
    "logo", "gotop", "backtop", "float", "popup", "modal", "hidden", "kaihu", "player",
}
_POSITIVE_TOKENS = {
    "article", "articles", "content", "contents", "body", "text", "main", "post", "entry",
    "detail", "details", "story", "news", "artibody", "endtext", "zw", "zhengwen",
    "rich", "media", "con", "cont", "txt", "maintext", "articlebody", "article-content",
}
_BODY_SELECTOR_HINTS = (
    '//*[@itemprop="articleBody"]', "//article", '//*[@id="artibody"]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " article-content ")]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " post_body ")]',
    '//*[@id="js_content"]', '//*[@id="endText"]',
)

# Phrases that almost only occur in page chrome; a short block holding one is dropped.
_JUNK_MARKERS = (
    "分享到", "分享至", "相关阅读", "相关文章", "相关推荐", "推荐阅读", "热门推荐",
    "延伸阅读", "热点推荐", "猜你喜欢", "大家都在看", "为您推荐", "精彩推荐", "版权所有",
    "ICP备", "ICP证", "责任编辑", "您此时的心情", "扫一扫", "扫描二维码", "打印本页",
    "关闭窗口", "返回顶部", "免责声明", "特别声明", "版权声明", "Copyright", "copyright",
    "网友评论", "我要评论", "发表评论", "我要跟帖", "收藏本文", "【纠错】", "点击排行", "阅读排行",
)
# Words that also occur in prose (举报 is common in discipline-inspection news):
# they mark chrome only when they open a block or the block is tiny.
_WEAK_JUNK_MARKERS = (
    "相关新闻", "责编", "关注我们", "举报", "上一篇", "下一篇", "©", "评论(", "评论（", "跟贴", "字号",
)
_JUNK_LINE_PREFIXES = ("原标题", "本文原标题", "来源：", "来源:", "责任编辑", "编辑：", "编辑:")
_TRAILING_CREDIT_RE = re.compile(r"[（(【\[]\s*(?:责任编辑|责编|编辑)[^（()）【】\[\]]{1,30}[）)】\]]\s*$")

_PUNCT_DELETE = str.maketrans("", "", "，。！？；：、“”,.!?;")
_SENTENCE_END_RE = re.compile(r"[，。！？；]")
_SPACE_RE = re.compile(r"\s+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TOKEN_SPLIT_RE = re.compile(r"[\s_\-]+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_DATE_RE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*(?:T|\s)?\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?"
)
_LABELLED_DATE_RE = re.compile(r"(?:时间|日期|发布|发表)[^\n\d]{0,6}(" + _DATE_RE.pattern + ")")
_OUTLET_RE = re.compile(
    r"(?:来源|稿源|出处|來源|source)\s*[:：|｜]\s*\n?\s*([^\s|｜:：,，;；()（）【】\[\]]{2,40})",
    re.IGNORECASE,
)
_AUTHOR_RE = re.compile(r"(?:作者|撰文|(?<![\u4e00-\u9fff])文)\s*[:：/|｜]\s*\n?\s*([^\s|｜:：,，;；()（）\d]{2,20})")
_OUTLET_NOISE = ("本站", "本网", "原创", "网络", "互联网", "未知", "佚名", "admin", "编辑", "作者", "记者",
                 "：", ":", "举报", "评论", "分享")

# '——' and '—' also occur inside headlines; they only separate a site name when
# spaced.  A dash between digits ('1-10月') never separates.
_TITLE_SEPARATORS_RE = re.compile(
    r"\s*(?:_|\||｜|--+|(?<!\d)-(?!\d)|\s-\s|::|»)\s*|\s+(?:——+|—|–)\s*"
)
_SITE_WORD_RE = re.compile(
    r"(网|新闻|报|频道|官网|网站|门户|客户端|在线|资讯|日报|晚报|时报|财经|科技|娱乐|体育|"
    r"\.com|\.cn|\.net|News|Paper|TV|Online|Times|Post)\s*$",
    re.IGNORECASE,
)
_LEADING_TAG_RE = re.compile(r"^\s*(?:【[^】]{1,20}】|\[[^\]]{1,20}\])\s*")
_BREADCRUMB_HINT_RE = re.compile(
    r"crumb|position|location|weizhi|dqwz|curpos|pathway|(?:^|[\s_-])path(?:$|[\s_-])|"
    r"(?:^|[\s_-])(?:news|channel|nav)[_-]?path",
    re.IGNORECASE,
)
_BREADCRUMB_TEXT_RE = re.compile(r"^\s*(?:当前位置|您的位置|您现在的位置|现在的位置|所在位置|位置)\s*[:：]")
_BREADCRUMB_SPLIT_RE = re.compile(r"\s*(?:>>|>|»|›|/|→|＞|-{1,2}>?)\s*")

_META_TIME_KEYS = (
    "article:published_time", "og:article:published_time", "publishdate", "publish_date",
    "publishtime", "publish-time", "pubdate", "pubtime", "og:release_date", "datepublished",
    "dc.date.issued", "dcterms.issued", "dc.date", "article.published", "sailthru.date",
    "date", "firstpublishedtime", "weibo: article:create_at",
)
_META_OUTLET_KEYS = ("source", "contentsource", "article:source", "og:source", "media")
# Substrings of a class/id that mark the element naming the outlet ('ne_article_source',
# 'media-name', WeChat's 'rich_media_meta_nickname').
_SOURCE_CLASS_RE = re.compile(r"source|media[_-]?name|nickname|publisher|copyfrom|laiyuan", re.I)
_TIME_TOKENS = {"time", "date", "pubtime", "pub_time", "pubdate", "pub_date", "publish-time",
                "publish_time", "publishtime", "post-time", "post-date", "datetime", "p_time"}
_OUTLET_NAME_RE = re.compile(
    r"(?:社|网|报|新闻|日报|晚报|时报|电视台|广播电台|客户端|杂志|周刊|在线|传媒|融媒|发布)$")
_EDITOR_NAME = r"[^\S\n]*[:：|｜丨/][^\S\n]*([\u4e00-\u9fff·]{2,5}(?:[、，,][\u4e00-\u9fff·]{2,5})*|[A-Za-z][A-Za-z.]*(?: [A-Za-z][A-Za-z.]*){0,2})(?![\u4e00-\u9fff])"
_META_AUTHOR_KEYS = ("author", "article:author", "og:article:author", "dc.creator", "byline")

_MIN_BODY_CHARS = 40
_HEADER_WINDOW = 400


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def extract_page(html: str) -> PageExtract:
    """Extract headline, metadata and the article body from a saved HTML page.

    Never raises: on any failure an extract with an empty body and a warning
    is returned, so one broken file cannot stop a site build.
    """
    try:
        return _extract(html)
    except Exception as error:  # noqa: BLE001 - the contract is "never raise"
        return _empty_extract(f"extraction failed: {type(error).__name__}: {error}")


def _empty_extract(warning: str) -> PageExtract:
    return PageExtract(None, None, None, None, None, (), "", None, (warning,))


def _extract(html: str) -> PageExtract:
    root = _parse(html)
    if root is None:
        return _empty_extract("no HTML document could be parsed")
    warnings: list[str] = []
    meta = _collect_meta(root)
    json_ld = _collect_json_ld(root)
    title_tag = _title_tag_text(root)
    origin_url = _choose_origin_url(root, meta)

    _remove_non_content(root)
    body_root = root.find("body")
    if body_root is None:
        body_root = root

    stats = _measure(body_root)
    title, headline_el = _choose_title(stats, title_tag, meta, json_ld)
    if title is None:
        warnings.append("no title found")

    content = _find_content(body_root, stats, headline_el)
    context = _read_context(headline_el, content)
    breadcrumb = _find_breadcrumb(body_root)
    body_html, line = "", None
    if content:
        content = _prune_content(content, title)
    if content:
        body_html = _serialize(content)
        line = content[0].sourceline
    if len(_visible_text_of_html(body_html)) < _MIN_BODY_CHARS and "<img" not in body_html:
        body_html, line = _fallback_body(html, title)
        if not body_html:
            warnings.append("no article body found")

    published = _choose_published(meta, json_ld, context)
    if published is None:
        warnings.append("no publication time found")
    return PageExtract(
        title=title,
        published_raw=published,
        outlet=_choose_outlet(meta, context),
        origin_url=origin_url,
        author=_choose_author(meta, json_ld, context, title_tag),
        editor=_choose_editor(context),
        breadcrumb=breadcrumb,
        body_html=body_html,
        line_of_body=line,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- #
# Parsing and cleaning
# --------------------------------------------------------------------------- #


def _parse(html: str) -> etree._Element | None:
    """Parse with lxml's HTML parser from UTF-8 bytes.

    Bytes with an explicit encoding make lxml ignore stale ``<meta charset>``
    labels and XML declarations, and keep ``sourceline`` true to the input.
    """
    data = _CONTROL_RE.sub("", html).encode("utf-8", errors="replace")  # lxml refuses them in text it is given
    if not data.strip():
        return None
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
        huge_tree=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root


def _remove_non_content(root: etree._Element) -> None:
    """Drop scripts, styles, embeds and hidden elements (keeping their tails)."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    hidden = [
        el for el in _STYLED_XPATH(root)
        if _HIDDEN_STYLE_RE.search(el.get("style") or "") or el.get("hidden") is not None
    ]
    for el in hidden:
        _drop(el)


def _drop(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _norm(text: str | None) -> str:
    """Collapse whitespace (including full-width and nbsp) to single spaces."""
    if not text:
        return ""
    return _SPACE_RE.sub(" ", text.replace("\u3000", " ")).strip()


def _text_of(el: etree._Element) -> str:
    """All text under ``el``, whitespace-normalised."""
    return _norm("".join(el.itertext()))


def _iter_text(elements: Iterable[etree._Element]) -> Iterator[str]:
    for el in elements:
        for piece in el.itertext():
            piece = piece.strip()
            if piece:
                yield piece


def _tokens(el: etree._Element) -> set[str]:
    """Lower-cased class and id words, split on space, dash and underscore."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if not raw.strip():
        return set()
    tokens = set(_TOKEN_SPLIT_RE.split(raw))
    tokens.update(raw.split())
    tokens.discard("")
    return tokens


# --------------------------------------------------------------------------- #
# Metadata
# --------------------------------------------------------------------------- #


def _collect_meta(root: etree._Element) -> dict[str, str]:
    """First non-empty content for each meta name/property/itemprop (lower-cased)."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        content = _norm(el.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in meta:
                meta[key] = content
    return meta


def _collect_json_ld(root: etree._Element) -> dict[str, str]:
    """Flatten the useful string fields of JSON-LD blocks (first occurrence wins)."""
    found: dict[str, str] = {}
    for el in root.iter("script"):
        if "ld+json" not in (el.get("type") or "").lower():
            continue
        try:
            data = json.loads(el.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        _walk_json_ld(data, found, depth=0)
    return found


def _walk_json_ld(node: object, found: dict[str, str], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node[:20]:
            _walk_json_ld(item, found, depth + 1)
        return
    if not isinstance(node, dict):
        return
    for key in ("datePublished", "pubDate", "dateCreated", "headline", "name", "url"):
        value = node.get(key)
        if isinstance(value, str) and value.strip() and key not in found:
            found[key] = value.strip()
    author = node.get("author")
    if "author" not in found:
        if isinstance(author, str) and author.strip():
            found["author"] = author.strip()
        elif isinstance(author, dict) and isinstance(author.get("name"), str):
            found["author"] = author["name"].strip()
        elif isinstance(author, list) and author and isinstance(author[0], dict):
            name = author[0].get("name")
            if isinstance(name, str):
                found["author"] = name.strip()
    for key in ("@graph", "mainEntity", "mainEntityOfPage"):
        if key in node:
            _walk_json_ld(node[key], found, depth + 1)


def _title_tag_text(root: etree._Element) -> str:
    head = root.find("head")
    el = head.find("title") if head is not None else None
    if el is None:
        el = next(root.iter("title"), None)
    return _norm(_CONTROL_RE.sub("", el.text or "")) if el is not None else ""


def _choose_origin_url(root: etree._Element, meta: dict[str, str]) -> str | None:
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").strip():
            return el.get("href").strip()
    return meta.get("og:url") or meta.get("twitter:url") or None


@dataclass(frozen=True, slots=True)
class _Context:
    """Text around the article: where datelines, sources and bylines are printed."""

    header: str
    header_elements: tuple[etree._Element, ...]
    body_start: str
    body_end: str
    trailer: str


def _read_context(headline: etree._Element | None, content: list[etree._Element]) -> _Context:
    """Collect the header (after the headline, or before the body) and the text after the body."""
    body_text = "\n".join(_iter_text(content)) if content else ""
    body_start, body_end = body_text[:300], body_text[-300:]
    if headline is not None:
        header = _join_text_nodes(_until_article_text(headline.xpath("following::text()[position() <= 80]")))
        elements = headline.xpath("following::*[position() <= 60]")
    elif content:
        header = _join_text_nodes(content[0].xpath("preceding::text()[position() <= 40]"))
        header = header[-_HEADER_WINDOW:] + "\n" + body_start
        elements = content[0].xpath("preceding::*[position() <= 40]")
    else:
        header, elements = "", []
    trailer = ""
    if content:
        trailer = _join_text_nodes(content[-1].xpath("following::text()[position() <= 80]"))
        trailer = trailer[:_HEADER_WINDOW]
    return _Context(header[: _HEADER_WINDOW * 2], tuple(elements), body_start, body_end, trailer)


def _until_article_text(nodes: list) -> list:
    """Header lines end where the first sentence-like paragraph starts."""
    kept = []
    for node in nodes:
        text = node.strip() if isinstance(node, str) else ""
        if len(text) > 60 and _SENTENCE_END_RE.search(text):
            break
        kept.append(node)
    return kept


def _join_text_nodes(nodes: list) -> str:
    return "\n".join(t.strip() for t in nodes if isinstance(t, str) and t.strip())


def _choose_published(meta: dict[str, str], json_ld: dict[str, str], context: _Context) -> str | None:
    """Meta tags, JSON-LD, a date in the header, a time-classed element, then after the body."""
    for key in _META_TIME_KEYS:
        value = meta.get(key)
        if value and re.search(r"\d{4}", value):
            return value
    for key in ("datePublished", "pubDate", "dateCreated"):
        if key in json_ld:
            return json_ld[key]
    match = _DATE_RE.search(context.header)
    if match:
        return _norm(match.group(0))
    for el in _time_elements(context.header_elements):
        text = _text_of(el)
        match = _DATE_RE.search(text)
        if match:
            return _norm(match.group(0))
        if el.tag == "time" and el.get("datetime"):
            return el.get("datetime").strip()
    match = _LABELLED_DATE_RE.search(context.trailer)
    return _norm(match.group(1)) if match else None


def _time_elements(elements: Iterable[etree._Element]) -> Iterator[etree._Element]:
    """<time> elements and elements whose class/id says they hold a date."""
    for el in elements:
        if el.tag == "time" or _tokens(el) & _TIME_TOKENS:
            yield el


def _clean_outlet(value: str | None) -> str | None:
    """Keep the outlet's own name: drop a '来源：' prefix, channel suffix and noise."""
    if not value:
        return None
    value = re.sub(r"^(?:来源|稿源|出处|source)\s*[:：|｜]\s*", "", value.strip(), flags=re.I)
    value = re.split(r"[\s·•_⋅]|(?<![A-Za-z0-9])-|-(?![A-Za-z0-9])", value, maxsplit=1)[0]
    value = value.strip(" :：|｜-—,，。()（）[]【】")
    if len(value) < 2 or len(value) > 30 or any(noise in value for noise in _OUTLET_NOISE):
        return None
    if _DATE_RE.search(value) or value.isdigit():
        return None
    return value


def _choose_outlet(meta: dict[str, str], context: _Context) -> str | None:
    """The outlet that published the story (not the byline author).

    Order: '来源：' in the header, a source-classed element, source metas, a bare
    outlet-looking line in the header ('新华社'), '来源：' around the body, site name.
    """
    candidates: list[str | None] = [m.group(1) for m in _OUTLET_RE.finditer(context.header)]
    candidates += [
        _text_of(el) for el in context.header_elements
        if len(el) <= 2 and _SOURCE_CLASS_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
    ]
    candidates += [meta.get(key) for key in _META_OUTLET_KEYS]
    candidates += [
        line for line in context.header.split("\n")[:12]
        if 3 <= len(line) <= 12 and _OUTLET_NAME_RE.search(line)
    ]
    candidates += [m.group(1) for m in _OUTLET_RE.finditer(context.body_start)]
    candidates += [m.group(1) for m in _OUTLET_RE.finditer(context.body_end)]
    candidates += [m.group(1) for m in _OUTLET_RE.finditer(context.trailer)]
    candidates += [meta.get("og:site_name"), meta.get("application-name")]
    for candidate in candidates:
        cleaned = _clean_outlet(candidate)
        if cleaned:
            return cleaned
    return None


def _choose_author(
    meta: dict[str, str], json_ld: dict[str, str], context: _Context, title_tag: str
) -> str | None:
    """A byline in the header, then JSON-LD, then meta authors that are not the site's name."""
    match = _AUTHOR_RE.search(context.header)
    if match and not _DATE_RE.search(match.group(1)):
        return match.group(1)
    if json_ld.get("author"):
        return json_ld["author"]
    for key in _META_AUTHOR_KEYS:
        value = meta.get(key)
        if not value or value.isdigit() or "@" in value or len(value) > 40:
            continue
        if value in title_tag or value == meta.get("og:site_name") or _OUTLET_NAME_RE.search(value):
            continue
        return value
    return None


def _choose_editor(context: _Context) -> str | None:
    """The 责任编辑 (else 责编, else 编辑) signing the article off, at its end or just after it;
    the body loses that line, the page keeps the name as the article's editor."""
    text = context.body_end + "\n" + context.trailer
    for role in ("责任编辑", "责编", "编辑"):
        match = re.search(role + _EDITOR_NAME, text)
        if match:
            return match.group(1)
    return None


# --------------------------------------------------------------------------- #
# Title
# --------------------------------------------------------------------------- #


def _title_candidates(
    stats: dict[etree._Element, _Stats], max_len: int = 120
) -> Iterator[tuple[str, etree._Element]]:
    """Headings, title-classed elements and small text blocks of headline size.

    Text lengths come from the measuring pass, so only elements of headline
    size have their text assembled.
    """
    for el, s in stats.items():
        if not 4 <= s.text <= max_len + 20:
            continue
        tag = el.tag
        if tag in _LOOSE_TITLE_TAGS:
            if len(el) > 3:
                continue
        elif tag not in _HEADING_TAGS and "title" not in (
            f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        ):
            continue
        text = _text_of(el)
        if 4 <= len(text) <= max_len:
            yield text, el


def _choose_title(
    stats: dict[etree._Element, _Stats],
    title_tag: str,
    meta: dict[str, str],
    json_ld: dict[str, str],
) -> tuple[str | None, etree._Element | None]:
    """The headline as shown: a page element confirmed by <title>, else <title> minus site suffix.

    Returns the headline and the element showing it (used to find the dateline).
    """
    metas = [meta.get(k) for k in ("og:title", "twitter:title", "articletitle", "headline")]
    metas.append(json_ld.get("headline"))
    if title_tag:
        return _title_from_title_tag(stats, title_tag, metas)
    for value in metas:
        text = _norm(value)
        if text:
            return _strip_leading_tag(text), _find_element_with_text(stats, text)
    for text, el in _title_candidates(stats):
        if el.tag in ("h1", "h2"):
            return _strip_leading_tag(text), el
    return None, None


def _title_from_title_tag(
    stats: dict[etree._Element, _Stats], title_tag: str, metas: list[str | None]
) -> tuple[str, etree._Element | None]:
    """Prefer the longest heading or meta title that <title> contains.

    Page elements are trusted only when the <title> contains them, which rules out
    site-name <h1> logos and sidebar headings.
    """
    best: tuple[str, etree._Element | None] | None = None
    for text, el in _title_candidates(stats, max_len=len(title_tag)):
        if len(text) >= 5 and text in title_tag and (best is None or len(text) > len(best[0])):
            best = (text, el)
    for value in metas:
        text = _norm(value)
        if len(text) >= 5 and text in title_tag and (best is None or len(text) > len(best[0])):
            best = (text, None)
    stem = _strip_site_suffix(title_tag)
    if best is not None and not _only_in_decoration(best[0], stem):
        text, element = best
        if element is None:
            element = _find_element_with_text(stats, text)
        return _strip_leading_tag(stem if text == title_tag else text), element
    if len(stem) < 6:
        # A generic <title> ('新闻动态'): a real <h1> says more.
        for text, el in _title_candidates(stats):
            if el.tag == "h1" and len(text) >= 6:
                return _strip_leading_tag(text), el
    return _strip_leading_tag(stem), _find_element_containing(stats, stem)


def _only_in_decoration(candidate: str, stem: str) -> bool:
    """True for a page element that matches only the site-name part of <title> (a logo <h1>)."""
    return candidate not in stem and stem not in candidate


def _strip_leading_tag(text: str) -> str:
    """Drop a column tag like '【不忘初心 牢记使命】' or '[视频]' in front of a headline."""
    stripped = _LEADING_TAG_RE.sub("", text)
    return stripped if len(stripped) >= 4 else text


def _strip_site_suffix(title: str) -> str:
    """Remove '_网易新闻', '--文化--人民网', '|澎湃新闻', '-新浪财经' style decorations.

    The title is cut at separators.  Headlines come first in Chinese titles, so the
    first part that is not a site or channel name wins, unless a much longer part
    exists (a short channel label in front of the headline).
    """
    parts = [p.strip() for p in _TITLE_SEPARATORS_RE.split(title) if p and p.strip()]
    if len(parts) <= 1:
        return _strip_trailing_site_name(title)
    content_parts = [p for p in parts if len(p) >= 2 and not _SITE_WORD_RE.search(p)] or parts
    longest = max(content_parts, key=len)
    first = next((p for p in content_parts if len(p) >= 4), longest)
    chosen = first if len(first) * 3 >= len(longest) else longest
    if len(chosen) < 2:
        return title
    return _strip_trailing_site_name(chosen)


def _strip_trailing_site_name(title: str) -> str:
    """Handle 'headline SiteName' separated only by a space, when the tail looks like a site."""
    head, sep, tail = title.rpartition(" ")
    if sep and len(head) >= 8 and 2 <= len(tail) <= 20 and _SITE_WORD_RE.search(tail) and (
        re.search(r"[\u4e00-\u9fff]", tail)
    ):
        if not re.search(r"[\u4e00-\u9fff]$", head) or len(tail) >= 6:
            return head.strip()
    return title


def _find_element_with_text(stats: dict[etree._Element, _Stats], text: str) -> etree._Element | None:
    for candidate, el in _title_candidates(stats, max_len=len(text)):
        if candidate == text:
            return el
    return None


def _find_element_containing(stats: dict[etree._Element, _Stats], text: str) -> etree._Element | None:
    """The smallest headline-like element whose text contains ``text``."""
    if len(text) < 4:
        return None
    best: etree._Element | None = None
    best_len = 10**9
    for candidate, el in _title_candidates(stats, max_len=2 * len(text)):
        headline_like = el.tag in _HEADING_TAGS or "title" in (el.get("class") or "").lower()
        if headline_like and text in candidate and len(candidate) < min(best_len, 2 * len(text)):
            best, best_len = el, len(candidate)
    return best


# --------------------------------------------------------------------------- #
# Body: paragraph-cluster scoring
# --------------------------------------------------------------------------- #


@dataclass(slots=True)
class _Stats:
    text: int = 0
    link_text: int = 0
    punct: int = 0
    inline_text: int = 0
    inline_link: int = 0
    inline_punct: int = 0
    order: int = 0
    raw: float = 0.0


def _measure(body_root: etree._Element) -> dict[etree._Element, _Stats]:
    """Bottom-up text, link-text and punctuation counts for every element.

    One reversed pre-order pass (children before parents) keeps this linear;
    it is the hot loop of the extractor.
    """
    elements = list(body_root.iter(etree.Element))
    stats = {el: _Stats(order=index) for index, el in enumerate(elements)}
    block_tags = _BLOCK_TAGS
    for el in reversed(elements):
        s = stats[el]
        text = inline = punct = inline_punct = link_text = inline_link = 0
        own = el.text
        if own:
            own = own.strip()
            if own:
                text = inline = len(own)
                punct = inline_punct = _count_punct(own)
        for child in el:
            tail = child.tail
            if tail:
                tail = tail.strip()
                if tail:
                    size, marks = len(tail), _count_punct(tail)
                    text += size
                    inline += size
                    punct += marks
                    inline_punct += marks
            c = stats.get(child)
            if c is None:
                continue
            text += c.text
            link_text += c.link_text
            punct += c.punct
            if child.tag not in block_tags:
                inline += c.inline_text
                inline_link += c.inline_link
                inline_punct += c.inline_punct
        if el.tag == "a":
            link_text, inline_link = text, inline
        s.text, s.link_text, s.punct = text, link_text, punct
        s.inline_text, s.inline_link, s.inline_punct = inline, inline_link, inline_punct
    return stats


def _count_punct(text: str) -> int:
    return len(text) - len(text.translate(_PUNCT_DELETE))


def _paragraph_score(s: _Stats) -> float:
    """A block's own text counts as a paragraph when it is sentence-like and not a link."""
    if s.inline_text < 10 or s.inline_link > 0.5 * s.inline_text:
        return 0.0
    if s.inline_punct == 0 and s.inline_text < 30:
        return 0.0
    return 1.0 + min(s.inline_punct, 20) + min(s.inline_text / 50.0, 5.0)


def _class_weight(el: etree._Element, raw: float) -> float:
    """Readability's ±25 for telling class names; the bonus never exceeds the text's own score.

    Capping the bonus keeps a layout wrapper named 'main' or 'content' from
    beating the element that actually holds the paragraphs.
    """
    tokens = _tokens(el)
    if not tokens:
        return 0.0
    weight = 0.0
    if tokens & _NEGATIVE_TOKENS:
        weight -= 25.0
    if tokens & _POSITIVE_TOKENS:
        weight += min(25.0, raw)
    return weight


def _score_candidates(
    body_root: etree._Element,
    stats: dict[etree._Element, _Stats],
    headline: etree._Element | None = None,
) -> dict[etree._Element, float]:
    """Propagate paragraph scores to parent (full), grandparent (1/2) and beyond (1/3 level).

    Final scores are damped by link density and by distance from the headline:
    the article follows its headline, sidebars and feeds come later or earlier.
    """
    scores: dict[etree._Element, float] = {}
    headline_stats = stats.get(headline) if headline is not None else None
    for el, s in stats.items():
        if el.tag not in _BLOCK_TAGS or el.tag == "body":
            continue
        para = _paragraph_score(s)
        if para <= 0:
            continue
        # A <p> credits its container; a text-holding <div> is itself a container (one
        # named as chrome, a 'footer', credits nobody else: it is no part of an article).
        node = el.getparent() if el.tag in _PARAGRAPH_TAGS else el
        level = 0
        if node is el and _tokens(el) & _NEGATIVE_TOKENS:
            scores[el] = scores.get(el, 0.0) + para
            stats[el].raw += para
            continue
        while node is not None and level < 4 and node.tag != "html":
            divisor = 1.0 if level == 0 else (2.0 if level == 1 else level * 3.0)
            scores[node] = scores.get(node, 0.0) + para / divisor
            stats[node].raw += para / divisor
            if node is body_root:
                break
            node = node.getparent()
            level += 1
    for el in list(scores):
        s = stats[el]
        link_density = s.link_text / s.text if s.text else 1.0
        scores[el] = (scores[el] + _class_weight(el, s.raw)) * (1.0 - link_density)
        if headline_stats is not None:
            scores[el] *= _proximity_factor(s, headline_stats)
    return scores


def _proximity_factor(candidate: _Stats, headline: _Stats) -> float:
    """1.0 right after the headline, decaying with element distance; 0.5 before it."""
    distance = candidate.order - headline.order
    if distance < 0:
        return 0.5 if candidate.text < 5 * max(headline.text, 1) else 1.0
    return 1.0 / (1.0 + max(0, distance - 60) / 400.0)


def _find_content(
    body_root: etree._Element,
    stats: dict[etree._Element, _Stats],
    headline: etree._Element | None,
) -> list[etree._Element]:
    """The best-scoring container, widened to its siblings when they continue the text."""
    scores = _score_candidates(body_root, stats, headline)
    if not scores:
        return _hinted_container(body_root, stats)
    top = max(scores, key=scores.__getitem__)
    if scores[top] <= 0:  # only chrome scored (a footer): no article found here
        return _hinted_container(body_root, stats)
    top = _climb_when_split(top, scores, stats)
    if stats[top].text < _MIN_BODY_CHARS:
        hinted = _hinted_container(body_root, stats)
        if hinted:
            return hinted
    return _with_continuing_siblings(top, scores, stats)


def _climb_when_split(
    top: etree._Element, scores: dict[etree._Element, float], stats: dict[etree._Element, _Stats]
) -> etree._Element:
    """Move to the parent when the article is split over sibling containers.

    If the parent's score is close to the child's and its text is mostly
    paragraphs (low link density), the child held only part of the article.
    """
    node = top
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent.tag in _NO_CLIMB_TAGS or parent not in scores:
            break
        ps, ns = stats[parent], stats[node]
        link_density = ps.link_text / ps.text if ps.text else 1.0
        if scores[parent] >= scores[node] * 1.25 and link_density < 0.25 and (
            ps.text < ns.text * 2.0
        ):
            node = parent
        else:
            break
    return node


def _with_continuing_siblings(
    top: etree._Element, scores: dict[etree._Element, float], stats: dict[etree._Element, _Stats]
) -> list[etree._Element]:
    """Readability's sibling join, limited to adjacent siblings that read like article text.

    Articles split into several sibling blocks are joined; the walk stops at the
    first sibling with real text that does not qualify, so widgets further down
    (author boxes, feeds) are never reached.
    """
    raw_top = stats[top].raw
    before = _walk_siblings(top.itersiblings(preceding=True), raw_top, stats)
    after = _walk_siblings(top.itersiblings(), raw_top, stats)
    return list(reversed(before)) + [top] + after


def _walk_siblings(
    siblings: Iterable[etree._Element], raw_top: float, stats: dict[etree._Element, _Stats]
) -> list[etree._Element]:
    """Siblings in walking order up to the first one that breaks the article."""
    joined: list[etree._Element] = []
    for sibling in siblings:
        if not isinstance(sibling.tag, str):
            continue
        s = stats.get(sibling)
        if s is None or s.text < 20:
            continue
        if _continues_article(sibling, s, raw_top):
            joined.append(sibling)
        else:
            break
    return joined


def _continues_article(el: etree._Element, s: _Stats, raw_top: float) -> bool:
    """A sibling continues the article when it scores like text and is not a widget."""
    if _tokens(el) & _NEGATIVE_TOKENS or _has_junk_marker(_text_of(el)[:40]):
        return False
    if s.text and s.link_text / s.text > 0.3:
        return False
    if s.raw >= max(10.0, 0.3 * raw_top):
        return True
    return el.tag == "p" and _paragraph_score(s) > 0 and s.inline_text > 40


def _fallback_body(html: str, title: str | None) -> tuple[str, int | None]:
    """The densest block of paragraph text (see body_fallback), when scoring found none:
    in a fresh parse, first among the visible elements, then with hidden ones too (an
    article a script reveals), and only then in a block whose class says chrome. Only page
    chrome is pruned from it: the cleaner's rules take credits and footers out of its
    paragraphs without losing the sentences."""
    for keep_hidden, allow_chrome in ((False, False), (True, False), (False, True)):
        root = _parse(html)
        if root is None:
            break
        if keep_hidden:
            etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
        else:
            _remove_non_content(root)
        body_root = root.find("body")
        body_root = root if body_root is None else body_root
        block = densest_block(body_root, _measure(body_root), lambda el: bool(_tokens(el) & _NEGATIVE_TOKENS),
                              allow_chrome)
        content = _prune_content([block], title, light=True) if block is not None else []
        body_html = _serialize(content) if content else ""
        if len(_visible_text_of_html(body_html)) >= _MIN_BODY_CHARS:
            return body_html, content[0].sourceline
    return "", None


def _hinted_container(
    body_root: etree._Element, stats: dict[etree._Element, _Stats]
) -> list[etree._Element]:
    """Common article containers, used when scoring finds no paragraph cluster."""
    for xpath in _BODY_SELECTOR_HINTS:
        for el in body_root.xpath(xpath):
            s = stats.get(el)
            if s is not None and s.text >= _MIN_BODY_CHARS:
                return [el]
    return []


# --------------------------------------------------------------------------- #
# Body: pruning and serialization
# --------------------------------------------------------------------------- #


def _prune_content(content: list[etree._Element], title: str | None, light: bool = False) -> list[etree._Element]:
    """Remove chrome inside the chosen container: widgets, link lists, junk lines (not
    junk lines when `light`: a fallback body keeps its text for the cleaner's rules)."""
    content = _drop_leading_header(content, title)
    for headline in [h for c in content for h in c.iter("h1") if title and _text_of(h) == title]:
        _drop(headline)  # a headline inside the container, behind text its header lines missed
    total = max(sum(len(_text_of(c)) for c in content), 1)
    for container in content:
        _prune_children(container, total, light)
        _promote_lazy_images(container)
    return content


def _prune_children(parent: etree._Element, total: int, light: bool = False) -> None:
    """Top-down pass: a chrome block goes with its subtree, others are searched deeper."""
    stack = [parent]
    while stack:
        node = stack.pop()
        for child in list(node):
            if not isinstance(child.tag, str) or _is_chrome(child, total, light):
                _drop(child)
            else:
                stack.append(child)


def _is_chrome(el: etree._Element, total: int, light: bool = False) -> bool:
    """Decide whether a block inside the article is a widget rather than article text."""
    if el.tag in ("img", "br", "hr"):
        return False
    if el.tag in _CHROME_TAGS:
        return True
    text = _text_of(el)
    has_media = el.tag in ("table",) or next(el.iter("img"), None) is not None
    if not text:
        return not has_media and el.tag not in ("td", "th", "tr", "tbody", "thead")
    size = len(text)
    if _tokens(el) & _NEGATIVE_TOKENS and size < 0.5 * total:
        return True
    if not light and _is_junk_text(text):
        return True
    if not light and size <= 120 and text.lstrip("（([【 ").startswith(_JUNK_LINE_PREFIXES):
        return True
    if el.tag in ("div", "ul", "ol", "dl", "section", "table", "p", "li", "span"):
        link_text = sum(len(_norm("".join(a.itertext()))) for a in el.iter("a"))
        if link_text > 0.5 * size and size < 0.5 * total:
            return True
    return False


def _has_junk_marker(text: str) -> bool:
    return any(marker in text for marker in _JUNK_MARKERS)


def _is_junk_text(text: str) -> bool:
    """A short block carrying a chrome phrase, unless it reads like a real paragraph.

    A sentence-rich paragraph that merely ends with '（责任编辑：…）' is kept
    whole rather than losing article text; the sanitizer trims such tails.
    """
    head = text.lstrip("（([【 ")
    if head.startswith(_JUNK_MARKERS + _WEAK_JUNK_MARKERS):
        return True
    sentences = _TRAILING_CREDIT_RE.sub("", text)
    if sentences != text and _SENTENCE_END_RE.search(sentences):
        text = sentences  # an article sentence signed （责任编辑：…）: the cleaner trims the credit
    size = len(text)
    if size <= 30 and any(marker in text for marker in _WEAK_JUNK_MARKERS):
        return True
    if size > 200 or not _has_junk_marker(text):
        return False
    return size <= 60 or len(_SENTENCE_END_RE.findall(text)) <= 2


def _drop_leading_header(content: list[etree._Element], title: str | None) -> list[etree._Element]:
    """Drop the headline and the date/source/byline lines that precede the first paragraph.

    The container that scores best often also wraps the article header; those
    fields are extracted separately and would otherwise open the body.
    """
    kept = list(content)
    for _ in range(8):
        block = _first_text_block(kept)
        if block is None or not _looks_like_header_line(_text_of(block), title):
            break
        if block in kept:
            kept.remove(block)
        else:
            _drop(block)
    return kept


def _first_text_block(content: list[etree._Element]) -> etree._Element | None:
    """The innermost element holding the first visible text of the content."""
    for container in content:
        for el in container.iter(etree.Element):
            if (el.text and el.text.strip()) or any(
                (c.tail and c.tail.strip()) for c in el
            ):
                # Climb to the block that owns this line of text.
                while el.tag not in _BLOCK_TAGS and el.getparent() is not None and el is not container:
                    el = el.getparent()
                return el
    return None


def _looks_like_header_line(text: str, title: str | None) -> bool:
    if not text or len(text) > 100:
        return False
    if title and (text == title or _strip_leading_tag(text) == title):
        return True
    if title and text.startswith(title):
        rest = text[len(title):]
        return len(rest) <= 40 and not _SENTENCE_END_RE.search(rest)
    if len(text) > 60:
        return False
    if _DATE_RE.search(text) and not _SENTENCE_END_RE.search(text):
        return True
    return text.startswith(("来源", "作者", "原创", "字号", "发布时间", "时间："))


def _promote_lazy_images(container: etree._Element) -> None:
    """Lazy-loaded images keep the real URL in data-* attributes; expose it as src."""
    for img in container.iter("img"):
        src = (img.get("src") or "").strip()
        if src and not src.startswith("data:") and "blank" not in src and "loading" not in src:
            continue
        for attr in ("data-src", "data-original", "data-lazy-src", "data-url", "original"):
            value = (img.get(attr) or "").strip()
            if value:
                img.set("src", value)
                break


def _serialize(content: list[etree._Element]) -> str:
    """Inner HTML of a single container, or the outer HTML of several siblings."""
    if len(content) == 1:
        el = content[0]
        parts = [_escape_text(el.text)] if el.text else []
        parts += [etree.tostring(child, encoding="unicode", method="html") for child in el]
        return "".join(parts).strip()
    return "".join(
        etree.tostring(el, encoding="unicode", method="html", with_tail=False) for el in content
    ).strip()


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _visible_text_of_html(fragment: str) -> str:
    return _norm(re.sub(r"<[^>]+>", "", fragment))


# --------------------------------------------------------------------------- #
# Breadcrumb
# --------------------------------------------------------------------------- #


def _find_breadcrumb(body_root: etree._Element) -> tuple[str, ...]:
    """Labels of the 'you are here' path, used later as a region hint."""
    for el in body_root.iter(etree.Element):
        hinted = _BREADCRUMB_HINT_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
        if not hinted and not (el.text and _BREADCRUMB_TEXT_RE.match(el.text)):
            continue
        labels = _breadcrumb_labels(el)
        if labels:
            return labels
    return ()


def _breadcrumb_labels(el: etree._Element) -> tuple[str, ...]:
    """Link labels of a short path element, or its text split at '>' when it has no links."""
    text = _text_of(el)
    if not text or len(text) > 150:
        return ()
    links = [_text_of(a) for a in el.iter("a")]
    links = [label for label in links if label]
    if 1 <= len(links) <= 10 and all(len(label) <= 20 for label in links):
        labels = links
    else:
        labels = [part for part in _BREADCRUMB_SPLIT_RE.split(text) if part.strip()]
        if not 2 <= len(labels) <= 8 or any(len(label) > 20 for label in labels):
            return ()
    labels = [_BREADCRUMB_TEXT_RE.sub("", label).strip() for label in labels]
    deduped: list[str] = []
    for label in labels:
        if label and label not in ("正文", "正文页") and (not deduped or deduped[-1] != label):
            deduped.append(label)
    return tuple(deduped)
