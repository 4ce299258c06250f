"""Chinese text as UTF-8 bytes in a latin-1 str, for fast pyahocorasick matching."""
from __future__ import annotations


def as_byte_string(text: str) -> str:
    """UTF-8 bytes held in a latin-1 str.

    pyahocorasick finds a node's child by a linear scan; over Chinese text the root has
    thousands of children, over UTF-8 bytes only a few lead bytes, which makes matching
    about 5x faster. UTF-8 is self-synchronising, so matches fall on character
    boundaries. Lone surrogates pass through instead of raising.
    """
    return text.encode("utf-8", "surrogatepass").decode("latin-1")
