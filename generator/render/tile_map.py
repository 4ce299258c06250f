"""The region tile map: one square per provincial-level division, shaded by article count.

Made from counts and URLs by region slug alone, so any page can show it with one line:
/regions/ today, the daily and weekly pages later (a page's own counts give its own map).
Drawn as SVG at build time; no script, no map data (the grid is render.tile_grid's).

Colours come from the theme's stylesheet (`.tile-map` classes s0-s5 and custom properties
with dark-mode and print values, so each mode keeps its text contrast); the fill
attributes here are only what a reader without the stylesheet sees.

Accessibility: the <svg> is a labelled group (an "img" role would hide its links). Each
division with articles is a link named like "广东 12 篇"; a division without articles is
not a link, as it has no page to link to, and is hidden from screen readers, for whom a
list of names without counts is noise: the links are the map's content for them, as the
region list below it is. The key only explains colours, so it is hidden from them too.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from generator.render.tile_grid import Box, Tile, TileGrid, tile_grid

STEPS = 5
NATIONAL = "national"  # generator.enrich.NATIONAL's slug: counted in the key's corner, not a tile
TILE = 46
GAP = 4
PITCH = TILE + GAP
SWATCH = 14
# The light palette, (fill, text) for steps 0-5: the same as style.css's .tile-map (a test
# checks), repeated here only for a reader without the stylesheet.
FALLBACK = (("#fdfdfc", "#5f6368"), ("#fce8e6", "#1d1d1f"), ("#f6c1bb", "#1d1d1f"), ("#ec8f84", "#1d1d1f"),
            ("#c8453a", "#ffffff"), ("#8c1d16", "#ffffff"))
EDGE = "#8a8a86"
# Pieces of SVG kept for reuse: a daily page's map repeats most tiles of other days' (the
# same small counts, the same links). 2,500 maps of 1-8 articles each (a 10,000-article
# site's days) took 0.18 s to draw, 0.07 s with the pieces kept; 8,192 pieces hold them all.
_PIECES = 8192
OUTLINE = {0: f' stroke="{EDGE}" stroke-dasharray="4 3"', 1: f' stroke="{EDGE}"'}  # no article: dashed


def shade(count: int, most: int) -> int:
    """The step of a count: 0 for none, else 1-STEPS, five equal bands of a log scale from
    1 article (always step 1) to the busiest division's `most` (always STEPS).

    A log scale because counts are skewed (a few provinces have most of the articles);
    relative to the busiest so that a day's map of five articles reads as well as the whole
    site's. The step is 1 + the largest j < STEPS with count^STEPS >= most^j: integers only,
    so no platform's rounding moves a count across a band (2 of 32 sits exactly on one).
    """
    if count <= 0:
        return 0
    most = max(most, count)
    return 1 + sum(1 for j in range(1, STEPS) if count ** STEPS >= most ** j)


def step_ranges(most: int) -> tuple[tuple[int, int, int], ...]:
    """(step, lowest count, highest count) of every step some count from 1 to `most` takes."""
    if most <= 0:
        return ()
    # lows[k]: the smallest count of step k + 1 (count^STEPS >= most^k)
    lows = [1] + [_ceiling_root(most ** k, STEPS) for k in range(1, STEPS)] + [most + 1]
    return tuple((k + 1, lows[k], lows[k + 1] - 1) for k in range(STEPS) if lows[k] < lows[k + 1])


def _ceiling_root(n: int, k: int) -> int:
    """The smallest integer r with r^k >= n, exactly (a float root is off by one near powers)."""
    r = max(1, int(round(n ** (1.0 / k))))
    while r > 1 and (r - 1) ** k >= n:
        r -= 1
    while r ** k < n:
        r += 1
    return r


def region_map_svg(counts: Mapping[str, int], urls: Mapping[str, str | None],
                   label: str = "各省级行政区文章数量示意图") -> Markup:
    """The map as inline SVG markup, every text escaped.

    `counts` and `urls` are by region slug (as the region pages have them); a division
    missing from `counts` has no article, one missing from `urls` is not a link. The
    count under NATIONAL is shown as a line of text in a corner, not as a tile.
    """
    grid = tile_grid()
    most = max((counts.get(t.slug, 0) for t in grid.tiles), default=0)
    parts = [_tile(t, counts.get(t.slug, 0), urls.get(t.slug), most) for t in grid.tiles]
    parts.append(_legend(grid.legend, most))
    parts.append(_national(grid.national, counts.get(NATIONAL, 0), urls.get(NATIONAL)))
    width, height = _size(grid)
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="tile-map" viewBox="0 0 {width} {height}" '
                  f'role="group" aria-label={quoteattr(label)} font-size="13" text-anchor="middle">'
                  + "".join(parts) + "</svg>")


def _size(grid: TileGrid) -> tuple[int, int]:
    return grid.columns * PITCH - GAP, grid.rows * PITCH - GAP


@lru_cache(maxsize=_PIECES)
def _tile(tile: Tile, count: int, url: str | None, most: int) -> str:
    step = shade(count, most)
    x, y = tile.column * PITCH, tile.row * PITCH
    fill, ink = FALLBACK[step]
    middle = x + TILE // 2
    if step == 0:
        return (f'<g class="tile s0" aria-hidden="true">'
                f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}"{OUTLINE[0]}/>'
                f'<text x="{middle}" y="{y + 28}" fill="{ink}">{escape(tile.name)}</text></g>')
    body = (f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}"{OUTLINE.get(step, "")}/>'
            f'<text x="{middle}" y="{y + 21}" fill="{ink}">{escape(tile.name)}</text>'
            f'<text x="{middle}" y="{y + 38}" fill="{ink}" font-size="12">{count}</text>')
    name = quoteattr(f"{tile.name} {count} 篇")
    if url:
        return f'<a class="tile s{step}" href={quoteattr(url)} aria-label={name}>{body}</a>'
    return f'<g class="tile s{step}" role="img" aria-label={name}>{body}</g>'


@lru_cache(maxsize=_PIECES)
def _legend(box: Box, most: int) -> str:
    """The key, in an empty corner: a swatch per step that some count takes, two to a line."""
    x0, y0 = box.column * PITCH, box.row * PITCH
    steps = [(0, "0")] + [(k, str(low) if low == high else f"{low}–{high}") for k, low, high in step_ranges(most)]
    column_width = (box.columns * PITCH - GAP) // 2
    parts = [f'<text x="{x0}" y="{y0 + 13}">文章篇数</text>']
    for i, (step, text) in enumerate(steps):
        x, y = x0 + (i % 2) * column_width, y0 + 24 + (i // 2) * 22
        fill = FALLBACK[step][0]
        parts.append(f'<g class="s{step}"><rect x="{x}" y="{y}" width="{SWATCH}" height="{SWATCH}" rx="2" '
                     f'fill="{fill}"{OUTLINE.get(step, "")}/>'
                     f'<text x="{x + SWATCH + 5}" y="{y + 12}">{escape(text)}</text></g>')
    return f'<g class="legend" aria-hidden="true" font-size="12" text-anchor="start">{"".join(parts)}</g>'


@lru_cache(maxsize=_PIECES)
def _national(box: Box, count: int, url: str | None) -> str:
    """The nationwide articles, in the other corner: a line of text (a link to their page)."""
    if count <= 0:
        return ""
    x0, bottom = box.column * PITCH, (box.row + box.rows) * PITCH - GAP
    text = f'<text x="{x0}" y="{bottom - 16}">全国性报道 {count} 篇</text>'
    if not url:
        return f'<g class="national" text-anchor="start">{text}</g>'
    # An invisible rect under the text: a touch target as tall as a tile, not as a line.
    target = (f'<rect x="{x0}" y="{bottom - TILE}" width="{box.columns * PITCH - GAP}" height="{TILE}" '
              f'fill="transparent"/>')
    return f'<a class="national" href={quoteattr(url)} text-anchor="start">{target}{text}</a>'
