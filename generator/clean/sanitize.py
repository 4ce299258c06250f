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
_TRAILING_SPACE = re.compile(r"[\s\u3000\xa0]+(</(?:p|li|h[2-6]|figcaption|td|th)>)")
_EMPTY_ELEMENT = re.compile(
    r"<(p|li|ul|ol|dl|h[2-6]|blockquote|figure|figcaption|strong|b|em|i|u|s|small|mark|a|code|pre|sub|sup|q|cite|caption)"
    r"(?:\s[^>]*)?>[\s\u3000\xa0]*</\1>"
)
_BLANK_LINES = re.compile(r"\n\s*\n+")


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        strip_comments=True,
        set_tag_attribute_values={"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}},
    )


def sanitize(html: str) -> str:
    """Allowlisted tags and attributes only; paragraph indentation (U+3000) trimmed."""
    safe = _cleaner().clean(html)
    safe = _LEADING_SPACE.sub(r"\1", safe)
    safe = _TRAILING_SPACE.sub(r"\1", safe)
    previous = None
    while previous != safe:  # removing an empty <p> can leave its <li> empty
        previous, safe = safe, _EMPTY_ELEMENT.sub("", safe)
    return _BLANK_LINES.sub("\n", safe).strip()
