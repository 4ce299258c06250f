"""Text written straight into the body or a <div>, lines parted by <br>, made paragraphs.

Saved pages whose article container holds no <p> give the cleaner a body of loose text:
there a 责任编辑 line or a footer is no text block of its own, so no text rule could see
it. Each such line becomes a <p> before the rules run (`paragraphs_from_lines`); a <div>
holding one line is a text block already and becomes a <p> once the rules are done
(`paragraphs_from_divs`), so the sanitizer, which unwraps every <div>, sets no text loose.
"""
from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from generator.clean.engine import is_leaf_block

_INLINE_TAGS = frozenset(
    "-text a abbr b bdi bdo br cite code data dfn em font i img kbd mark q s samp small span strong "
    "sub sup time u var wbr label".split()
)
# Containers the sanitizer unwraps: their text ends up beside the paragraphs around them.
_TRANSPARENT_TAGS = frozenset("div section article main center header footer".split())
_TRANSPARENT_SELECTOR = ", ".join(sorted(_TRANSPARENT_TAGS))
_BLOCK_INSIDE = ("p, li, ul, ol, dl, table, h1, h2, h3, h4, h5, h6, blockquote, figure, pre, "
                 + _TRANSPARENT_SELECTOR)
_PARAGRAPH = LexborHTMLParser("<p></p>").css_first("p")  # inserted as a copy: parsing one costs 50 µs


def paragraphs_from_lines(tree: LexborHTMLParser) -> tuple[int, bool]:
    """One <p> per line of the body's own text and of every <div> whose text is more than
    one line (parted by <br> or by blocks). Returns the number of paragraphs made, and
    whether a <div> sits in a block the sanitizer keeps (<li><div>…</div>…</li>):
    unwrapping it there merges texts that were apart, so the body is cleaned once more."""
    body = tree.body
    if body is None:
        return 0, False
    made, nested = _wrap_loose_text(body), False
    for container in body.css(_TRANSPARENT_SELECTOR):
        if not _only_transparent_above(container.parent, body):
            nested = True
        elif (container.text(deep=False) or "").strip() and (
                not is_leaf_block(container) or container.css_first("br") is not None):
            made += _wrap_loose_text(container)
    return made, nested


def paragraphs_from_divs(tree: LexborHTMLParser) -> int:
    """The text of every <div> left holding one line becomes a <p> (after the rules, which
    saw the <div> as a text block: those dropped by a selector cost nothing); the number made."""
    body = tree.body
    if body is None:
        return 0
    made = 0
    for container in body.css(_TRANSPARENT_SELECTOR):
        if is_leaf_block(container) and _only_transparent_above(container.parent, body):
            made += _wrap_loose_text(container)
    return made


def loose_lines(tree: LexborHTMLParser) -> int:
    """Wrap what the body holds outside any block (sanitized HTML: the text of a <span>
    that held a <p>); the number of paragraphs made."""
    return _wrap_loose_text(tree.body) if tree.body is not None else 0


def _only_transparent_above(node: LexborNode | None, body: LexborNode) -> bool:
    """Up to the body, nothing but containers the sanitizer unwraps (a <div> in a <li> stays)."""
    while node is not None and node.mem_id != body.mem_id:
        if node.tag not in _TRANSPARENT_TAGS:
            return False
        node = node.parent
    return node is not None


def _wrap_loose_text(container: LexborNode) -> int:
    """Wrap the runs of text and inline markup among the container's own children."""
    run: list[LexborNode] = []
    loose, made = False, 0
    child = container.first_child
    while child is not None:
        following = child.next
        tag = child.tag
        if tag in _INLINE_TAGS:
            run.append(child)
            if not loose and tag != "br":
                words = child.text_content if tag == "-text" else child.text()
                loose = bool(words and words.strip())
        else:
            if loose:
                made += _wrap_lines(run)
            run, loose = [], False
        child = following
    if loose:
        made += _wrap_lines(run)
    return made


def _wrap_lines(run: list[LexborNode]) -> int:
    """One <p> per line of a run (lines part at <br>; an inline element holding blocks, a
    <span> around a <p>, parts them too and stays as it is)."""
    line: list[LexborNode] = []
    made = 0
    for node in [*run, None]:
        wraps_blocks = node is not None and node.tag not in ("-text", "br") and node.css_first(_BLOCK_INSIDE) is not None
        if node is not None and node.tag != "br" and not wraps_blocks:
            line.append(node)
            continue
        if any(n.tag != "-text" or (n.text_content or "").strip() for n in line):
            line[0].insert_before(_PARAGRAPH)
            paragraph = line[0].prev
            for part in line:
                paragraph.insert_child(part)  # a copy: the original goes below
            made += 1
        for part in line:
            part.decompose()
        if node is not None and not wraps_blocks:
            node.decompose()  # the <br>
        line = []
    return made
