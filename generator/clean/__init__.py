"""Clean stage: RawDoc -> CleanDoc. Junk out by named rules, then allowlist sanitizing."""
from __future__ import annotations

import re
from html import unescape

from selectolax.lexbor import LexborHTMLParser

from generator.clean import engine, lines
from generator.clean.rules import Rule, RuleSet, default_rules
from generator.clean.sanitize import sanitize
from generator.model import CleanDoc, RawDoc, Removal

_WEIBO_TAG = re.compile(r"【#[^【】<>]{1,80}#】|\[[^\[\]<>]{0,80}#[^\[\]<>]{1,80}#\]")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[2-6]|figcaption|blockquote|tr|pre|caption|dd|dt)>|<br\s*/?>", re.I)
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_PASSES = 3  # a body whose sanitizing set text loose or merged it is cleaned again (rare)


def clean_doc(raw: RawDoc, rules: RuleSet | None = None) -> CleanDoc:
    """Run every rule that applies to this source, then sanitize; pure over its inputs."""
    rules = rules or default_rules()
    removed: list[Removal] = []
    lifted: dict[str, str] = {}
    facts = engine.facts_for_rules(raw.meta, None)
    applicable = [r for r in rules.rules if r.applies_to(facts, raw.body_html)]
    html = engine.drop_comments(raw.body_html, removed)
    for _ in range(_PASSES):
        safe, again = _clean_once(html, raw, applicable, removed, lifted)
        if again is None or again == html:
            break
        html = again  # texts the sanitizer set loose or merged: the rules look at them again
    return CleanDoc(raw=raw, body_html=safe, text=html_to_text(safe), removed=tuple(removed), lifted=lifted)


def _clean_once(html: str, raw: RawDoc, rules: list[Rule], removed: list[Removal],
                lifted: dict[str, str]) -> tuple[str, str | None]:
    tree = engine.parse(html)
    _, nested = lines.paragraphs_from_lines(tree)
    engine.apply_rules(rules, tree, removed, lifted)
    drop_repeated_headline(tree, raw.title, removed)
    engine.apply_edge_rules(rules, tree, removed, lifted)
    engine.figures_from_img_wrappers(tree)
    from_divs = lines.paragraphs_from_divs(tree)
    engine.bold_paragraphs_to_headings(tree)
    engine.fix_urls(tree, engine.base_url_of(raw.meta), removed)
    body = tree.body.inner_html if tree.body is not None else ""
    safe, loose = _sanitized(body or "", removed)
    # New paragraphs the rules never saw as blocks (lines split out, or a <div> that became one
    # line once an edge rule removed its other block): the rules look at the result again.
    return safe, (safe if (nested or from_divs) and loose is None else loose)


def stable_sanitize(html: str, removed: list[Removal]) -> str:
    """Sanitize (and drop Weibo markers) until a parse-and-serialize round trip changes nothing.

    Removing a disallowed wrapper can leave markup an HTML5 parser restructures
    (an h3 directly inside an h3); repeating reaches the fixed point, so cleaning
    an already-clean body is a no-op.
    """
    return _sanitized(html, removed, wrap=False)[0]


def _sanitized(html: str, removed: list[Removal], wrap: bool = True) -> tuple[str, str | None]:
    """`stable_sanitize`, and the body again with its loose text in paragraphs when the
    sanitizer set text loose (a <span> around a <p> unwrapped): a body cleaned twice must
    not lose a line the second time that the first kept, so such a body is cleaned again."""
    sanitized = sanitize(html)
    safe = drop_weibo_hashtags(sanitized, removed)
    for _ in range(3):
        tree = engine.parse(safe)
        if wrap and lines.loose_lines(tree):
            return safe, tree.body.inner_html if tree.body is not None else ""
        reparsed = tree.body.inner_html if tree.body is not None else ""
        if reparsed == safe == sanitized:
            break  # sanitizer output the parser keeps as it is: a second sanitize changes nothing
        sanitized = sanitize(reparsed)
        again = drop_weibo_hashtags(sanitized, removed)
        if again == safe:
            break
        safe = again
    return safe, None


def drop_weibo_hashtags(html: str, removed: list[Removal]) -> str:
    """Weibo topic markers (【#…#】) are platform chrome, not the article's words."""
    def record(match: re.Match[str]) -> str:
        removed.append(engine.removal("weibo-hashtag", match.group(0)))
        return ""
    return _WEIBO_TAG.sub(record, html)


def drop_repeated_headline(tree: LexborHTMLParser, title: str, removed: list[Removal]) -> None:
    """A first paragraph that only repeats the headline is dropped (the page shows the title)."""
    key = re.sub(r"\W", "", title)
    if not key:
        return
    for node in engine.leaf_blocks(tree)[:3]:
        text = engine.block_text(node)
        if text and re.sub(r"\W", "", text) == key:
            removed.append(engine.removal("repeated-headline", text))
            node.decompose()
            return


def html_to_text(html: str) -> str:
    """Plain text of sanitized HTML: one line per block, entities decoded."""
    text = _BLOCK_END.sub("\n", html)
    text = unescape(_TAG.sub("", text))
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
