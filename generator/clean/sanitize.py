"""Allowlist sanitizing with nh3 (ammonia): whatever the rules missed, no script can run."""
from __future__ import annotations

import re
from functools import lru_cache

import nh3

ALLOWED_TAGS = frozenset(
    "p br hr h2 h3 h4 h5 h6 strong b em i u s sub sup small mark blockquote q cite ul ol li "
    "dl dt dd table caption thead tbody tfoot tr th td figure figcaption img a code pre abbr time".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
_LEADING_SPACE = re.compile(r"(<(?:p|li|h[2-6]|figcaption|td|th)\b[^>]*>)[\s\u3000\xa0]+")
# The closing tags whose block's trailing white space goes. Split on (a literal "</" first,
# found at C speed), not matched as `\s+(</…>)`: a pattern opening with a class of
# characters is tried at every space of the text, four times the cost.
_BLOCK_CLOSE = re.compile(r"(</(?:p|li|h[2-6]|figcaption|td|th)>)")
_EMPTY_ELEMENT = re.compile(
    r"<(p|li|ul|ol|dl|h[2-6]|blockquote|figure|figcaption|strong|b|em|i|u|s|small|mark|a|code|pre|sub|sup|q|cite|caption)"
    r"(?:\s[^>]*)?>[\s\u3000\xa0]*</\1>"
)
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Sanitized HTML cut into <img> tags and runs of everything else (text and other tags, one
# match per run). Attribute values are always double-quoted (a '"' inside is &quot;) but may
# hold "<" and ">" (older html5ever releases write them unescaped there), while text never
# holds a raw "<": matching whole tags from the start of the string, a "<img" inside another
# tag's attribute value is never taken for an image, nor a ">" inside a value for a tag's end.
_IMG_OR_OTHER = re.compile(r"""
    <img(?=[\s/>])(?P<attrs>(?:[^>"]++|"[^"]*+")*+)>            # an image
  | (?:[^<]++|<(?!img[\s/>])(?:[^>"]++|"[^"]*+")*+>)++           # anything else, up to the next image
""", re.X)
# Added to every <img> after sanitizing, by us and in this order: ammonia's
# set_tag_attribute_values iterates a Rust HashMap seeded per process, so the order it
# wrote them in changed from one build to the next (issue #19).
IMG_EXTRA_ATTRIBUTES = ' loading="lazy" referrerpolicy="no-referrer"'


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        strip_comments=True,
    )


def _with_img_attributes(match: re.Match[str]) -> str:
    attrs = match.group("attrs")
    return match.group(0) if attrs is None else f"<img{attrs}{IMG_EXTRA_ATTRIBUTES}>"


def add_img_attributes(html: str) -> str:
    """`loading="lazy" referrerpolicy="no-referrer"` at the end of every <img> of sanitized HTML.

    Neither attribute is on the allowlist, so the sanitizer has just removed any the input
    had: each image gets exactly one of each, always in this order (sanitizing the result
    again gives the same bytes).
    """
    return _IMG_OR_OTHER.sub(_with_img_attributes, html) if "<img" in html else html


def trim_block_ends(html: str) -> str:
    """White space (U+3000 and U+00A0 included) right before a block's closing tag removed.

    `str.rstrip()` strips exactly the characters the regex class `\\s` matches."""
    parts = _BLOCK_CLOSE.split(html)
    for i in range(0, len(parts) - 1, 2):  # even items are text, each followed by a closing tag
        parts[i] = parts[i].rstrip()
    return "".join(parts)


def sanitize(html: str) -> str:
    """Allowlisted tags and attributes only; paragraph indentation (U+3000) trimmed."""
    safe = add_img_attributes(_cleaner().clean(html))
    previous = None
    while previous != safe:  # removing an empty <p> can leave its <li> empty, or a <p> with a
        previous = safe      # leading space once an empty <strong> before that space is gone
        safe = _EMPTY_ELEMENT.sub("", trim_block_ends(_LEADING_SPACE.sub(r"\1", safe)))
    return _BLANK_LINES.sub("\n", safe).strip()
