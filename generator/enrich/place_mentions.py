"""Where the gazetteer's names occur in a text, and what stands around them.

One Aho-Corasick pass over the UTF-8 bytes finds every term; overlapping hits
are resolved longest-first (then leftmost), so 海南藏族自治州 (Qinghai)
swallows 海南 and 北京人力 (a listed company) swallows 北京.  The helpers
here read only a hit's neighbourhood (路/街/时间 or 大学/银行/集团 after a
name, a venue verb after 在北京, a comparison word or a foreign name before
全国, a job title after 国务院) and positions in the text (the lead, sentence
ends, the dateline); how much each finding is worth is region_evidence's
business.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from generator.enrich.gazetteer import GazetteerTerm, load_gazetteer

# Discounts for what stands around a hit, how far to look, and what counts as the lead.
VENUE_FACTOR = 0.3
WEAK_SUFFIX_FACTOR = 0.3
LEAD_LINES = 2
LEAD_MAX_CHARS = 250
WEAK_SUFFIX_WINDOW = 4
COMPANY_SUFFIX_WINDOW = 12

# Kinds whose hits are checked for street/company suffixes.
_SUFFIX_CHECKED = frozenset({"short", "alias", "prefecture_short", "place", "prefecture", "full"})

# After "在北京": the capital is where a meeting or audience takes place.
_VENUE_AFTER = ("召开", "举行", "举办", "开幕", "闭幕", "人民大会堂", "钓鱼台", "会见", "会谈", "会晤", "出席", "主持", "集体会见")
_SENTENCE_END_RE = re.compile(r"[。！？；!?;\n]")
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
_DATE_RE = re.compile(
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日\s*(?:电|讯|消息)"
)
_PAREN_DATELINE_RE = re.compile(r"^[^（(\n]{2,12}[（(]\s*([\u4e00-\u9fff]{2,8})\s*[，,]")
_LEADING_JUNK_RE = re.compile(r"^[\s\u3000【\[（(]+")


# --------------------------------------------------------------------------- #
# Hits
# --------------------------------------------------------------------------- #


class Hit(NamedTuple):
    """One kept automaton match (character offsets); a named tuple, as it is made per match."""

    start: int
    end: int
    term: GazetteerTerm


def find_mentions(text: str) -> list[Hit]:
    """Non-overlapping hits: longest first, then leftmost (上海城市 is 上海, not
    海城), then higher priority.

    Matching runs on the UTF-8 byte string; offsets are converted back to
    character offsets for the (few) hits kept.
    """
    if not text:
        return []
    data = text.encode("utf-8")
    # (-length, start, -priority, end, term) tuples sort longest first, then leftmost, then by
    # priority, without a key function (one length and start is one key: terms never compare).
    raw = [(-size, end + 1 - size, -prio, end + 1, term)
           for end, (size, prio, term) in load_gazetteer().automaton.iter(data.decode("latin-1"))]
    if not raw:
        return []
    raw.sort()
    taken = bytearray(len(data))
    kept = []
    for _minus_size, start, _minus_prio, end, term in raw:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((start, end, term))
    kept.sort()  # by start: kept hits do not overlap, so starts differ
    if len(data) == len(text):  # pure ASCII: byte offsets are char offsets
        return [Hit(start, end, term) for start, end, term in kept]
    hits = []
    byte_pos = char_pos = 0
    for start, end, term in kept:
        char_pos += len(data[byte_pos:start].decode("utf-8"))
        hits.append(Hit(char_pos, char_pos + len(term.text), term))
        byte_pos = start
    return hits


def suffix_factor(text: str, hit: Hit) -> float:
    """0 for streets/clocks (山西路, 北京时间), small for institutions (浙江大学), else 1."""
    if hit.term.kind not in _SUFFIX_CHECKED:
        return 1.0
    gaz = load_gazetteer()
    after = text[hit.end:hit.end + WEAK_SUFFIX_WINDOW + 4]
    if after.startswith(gaz.ignore_after):
        return 0.0
    run = _CJK_RUN_RE.match(after)
    if run is None:
        return 1.0
    # The leftmost match of any weak word is the earliest first occurrence of one of them.
    weak = gaz.weak_after_re.search(run.group(0))
    if weak is not None and weak.start() <= WEAK_SUFFIX_WINDOW:
        return WEAK_SUFFIX_FACTOR
    if gaz.company_after and "有限" in text[hit.end:hit.end + COMPANY_SUFFIX_WINDOW + 6]:
        longer = _CJK_RUN_RE.match(text, hit.end, hit.end + COMPANY_SUFFIX_WINDOW + 6)
        if longer and any(0 <= longer.group(0).find(w) <= COMPANY_SUFFIX_WINDOW for w in gaz.company_after):
            return WEAK_SUFFIX_FACTOR
    return 1.0


def venue_factor(text: str, hit: Hit) -> float:
    """'会议在北京召开', '…会议在京召开': the capital as a meeting venue says little about scope."""
    if hit.term.kind not in ("short", "full", "compound") or not hit.term.targets:
        return 1.0
    if hit.term.targets[0][0] != load_gazetteer().beijing:
        return 1.0
    held_in = hit.term.text.startswith("在") or text[hit.start - 1:hit.start] == "在"  # 在京 / 在北京
    if held_in and text.startswith(_VENUE_AFTER, hit.end):
        return VENUE_FACTOR
    return 1.0


def national_role(text: str, hit: Hit) -> str:
    """What a national-body hit is: 'scope', a person's 'job' title (国务院总理,
    中央政治局常委), or a 'foreign' body (俄国防部, 美国财政部)."""
    gaz = load_gazetteer()
    after = text[hit.end:hit.end + 5]
    if after.startswith(gaz.job_titles) and not after.startswith(("长期", "长效", "长远", "长江", "长城")):
        return "job"
    before = text[max(0, hit.start - 6):hit.start]
    if before.endswith(gaz.foreign_prefixes) or any(before[-k:] in gaz.foreign_names for k in range(2, 7)):
        return "foreign"
    return "scope"


def is_comparison(text: str, hit: Hit) -> bool:
    """全国 as a yardstick (高于全国, 居全国) or foreign scope (法国全国)."""
    if not hit.term.text.startswith("全国"):
        return False
    gaz = load_gazetteer()
    before = text[max(0, hit.start - 5):hit.start]
    if before.endswith(gaz.comparison_before):
        return True
    return any(before[-k:] in gaz.foreign_names for k in range(2, 6))


# --------------------------------------------------------------------------- #
# Positions
# --------------------------------------------------------------------------- #


def end_of_lead(text: str) -> int:
    """End offset of the first LEAD_LINES non-empty lines (at most LEAD_MAX_CHARS)."""
    seen = 0
    pos = 0
    for match in re.finditer(r"[^\n]*\n?", text):
        line = match.group(0)
        if not line:
            break
        pos = match.end()
        if line.strip():
            seen += 1
            if seen >= LEAD_LINES:
                break
    return min(pos, LEAD_MAX_CHARS)


def sentence_ends(text: str) -> list[int]:
    """Offsets of sentence ends (for bisecting hit positions into sentences)."""
    return list(map(re.Match.start, _SENTENCE_END_RE.finditer(text)))


def dateline_place(line: str) -> tuple[int, int] | None:
    """Span of the place name in a dateline at the start of ``line``, if any."""
    lead = _LEADING_JUNK_RE.match(line)
    begin = lead.end() if lead else 0
    date = _DATE_RE.search(line, begin, begin + 24)
    if date:
        prefix = line[begin:date.start()].rstrip()
        for size in range(min(8, len(prefix)), 1, -1):
            if dateline_term(prefix[-size:]) is not None:
                return begin + len(prefix) - size, begin + len(prefix)
    paren = _PAREN_DATELINE_RE.match(line, begin)
    if paren and dateline_term(paren.group(1)) is not None and ("讯" in line[:60] or "电" in line[:60]):
        return paren.start(1), paren.end(1)
    return None


def dateline_term(name: str) -> GazetteerTerm | None:
    """The place a dateline names (unambiguous Chinese place or a foreign one)."""
    term = load_gazetteer().terms.get(name)
    if term is None or term.ambiguous:
        return None
    if term.kind in ("full", "short", "prefecture", "prefecture_short", "place", "county", "foreign"):
        return term
    return None
