"""The cleaner's fast paths give exactly what the regex and per-paragraph versions gave."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from generator.clean.engine import _bold_paragraphs, collapse_spaces, visible_length
from generator.clean.sanitize import trim_block_ends

# The definitions as they were written before (regexes opening with a class of characters).
_SPACE = re.compile(r"[\s\u3000\xa0]+")
_TRAILING_SPACE = re.compile(r"[\s\u3000\xa0]+(</(?:p|li|h[2-6]|figcaption|td|th)>)")

# Every kind of white space the two definitions could disagree on, and tags near the ones trimmed.
_PIECES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2000", "\u2028", "\u3000",
           "\u200b", "\ufeff", "字", "a", "<p>", "</p>", "</li>", "</h2>", "</h6>", "</h7>", "</td>", "</th>",
           "</thead>", "</figcaption>", "</P>", "</", "p>", "</strong>"]
_MIXED = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(_MIXED)
def test_collapse_spaces_is_the_regex_collapse(text: str) -> None:
    assert collapse_spaces(text) == _SPACE.sub(" ", text).strip()
    assert visible_length(text) == len(_SPACE.sub("", text))


@settings(max_examples=500, deadline=None)
@given(_MIXED)
def test_trim_block_ends_is_the_regex_trim(html: str) -> None:
    assert trim_block_ends(html) == _TRAILING_SPACE.sub(r"\1", html)


_BLOCKS = st.lists(st.sampled_from([
    "<p>正文</p>", "<p><strong>小标题</strong></p>", "<p>一<b>半</b></p>", '<p cms-style="font-L strong-Bold">加粗</p>',
    '<p cms-style="font-L">常规</p>', "<div><strong>不在段落里</strong></div>", "<p><span><em><b>深</b></em></span></p>",
    "<table><tr><td><p><b>表内</b></p></td></tr></table>",
]), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(_BLOCKS)
def test_bold_paragraphs_are_those_a_per_paragraph_query_finds(body: str) -> None:
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    expected = {p.mem_id for p in tree.body.css("p")
                if "strong-Bold" in (p.attributes.get("cms-style") or "") or p.css_first("strong, b") is not None}
    assert _bold_paragraphs(tree.body) == expected
