"""Points for each region from each kind of evidence in one article.

Each ``score_*`` function reads one part of the article (title, breadcrumb
hints, byline outlet, dateline, body), adds points per province, for the
nation and for abroad to a ``Scores``, and notes why; ``regions.detect_region``
then combines the totals and decides.  The weights say how much each kind of
evidence tells about the story's focus.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.enrich.gazetteer import NATIONAL, Gazetteer, load_gazetteer, short_name
from generator.enrich.place_mentions import (
    LEAD_MAX_CHARS,
    Hit,
    dateline_place,
    dateline_term,
    end_of_lead,
    find_mentions,
    is_comparison,
    national_role,
    sentence_ends,
    suffix_factor,
    venue_factor,
)

# Points per kind of evidence (a body hit of a province name is worth 2.0
# before compression).
TITLE_FACTOR = 3.0
TITLE_CAP = 9.0
HINT_POINTS = 5.0
OUTLET_POINTS = 3.0
LOCAL_OUTLET_POINTS = 2.0
DATELINE_POINTS = 5.0
WEAK_DATELINE_POINTS = 1.0
LEAD_FACTOR = 1.5
NATIONAL_TITLE_POINTS = 6.0
NATIONAL_SPEAKER_POINTS = 4.0
LEADER_AT_WORK_POINTS = 6.0  # as a national term in the headline; 9 and 12 lost 2 TUNE articles each
FOREIGN_TITLE_POINTS = 6.0
DIPLOMACY_TITLE_POINTS = 8.0
TITLE_FIRST_POINTS = 3.0
ENUM_POINTS = 2.0
ENUM_CAP = 6.0
ENUM_TOTAL_CAP = 9.0
ENUM_MEMBER_FACTOR = 0.3
COOPERATION_FACTOR = 0.35
AMBIGUOUS_FACTOR = 0.7
PREFERRED_FACTOR = 0.6

# Kind weights: a hit's base weight.
_KIND_WEIGHT = {
    "full": 2.0, "short": 2.0, "alias": 1.5, "prefecture": 1.5, "prefecture_short": 1.3,
    "county": 1.0, "place": 1.0, "compound": 1.0, "area": 2.0, "outlet": 0.5,
}
_GEO_KINDS = frozenset({"full", "short", "alias", "prefecture", "prefecture_short", "county", "place", "compound", "area"})
_SEPARATOR_RE = re.compile(r"[、，,和及与\s]{1,2}")


@dataclass(slots=True)
class _GeoHit:
    """A place hit in the body with its current weight."""

    hit: Hit
    weight: float
    plain: bool  # no suffix/cooperation/venue discount: may be part of a list


@dataclass(slots=True)
class Scores:
    """Running totals for one article."""

    fixed: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    body: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    body_names: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    national_fixed: float = 0.0
    national_body: float = 0.0
    national_names: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    foreign_fixed: float = 0.0
    foreign_body: float = 0.0
    foreign_names: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    local_view: int = 0
    lead_provinces: set[int] = field(default_factory=set)
    title_provinces: set[int] = field(default_factory=set)
    tour: bool = False
    title_ambiguous: list[_GeoHit] = field(default_factory=list)
    body_units: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    full_text: str = ""
    evidence: list[tuple[float, str]] = field(default_factory=list)

    def note(self, points: float, message: str) -> None:
        self.evidence.append((points, message))


# --------------------------------------------------------------------------- #
# Title, hints, outlet, dateline
# --------------------------------------------------------------------------- #


def score_title(title: str, scores: Scores) -> None:
    """Title hits: provinces, national scope, foreign places, diplomacy.

    When the headline names several provinces, the first-named is what the
    story leads with (+``TITLE_FIRST_POINTS``).  A national body in a job title
    (国务院总理) or of a foreign state (俄国防部) is not national scope, and
    "多地" in a headline about a foreign place is abroad.
    """
    gaz = load_gazetteer()
    per_province: dict[int, list[tuple[float, str]]] = defaultdict(list)
    first_at: dict[int, int] = {}
    national_terms: list[str] = []
    foreign_in_title = False
    for hit in find_mentions(title):
        kind = hit.term.kind
        if kind in _GEO_KINDS:
            factor = suffix_factor(title, hit) * venue_factor(title, hit)
            if factor == 0.0:
                continue
            weight = _KIND_WEIGHT[kind] * factor * TITLE_FACTOR
            if hit.term.ambiguous:
                scores.title_ambiguous.append(_GeoHit(hit, weight, True))
                continue
            for index, share in hit.term.targets:
                per_province[index].append((weight * share, hit.term.text))
                first_at.setdefault(index, hit.start)
        elif kind == "national" and not is_comparison(title, hit):
            role = national_role(title, hit)
            if role == "job":
                continue
            if role == "foreign":
                foreign_in_title = True
                scores.foreign_names[hit.term.text] += 1
                scores.foreign_fixed = max(scores.foreign_fixed, FOREIGN_TITLE_POINTS)
                continue
            national_terms.append(hit.term.text)
            if hit.start == 0 and title[hit.end:hit.end + 1] in (":", "："):
                scores.national_fixed += NATIONAL_SPEAKER_POINTS
                scores.note(NATIONAL_SPEAKER_POINTS, f"title speaker: {hit.term.text} (+{NATIONAL_SPEAKER_POINTS:g})")
        elif kind == "foreign":
            foreign_in_title = True
            scores.foreign_names[hit.term.text] += 1
            scores.foreign_fixed = max(scores.foreign_fixed, FOREIGN_TITLE_POINTS)
    for index, items in per_province.items():
        points = min(TITLE_CAP, sum(p for p, _ in items))
        scores.fixed[index] += points
        scores.title_provinces.add(index)
        names = "、".join(dict.fromkeys(n for _, n in items))
        scores.note(points, f"title: {names} (+{points:.3g})")
    if len(per_province) >= 2:
        first = min(first_at, key=first_at.__getitem__)
        scores.fixed[first] += TITLE_FIRST_POINTS
        scores.note(TITLE_FIRST_POINTS, f"title names {short_name(first)} first (+{TITLE_FIRST_POINTS:g})")
    verb = gaz.diplomacy_verbs_re.search(title)
    diplomatic = bool(verb and (foreign_in_title or gaz.diplomacy_roles_re.search(title)))
    if diplomatic:
        scores.foreign_fixed += DIPLOMACY_TITLE_POINTS
        scores.note(DIPLOMACY_TITLE_POINTS, f"title: diplomacy ({verb.group(0)[:6]}) → abroad (+{DIPLOMACY_TITLE_POINTS:g})")
    leader = gaz.leader_acts_re.search(title)
    if leader and not per_province and not foreign_in_title and not diplomatic:
        scores.national_fixed += LEADER_AT_WORK_POINTS
        scores.note(LEADER_AT_WORK_POINTS, f"title: {leader.group(0)[:12]} (a national leader at work) → {NATIONAL} (+{LEADER_AT_WORK_POINTS:g})")
    many = gaz.many_regions_re.search(title)
    if many and foreign_in_title and not per_province:
        scores.note(0.0, f"title: {many.group(0)} abroad (ignored)")
        many = None
    if national_terms or many:
        label = "、".join(dict.fromkeys(national_terms + ([many.group(0)] if many else [])))
        points = NATIONAL_TITLE_POINTS * (1.5 if national_terms and many else 1.0)
        scores.national_fixed += points
        scores.note(points, f"title: {label} → {NATIONAL} (+{points:g})")


def score_hints(hints: Sequence[str], scores: Scores) -> None:
    """Breadcrumb/category labels naming a province."""
    credited: set[int] = set()
    for hint in hints:
        for hit in find_mentions(hint):
            if hit.term.kind not in _GEO_KINDS and hit.term.kind != "outlet":
                continue
            if suffix_factor(hint, hit) == 0.0:
                continue
            for index, _share in hit.term.targets if not hit.term.ambiguous else ():
                if index not in credited:
                    credited.add(index)
                    scores.fixed[index] += HINT_POINTS
                    scores.note(HINT_POINTS, f"hint {hint} → {short_name(index)} (+{HINT_POINTS:g})")


def score_outlet(outlet: str | None, scores: Scores) -> set[int]:
    """Byline outlet: a provincial outlet, or a local outlet named after a place."""
    if not outlet:
        return set()
    gaz = load_gazetteer()
    credited: set[int] = set()
    hits = find_mentions(outlet)
    if any(h.term.kind == "national_outlet" for h in hits):
        scores.note(0.0, f"outlet {outlet} (national)")
        return credited
    for hit in hits:
        kind = hit.term.kind
        if kind == "outlet":
            points = OUTLET_POINTS
        elif kind in _GEO_KINDS and not hit.term.ambiguous:
            points = LOCAL_OUTLET_POINTS
        else:
            continue
        for index, _share in hit.term.targets:
            if index not in credited:
                credited.add(index)
                scores.fixed[index] += points
                scores.note(points, f"outlet {outlet} → {gaz.provinces[index].short} (+{points:g})")
    return credited


def score_dateline(text: str, scores: Scores, outlet_provinces: set[int]) -> tuple[int, int] | None:
    """'中新网哈尔滨7月27日电' → 黑龙江; a Beijing dateline is weak. Returns the place span."""
    gaz = load_gazetteer()
    offset = 0
    for n, line in enumerate(text[: LEAD_MAX_CHARS * 2].split("\n")):
        if n >= 4 or offset > LEAD_MAX_CHARS:
            break
        found = dateline_place(line)
        if found is not None:
            start, end = found
            place = line[start:end]
            _credit_dateline(line[:end].strip(), place, scores, outlet_provinces, gaz)
            return offset + start, offset + end
        offset += len(line) + 1
    return None


def _credit_dateline(head: str, place: str, scores: Scores, outlet_provinces: set[int], gaz: Gazetteer) -> None:
    """Points for the dateline place; Beijing only weakly unless the byline is a Beijing outlet."""
    term = dateline_term(place)
    assert term is not None
    if term.kind == "foreign":
        scores.foreign_fixed += DATELINE_POINTS
        scores.note(DATELINE_POINTS, f"dateline {head} → abroad (+{DATELINE_POINTS:g})")
        return
    for index, _share in term.targets:
        weak = index == gaz.beijing and index not in outlet_provinces
        points = WEAK_DATELINE_POINTS if weak else DATELINE_POINTS
        scores.fixed[index] += points
        label = " (filing place, weak)" if weak else ""
        scores.note(points, f"dateline {head} → {gaz.provinces[index].short}{label} (+{points:g})")


# --------------------------------------------------------------------------- #
# Body
# --------------------------------------------------------------------------- #


def score_body(text: str, scores: Scores, skip_span: tuple[int, int] | None, outlet_provinces: set[int]) -> None:
    """Body hits: summed per province (lead counts more), then compressed."""
    hits = find_mentions(text)
    lead_end = end_of_lead(text)
    coop_starts = [h.start for h in hits if h.term.kind == "cooperation"]
    ends = sentence_ends(text) if coop_starts else []  # only needed to place cooperation sentences
    coop_sentences = {bisect_left(ends, start) for start in coop_starts}
    byline = set(outlet_provinces)
    geo: list[_GeoHit] = []
    ambiguous: list[_GeoHit] = []
    for hit in hits:
        if skip_span and hit.start < skip_span[1] and hit.end > skip_span[0]:
            continue
        kind = hit.term.kind
        zone = LEAD_FACTOR if hit.start < lead_end else 1.0
        if kind in _GEO_KINDS or kind == "outlet":
            factor = suffix_factor(text, hit) * venue_factor(text, hit)
            if factor == 0.0:
                continue
            if coop_sentences and bisect_left(ends, hit.start) in coop_sentences:
                factor *= COOPERATION_FACTOR
            if kind == "outlet":
                if hit.start < lead_end:
                    _credit_lead_outlet(hit, scores, outlet_provinces)
                if hit.start < lead_end or any(i in byline for i, _ in hit.term.targets):
                    continue
            item = _GeoHit(hit, _KIND_WEIGHT[kind] * zone * factor, factor == 1.0)
            (ambiguous if hit.term.ambiguous else geo).append(item)
        elif kind == "national":
            if is_comparison(text, hit):
                continue
            role = national_role(text, hit)
            if role == "job":
                continue
            if role == "foreign":
                scores.foreign_body += zone
                scores.foreign_names[hit.term.text] += 1
                continue
            scores.national_body += zone
            scores.national_names[hit.term.text] += 1
        elif kind in ("foreign", "diplomacy"):
            scores.foreign_body += zone
            scores.foreign_names[hit.term.text] += 1
        elif kind == "local":
            scores.local_view += 1
    _apply_enumerations(text, geo, scores)
    for item in geo:
        scores.body_units[item.hit.term.targets[0][0]] += item.weight
        for index, share in item.hit.term.targets:
            if item.hit.start < lead_end and item.plain:
                scores.lead_provinces.add(index)
            scores.body[index] += item.weight * share
            scores.body_names[index][item.hit.term.text] += 1
    _apply_ambiguous(ambiguous, scores)
    _apply_ambiguous(scores.title_ambiguous, scores, in_title=True)


def _credit_lead_outlet(hit: Hit, scores: Scores, outlet_provinces: set[int]) -> None:
    """An outlet named in the first lines ('来源：宁夏日报') works like a byline."""
    for index, _share in hit.term.targets:
        if index in outlet_provinces:
            continue
        outlet_provinces.add(index)
        scores.fixed[index] += OUTLET_POINTS
        scores.note(OUTLET_POINTS, f"outlet {hit.term.text} → {short_name(index)} (+{OUTLET_POINTS:g})")


def _apply_enumerations(text: str, geo: list[_GeoHit], scores: Scores) -> None:
    """Lists of provinces ('北京、天津、广东、河南等'): examples of a wider story.

    A run of place hits separated only by 、/，/和 counts when it names 3+
    provinces, or 2+ followed by 等 (等地, 等省份).  An area (长三角) is one
    unit; discounted hits (浙江大学) break a run.
    """
    run: list[_GeoHit] = []
    total = 0.0

    def close() -> float:
        units = {h.hit.term.targets[0][0] for h in run}
        tail = text[run[-1].hit.end:run[-1].hit.end + 2] if run else ""
        listed = len(units) >= 3 or (len(units) >= 2 and tail.startswith("等"))
        points = 0.0
        if listed:
            for h in run:
                h.weight *= ENUM_MEMBER_FACTOR
            points = min(ENUM_CAP, ENUM_POINTS * len(units))
            names = "、".join(h.hit.term.text for h in run[:6])
            scores.note(points, f"list of {len(units)} provinces: {names} → {NATIONAL} (+{points:g})")
        run.clear()
        return points

    for item in geo:
        if run:
            gap = text[run[-1].hit.end:item.hit.start]
            if not item.plain or not (gap == "" or _SEPARATOR_RE.fullmatch(gap)):
                total += close()
        if item.plain:
            run.append(item)
    if run:
        total += close()
    scores.national_fixed += min(ENUM_TOTAL_CAP, total)


def _apply_ambiguous(ambiguous: list[_GeoHit], scores: Scores, *, in_title: bool = False) -> None:
    """Shared county names go to a candidate already in play, else to the default."""
    gaz = load_gazetteer()
    for item in ambiguous:
        hit, weight = item.hit, item.weight
        candidates = [i for i, _ in hit.term.targets]
        in_play = [i for i in candidates if scores.body.get(i, 0.0) + scores.fixed.get(i, 0.0) > 0]
        if in_play:
            best = max(in_play, key=lambda i: scores.body.get(i, 0.0) + scores.fixed.get(i, 0.0))
            factor = AMBIGUOUS_FACTOR
        elif hit.term.text in gaz.prefer and gaz.prefer[hit.term.text] in candidates:
            best = gaz.prefer[hit.term.text]
            factor = PREFERRED_FACTOR
        else:
            scores.note(0.0, f"ambiguous {hit.term.text} ignored")
            continue
        if in_title:
            points = weight * factor
            scores.fixed[best] += points
            scores.note(points, f"title: {hit.term.text} (ambiguous, taken as {short_name(best)}) (+{points:.3g})")
        else:
            scores.body[best] += weight * factor
            scores.body_units[best] += weight * factor
            scores.body_names[best][hit.term.text] += 1
