"""The enrich stage's fast paths give exactly what the plain per-character versions gave."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich import reading_minutes
from generator.enrich.figures import _FIGURE_RE, _clause_end, _clause_start, _is_boundary
from generator.enrich.subjects import default_subjects
from generator.enrich.taxonomy import default_taxonomy
from generator.enrich.topics import score_topics_in_detail

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")
# The figure pattern as it was: lookbehinds before the first digit.
_PLAIN_FIGURE_RE = re.compile(r"(?<![A-Za-z0-9._\-~～—/])(?<!第)(?P<num>\d+" + _FIGURE_RE.pattern.split(r"\d*", 1)[1])

_PIECES = [*"字中文ab1２3,，.。！？；;!?：: \n\r-'’/~第余多万亿千百元人%％个\uf900", "百分点", "美元", "以上"]
_MIXED = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _reading_minutes_per_char(text: str) -> int:
    cjk = len(_CJK.findall(text))
    words = len(_LATIN_WORD.findall(_CJK.sub(" ", text)))
    return max(1, round(cjk / 400 + words / 220))


@settings(max_examples=300, deadline=None)
@given(_MIXED)
def test_reading_minutes_counts_runs_like_characters(text: str) -> None:
    assert reading_minutes(text * 40) == _reading_minutes_per_char(text * 40)


@settings(max_examples=500, deadline=None)
@given(_MIXED)
def test_figure_pattern_matches_like_the_lookbehind_first_one(text: str) -> None:
    def found(pattern: re.Pattern[str]) -> list:
        return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
    assert found(_FIGURE_RE) == found(_PLAIN_FIGURE_RE)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MIXED, max_size=12).map("".join), st.integers(min_value=0, max_value=800))
def test_clause_bounds_match_a_scan_char_by_char(text: str, pos: int) -> None:
    pos = min(pos, len(text))
    floor = max(0, pos - 200)
    start = next((i + 1 for i in range(pos - 1, floor - 1, -1) if _is_boundary(text, i)), floor)
    limit = min(len(text), pos + 200)
    end = next((i for i in range(pos, limit) if _is_boundary(text, i)), limit)
    assert (_clause_start(text, pos), _clause_end(text, pos)) == (start, end)


def test_scored_lists_exactly_the_topics_with_keyword_gains() -> None:
    text = "人社部门发放稳岗补贴，支持高校毕业生就业。\n养老保险待遇调整，医保报销比例提高。"
    for taxonomy in (default_taxonomy(), default_subjects().taxonomy):
        found = score_topics_in_detail("就业补贴政策", text, taxonomy)
        assert found.scored and list(found.scored) == sorted(set(found.scored))
        assert all(found.scores[i] == (0.0, ()) for i in range(len(found.scores)) if i not in found.scored)
