"""The last resort of the saved-page extractor: the page's densest block of paragraph text.

The paragraph-cluster scoring in `page_body` finds the article on almost every page,
but a page can defeat it: text written straight into <body> or an unknown element with
<br> between paragraphs, an article the page keeps hidden until a script shows it
(WeChat's `#js_content`), or a short article whose only paragraph the pruning took for a
widget. A saved news page with a visible article must still give its body, so when the
scoring comes back empty the extractor asks this module for the element that holds the
most paragraph text of its own and takes it, lightly pruned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from lxml import etree

# Page chrome: never the article, whatever its size.
_CHROME = frozenset({"nav", "aside", "footer", "header", "form", "menu", "a", "select", "button", "h1"})
# Children whose own text counts for their parent: the paragraphs of an article.
_PARAGRAPHS = frozenset({"p", "li", "blockquote", "pre", "dd", "h2", "h3", "h4", "h5", "h6", "section"})
_MIN_TEXT = 20
_NEARLY = 0.95


class _Counts(Protocol):
    inline_text: int
    inline_link: int


def densest_block(
    body: etree._Element,
    stats: Mapping[etree._Element, _Counts],
    looks_like_chrome: Callable[[etree._Element], bool] = lambda el: False,
    allow_chrome: bool = False,
) -> etree._Element | None:
    """The element holding the most non-link text of its own and of its paragraph children.

    A container's own text is what is not inside a child block (text and <br>-separated
    lines, inline markup, unknown elements); a child paragraph adds its own. A container
    that `looks_like_chrome` (a class such as 'footer') is passed over, or with
    `allow_chrome` counts half. From the best container, the walk goes down while one
    child holds nearly all of it, so a wrapper is left for the block that holds the text.
    """
    scores: dict[etree._Element, float] = {}
    for el in _candidates(body):
        s = stats.get(el)
        if s is None:
            continue
        score = _own(s) + sum(_own(stats[c]) for c in el if c in stats and c.tag in _PARAGRAPHS)
        if score and looks_like_chrome(el):
            score = score / 2 if allow_chrome else 0
        if score:
            scores[el] = score
    if not scores:
        return None
    best = max(scores, key=lambda el: (scores[el], -_depth(el)))
    if scores[best] < _MIN_TEXT:
        return None
    while True:
        inner = max((c for c in best if c in scores), key=scores.__getitem__, default=None)
        if inner is None or scores[inner] < _NEARLY * scores[best]:
            return best
        best = inner


def _candidates(body: etree._Element):
    """Every element outside page chrome, the <body> itself included."""
    stack = [body]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _CHROME:
            continue
        yield el
        stack.extend(reversed(el))


def _own(s: _Counts) -> int:
    return max(0, s.inline_text - s.inline_link)


def _depth(el: etree._Element) -> int:
    return sum(1 for _ in el.iterancestors())
