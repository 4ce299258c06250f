"""The article body of a saved news page: paragraph-cluster scoring, then pruning.

Saved Chinese news pages wrap a few paragraphs of article in hundreds of
kilobytes of navigation, share widgets, comment boxes, "recommended" lists and
footers.  This module finds the article with a paragraph-cluster score (in the
spirit of Readability and GeneralNewsExtractor: text, punctuation and link
density propagated to ancestors), then prunes junk blocks inside it, the header
lines `page_meta` reads included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from generator.load.page_dom import SENTENCE_END_RE, class_tokens, drop, norm, text_of
from generator.load.page_meta import looks_like_header_line

__all__ = [
    "MIN_BODY_CHARS", "NEGATIVE_TOKENS", "ElementStats", "find_content", "measure",
    "prune_content", "serialize", "visible_text_of_html",
]

# --------------------------------------------------------------------------- #
# Vocabulary
# --------------------------------------------------------------------------- #

# Structural elements that are page chrome when they sit inside the article.
_CHROME_TAGS = {"nav", "aside", "footer", "form", "menu"}
_BLOCK_TAGS = {
    "p", "div", "td", "th", "li", "section", "article", "main", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "table", "tr", "tbody", "ul", "ol",
    "dl", "center", "header", "figure", "figcaption", "body", "form",
}
_PARAGRAPH_TAGS = {"p", "li", "td", "th", "dd", "dt", "pre", "blockquote", "h1", "h2", "h3", "h4",
                   "h5", "h6", "figcaption"}
# Climbing into these would return table rows or the whole page as the "article".
_NO_CLIMB_TAGS = {"body", "html", "tr", "tbody", "thead", "table"}

# Class/id words that mark page chrome (matched as whole tokens of class/id).
NEGATIVE_TOKENS = {
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

MIN_BODY_CHARS = 40


# --------------------------------------------------------------------------- #
# Body: paragraph-cluster scoring
# --------------------------------------------------------------------------- #


@dataclass(slots=True)
class ElementStats:
    """Character counts under one element, from `measure`.

    ``inline_*`` count only the element's own text (not inside child blocks): its
    paragraph, if it has one.  ``order`` is the document position and ``raw`` the
    paragraph score the element collects while candidates are scored.
    """

    text: int = 0
    link_text: int = 0
    punct: int = 0
    inline_text: int = 0
    inline_link: int = 0
    inline_punct: int = 0
    order: int = 0
    raw: float = 0.0


def measure(body_root: etree._Element) -> dict[etree._Element, ElementStats]:
    """Bottom-up text, link-text and punctuation counts for every element.

    One reversed pre-order pass (children before parents) keeps this linear;
    it is the hot loop of the extractor.
    """
    elements = list(body_root.iter(etree.Element))
    stats = {el: ElementStats(order=index) for index, el in enumerate(elements)}
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


def _paragraph_score(s: ElementStats) -> float:
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
    tokens = class_tokens(el)
    if not tokens:
        return 0.0
    weight = 0.0
    if tokens & NEGATIVE_TOKENS:
        weight -= 25.0
    if tokens & _POSITIVE_TOKENS:
        weight += min(25.0, raw)
    return weight


def _score_candidates(
    body_root: etree._Element,
    stats: dict[etree._Element, ElementStats],
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
        if node is el and class_tokens(el) & NEGATIVE_TOKENS:
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


def _proximity_factor(candidate: ElementStats, headline: ElementStats) -> float:
    """1.0 right after the headline, decaying with element distance; 0.5 before it."""
    distance = candidate.order - headline.order
    if distance < 0:
        return 0.5 if candidate.text < 5 * max(headline.text, 1) else 1.0
    return 1.0 / (1.0 + max(0, distance - 60) / 400.0)


def find_content(
    body_root: etree._Element,
    stats: dict[etree._Element, ElementStats],
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
    if stats[top].text < MIN_BODY_CHARS:
        hinted = _hinted_container(body_root, stats)
        if hinted:
            return hinted
    return _with_continuing_siblings(top, scores, stats)


def _climb_when_split(
    top: etree._Element, scores: dict[etree._Element, float], stats: dict[etree._Element, ElementStats]
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
    top: etree._Element, scores: dict[etree._Element, float], stats: dict[etree._Element, ElementStats]
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
    siblings: Iterable[etree._Element], raw_top: float, stats: dict[etree._Element, ElementStats]
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


def _continues_article(el: etree._Element, s: ElementStats, raw_top: float) -> bool:
    """A sibling continues the article when it scores like text and is not a widget."""
    if class_tokens(el) & NEGATIVE_TOKENS or _has_junk_marker(text_of(el)[:40]):
        return False
    if s.text and s.link_text / s.text > 0.3:
        return False
    if s.raw >= max(10.0, 0.3 * raw_top):
        return True
    return el.tag == "p" and _paragraph_score(s) > 0 and s.inline_text > 40


def _hinted_container(
    body_root: etree._Element, stats: dict[etree._Element, ElementStats]
) -> list[etree._Element]:
    """Common article containers, used when scoring finds no paragraph cluster."""
    for xpath in _BODY_SELECTOR_HINTS:
        for el in body_root.xpath(xpath):
            s = stats.get(el)
            if s is not None and s.text >= MIN_BODY_CHARS:
                return [el]
    return []


# --------------------------------------------------------------------------- #
# Body: pruning and serialization
# --------------------------------------------------------------------------- #


def prune_content(content: list[etree._Element], title: str | None, light: bool = False) -> list[etree._Element]:
    """Remove chrome inside the chosen container: widgets, link lists, junk lines (not
    junk lines when `light`: a fallback body keeps its text for the cleaner's rules)."""
    content = _drop_leading_header(content, title)
    for headline in [h for c in content for h in c.iter("h1") if title and text_of(h) == title]:
        drop(headline)  # a headline inside the container, behind text its header lines missed
    total = max(sum(len(text_of(c)) for c in content), 1)
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
                drop(child)
            else:
                stack.append(child)


def _is_chrome(el: etree._Element, total: int, light: bool = False) -> bool:
    """Decide whether a block inside the article is a widget rather than article text."""
    if el.tag in ("img", "br", "hr"):
        return False
    if el.tag in _CHROME_TAGS:
        return True
    text = text_of(el)
    has_media = el.tag in ("table",) or next(el.iter("img"), None) is not None
    if not text:
        return not has_media and el.tag not in ("td", "th", "tr", "tbody", "thead")
    size = len(text)
    if class_tokens(el) & NEGATIVE_TOKENS and size < 0.5 * total:
        return True
    if not light and _is_junk_text(text):
        return True
    if not light and size <= 120 and text.lstrip("（([【 ").startswith(_JUNK_LINE_PREFIXES):
        return True
    if el.tag in ("div", "ul", "ol", "dl", "section", "table", "p", "li", "span"):
        link_text = sum(len(norm("".join(a.itertext()))) for a in el.iter("a"))
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
    if sentences != text and SENTENCE_END_RE.search(sentences):
        text = sentences  # an article sentence signed （责任编辑：…）: the cleaner trims the credit
    size = len(text)
    if size <= 30 and any(marker in text for marker in _WEAK_JUNK_MARKERS):
        return True
    if size > 200 or not _has_junk_marker(text):
        return False
    return size <= 60 or len(SENTENCE_END_RE.findall(text)) <= 2


def _drop_leading_header(content: list[etree._Element], title: str | None) -> list[etree._Element]:
    """Drop the headline and the date/source/byline lines that precede the first paragraph.

    The container that scores best often also wraps the article header; those
    fields are extracted separately and would otherwise open the body.
    """
    kept = list(content)
    for _ in range(8):
        block = _first_text_block(kept)
        if block is None or not looks_like_header_line(text_of(block), title):
            break
        if block in kept:
            kept.remove(block)
        else:
            drop(block)
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


def serialize(content: list[etree._Element]) -> str:
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


def visible_text_of_html(fragment: str) -> str:
    return norm(re.sub(r"<[^>]+>", "", fragment))
