"""Key figures of a policy article: "3133万人", "22亿元", "109%", "1.85万套".

A figure is an Arabic number with a Chinese magnitude (万/亿) and/or a unit
that policy news reports (people, money, housing, area, counts, rates).  The
exact text is kept: ``value`` is the number as written plus 余/多
("2600余"), ``unit`` the rest ("万元", "万人以上"), so ``value + unit`` is the
text as it appears.  Dates, times, ordinals (第…), identifiers (CZ6335, 5G)
and bare numbers never match because they carry no unit.

Ranking: a figure in the title beats one in the lead (first LEAD_CHARS
characters), which beats the body; within that, people and money come before
other quantities, then rates; ties keep text order.  Figures are deduplicated
by their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model import Figure

__all__ = ["key_figures"]

LEAD_CHARS = 200
TITLE_BONUS = 6.0
LEAD_BONUS = 3.0
MAX_CONTEXT = 40
MIN_CONTEXT = 8
MAX_DIGITS = 9

_PEOPLE = ("人次", "人", "名", "户")
_MONEY = ("元", "美元", "欧元", "英镑", "日元", "港元")
_RATES = ("个百分点", "个基点", "%", "％", "倍", "成")
_QUANTITIES = ("平方米", "平米", "套", "亩", "公顷", "个", "家", "项", "所", "座", "间", "条", "件", "笔", "期", "场",
               "张", "台", "辆", "艘", "架", "吨", "公里", "千米", "千瓦时", "千瓦", "立方米", "公斤", "斤", "例", "批")
_UNITS = sorted((*_PEOPLE, *_MONEY, *_RATES, *_QUANTITIES), key=len, reverse=True)

_FIGURE_RE = re.compile(
    r"(?<![A-Za-z0-9._\-~～—/])(?<!第)"
    r"(?P<num>\d+(?:[,，]\d{3}(?!\d))*(?:\.\d+)?)(?![A-Za-z0-9.])"
    r"(?P<mod>[余多])?"
    r"(?P<mag>万亿|千万|百万|万|亿|千|百)?"
    r"(?P<mod2>[余多])?"
    r"(?P<unit>" + "|".join(map(re.escape, _UNITS)) + r")?"
    r"(?P<qual>以上|以下|左右|之多)?"
)
_BOUNDARIES = frozenset("。！？；;!?\n\r，：:")
_SPACE_RE = re.compile(r"\s+")
# A unit character that actually starts another word: 3个月, 9成为, 5倍于 ...
_FALSE_UNIT_NEXT = {"个": "月", "成": "为员本果功立长都", "期": "间", "场": "景所地", "条": "件例"}


@dataclass(frozen=True, slots=True)
class _Found:
    """A candidate figure; its clause is cut out only if it makes the top `limit`."""

    value: str
    unit: str
    salience: float
    position: int
    text: str
    start: int
    end: int

    def figure(self) -> Figure:
        return Figure(self.value, self.unit, _context(self.text, self.start, self.end))


def key_figures(text: str, limit: int = 5, *, title: str = "") -> tuple[Figure, ...]:
    """The ``limit`` most salient figures of an article (title figures first)."""
    if limit <= 0:
        return ()
    title = title or ""
    found = _scan(title, bonus=TITLE_BONUS, lead_end=0, offset=0)
    text = text or ""
    lead_end = len(text) - len(text.lstrip()) + LEAD_CHARS
    found += _scan(text, bonus=0.0, lead_end=lead_end, offset=len(title) + 1)
    best: dict[str, _Found] = {}
    for item in found:
        key = item.value + item.unit
        if key not in best or item.salience > best[key].salience:
            best[key] = item
    ranked = sorted(best.values(), key=lambda f: (-f.salience, f.position))
    return tuple(f.figure() for f in ranked[:limit])


def _scan(text: str, *, bonus: float, lead_end: int, offset: int) -> list[_Found]:
    """Every figure in text with its salience (lead figures get LEAD_BONUS)."""
    out = []
    for match in _FIGURE_RE.finditer(text):
        parts = _figure(match, text)
        if parts is not None:
            lead = LEAD_BONUS if match.start() < lead_end else 0.0
            out.append(_Found(parts[0], parts[1], bonus + lead + _unit_salience(match), offset + match.start(),
                              text, match.start(), match.end()))
    return out


def _figure(match: re.Match[str], text: str) -> tuple[str, str] | None:
    """(value as written, magnitude + unit), or None for a number that is not a key figure."""
    num, unit, mag = match["num"], match["unit"] or "", match["mag"] or ""
    if not unit and mag not in ("万", "亿", "万亿", "千万", "百万"):
        return None
    if len(num.replace(",", "").replace("，", "").split(".")[0]) > MAX_DIGITS:
        return None
    following = text[match.end():match.end() + 1]
    if unit and following and following in _FALSE_UNIT_NEXT.get(unit, ""):
        return None
    value = num + (match["mod"] or "")
    rest = mag + (match["mod2"] or "") + unit + (match["qual"] or "")
    return value, rest


def _unit_salience(match: re.Match[str]) -> float:
    unit = match["unit"] or ""
    bonus = 0.5 if match["mag"] in ("万", "亿", "万亿", "千万", "百万") else 0.0
    if unit in _PEOPLE or unit in _MONEY:
        return 2.0 + bonus
    if unit in _RATES:
        return 0.5
    return 1.0 + bonus


def _context(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end], at most MAX_CONTEXT characters."""
    left = _clause_start(text, start)
    right = _clause_end(text, end)
    if end - left < MIN_CONTEXT and left > 0:
        wider = _clause_start(text, left - 1)
        if right - wider <= MAX_CONTEXT:
            left = wider
    clause = _squash(text[left:right])
    if len(clause) <= MAX_CONTEXT:
        return clause
    head = _squash(text[left:end])
    if len(head) < MAX_CONTEXT:
        return clause[:MAX_CONTEXT - 1] + "…"
    return "…" + head[-(MAX_CONTEXT - 1):]


def _squash(fragment: str) -> str:
    """Drop ideographic spaces and line breaks, keep one ASCII space between words."""
    return _SPACE_RE.sub(" ", fragment.replace("\u3000", "").replace("\n", "")).strip()


def _clause_start(text: str, pos: int) -> int:
    """Index just after the clause boundary before pos (looks back 200 chars)."""
    floor = max(0, pos - 200)
    for i in range(pos - 1, floor - 1, -1):
        if _is_boundary(text, i):
            return i + 1
    return floor


def _clause_end(text: str, pos: int) -> int:
    """Index of the first clause boundary at or after pos (looks ahead 200 chars)."""
    for i in range(pos, min(len(text), pos + 200)):
        if _is_boundary(text, i):
            return i
    return min(len(text), pos + 200)


def _is_boundary(text: str, i: int) -> bool:
    char = text[i]
    if char in ",，":  # "4,000" and "1，135.77" are numbers, "a, b" a boundary
        return not (0 < i and text[i - 1].isdigit() and i + 1 < len(text) and text[i + 1].isdigit())
    return char in _BOUNDARIES
