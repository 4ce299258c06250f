"""Metadata of a saved news page: title, time, outlet, URL, author, editor, breadcrumb.

Meta tags and JSON-LD come first; the visible header around the headline (the
dateline, '来源：' and byline lines) and the lines just after the article come second.
The headline is a page element confirmed by <title>, else <title> without its site
suffix.  Knowing what header lines look like is also what lets `page_body` take them
out of the article.

Nothing here depends on `page_body`: title lookup takes the measured text length of
each element through the small `_Measured` protocol.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from generator.load.page_dom import CONTROL_RE, SENTENCE_END_RE, class_tokens, norm, text_of

__all__ = [
    "ArticleContext", "choose_author", "choose_editor", "choose_origin_url", "choose_outlet",
    "choose_published", "choose_title", "collect_json_ld", "collect_meta", "find_breadcrumb",
    "looks_like_header_line", "read_context", "title_tag_text",
]

# --------------------------------------------------------------------------- #
# Vocabulary
# --------------------------------------------------------------------------- #

_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LOOSE_TITLE_TAGS = {"p", "span", "div", "strong", "b", "td", "font"}

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

_HEADER_WINDOW = 400


class _Measured(Protocol):
    """What title lookup needs of `page_body.ElementStats`: an element's text length."""

    text: int


# --------------------------------------------------------------------------- #
# Metadata
# --------------------------------------------------------------------------- #


def collect_meta(root: etree._Element) -> dict[str, str]:
    """First non-empty content for each meta name/property/itemprop (lower-cased)."""
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        content = norm(el.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in meta:
                meta[key] = content
    return meta


def collect_json_ld(root: etree._Element) -> dict[str, str]:
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


def title_tag_text(root: etree._Element) -> str:
    head = root.find("head")
    el = head.find("title") if head is not None else None
    if el is None:
        el = next(root.iter("title"), None)
    return norm(CONTROL_RE.sub("", el.text or "")) if el is not None else ""


def choose_origin_url(root: etree._Element, meta: dict[str, str]) -> str | None:
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").strip():
            return el.get("href").strip()
    return meta.get("og:url") or meta.get("twitter:url") or None


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """Text around the article: where datelines, sources and bylines are printed."""

    header: str
    header_elements: tuple[etree._Element, ...]
    body_start: str
    body_end: str
    trailer: str


def read_context(headline: etree._Element | None, content: list[etree._Element]) -> ArticleContext:
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
    return ArticleContext(header[: _HEADER_WINDOW * 2], tuple(elements), body_start, body_end, trailer)


def _until_article_text(nodes: list) -> list:
    """Header lines end where the first sentence-like paragraph starts."""
    kept = []
    for node in nodes:
        text = node.strip() if isinstance(node, str) else ""
        if len(text) > 60 and SENTENCE_END_RE.search(text):
            break
        kept.append(node)
    return kept


def _join_text_nodes(nodes: list) -> str:
    return "\n".join(t.strip() for t in nodes if isinstance(t, str) and t.strip())


def _iter_text(elements: Iterable[etree._Element]) -> Iterator[str]:
    for el in elements:
        for piece in el.itertext():
            piece = piece.strip()
            if piece:
                yield piece


def choose_published(meta: dict[str, str], json_ld: dict[str, str], context: ArticleContext) -> str | None:
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
        return norm(match.group(0))
    for el in _time_elements(context.header_elements):
        text = text_of(el)
        match = _DATE_RE.search(text)
        if match:
            return norm(match.group(0))
        if el.tag == "time" and el.get("datetime"):
            return el.get("datetime").strip()
    match = _LABELLED_DATE_RE.search(context.trailer)
    return norm(match.group(1)) if match else None


def _time_elements(elements: Iterable[etree._Element]) -> Iterator[etree._Element]:
    """<time> elements and elements whose class/id says they hold a date."""
    for el in elements:
        if el.tag == "time" or class_tokens(el) & _TIME_TOKENS:
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


def choose_outlet(meta: dict[str, str], context: ArticleContext) -> str | None:
    """The outlet that published the story (not the byline author).

    Order: '来源：' in the header, a source-classed element, source metas, a bare
    outlet-looking line in the header ('新华社'), '来源：' around the body, site name.
    """
    candidates: list[str | None] = [m.group(1) for m in _OUTLET_RE.finditer(context.header)]
    candidates += [
        text_of(el) for el in context.header_elements
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


def choose_author(
    meta: dict[str, str], json_ld: dict[str, str], context: ArticleContext, title_tag: str
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


def choose_editor(context: ArticleContext) -> str | None:
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
    stats: Mapping[etree._Element, _Measured], max_len: int = 120
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
        text = text_of(el)
        if 4 <= len(text) <= max_len:
            yield text, el


def choose_title(
    stats: Mapping[etree._Element, _Measured],
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
        text = norm(value)
        if text:
            return _strip_leading_tag(text), _find_element_with_text(stats, text)
    for text, el in _title_candidates(stats):
        if el.tag in ("h1", "h2"):
            return _strip_leading_tag(text), el
    return None, None


def _title_from_title_tag(
    stats: Mapping[etree._Element, _Measured], title_tag: str, metas: list[str | None]
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
        text = norm(value)
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


def _find_element_with_text(stats: Mapping[etree._Element, _Measured], text: str) -> etree._Element | None:
    for candidate, el in _title_candidates(stats, max_len=len(text)):
        if candidate == text:
            return el
    return None


def _find_element_containing(stats: Mapping[etree._Element, _Measured], text: str) -> etree._Element | None:
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
# Header lines
# --------------------------------------------------------------------------- #


def looks_like_header_line(text: str, title: str | None) -> bool:
    """A headline, dateline, '来源：' or byline line: the article's header, not its text.

    The container that scores best often opens with these lines; `page_body` drops
    them from the body because the fields are read here.
    """
    if not text or len(text) > 100:
        return False
    if title and (text == title or _strip_leading_tag(text) == title):
        return True
    if title and text.startswith(title):
        rest = text[len(title):]
        return len(rest) <= 40 and not SENTENCE_END_RE.search(rest)
    if len(text) > 60:
        return False
    if _DATE_RE.search(text) and not SENTENCE_END_RE.search(text):
        return True
    return text.startswith(("来源", "作者", "原创", "字号", "发布时间", "时间："))


# --------------------------------------------------------------------------- #
# Breadcrumb
# --------------------------------------------------------------------------- #


def find_breadcrumb(body_root: etree._Element) -> tuple[str, ...]:
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
    text = text_of(el)
    if not text or len(text) > 150:
        return ()
    links = [text_of(a) for a in el.iter("a")]
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
