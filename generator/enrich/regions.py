"""Which provincial-level division a Chinese news article is about.

The detector scores every province (and two pseudo-regions: the whole country
and "abroad") from several kinds of evidence, each weighted by how much it
says about the story's focus:

* title hits count most (``TITLE_FACTOR`` times a body hit, capped);
* breadcrumb/category hints ("地方频道-重庆") and province-level outlets
  (重庆日报, as byline or first-lines source) add fixed points;
* a dateline ("中新网哈尔滨7月27日电") names where the story happened, except a
  Beijing dateline, which mostly says where a national wire filed it;
* body hits are summed (lead lines count 1.5x) and compressed with log2, so a
  province that runs through the article beats one mentioned in passing.

Layout (imports run one way: regions → region_evidence → place_mentions →
gazetteer): ``generator.enrich.gazetteer`` loads the names (provinces.toml,
adcodes.csv) into one Aho-Corasick automaton; ``generator.enrich.place_mentions``
finds them in a text (overlaps longest-first, then leftmost, so
海南藏族自治州 (Qinghai) swallows 海南 and 北京人力 (a listed company)
swallows 北京) and reads what stands around each; ``generator.enrich.region_evidence``
turns them into points; this module combines the points and decides.

Traps handled by rule rather than by list: a name followed by 路/街/时间 is a
street or a clock; a name followed within a few characters by 大学/银行/集团
is an institution (weak); names in a sentence about east-west cooperation or
labour export (对口支援, 务工) are partners (weak); "会议在北京召开" is a
venue (weak); three or more provinces in an enumeration, or two followed by 等
("北京、天津、广东等16省份", "天津、内蒙古等地"), are examples of a nationwide story;
全国 after a comparison word or inside 全国平均/全国第一 is a yardstick, not a
scope; ambiguous county names (鼓楼区) only count for a province already in
play, or for a listed default (朝阳区 → 北京).

Reader's rules (issue #15): a headline where a leader meets, calls or
congratulates a foreign counterpart, or attends a summit abroad, is diplomatic
news (abroad, so None), and words of diplomacy (两国, 中方, 来华 ...) and
当地时间 count as foreign; a national body in a job title (国务院总理,
中央政治局委员) is a person, not a scope, and one after a foreign name (俄国防部)
is foreign; "多地" in a foreign headline is abroad; when the headline names
several provinces the first-named leads; a story that goes through 3+
provinces one by one, none in the headline, under a national frame (各地, a
ministry) is 全国; a lone national word in the body (one 全国 in a feature)
is not enough for 全国 unless it is in the lead; "在北京会见/出席" is a venue;
company and institution names (…有限公司, 北京天文馆) count little.

Decision: a clear foreign story → None; a roundup through provinces → 全国;
national evidence at least as strong
as the best province → 全国; otherwise the best province if it clears
``REGION_MIN`` and is "focused" (named in the title, hints, byline, dateline or
lead, or holding ``FOCUS_SHARE`` of the body's place mentions — scattered
sidebar mentions don't count); else 全国 if national evidence clears
``NATIONAL_MIN``, or if no place is named at all but the text is full of
government-policy vocabulary (regional copy names its region); else None
(company, tech, culture stories without a place).

Speed: one automaton pass over the UTF-8 bytes of title and text (see
``generator.enrich.bytestrings``); about 0.35-0.4 ms for a 3,000-character article.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.enrich.gazetteer import (
    NATIONAL,
    Province,
    load_gazetteer,
    province_by_name,
    province_by_slug,
    provinces,
    short_name,
)
from generator.enrich.region_evidence import (
    Scores,
    score_body,
    score_dateline,
    score_hints,
    score_outlet,
    score_title,
)

__all__ = [
    "NATIONAL",
    "Province",
    "RegionGuess",
    "detect_region",
    "province_by_name",
    "province_by_slug",
    "provinces",
]

NATIONAL_OVERRIDES = frozenset({"全国", "national", "nationwide", "china", "中国", "全国性"})

# How the scores are combined and what it takes to win.
BODY_SCALE = 3.0
TOUR_MIN_PROVINCES = 3
TOUR_MIN_SHARE = 0.12
TOUR_MAX_LEADER_SHARE = 0.5
SPREAD_POINTS = 3.0
LOCAL_VIEW_SCALE = 2.0
LOCAL_VIEW_CAP = 6.0
REGION_MIN = 5.0
FOCUS_SHARE = 0.4
POLICY_REGISTER_MIN = 4
NATIONAL_MIN = 3.0
NATIONAL_BODY_MIN = 3.5
FOREIGN_MIN = 4.5
TIE_SHARE = 0.9  # the runner-up province within 10% of the leader: neither leads
NATIONAL_SHARE_OF_TIE = 0.8  # ... and national scope within 20%: the story is national
MAX_EVIDENCE = 10


@dataclass(frozen=True, slots=True)
class RegionGuess:
    """Detection result: primary region, every region's weight, and why."""

    primary: str | None
    weights: tuple[tuple[str, float], ...]
    evidence: tuple[str, ...]


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def detect_region(
    title: str,
    text: str,
    *,
    outlet: str | None = None,
    hints: Sequence[str] = (),
    override: str | None = None,
) -> RegionGuess:
    """Guess the province (short name), 全国, or None for an article.

    ``hints`` are breadcrumb labels or categories; ``override`` (a front-matter
    ``region:`` value: short/full name, slug, or 全国/national) wins.
    """
    title = title or ""
    text = text or ""
    if isinstance(hints, str):  # a single label passed bare
        hints = (hints,)
    scores = Scores(full_text=title + "\n" + text)
    score_title(title, scores)
    score_hints(hints, scores)
    outlet_provinces = score_outlet(outlet, scores)
    span = score_dateline(text, scores, outlet_provinces)
    score_body(text, scores, span, outlet_provinces)
    totals, national, foreign = _combine(scores)
    primary = _decide(totals, national, foreign, scores)
    if override is not None and override.strip():
        primary = _apply_override(override, primary, scores)
    weights = [(short_name(i), round(v, 2)) for i, v in totals.items() if v > 0]
    if national > 0:
        weights.append((NATIONAL, round(national, 2)))
    weights.sort(key=lambda item: (-item[1], item[0]))
    evidence = tuple(msg for _, msg in sorted(scores.evidence, key=lambda e: -e[0])[:MAX_EVIDENCE])
    return RegionGuess(primary, tuple(weights), evidence)


def _combine(scores: Scores) -> tuple[dict[int, float], float, float]:
    """Province totals, national score, foreign score (with evidence notes)."""
    totals: dict[int, float] = defaultdict(float)
    for index, value in scores.fixed.items():
        totals[index] += value
    for index, value in scores.body.items():
        points = _compress(value)
        totals[index] += points
        names = scores.body_names[index]
        listed = ", ".join(f"{n} ×{c}" for n, c in sorted(names.items(), key=lambda kv: -kv[1])[:4])
        scores.note(points, f"body: {listed} → {short_name(index)} (+{points:.3g})")
    national = scores.national_fixed + _compress(scores.national_body)
    if scores.national_body:
        listed = ", ".join(f"{n} ×{c}" for n, c in sorted(scores.national_names.items(), key=lambda kv: -kv[1])[:4])
        scores.note(_compress(scores.national_body), f"body: {listed} → {NATIONAL} (+{_compress(scores.national_body):.3g})")
    spread = _effective_count(scores.body_units.values())
    if spread > 2.5 and sum(1 for v in scores.body_units.values() if v > 0) >= 4:
        points = SPREAD_POINTS * (spread - 2.5)
        national += points
        scores.note(points, f"spread over ~{spread:.1f} provinces → {NATIONAL} (+{points:.3g})")
    if scores.local_view and totals:
        leader = max(totals, key=totals.__getitem__)
        points = min(LOCAL_VIEW_CAP, LOCAL_VIEW_SCALE * math.log2(1 + scores.local_view))
        totals[leader] += points
        scores.note(points, f"local point of view (全省/全市 ×{scores.local_view}) → {short_name(leader)} (+{points:.3g})")
    scores.tour = _is_tour(scores)
    foreign = scores.foreign_fixed + _compress(scores.foreign_body)
    if foreign:
        listed = ", ".join(f"{n} ×{c}" for n, c in sorted(scores.foreign_names.items(), key=lambda kv: -kv[1])[:4])
        scores.note(foreign, f"abroad: {listed} (+{foreign:.3g})")
    return totals, national, foreign


def _is_tour(scores: Scores) -> bool:
    """A story that goes through several provinces one by one (a roundup of a
    nationwide campaign): 3+ provinces each hold a fair share of the body's
    place mentions, none leads with half of them, none is named in the
    title or by a hint, byline or dateline, and something national (全国, 各地,
    a ministry, a list of provinces) frames the story."""
    mass = sum(scores.body_units.values())
    if mass <= 0 or not (scores.national_body or scores.national_fixed):
        return False
    toured = [i for i, v in scores.body_units.items() if v >= TOUR_MIN_SHARE * mass]
    if len(toured) < TOUR_MIN_PROVINCES or max(scores.body_units.values()) >= TOUR_MAX_LEADER_SHARE * mass:
        return False
    if any(scores.fixed.get(i, 0.0) > 0 for i in scores.body_units):
        return False
    names = "、".join(short_name(i) for i in sorted(toured, key=lambda i: -scores.body_units[i])[:5])
    scores.note(SPREAD_POINTS, f"goes through {len(toured)} provinces one by one ({names}) → {NATIONAL}")
    return True


def _decide(totals: dict[int, float], national: float, foreign: float, scores: Scores) -> str | None:
    """Foreign → None; national ≥ best province → 全国; else best province or fallbacks.

    National evidence that is only a mention or two in the body (one 全国 in a
    feature, a regulator named in a company story) needs ``NATIONAL_BODY_MIN``.
    """
    eligible = {i: v for i, v in totals.items() if _is_focused(i, scores)}
    best_index = max(eligible, key=eligible.__getitem__) if eligible else None
    best = eligible[best_index] if best_index is not None else 0.0
    if foreign >= FOREIGN_MIN and foreign > max(best, national):
        return None
    if scores.tour:
        return NATIONAL
    body_only = national - _compress(scores.national_body) <= 0.0
    national_min = NATIONAL_BODY_MIN if body_only else NATIONAL_MIN
    if national >= national_min and national >= best:
        return NATIONAL
    if national >= national_min and national >= NATIONAL_SHARE_OF_TIE * best and _tied(best_index, eligible):
        scores.note(national, f"{short_name(best_index)} no more than the next province, national scope close → {NATIONAL}")
        return NATIONAL
    if best_index is not None and best >= REGION_MIN:
        return short_name(best_index)
    if national >= national_min:
        return NATIONAL
    if foreign < FOREIGN_MIN and _reads_like_policy(scores):
        return NATIONAL
    return None


def _tied(best_index: int | None, eligible: dict[int, float]) -> bool:
    """Two provinces weigh the same (西藏 and 新疆 in one national meeting's agenda): the
    story is about neither of them."""
    if best_index is None or len(eligible) < 2:
        return False
    best = eligible[best_index]
    second = max(v for i, v in eligible.items() if i != best_index)
    return second >= TIE_SHARE * best


def _reads_like_policy(scores: Scores) -> bool:
    """No place named anywhere, but government-policy vocabulary throughout:
    in a policy digest such a story is national (regional copy names its region)."""
    register = load_gazetteer().policy_register
    found = [word for word in register if word in scores.full_text]
    if len(found) < POLICY_REGISTER_MIN:
        return False
    points = float(len(found))
    scores.note(points, f"no place named; policy vocabulary ({'、'.join(found[:5])} …) → {NATIONAL}")
    return True


def _is_focused(index: int, scores: Scores) -> bool:
    """A province can be primary if something points at it (title, hint, outlet,
    dateline, lead) or it holds a large share of the body's place mentions;
    scattered single mentions in a long text (sidebars, examples) don't count."""
    if scores.fixed.get(index, 0.0) > 0 or index in scores.lead_provinces:
        return True
    mass = sum(scores.body.values())
    return mass > 0 and scores.body.get(index, 0.0) >= FOCUS_SHARE * mass


def _apply_override(override: str, detected: str | None, scores: Scores) -> str | None:
    """Front-matter region wins when it names a province or the nation."""
    value = override.strip()
    if value.lower() in NATIONAL_OVERRIDES or value in NATIONAL_OVERRIDES:
        scores.evidence.insert(0, (math.inf, f"override region: {value} → {NATIONAL}"))
        return NATIONAL
    province = province_by_name(value) or province_by_slug(value)
    if province is None:
        scores.note(math.inf, f"override region: {value} not recognised (kept {detected})")
        return detected
    scores.evidence.insert(0, (math.inf, f"override region: {value} → {province.short}"))
    return province.short


def _compress(total: float) -> float:
    return BODY_SCALE * math.log2(1.0 + total) if total > 0 else 0.0


def _effective_count(values: Iterable[float]) -> float:
    """Inverse Simpson index: how many provinces share the body mentions."""
    vals = [v for v in values if v > 0]
    total = sum(vals)
    return total * total / sum(v * v for v in vals) if vals else 0.0
