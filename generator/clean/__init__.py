"""Clean stage: RawDoc -> CleanDoc. Junk out by named rules, then allowlist sanitizing."""
from __future__ import annotations

import re
from html import unescape

from selectolax.lexbor import LexborHTMLParser

from generator.clean import engine
from generator.clean.rules import RuleSet, default_rules
from generator.clean.sanitize import sanitize
from generator.model import CleanDoc, RawDoc, Removal

_WEIBO_TAG = re.compile(r"【#[^【】<>]{1,80}#】|\[[^\[\]<>]{0,80}#[^\[\]<>]{1,80}#\]")
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[2-6]|figcaption|blockquote|tr|pre|caption|dd|dt)>|<br\s*/?>", re.I)
_SPACE = re.compile(r"[ \t\u3000\xa0]+")


def clean_doc(raw: RawDoc, rules: RuleSet | None = None) -> CleanDoc:
    """Run every rule that applies to this source, then sanitize; pure over its inputs."""
    rules = rules or default_rules()
    removed: list[Removal] = []
    lifted: dict[str, str] = {}
    html = engine.drop_comments(raw.body_html, removed)
    tree = engine.parse(html)
    facts = engine.facts_for_rules(raw.meta, None)
    engine.apply_rules([r for r in rules.rules if r.applies_to(facts, raw.body_html)], tree, removed, lifted)
    drop_repeated_headline(tree, raw.title, removed)
    engine.figures_from_img_wrappers(tree)
    engine.bold_paragraphs_to_headings(tree)
    engine.fix_urls(tree, engine.base_url_of(raw.meta), removed)
    body = tree.body.inner_html if tree.body is not None else ""
    safe = stable_sanitize(body or "", removed)
    return CleanDoc(raw=raw, body_html=safe, text=html_to_text(safe), removed=tuple(removed), lifted=lifted)


def stable_sanitize(html: str, removed: list[Removal]) -> str:
    """Sanitize (and drop Weibo markers) until a parse-and-serialize round trip changes nothing.

    Removing a disallowed wrapper can leave markup an HTML5 parser restructures
    (an h3 directly inside an h3); repeating reaches the fixed point, so cleaning
    an already-clean body is a no-op.
    """
    safe = drop_weibo_hashtags(sanitize(html), removed)
    for _ in range(3):
        tree = engine.parse(safe)
        again = drop_weibo_hashtags(sanitize(tree.body.inner_html if tree.body is not None else ""), removed)
        if again == safe:
            break
        safe = again
    return safe


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
