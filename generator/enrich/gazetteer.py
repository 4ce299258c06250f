"""The region vocabulary: every name that points at a province, the nation or abroad.

Names come from provinces.toml (names, aliases, compounds of one-character
abbreviations, places, outlets, and the national, foreign, blocking,
cooperation and local-view words) and adcodes.csv (every prefecture and
county, mapped to its province by the adcode prefix).  They are read once per
process into a ``Gazetteer``: the terms by text, one Aho-Corasick automaton
over their UTF-8 bytes, and the word lists the reader's rules consult.  Kept
apart from the rules so that what the detector knows can be read and changed
without how it weighs it.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick

from generator.enrich.bytestrings import as_byte_string

NATIONAL = "全国"  # the pseudo-region of a nationwide story

# A multi-province area (长三角) gives each member this share, plus a little
# more for earlier-listed members.
AREA_SHARE = 0.5

# Term kind priorities: the tie-break between overlapping hits of equal
# length (higher wins).
_PRIORITY = {
    "block": 100, "neutral": 90, "national_outlet": 80, "full": 70, "outlet": 65, "prefecture": 60,
    "county": 55, "alias": 50, "place": 45, "short": 40, "prefecture_short": 35, "area": 30,
    "compound": 25, "national": 20, "foreign": 15, "diplomacy": 12, "cooperation": 10, "local": 5,
}
_PREFECTURE_SUFFIX_RE = re.compile(r"(?:市|地区|盟)$")
_ETHNIC_AUTONOMY_RE = re.compile(
    r"(?:(?:蒙古|藏|回|维吾尔|哈萨克|柯尔克孜|朝鲜|土家|苗|侗|布依|彝|白|哈尼|傣|壮|傈僳|景颇|羌|黎|满|畲|瑶|"
    r"仫佬|毛南|仡佬|水|纳西|拉祜|佤|独龙|怒|普米|阿昌|德昂|基诺|撒拉|保安|东乡|裕固|土|锡伯|达斡尔|鄂温克|"
    r"鄂伦春|赫哲|俄罗斯|塔吉克|乌孜别克|塔塔尔|门巴|珞巴|高山|京|仡|各)族?)*自治[州县旗]$"
)


# --------------------------------------------------------------------------- #
# Gazetteer
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, slots=True)
class Province:
    """One provincial-level division."""

    short: str
    full: str
    slug: str
    abbreviations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GazetteerTerm:
    """What one matched string means: a kind plus province shares (index → weight)."""

    text: str
    kind: str
    targets: tuple[tuple[int, float], ...] = ()
    ambiguous: bool = False

    @property
    def priority(self) -> int:
        return _PRIORITY[self.kind]


@dataclass(slots=True)
class Gazetteer:
    """All vocabulary, compiled once."""

    provinces: tuple[Province, ...]
    terms: dict[str, GazetteerTerm]
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
    leader_acts_re: re.Pattern[str]  # a headline opening with a national leader at work


@dataclass(slots=True)
class _TermBuilder:
    """Collects candidate meanings per string and keeps the strongest."""

    entries: dict[str, GazetteerTerm] = field(default_factory=dict)

    def add(self, text: str, kind: str, targets: Iterable[tuple[int, float]] = ()) -> None:
        text = text.strip()
        if len(text) < 2:
            return
        new = GazetteerTerm(text, kind, tuple(targets))
        old = self.entries.get(text)
        if old is None:
            self.entries[text] = new
        elif old.kind == new.kind and old.kind in ("county", "prefecture_short", "place") and new.targets:
            self.entries[text] = _merge_ambiguous(old, new)
        elif new.priority > old.priority:
            self.entries[text] = new


def _merge_ambiguous(old: GazetteerTerm, new: GazetteerTerm) -> GazetteerTerm:
    """Same name in two provinces (通州区): keep all candidates, mark ambiguous."""
    targets = dict(old.targets)
    for index, weight in new.targets:
        targets.setdefault(index, weight)
    return GazetteerTerm(old.text, old.kind, tuple(targets.items()), ambiguous=len(targets) > 1)


def _read_data(name: str) -> str:
    """Package data via importlib.resources (works from wheels and zips too)."""
    return resources.files("generator.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _provinces_file() -> dict[str, Any]:
    """provinces.toml, parsed once per process: the gazetteer and `provinces()` share it."""
    return tomllib.loads(_read_data("provinces.toml"))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load provinces.toml + adcodes.csv and build the automaton (once per process)."""
    data = _provinces_file()
    raw_provinces = data["province"]
    plist = provinces()
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
    return Gazetteer(
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
        leader_acts_re=re.compile(national["leader_acts_pattern"].replace(
            "LEADERS", "|".join(map(re.escape, national["leaders"])))),
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


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """All 34 provincial-level divisions, in adcode order (cached). Read without building the
    automaton: the region tile map needs only their names."""
    return tuple(Province(p["short"], p["full"], p["slug"], tuple(p.get("abbreviations", ())))
                 for p in _provinces_file()["province"])


def province_by_slug(slug: str) -> Province | None:
    """Province for an ASCII slug (shanxi = 山西, shaanxi = 陕西)."""
    gaz = load_gazetteer()
    index = gaz.by_slug.get(slug.strip().lower())
    return None if index is None else gaz.provinces[index]


def province_by_name(name: str) -> Province | None:
    """Province for a short (内蒙古) or full (内蒙古自治区) name."""
    gaz = load_gazetteer()
    index = gaz.by_name.get(name.strip())
    return None if index is None else gaz.provinces[index]


def short_name(index: int) -> str:
    """Short name of a province index."""
    return load_gazetteer().provinces[index].short
