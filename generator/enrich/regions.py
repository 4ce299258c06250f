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

Names come from provinces.toml (names, aliases, compounds of one-character
abbreviations, places, outlets) and adcodes.csv (every prefecture and county,
mapped to its province by the adcode prefix).  One Aho-Corasick pass finds
them; overlapping hits are resolved longest-first (then leftmost), so
海南藏族自治州 (Qinghai) swallows 海南 and 北京人力 (a listed company) swallows
北京.

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

import csv
import io
import math
import re
import tomllib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import ahocorasick

from generator.enrich.bytestrings import as_byte_string

__all__ = [
    "NATIONAL",
    "Province",
    "RegionGuess",
    "detect_region",
    "province_by_name",
    "province_by_slug",
    "provinces",
]

NATIONAL = "全国"
NATIONAL_OVERRIDES = frozenset({"全国", "national", "nationwide", "china", "中国", "全国性"})

# Points per kind of evidence (a body hit of a province name is worth 2.0
# before compression; see module docstring).
TITLE_FACTOR = 3.0
TITLE_CAP = 9.0
HINT_POINTS = 5.0
OUTLET_POINTS = 3.0
LOCAL_OUTLET_POINTS = 2.0
DATELINE_POINTS = 5.0
WEAK_DATELINE_POINTS = 1.0
LEAD_FACTOR = 1.5
BODY_SCALE = 3.0
NATIONAL_TITLE_POINTS = 6.0
NATIONAL_SPEAKER_POINTS = 4.0
FOREIGN_TITLE_POINTS = 6.0
DIPLOMACY_TITLE_POINTS = 8.0
TITLE_FIRST_POINTS = 3.0
TOUR_MIN_PROVINCES = 3
TOUR_MIN_SHARE = 0.12
TOUR_MAX_LEADER_SHARE = 0.5
ENUM_POINTS = 2.0
ENUM_CAP = 6.0
ENUM_TOTAL_CAP = 9.0
VENUE_FACTOR = 0.3
AREA_SHARE = 0.5
ENUM_MEMBER_FACTOR = 0.3
SPREAD_POINTS = 3.0
LOCAL_VIEW_SCALE = 2.0
LOCAL_VIEW_CAP = 6.0
COOPERATION_FACTOR = 0.35
WEAK_SUFFIX_FACTOR = 0.3
AMBIGUOUS_FACTOR = 0.7
PREFERRED_FACTOR = 0.6
REGION_MIN = 5.0
FOCUS_SHARE = 0.4
POLICY_REGISTER_MIN = 4
NATIONAL_MIN = 3.0
NATIONAL_BODY_MIN = 3.5
FOREIGN_MIN = 4.5
LEAD_LINES = 2
LEAD_MAX_CHARS = 250
WEAK_SUFFIX_WINDOW = 4
COMPANY_SUFFIX_WINDOW = 12
MAX_EVIDENCE = 10

# Kind weights (a hit's base weight) and priorities (tie-break between
# overlapping hits of equal length: higher wins).
_KIND_WEIGHT = {
    "full": 2.0, "short": 2.0, "alias": 1.5, "prefecture": 1.5, "prefecture_short": 1.3,
    "county": 1.0, "place": 1.0, "compound": 1.0, "area": 2.0, "outlet": 0.5,
}
_PRIORITY = {
    "block": 100, "neutral": 90, "national_outlet": 80, "full": 70, "outlet": 65, "prefecture": 60,
    "county": 55, "alias": 50, "place": 45, "short": 40, "prefecture_short": 35, "area": 30,
    "compound": 25, "national": 20, "foreign": 15, "diplomacy": 12, "cooperation": 10, "local": 5,
}
_GEO_KINDS = frozenset({"full", "short", "alias", "prefecture", "prefecture_short", "county", "place", "compound", "area"})
# Kinds whose hits are checked for street/company suffixes.
_SUFFIX_CHECKED = frozenset({"short", "alias", "prefecture_short", "place", "prefecture", "full"})

# After "在北京": the capital is where a meeting or audience takes place.
_VENUE_AFTER = ("召开", "举行", "举办", "开幕", "闭幕", "人民大会堂", "钓鱼台", "会见", "会谈", "会晤", "出席", "主持", "集体会见")
_PREFECTURE_SUFFIX_RE = re.compile(r"(?:市|地区|盟)$")
_ETHNIC_AUTONOMY_RE = re.compile(
    r"(?:(?:蒙古|藏|回|维吾尔|哈萨克|柯尔克孜|朝鲜|土家|苗|侗|布依|彝|白|哈尼|傣|壮|傈僳|景颇|羌|黎|满|畲|瑶|"
    r"仫佬|毛南|仡佬|水|纳西|拉祜|佤|独龙|怒|普米|阿昌|德昂|基诺|撒拉|保安|东乡|裕固|土|锡伯|达斡尔|鄂温克|"
    r"鄂伦春|赫哲|俄罗斯|塔吉克|乌孜别克|塔塔尔|门巴|珞巴|高山|京|仡|各)族?)*自治[州县旗]$"
)
_SENTENCE_END_RE = re.compile(r"[。！？；!?;\n]")
_SEPARATOR_RE = re.compile(r"[、，,和及与\s]{1,2}")
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
_DATE_RE = re.compile(
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日\s*(?:电|讯|消息)"
)
_PAREN_DATELINE_RE = re.compile(r"^[^（(\n]{2,12}[（(]\s*([\u4e00-\u9fff]{2,8})\s*[，,]")
_LEADING_JUNK_RE = re.compile(r"^[\s\u3000【\[（(]+")


# --------------------------------------------------------------------------- #
# Public types
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class Province:
    """One provincial-level division."""

    short: str
    full: str
    slug: str
    abbreviations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegionGuess:
    """Detection result: primary region, every region's weight, and why."""

    primary: str | None
    weights: tuple[tuple[str, float], ...]
    evidence: tuple[str, ...]


# --------------------------------------------------------------------------- #
# Gazetteer
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class _Term:
    """What one matched string means: a kind plus province shares (index → weight)."""

    text: str
    kind: str
    targets: tuple[tuple[int, float], ...] = ()
    ambiguous: bool = False

    @property
    def priority(self) -> int:
        return _PRIORITY[self.kind]


@dataclass(slots=True)
class _Gazetteer:
    """All vocabulary, compiled once."""

    provinces: tuple[Province, ...]
    terms: dict[str, _Term]
    automaton: Any
    by_slug: dict[str, int]
    by_name: dict[str, int]
    national_outlets: frozenset[str]
    ignore_after: tuple[str, ...]
    weak_after: tuple[str, ...]
    weak_after_re: re.Pattern[str]  # any of weak_after: one search instead of a find per word
    comparison_before: tuple[str, ...]
    foreign_names: frozenset[str]
    prefer: dict[str, int]
    many_regions_re: re.Pattern[str]
    policy_register: tuple[str, ...]
    beijing: int
    company_after: tuple[str, ...]
    job_titles: tuple[str, ...]
    foreign_prefixes: tuple[str, ...]
    diplomacy_verbs_re: re.Pattern[str]
    diplomacy_roles_re: re.Pattern[str]


@dataclass(slots=True)
class _TermBuilder:
    """Collects candidate meanings per string and keeps the strongest."""

    entries: dict[str, _Term] = field(default_factory=dict)

    def add(self, text: str, kind: str, targets: Iterable[tuple[int, float]] = ()) -> None:
        text = text.strip()
        if len(text) < 2:
            return
        new = _Term(text, kind, tuple(targets))
        old = self.entries.get(text)
        if old is None:
            self.entries[text] = new
        elif old.kind == new.kind and old.kind in ("county", "prefecture_short", "place") and new.targets:
            self.entries[text] = _merge_ambiguous(old, new)
        elif new.priority > old.priority:
            self.entries[text] = new


def _merge_ambiguous(old: _Term, new: _Term) -> _Term:
    """Same name in two provinces (通州区): keep all candidates, mark ambiguous."""
    targets = dict(old.targets)
    for index, weight in new.targets:
        targets.setdefault(index, weight)
    return _Term(old.text, old.kind, tuple(targets.items()), ambiguous=len(targets) > 1)


def _read_data(name: str) -> str:
    """Package data via importlib.resources (works from wheels and zips too)."""
    return resources.files("generator.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Load provinces.toml + adcodes.csv and build the automaton (once per process)."""
    data = tomllib.loads(_read_data("provinces.toml"))
    raw_provinces = data["province"]
    plist = tuple(
        Province(p["short"], p["full"], p["slug"], tuple(p.get("abbreviations", ()))) for p in raw_provinces
    )
    by_short = {p.short: i for i, p in enumerate(plist)}
    by_adcode = {p["adcode"]: i for i, p in enumerate(raw_provinces)}
    amb = data.get("ambiguous", {})
    builder = _TermBuilder()
    _add_provinces(builder, raw_provinces)
    _add_areas(builder, data.get("area", ()), by_short)
    _add_adcodes(builder, by_adcode, plist, amb)
    _add_context_terms(builder, data)
    automaton = ahocorasick.Automaton()
    for text, term in builder.entries.items():
        key = as_byte_string(text)
        automaton.add_word(key, (len(key), _PRIORITY[term.kind], term))
    automaton.make_automaton()
    national = data["national"]
    context = data["context"]
    by_name: dict[str, int] = {}
    for i, p in enumerate(plist):
        by_name[p.short] = by_name[p.full] = i
    return _Gazetteer(
        provinces=plist,
        terms=builder.entries,
        automaton=automaton,
        by_slug={p.slug: i for i, p in enumerate(plist)},
        by_name=by_name,
        national_outlets=frozenset(data["outlets"]["national"]),
        ignore_after=tuple(context["ignore_after"]),
        weak_after=tuple(context["weak_after"]),
        weak_after_re=re.compile("|".join(map(re.escape, context["weak_after"])) or "(?!)"),
        comparison_before=tuple(national["comparison_before"]),
        foreign_names=frozenset(data["foreign"]["names"]),
        prefer={name: by_short[short] for name, short in amb.get("prefer", {}).items()},
        many_regions_re=re.compile(national["many_regions_pattern"]),
        policy_register=tuple(national["policy_register"]),
        beijing=by_short["北京"],
        company_after=tuple(context.get("company_after", ())),
        job_titles=tuple(sorted(data["foreign"]["job_titles"], key=len, reverse=True)),
        foreign_prefixes=tuple(data["foreign"]["foreign_prefixes"]),
        diplomacy_verbs_re=re.compile(data["foreign"]["diplomacy_verbs"]),
        diplomacy_roles_re=re.compile(data["foreign"]["diplomacy_roles"]),
    )


def _add_provinces(builder: _TermBuilder, raw_provinces: list[dict[str, Any]]) -> None:
    """Names, aliases, compounds, places and outlets of every province."""
    for i, p in enumerate(raw_provinces):
        one = ((i, 1.0),)
        builder.add(p["full"], "full", one)
        builder.add(p["short"], "short", one)
        for kind, key in (("alias", "aliases"), ("compound", "compounds"), ("place", "places"), ("outlet", "outlets")):
            for text in p.get(key, ()):
                builder.add(text, kind, one)


def _add_areas(builder: _TermBuilder, areas: Iterable[dict[str, Any]], by_short: dict[str, int]) -> None:
    """Multi-province areas; earlier members get slightly larger shares."""
    for area in areas:
        members = [by_short[m] for m in area["members"]]
        n = len(members)
        targets = tuple((m, 1.0 if n == 1 else AREA_SHARE + 0.05 * (n - 1 - k)) for k, m in enumerate(members))
        for name in area["names"]:
            builder.add(name, "area", targets)


def _add_adcodes(builder: _TermBuilder, by_adcode: dict[str, int], plist: tuple[Province, ...],
                 amb: dict[str, Any]) -> None:
    """Prefectures (full name and short form) and counties from adcodes.csv."""
    skip = set(amb.get("skip_names", ()))
    stop_short = set(amb.get("stop_short_forms", ())) - set(amb.get("keep_short_forms", ()))
    province_names = {p.short for p in plist} | {p.full for p in plist}
    reader = csv.DictReader(io.StringIO(_read_data("adcodes.csv")))
    for row in reader:
        code, name = row["adcode"], row["name"].strip()
        index = by_adcode.get(code[:2])
        if index is None or name in skip:
            continue
        one = ((index, 1.0),)
        if code[4:] == "00":
            builder.add(name, "prefecture", one)
            short = _prefecture_short_form(name)
            if short and short not in stop_short and short not in province_names:
                builder.add(short, "prefecture_short", one)
            if short and name.endswith("自治州"):
                builder.add(short + "州", "prefecture_short", one)  # 延边州, 海南州
        else:
            builder.add(name, "county", one)


def _prefecture_short_form(name: str) -> str | None:
    """哈尔滨市 → 哈尔滨, 延边朝鲜族自治州 → 延边, 喀什地区 → 喀什 (None if too short)."""
    short = _PREFECTURE_SUFFIX_RE.sub("", name)
    if short == name:
        short = _ETHNIC_AUTONOMY_RE.sub("", name)
    return short if short != name and len(short) >= 2 else None


def _add_context_terms(builder: _TermBuilder, data: dict[str, Any]) -> None:
    """National/foreign/blocking/cooperation/local-view vocabulary."""
    for (section, key), kind in _CONTEXT_KINDS.items():
        for text in data[section][key]:
            builder.add(text, kind)


# provinces.toml [section].key -> the kind of term its entries become
_CONTEXT_KINDS = {
    ("outlets", "national"): "national_outlet",
    ("national", "terms"): "national",
    ("national", "neutral"): "neutral",
    ("foreign", "names"): "foreign",
    ("foreign", "diplomacy"): "diplomacy",
    ("blockers", "names"): "block",
    ("context", "cooperation"): "cooperation",
    ("context", "local_view"): "local",
}


# --------------------------------------------------------------------------- #
# Public lookups
# --------------------------------------------------------------------------- #


def provinces() -> tuple[Province, ...]:
    """All 34 provincial-level divisions, in adcode order (cached)."""
    return _gazetteer().provinces


def province_by_slug(slug: str) -> Province | None:
    """Province for an ASCII slug (shanxi = 山西, shaanxi = 陕西)."""
    gaz = _gazetteer()
    index = gaz.by_slug.get(slug.strip().lower())
    return None if index is None else gaz.provinces[index]


def province_by_name(name: str) -> Province | None:
    """Province for a short (内蒙古) or full (内蒙古自治区) name."""
    gaz = _gazetteer()
    index = gaz.by_name.get(name.strip())
    return None if index is None else gaz.provinces[index]


# --------------------------------------------------------------------------- #
# Matching
# --------------------------------------------------------------------------- #


class _Hit(NamedTuple):
    """One kept automaton match (character offsets); a named tuple, as it is made per match."""

    start: int
    end: int
    term: _Term


@dataclass(slots=True)
class _GeoHit:
    """A place hit in the body with its current weight."""

    hit: _Hit
    weight: float
    plain: bool  # no suffix/cooperation/venue discount: may be part of a list


def _venue_factor(text: str, hit: _Hit) -> float:
    """'会议在北京召开': the capital as a meeting venue says little about scope."""
    if hit.term.kind not in ("short", "full", "compound") or not hit.term.targets:
        return 1.0
    if hit.term.targets[0][0] != _gazetteer().beijing:
        return 1.0
    if text[hit.start - 1:hit.start] == "在" and text.startswith(_VENUE_AFTER, hit.end):
        return VENUE_FACTOR
    return 1.0


def _credit_lead_outlet(hit: _Hit, scores: _Scores, outlet_provinces: set[int]) -> None:
    """An outlet named in the first lines ('来源：宁夏日报') works like a byline."""
    for index, _share in hit.term.targets:
        if index in outlet_provinces:
            continue
        outlet_provinces.add(index)
        scores.fixed[index] += OUTLET_POINTS
        scores.note(OUTLET_POINTS, f"outlet {hit.term.text} → {_short(index)} (+{OUTLET_POINTS:g})")



def _find(text: str) -> list[_Hit]:
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
           for end, (size, prio, term) in _gazetteer().automaton.iter(data.decode("latin-1"))]
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
        return [_Hit(start, end, term) for start, end, term in kept]
    hits = []
    byte_pos = char_pos = 0
    for start, end, term in kept:
        char_pos += len(data[byte_pos:start].decode("utf-8"))
        hits.append(_Hit(char_pos, char_pos + len(term.text), term))
        byte_pos = start
    return hits


def _suffix_factor(text: str, hit: _Hit) -> float:
    """0 for streets/clocks (山西路, 北京时间), small for institutions (浙江大学), else 1."""
    if hit.term.kind not in _SUFFIX_CHECKED:
        return 1.0
    gaz = _gazetteer()
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


def _national_role(text: str, hit: _Hit) -> str:
    """What a national-body hit is: 'scope', a person's 'job' title (国务院总理,
    中央政治局常委), or a 'foreign' body (俄国防部, 美国财政部)."""
    gaz = _gazetteer()
    after = text[hit.end:hit.end + 5]
    if after.startswith(gaz.job_titles) and not after.startswith(("长期", "长效", "长远", "长江", "长城")):
        return "job"
    before = text[max(0, hit.start - 6):hit.start]
    if before.endswith(gaz.foreign_prefixes) or any(before[-k:] in gaz.foreign_names for k in range(2, 7)):
        return "foreign"
    return "scope"


def _is_comparison(text: str, hit: _Hit) -> bool:
    """全国 as a yardstick (高于全国, 居全国) or foreign scope (法国全国)."""
    if not hit.term.text.startswith("全国"):
        return False
    gaz = _gazetteer()
    before = text[max(0, hit.start - 5):hit.start]
    if before.endswith(gaz.comparison_before):
        return True
    return any(before[-k:] in gaz.foreign_names for k in range(2, 6))


# --------------------------------------------------------------------------- #
# Scoring
# --------------------------------------------------------------------------- #


@dataclass(slots=True)
class _Scores:
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


def _short(index: int) -> str:
    """Short name of a province index."""
    return _gazetteer().provinces[index].short


def _score_title(title: str, scores: _Scores) -> None:
    """Title hits: provinces, national scope, foreign places, diplomacy.

    When the headline names several provinces, the first-named is what the
    story leads with (+``TITLE_FIRST_POINTS``).  A national body in a job title
    (国务院总理) or of a foreign state (俄国防部) is not national scope, and
    "多地" in a headline about a foreign place is abroad.
    """
    gaz = _gazetteer()
    per_province: dict[int, list[tuple[float, str]]] = defaultdict(list)
    first_at: dict[int, int] = {}
    national_terms: list[str] = []
    foreign_in_title = False
    for hit in _find(title):
        kind = hit.term.kind
        if kind in _GEO_KINDS:
            factor = _suffix_factor(title, hit)
            if factor == 0.0:
                continue
            weight = _KIND_WEIGHT[kind] * factor * TITLE_FACTOR
            if hit.term.ambiguous:
                scores.title_ambiguous.append(_GeoHit(hit, weight, True))
                continue
            for index, share in hit.term.targets:
                per_province[index].append((weight * share, hit.term.text))
                first_at.setdefault(index, hit.start)
        elif kind == "national" and not _is_comparison(title, hit):
            role = _national_role(title, hit)
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
        scores.note(TITLE_FIRST_POINTS, f"title names {_short(first)} first (+{TITLE_FIRST_POINTS:g})")
    verb = gaz.diplomacy_verbs_re.search(title)
    if verb and (foreign_in_title or gaz.diplomacy_roles_re.search(title)):
        scores.foreign_fixed += DIPLOMACY_TITLE_POINTS
        scores.note(DIPLOMACY_TITLE_POINTS, f"title: diplomacy ({verb.group(0)[:6]}) → abroad (+{DIPLOMACY_TITLE_POINTS:g})")
    many = gaz.many_regions_re.search(title)
    if many and foreign_in_title and not per_province:
        scores.note(0.0, f"title: {many.group(0)} abroad (ignored)")
        many = None
    if national_terms or many:
        label = "、".join(dict.fromkeys(national_terms + ([many.group(0)] if many else [])))
        points = NATIONAL_TITLE_POINTS * (1.5 if national_terms and many else 1.0)
        scores.national_fixed += points
        scores.note(points, f"title: {label} → {NATIONAL} (+{points:g})")


def _score_hints(hints: Sequence[str], scores: _Scores) -> None:
    """Breadcrumb/category labels naming a province."""
    credited: set[int] = set()
    for hint in hints:
        for hit in _find(hint):
            if hit.term.kind not in _GEO_KINDS and hit.term.kind != "outlet":
                continue
            if _suffix_factor(hint, hit) == 0.0:
                continue
            for index, _share in hit.term.targets if not hit.term.ambiguous else ():
                if index not in credited:
                    credited.add(index)
                    scores.fixed[index] += HINT_POINTS
                    scores.note(HINT_POINTS, f"hint {hint} → {_short(index)} (+{HINT_POINTS:g})")


def _score_outlet(outlet: str | None, scores: _Scores) -> set[int]:
    """Byline outlet: a provincial outlet, or a local outlet named after a place."""
    if not outlet:
        return set()
    gaz = _gazetteer()
    credited: set[int] = set()
    hits = _find(outlet)
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


def _lead_end(text: str) -> int:
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


def _score_dateline(text: str, scores: _Scores, outlet_provinces: set[int]) -> tuple[int, int] | None:
    """'中新网哈尔滨7月27日电' → 黑龙江; a Beijing dateline is weak. Returns the place span."""
    gaz = _gazetteer()
    offset = 0
    for n, line in enumerate(text[: LEAD_MAX_CHARS * 2].split("\n")):
        if n >= 4 or offset > LEAD_MAX_CHARS:
            break
        found = _dateline_place(line)
        if found is not None:
            start, end = found
            place = line[start:end]
            _credit_dateline(line[:end].strip(), place, scores, outlet_provinces, gaz)
            return offset + start, offset + end
        offset += len(line) + 1
    return None


def _dateline_place(line: str) -> tuple[int, int] | None:
    """Span of the place name in a dateline at the start of ``line``, if any."""
    lead = _LEADING_JUNK_RE.match(line)
    begin = lead.end() if lead else 0
    date = _DATE_RE.search(line, begin, begin + 24)
    if date:
        prefix = line[begin:date.start()].rstrip()
        for size in range(min(8, len(prefix)), 1, -1):
            if _dateline_term(prefix[-size:]) is not None:
                return begin + len(prefix) - size, begin + len(prefix)
    paren = _PAREN_DATELINE_RE.match(line, begin)
    if paren and _dateline_term(paren.group(1)) is not None and ("讯" in line[:60] or "电" in line[:60]):
        return paren.start(1), paren.end(1)
    return None


def _dateline_term(name: str) -> _Term | None:
    """The place a dateline names (unambiguous Chinese place or a foreign one)."""
    term = _gazetteer().terms.get(name)
    if term is None or term.ambiguous:
        return None
    if term.kind in ("full", "short", "prefecture", "prefecture_short", "place", "county", "foreign"):
        return term
    return None


def _credit_dateline(head: str, place: str, scores: _Scores, outlet_provinces: set[int], gaz: _Gazetteer) -> None:
    """Points for the dateline place; Beijing only weakly unless the byline is a Beijing outlet."""
    term = _dateline_term(place)
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


def _sentence_index(text: str) -> list[int]:
    """Offsets of sentence ends (for bisecting hit positions into sentences)."""
    return list(map(re.Match.start, _SENTENCE_END_RE.finditer(text)))


def _score_body(text: str, scores: _Scores, skip_span: tuple[int, int] | None, outlet_provinces: set[int]) -> None:
    """Body hits: summed per province (lead counts more), then compressed."""
    hits = _find(text)
    lead_end = _lead_end(text)
    coop_starts = [h.start for h in hits if h.term.kind == "cooperation"]
    ends = _sentence_index(text) if coop_starts else []  # only needed to place cooperation sentences
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
            factor = _suffix_factor(text, hit) * _venue_factor(text, hit)
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
            if _is_comparison(text, hit):
                continue
            role = _national_role(text, hit)
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


def _apply_enumerations(text: str, geo: list[_GeoHit], scores: _Scores) -> None:
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


def _apply_ambiguous(ambiguous: list[_GeoHit], scores: _Scores, *, in_title: bool = False) -> None:
    """Shared county names go to a candidate already in play, else to the default."""
    gaz = _gazetteer()
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
            scores.note(points, f"title: {hit.term.text} (ambiguous, taken as {_short(best)}) (+{points:.3g})")
        else:
            scores.body[best] += weight * factor
            scores.body_units[best] += weight * factor
            scores.body_names[best][hit.term.text] += 1


def _compress(total: float) -> float:
    return BODY_SCALE * math.log2(1.0 + total) if total > 0 else 0.0


def _effective_count(values: Iterable[float]) -> float:
    """Inverse Simpson index: how many provinces share the body mentions."""
    vals = [v for v in values if v > 0]
    total = sum(vals)
    return total * total / sum(v * v for v in vals) if vals else 0.0


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
    scores = _Scores(full_text=title + "\n" + text)
    _score_title(title, scores)
    _score_hints(hints, scores)
    outlet_provinces = _score_outlet(outlet, scores)
    span = _score_dateline(text, scores, outlet_provinces)
    _score_body(text, scores, span, outlet_provinces)
    totals, national, foreign = _combine(scores)
    primary = _decide(totals, national, foreign, scores)
    if override is not None and override.strip():
        primary = _apply_override(override, primary, scores)
    weights = [(_short(i), round(v, 2)) for i, v in totals.items() if v > 0]
    if national > 0:
        weights.append((NATIONAL, round(national, 2)))
    weights.sort(key=lambda item: (-item[1], item[0]))
    evidence = tuple(msg for _, msg in sorted(scores.evidence, key=lambda e: -e[0])[:MAX_EVIDENCE])
    return RegionGuess(primary, tuple(weights), evidence)


def _combine(scores: _Scores) -> tuple[dict[int, float], float, float]:
    """Province totals, national score, foreign score (with evidence notes)."""
    totals: dict[int, float] = defaultdict(float)
    for index, value in scores.fixed.items():
        totals[index] += value
    for index, value in scores.body.items():
        points = _compress(value)
        totals[index] += points
        names = scores.body_names[index]
        listed = ", ".join(f"{n} ×{c}" for n, c in sorted(names.items(), key=lambda kv: -kv[1])[:4])
        scores.note(points, f"body: {listed} → {_short(index)} (+{points:.3g})")
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
        scores.note(points, f"local point of view (全省/全市 ×{scores.local_view}) → {_short(leader)} (+{points:.3g})")
    scores.tour = _is_tour(scores)
    foreign = scores.foreign_fixed + _compress(scores.foreign_body)
    if foreign:
        listed = ", ".join(f"{n} ×{c}" for n, c in sorted(scores.foreign_names.items(), key=lambda kv: -kv[1])[:4])
        scores.note(foreign, f"abroad: {listed} (+{foreign:.3g})")
    return totals, national, foreign


def _is_tour(scores: _Scores) -> bool:
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
    names = "、".join(_short(i) for i in sorted(toured, key=lambda i: -scores.body_units[i])[:5])
    scores.note(SPREAD_POINTS, f"goes through {len(toured)} provinces one by one ({names}) → {NATIONAL}")
    return True


def _decide(totals: dict[int, float], national: float, foreign: float, scores: _Scores) -> str | None:
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
    if best_index is not None and best >= REGION_MIN:
        return _short(best_index)
    if national >= national_min:
        return NATIONAL
    if foreign < FOREIGN_MIN and _reads_like_policy(scores):
        return NATIONAL
    return None


def _reads_like_policy(scores: _Scores) -> bool:
    """No place named anywhere, but government-policy vocabulary throughout:
    in a policy digest such a story is national (regional copy names its region)."""
    register = _gazetteer().policy_register
    found = [word for word in register if word in scores.full_text]
    if len(found) < POLICY_REGISTER_MIN:
        return False
    points = float(len(found))
    scores.note(points, f"no place named; policy vocabulary ({'、'.join(found[:5])} …) → {NATIONAL}")
    return True


def _is_focused(index: int, scores: _Scores) -> bool:
    """A province can be primary if something points at it (title, hint, outlet,
    dateline, lead) or it holds a large share of the body's place mentions;
    scattered single mentions in a long text (sidebars, examples) don't count."""
    if scores.fixed.get(index, 0.0) > 0 or index in scores.lead_provinces:
        return True
    mass = sum(scores.body.values())
    return mass > 0 and scores.body.get(index, 0.0) >= FOCUS_SHARE * mass


def _apply_override(override: str, detected: str | None, scores: _Scores) -> str | None:
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
