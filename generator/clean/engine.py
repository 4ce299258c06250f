"""Apply cleaning rules to an HTML fragment; every removal is recorded with its rule."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin
from html import escape
from typing import Mapping

from selectolax.lexbor import LexborHTMLParser, LexborNode

from generator.clean.rules import Rule
from generator.model import Removal

TEXT_BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, blockquote, figcaption, div"
_BLOCK_TAGS = frozenset("p li h1 h2 h3 h4 h5 h6 blockquote div section article ul ol table figure".split())
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_EXCERPT = 60
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_LEAD_LINE = 60  # a longer block is article text, whatever its punctuation


def collapse_spaces(text: str) -> str:
    """Runs of white space (U+3000 and U+00A0 included) as one space, none at the ends.

    `str.split()` splits on exactly the characters the regex class `\\s` matches
    (Py_UNICODE_ISSPACE, which U+3000 and U+00A0 are), at about a quarter of the cost of a
    regex substitution: this runs for every block of every article."""
    return " ".join(text.split())


def without_spaces(text: str) -> str:
    """The text with every white-space character taken out."""
    return "".join(text.split())


def visible_length(text: str) -> int:
    """Characters that are not white space."""
    return len(without_spaces(text))


def removal(rule: str, text: str) -> Removal:
    """A Removal with a short excerpt and the number of visible characters taken out."""
    return Removal(rule, excerpt(text), visible_length(text))


def excerpt(text: str) -> str:
    text = collapse_spaces(text)
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def drop_comments(html: str, removed: list[Removal]) -> str:
    """Comments go first: Sina's article_adlist comments hold real-looking ad markup."""
    def record(match: re.Match[str]) -> str:
        body = match.group(0)[4:-3].strip()
        if body:
            removed.append(Removal("html-comments", excerpt(re.sub(r"<[^>]+>", " ", body))))  # never visible
        return ""
    return _COMMENT.sub(record, html)


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(f"<html><body>{html}</body></html>")


def block_text(node: LexborNode) -> str:
    return collapse_spaces(node.text(deep=True) or "")


def is_leaf_block(node: LexborNode) -> bool:
    child = node.child
    while child is not None:
        if child.tag in _BLOCK_TAGS:
            return False
        child = child.next
    return True


def leaf_blocks(tree: LexborHTMLParser) -> list[LexborNode]:
    return [n for n in tree.body.css(TEXT_BLOCKS) if is_leaf_block(n)] if tree.body else []


def apply_rules(rules: list[Rule], tree: LexborHTMLParser, removed: list[Removal], lifted: dict[str, str]) -> None:
    """Run the rules in three passes: every text rule in one walk over the text blocks
    (lift, drop_text, trim_end: lifting first, so 责任编辑 is read before its paragraph
    goes), then selectors (drop, unwrap), then cut_from markers. Rules bound to the first
    or last block wait for `apply_edge_rules`, once the body's own ends are known.

    One walk for all text rules instead of one per rule keeps cleaning under a millisecond.
    """
    body = tree.body
    if body is None:
        return
    text_rules = [r for r in rules if (r.lift or r.drop_text or r.trim_end) and r.position == "anywhere"]
    if text_rules:
        _text_actions(text_rules, tree, removed, lifted)
    for rule in rules:
        for selector in rule.drop:
            for node in body.css(selector):
                removed.append(removal(rule.name, node.text(deep=True) or f"<{node.tag}>") if node.tag not in ("style", "script") else Removal(rule.name, excerpt(node.text(deep=True) or f"<{node.tag}>")))
                node.decompose()
        for selector in rule.unwrap:
            for node in body.css(selector):
                node.unwrap()
    for rule in rules:
        if rule.cut_from:
            _cut(rule, tree, removed)


def _has_media(node: LexborNode) -> bool:
    return node.css_first("img, video, table") is not None


def _is_media_caption(node: LexborNode) -> bool:
    """The caption of an image is part of it, as the image's wrapper was before it became a
    <figure>: a caption like 来源：人社部网站 credits the picture, it is not a 来源 line."""
    parent = node.parent
    return node.tag == "figcaption" and parent is not None and parent.tag == "figure" and _has_media(parent)


def _text_actions(rules: list[Rule], tree: LexborHTMLParser, removed: list[Removal], lifted: dict[str, str]) -> None:
    block_rules = tuple(r for r in rules if r.lift or r.drop_text)
    tail_rules = tuple(r for r in rules if r.trim_end)
    text_rules = tuple(r for r in rules if r.lift or r.drop_text or r.trim_end)
    # most paragraphs are the article's own: one regex says no rule applies (a rule with
    # `needs` is looked at only in blocks where its own quick search finds something)
    any_rule = _any_text_rule(tuple(r for r in block_rules if r.needs is None))
    any_tail = _any_text_rule(tuple(r for r in tail_rules if r.needs is None), "trim_end")
    plain_block = any(r.needs is None for r in block_rules)
    plain_tail = any(r.needs is None for r in tail_rules)
    needy = tuple(r for r in text_rules if r.needs is not None)
    any_need = _any_need(needy)
    bylines = tuple(p for r in block_rules for p in r.byline)
    lead, after_byline = True, False  # the lead: the blocks before the article's first sentence
    blocks = leaf_blocks(tree)
    for node in blocks:  # (grows when a removal leaves its parent a text block of its own)
        text = block_text(node)
        if not text and node.tag == "div":  # empty layout divs are left to the selector rules
            continue
        if lead and text:
            lead = not (_SENTENCE_END.search(text) or len(text) > _LEAD_LINE)
        spare, after_byline = lead and after_byline, lead and any(p.match(text) for p in bylines)
        whole = plain_block and (not text or any_rule is None or any_rule.match(text) is not None)
        tail = plain_tail and bool(text) and (any_tail is None or any_tail.search(text) is not None)
        hits = [r for r in needy if r.needs.search(text)] if text and any_need.search(text) else []
        if not (whole or tail or hits):
            continue
        live = [r for r in text_rules if r in hits or (r.needs is None and (
            (whole and bool(r.lift or r.drop_text)) or (tail and bool(r.trim_end))))]
        if not live:
            continue
        parent = node.parent
        done = _drop_block(tuple(r for r in live if r.lift or r.drop_text), node, text, removed, lifted, spare)
        after_byline = after_byline or done == "spared"
        if done == "removed" and parent is not None and parent.tag in _TEXT_BLOCK_TAGS and is_leaf_block(parent):
            blocks.append(parent)  # <li><p>责任编辑：张三</p>版权所有</li>: the <li> is a block now
        if not done and text:
            _trim_block(tuple(r for r in live if r.trim_end), node, text, removed, lifted)


def _drop_block(rules: tuple[Rule, ...], node: LexborNode, text: str, removed: list[Removal],
                lifted: dict[str, str], spare: bool = False) -> str | None:
    """The first rule matching the whole block removes it (lifting first): "removed". A rule
    with a `byline` spares a block that continues the article's opening byline (记者 | 高佳,
    then 编辑 | 翟瑞民): the byline stays as the article has it, and lifts nothing ("spared"),
    so the 责任编辑 who signs the article off is the editor."""
    for rule in rules:
        found: dict[str, str] = {}
        if not _text_rule_matches(rule, text, found):
            continue
        if _has_media(node) or _is_media_caption(node):
            return None  # an image's wrapper or caption is the image's, whatever its words
        if spare and rule.byline:
            return "spared"
        for field, value in found.items():
            lifted.setdefault(field, value)
        if text:
            removed.append(removal(rule.name, text))
        node.decompose()
        return "removed"
    return None


def _trim_block(rules: tuple[Rule, ...], node: LexborNode, text: str, removed: list[Removal],
                lifted: dict[str, str]) -> None:
    """`trim_end`: the first rule whose pattern matches the end of the block takes that tail
    off (a trailing （责任编辑：…）); the words before it stay. The tail is lifted by the
    rule's `lift` patterns, as a block of its own would be."""
    for rule in rules:
        for pattern in rule.trim_end:
            match = pattern.search(text)
            if match is None or match.end() != len(text) or match.start() == 0:
                continue
            if _has_media(node) or _is_media_caption(node):
                return
            tail = match.group(0)
            for field, lift in rule.lift:
                _lift_into(lifted, field, lift.match(tail.strip()))
            removed.append(removal(rule.name, tail))
            trim_text_end(node, visible_length(tail))
            return


def trim_text_end(node: LexborNode, count: int) -> None:
    """Take the last `count` visible (non-space) characters out of a block's text nodes,
    wherever its inline markup splits them; the text before stays as it was."""
    texts = [n for n in node.traverse(include_text=True) if n.tag == "-text"]
    for text_node in reversed(texts):
        if count <= 0:
            return
        value = text_node.text_content or ""
        visible = visible_length(value)
        if visible <= count:
            count -= visible
            text_node.decompose()
            continue
        keep, cut = visible - count, 0
        for cut, char in enumerate(value):
            if not char.isspace():
                keep -= 1
                if keep == 0:
                    break
        text_node.replace_with(value[: cut + 1].rstrip())
        return


def apply_edge_rules(rules: list[Rule], tree: LexborHTMLParser, removed: list[Removal], lifted: dict[str, str]) -> None:
    """Rules with a `position`: tried on the body's first and/or last text block only (a bare
    outlet name opening or closing the article), then on the block that becomes the first
    or last. The only block of a body always stays."""
    for rule in rules:
        if rule.position == "anywhere" or not (rule.lift or rule.drop_text):
            continue
        for last in {"first": (False,), "last": (True,), "edges": (False, True)}[rule.position]:
            while True:
                node, other = _edge_block(tree.body, last), _edge_block(tree.body, not last)
                if node is None or other is None or node.mem_id == other.mem_id:
                    break
                text = block_text(node)
                if rule.needs is not None and not rule.needs.search(text):
                    break
                if _drop_block((rule,), node, text, removed, lifted) != "removed":
                    break


_TEXT_BLOCK_TAGS = frozenset(t.strip() for t in TEXT_BLOCKS.split(","))


def _edge_block(node: LexborNode | None, last: bool) -> LexborNode | None:
    """The first (or last) of `leaf_blocks` that holds text, found from that end."""
    child = (node.last_child if last else node.first_child) if node is not None else None
    while child is not None:
        if child.tag != "-text":
            if child.tag in _TEXT_BLOCK_TAGS and is_leaf_block(child):
                if block_text(child):
                    return child
            elif child.child is not None:
                found = _edge_block(child, last)
                if found is not None:
                    return found
        child = child.prev if last else child.next
    return None


@lru_cache(maxsize=64)
def _any_text_rule(rules: tuple[Rule, ...], kind: str = "block") -> re.Pattern[str] | None:
    """One alternation of every lift and drop_text pattern (or every trim_end pattern):
    a fast "could any rule match?".

    None (no shortcut) when the patterns do not share their flags.
    """
    if kind == "trim_end":
        patterns = [p for rule in rules for p in rule.trim_end]
    else:
        patterns = [pattern for rule in rules for _, pattern in rule.lift] + [p for rule in rules for p in rule.drop_text]
    if not patterns or len({p.flags for p in patterns}) != 1:
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)
    except re.error:
        return None


@lru_cache(maxsize=64)
def _any_need(rules: tuple[Rule, ...]) -> re.Pattern[str]:
    """One search for every rule's `needs`: most blocks hold none of their words."""
    patterns = [r.needs for r in rules if r.needs is not None]
    if not patterns:
        return re.compile(r"(?!)")
    try:
        # joined without groups: an alternation of words keeps the regex engine's fast scan
        return re.compile("|".join(p.pattern for p in patterns), patterns[0].flags)
    except re.error:
        return re.compile("")  # always found: each rule's own search decides


def _text_rule_matches(rule: Rule, text: str, lifted: dict[str, str]) -> bool:
    """Every lift pattern that matches the whole block lifts its field; a drop_text pattern
    that matches removes the block without lifting anything."""
    hit = False
    for field, pattern in rule.lift:
        match = pattern.match(text)
        if match:
            _lift_into(lifted, field, match)
            hit = True
    return hit or any(p.match(text) for p in rule.drop_text)


def _lift_into(lifted: dict[str, str], field: str, match: re.Match[str] | None) -> None:
    """The first group that took part in the match gives the value (a pattern may offer
    alternatives, 责任编辑 before 编辑); the first value found for a field wins."""
    if match is None:
        return
    value = next((g.strip() for g in match.groups() if g and g.strip()), "")
    if value:
        lifted.setdefault(field, value)


def _cut(rule: Rule, tree: LexborHTMLParser, removed: list[Removal]) -> None:
    """Remove the first block that starts with a marker and everything after it."""
    for node in leaf_blocks(tree):
        text = block_text(node)
        if text.startswith(rule.cut_from):
            cut_text = [text]
            current: LexborNode | None = node
            while current is not None and current.tag not in ("body", "html"):
                sibling = current.next
                while sibling is not None:
                    following = sibling.next
                    cut_text.append(block_text(sibling) if sibling.tag != "-text" else (sibling.text() or ""))
                    sibling.decompose()
                    sibling = following
                current = current.parent
            node.decompose()
            removed.append(removal(rule.name, " ".join(cut_text)))
            return


def figures_from_img_wrappers(tree: LexborHTMLParser) -> None:
    """Sina `div.img_wrapper` (image + `span.img_descr`) becomes figure/figcaption."""
    if tree.body is None:
        return
    for wrapper in tree.body.css("div.img_wrapper"):
        if wrapper.parent is not None and wrapper.parent.tag == "div" and "img_wrapper" in (wrapper.parent.attributes.get("class") or ""):
            continue
        images = wrapper.css("img")
        captions = [block_text(c) for c in wrapper.css("span.img_descr")]
        parts = []
        for img in images:
            src = img.attributes.get("src") or ""
            alt = img.attributes.get("alt") or ""
            parts.append(f'<img src="{escape(src)}" alt="{escape(alt)}">')
        caption = next((c for c in captions if c), "")
        if caption:
            parts.append(f"<figcaption>{escape(caption, quote=False)}</figcaption>")
        if not parts:
            wrapper.decompose()
            continue
        figure = LexborHTMLParser(f"<figure>{''.join(parts)}</figure>").css_first("figure")
        wrapper.insert_before(figure)
        wrapper.decompose()


def bold_paragraphs_to_headings(tree: LexborHTMLParser) -> None:
    """A paragraph that is bold through and through is a subhead: make it an h2."""
    if tree.body is None:
        return
    candidates = _bold_paragraphs(tree.body)
    if not candidates:
        return  # most bodies: no bold at all, so no paragraph to look at
    for p in tree.body.css("p"):
        if p.mem_id not in candidates:
            continue  # most paragraphs: no bold at all, so no text to read
        cms = p.attributes.get("cms-style") or ""
        text = block_text(p)
        if not text or len(text) > 60 or _has_media(p):
            continue
        bold = " ".join(block_text(b) for b in p.css("strong, b"))
        if "strong-Bold" in cms or (bold and without_spaces(bold) == without_spaces(text)):
            heading = LexborHTMLParser(f"<h2>{escape(text, quote=False)}</h2>").css_first("h2")
            p.insert_before(heading)
            p.decompose()


def _bold_paragraphs(body: LexborNode) -> set[int]:
    """The `mem_id` of every <p> holding a <strong> or <b>, or styled bold by Sina's CMS:
    one CSS query for the whole body (a query per paragraph, ~8 µs each, was the most of
    this step)."""
    found: set[int] = set()
    for node in body.css("strong, b, p[cms-style]"):
        if node.tag == "p":
            if "strong-Bold" in (node.attributes.get("cms-style") or ""):
                found.add(node.mem_id)
            continue
        node = node.parent
        while node is not None and node.tag != "body":  # every <p> around it (quirks mode nests them)
            if node.tag == "p":
                found.add(node.mem_id)
            node = node.parent
    return found


def fix_urls(tree: LexborHTMLParser, base: str | None = None, removed: list[Removal] | None = None) -> None:
    """Protocol-relative URLs become https; lazy-loaded images get their real src; relative
    URLs are resolved against the article's original address.

    A relative URL means nothing on the digest's own host (it would be a broken link or
    image there): without an original address to resolve it, the image is dropped and
    the link keeps only its text.
    """
    if tree.body is None:
        return
    for node in tree.body.css("img, a"):
        attrs = node.attributes
        key = "src" if node.tag == "img" else "href"
        value = (attrs.get(key) or "").strip()
        if node.tag == "img" and not value:
            value = (attrs.get("data-src") or attrs.get("data-original") or "").strip()
        if value.startswith("//"):
            value = "https:" + value
        if value and not _ABSOLUTE_OR_FRAGMENT.match(value):
            if base:
                value = urljoin(base, value)
            elif node.tag == "img":
                if removed is not None:
                    removed.append(removal("unresolvable-image", value))
                node.decompose()
                continue
            else:
                del node.attrs[key]
                continue
        if value:
            node.attrs[key] = value


_ABSOLUTE_OR_FRAGMENT = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|#)")
_HTTP_URL = re.compile(r"^https?://[^\s/\"'<>]+[^\s\"'<>]*$")


def base_url_of(meta: Mapping[str, object]) -> str | None:
    """The article's original address (http or https), against which relative URLs resolve."""
    for key in ("origin_url", "link", "url", "original_url", "source_url"):
        value = meta.get(key)
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("//"):
                value = "https:" + value
            if _HTTP_URL.match(value):
                return value
    return None


def facts_for_rules(meta: Mapping[str, object], lifted_outlet: str | None) -> dict[str, tuple[str, ...]]:
    """The source facts a rule's `when` is matched against."""
    def strings(value: object) -> tuple[str, ...]:
        if isinstance(value, (list, tuple)):
            return tuple(str(v) for v in value)
        return (str(value),) if value else ()
    host = re.sub(r"^https?://([^/]+).*$", r"\1", str(meta.get("origin_url") or meta.get("link") or ""))
    return {
        "author": strings(meta.get("author")),
        "outlet": strings(meta.get("outlet") or lifted_outlet),
        "categories": strings(meta.get("categories")),
        "host": (host,) if host else (),
    }
