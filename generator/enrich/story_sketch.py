"""What the story clusterer (generator.stories) needs of one article, computed once per article.

Two reports of one story share their wording (a repost: most of it; a rewrite: names,
phrases, quotes) and their numbers (the figures of the event). Comparing whole texts pair by
pair would cost the square of the site; instead every article carries

- a bottom-k MinHash sketch of the character 4-grams of its headline and lead: the SKETCH_SIZE
  smallest CRC-32 values of its shingles, packed as bytes (uint32, ascending). Two sketches
  estimate the Jaccard similarity of the two shingle sets (Broder's bottom-k estimator), and
  sharing any value makes two articles candidates, so the clusterer compares few pairs;
- the numbers of its headline and lead ("3133万", "5.01亿", "4.6"), which confirm a rewrite
  and tell a recurring statistic of another week (the same sentence, other numbers) apart.

CRC-32 is used because it is deterministic across processes (Python's own `hash` of a string
is not) and costs about 0.2 µs a shingle: 75 µs an article (timeit, a 400-character lead).
"""
from __future__ import annotations

import re
import sys
import zlib
from array import array

__all__ = ["LEAD_CHARS", "SHINGLE", "SKETCH_SIZE", "story_numbers", "story_sketch", "sketch_values"]

# The headline and this many characters of the text are what a repost keeps, whatever it adds
# around them (a 来源 line, an editor's note at the end, share buttons the cleaner missed).
LEAD_CHARS = 400
# 4 characters: 2-grams and 3-grams of Chinese are shared by any two articles of one field
# (就业, 社会保障); 4-grams are mostly words in their context.
SHINGLE = 4
# 48 values estimate a Jaccard similarity of 0.5 within ±0.07 (one standard error), enough to
# tell a repost (above 0.6) from two articles of one field (below 0.1).
SKETCH_SIZE = 48
MAX_NUMBERS = 16

_NOT_TEXT = re.compile(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]+")
# A number with its magnitude, or an ordinal, not a date or a clock time: "3133万", "5.01亿",
# "4.6", "1,200", "第3".
_NUMBER = re.compile(r"(?<![0-9.])(第?)(\d[\d,]*(?:\.\d+)?)\s*([万亿]?)(?![\d.]|\s*[年月日号时点分秒])")


def story_sketch(title: str, text: str) -> bytes:
    """The bottom-SKETCH_SIZE CRC-32 values of the 4-grams of the headline and the lead.

    Punctuation and spaces are dropped first, so full- and half-width punctuation or a
    reflowed paragraph do not hide a repost."""
    letters = _NOT_TEXT.sub("", f"{title}{text[:LEAD_CHARS]}")
    crc = zlib.crc32
    values = sorted({crc(letters[i:i + SHINGLE].encode("utf-8")) for i in range(len(letters) - SHINGLE + 1)})
    return array("I", values[:SKETCH_SIZE]).tobytes()


def sketch_values(sketch: bytes) -> tuple[int, ...]:
    """The values packed by `story_sketch`, ascending."""
    return tuple(array("I", sketch))


def story_numbers(title: str, text: str) -> tuple[str, ...]:
    """The numbers of the headline and the lead as written (thousands separators dropped),
    each once, in order; a bare single digit is left out (一 to 九 of anything says nothing)
    but "5万" and an ordinal ("第3", the third of a series) are not."""
    found: dict[str, None] = {}
    for match in _NUMBER.finditer(f"{title}\n{text[:LEAD_CHARS]}"):
        ordinal, digits, magnitude = match.group(1), match.group(2).replace(",", ""), match.group(3)
        if len(digits) < 2 and not magnitude and not ordinal:
            continue
        # Interned: a build holds every article's numbers, and "10", "2025", "5万" repeat
        # across thousands of them (545 bytes an article as fresh strings).
        found.setdefault(sys.intern(ordinal + digits + magnitude), None)
        if len(found) >= MAX_NUMBERS:
            break
    return tuple(found)
