"""The region tile map: its grid (data), its shading steps, its SVG, its colours, its page."""
from __future__ import annotations

import re
import shutil
import tomllib
from importlib import resources
from pathlib import Path

import jinja2
import lxml.html
import pytest
from lxml import etree

import generator.render.tile_map as tile_map
from generator.build import build
from generator.config import load_config
from generator.enrich import NATIONAL
from generator.render.tile_grid import Box, Tile, TileGrid, tile_grid
from generator.render.tile_map import FALLBACK, EDGE, STEPS, region_map_svg, shade, step_ranges
from tests.conftest import FIXTURES

SVG = "{http://www.w3.org/2000/svg}"
STYLE = Path(__file__).resolve().parents[1] / "themes" / "default" / "static" / "style.css"


def provinces() -> dict[str, str]:
    data = resources.files("generator.data").joinpath("provinces.toml").read_text(encoding="utf-8")
    return {p["slug"]: p["short"] for p in tomllib.loads(data)["province"]}


def at() -> dict[str, tuple[int, int]]:
    return {t.slug: (t.row, t.column) for t in tile_grid().tiles}


# --- the grid ------------------------------------------------------------------------------


def test_every_division_has_exactly_one_tile_named_as_the_site_names_it():
    grid = tile_grid()
    assert len(provinces()) == 34
    assert sorted(t.slug for t in grid.tiles) == sorted(provinces())
    assert {t.slug: t.name for t in grid.tiles} == provinces()  # short names: 内蒙古, 黑龙江, 香港
    assert NATIONAL.slug == tile_map.NATIONAL and NATIONAL.slug not in at()


def test_tiles_are_inside_the_grid_one_per_cell_and_clear_of_the_text_boxes():
    grid = tile_grid()
    cells = [(t.row, t.column) for t in grid.tiles]
    assert len(set(cells)) == len(cells)
    assert all(0 <= r < grid.rows and 0 <= c < grid.columns for r, c in cells)
    assert list(grid.tiles) == sorted(grid.tiles, key=lambda t: (t.row, t.column))  # reading order
    assert 7 <= grid.columns <= 9 and 7 <= grid.rows <= 9
    for box in (grid.legend, grid.national):
        assert box.row + box.rows <= grid.rows and box.column + box.columns <= grid.columns
        assert not box.cells() & set(cells)
    assert not grid.legend.cells() & grid.national.cells()


def test_neighbours_sit_roughly_where_they_are():
    p, grid = at(), tile_grid()
    assert p["heilongjiang"] == (0, grid.columns - 1)  # the north-east corner
    assert p["heilongjiang"][1] == p["jilin"][1] == p["liaoning"][1]  # one above the other ...
    assert p["heilongjiang"][0] < p["jilin"][0] < p["liaoning"][0]  # ... north to south
    assert p["xinjiang"][1] == 0 and p["xinjiang"][0] < p["xizang"][0]  # the far west, 新疆 north of 西藏
    assert p["beijing"][0] < p["hebei"][0] and abs(p["beijing"][1] - p["hebei"][1]) <= 1
    assert p["tianjin"][1] > p["beijing"][1]  # 天津 east of 北京
    assert p["hainan"][0] == grid.rows - 1  # the bottom row
    for sar in ("hongkong", "macau"):  # just south of 广东
        assert p[sar][0] == p["guangdong"][0] + 1 and abs(p[sar][1] - p["guangdong"][1]) <= 1
    assert p["macau"][1] < p["hongkong"][1]
    assert p["taiwan"][0] == p["fujian"][0] and p["taiwan"][1] > p["fujian"][1]  # east of 福建
    assert p["shanghai"][0] == p["jiangsu"][0] and p["shanghai"][1] > p["jiangsu"][1]
    assert p["sichuan"][1] < p["chongqing"][1]


# --- shading -------------------------------------------------------------------------------


def test_shade_steps():
    assert shade(0, 0) == 0 and shade(0, 50) == 0
    assert shade(1, 1) == STEPS and shade(50, 50) == STEPS  # the busiest is always the darkest ...
    assert shade(1, 2) == 1 and shade(1, 50) == 1  # ... and one article the lightest, below it
    assert shade(2, 2) == STEPS
    assert shade(1, 32) == 1 and shade(2, 32) == 2  # 2^5 == 32^1: exactly on a band's edge
    assert [shade(c, 12) for c in range(1, 13)] == [1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5]
    assert [shade(c, 1000) for c in (1, 3, 4, 15, 16, 63, 64, 251, 252, 1000)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


@pytest.mark.parametrize("most", [0, 1, 2, 3, 7, 12, 31, 100, 999, 10_000])
def test_key_ranges_cover_every_count_with_its_step(most):
    ranges = step_ranges(most)
    if most == 0:
        assert ranges == ()
        return
    assert ranges[0][1] == 1 and ranges[-1][2] == most and ranges[-1][0] == STEPS
    assert ranges[0][0] == (1 if most > 1 else STEPS)
    for (_, _, high), (_, low, _) in zip(ranges, ranges[1:]):
        assert low == high + 1
    for step, low, high in ranges:
        for count in {low, high, (low + high) // 2}:
            assert shade(count, most) == step
    steps = [shade(c, most) for c in range(1, min(most, 3000) + 1)]
    assert steps == sorted(steps)  # more articles never a lighter step


# --- the SVG -------------------------------------------------------------------------------

URLS = {"guangdong": "/digest/regions/guangdong/", "chongqing": "/digest/regions/chongqing/",
        "beijing": "/digest/regions/beijing/", "national": "/digest/regions/national/"}
COUNTS = {"guangdong": 12, "chongqing": 3, "beijing": 1, "national": 5}


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"))


def links(root: etree._Element) -> list[etree._Element]:
    return root.findall(f".//{SVG}a")


def test_svg_is_a_labelled_group_with_a_named_link_per_division_with_articles():
    root = parse(region_map_svg(COUNTS, URLS))
    assert root.tag == f"{SVG}svg" and root.get("role") == "group" and root.get("aria-label")
    assert root.get("viewBox") == "0 0 346 396" and root.get("width") is None  # scales with its box
    tiles = [a for a in links(root) if "tile" in a.get("class").split()]
    assert [(a.get("href"), a.get("aria-label")) for a in tiles] == [  # reading order: north first
        ("/digest/regions/beijing/", "北京 1 篇"), ("/digest/regions/chongqing/", "重庆 3 篇"),
        ("/digest/regions/guangdong/", "广东 12 篇")]
    shades = {a.get("aria-label").split()[0]: a.get("class") for a in tiles}
    assert shades == {"北京": "tile s1", "重庆": "tile s3", "广东": "tile s5"}
    assert [t.text for a in tiles for t in a.findall(f"{SVG}text")][:2] == ["北京", "1"]


def test_divisions_without_articles_are_outlined_not_linked_and_hidden_from_screen_readers():
    root = parse(region_map_svg(COUNTS, URLS))
    empty = [g for g in root.iter(f"{SVG}g") if g.get("class") == "tile s0"]
    assert len(empty) == 34 - 3
    assert all(g.get("aria-hidden") == "true" and g.find(f"{SVG}a") is None for g in empty)
    assert "西藏" in [g.find(f"{SVG}text").text for g in empty]
    rect = empty[0].find(f"{SVG}rect")
    assert rect.get("stroke-dasharray") and rect.get("fill") == FALLBACK[0][0]


def test_nationwide_count_is_a_line_not_a_tile():
    root = parse(region_map_svg(COUNTS, URLS))
    national = [a for a in links(root) if a.get("class") == "national"]
    assert len(national) == 1 and national[0].get("href") == "/digest/regions/national/"
    assert "".join(national[0].itertext()) == "全国性报道 5 篇"
    assert "全国" not in "".join(parse(region_map_svg({"beijing": 2}, URLS)).itertext())


def test_key_lists_the_steps_the_counts_take():
    root = parse(region_map_svg(COUNTS, URLS))
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert legend.get("aria-hidden") == "true"
    labels = [t.text for t in legend.iter(f"{SVG}text")]
    assert labels == ["文章篇数", "0", "1", "2", "3–4", "5–7", "8–12"]


def test_a_count_without_an_url_is_named_but_not_a_link():
    root = parse(region_map_svg({"hainan": 4}, {}))
    assert links(root) == []
    named = [g for g in root.iter(f"{SVG}g") if g.get("aria-label")]
    assert [(g.get("role"), g.get("aria-label"), g.get("class")) for g in named] == [("img", "海南 4 篇", "tile s5")]


def test_every_text_is_escaped(monkeypatch):
    odd = 'x" onmouseover="alert(1)'
    grid = TileGrid(2, 4, (Tile("odd", "<b>&amp;", 0, 0), Tile("plain", "甲", 0, 1)), Box(1, 0, 1, 2), Box(1, 2, 1, 2))
    monkeypatch.setattr(tile_map, "tile_grid", lambda: grid)
    svg = region_map_svg({"odd": 2, "plain": 1, "national": 1},
                         {"odd": f"/r/?a=1&b={odd}<", "national": "/n/?x=<y>"}, label="<script>地图</script>")
    root = parse(svg)  # well-formed XML
    assert root.get("aria-label") == "<script>地图</script>"
    first = links(root)[0]
    assert first.get("href") == f"/r/?a=1&b={odd}<" and first.get("aria-label") == "<b>&amp; 2 篇"
    assert first.find(f"{SVG}text").text == "<b>&amp;"
    assert "<b>" not in svg and "<script>" not in svg
    assert "onmouseover" not in {name for element in root.iter() for name in element.keys()}


def test_output_is_deterministic_and_safe_for_templates():
    svg = region_map_svg(COUNTS, URLS)
    assert svg == region_map_svg(dict(reversed(list(COUNTS.items()))), dict(reversed(list(URLS.items()))))
    rendered = jinja2.Environment(autoescape=True).from_string("{{ m }}").render(m=svg)
    assert rendered == str(svg)  # Markup: a template includes it with {{ region_map }}


# --- colours -------------------------------------------------------------------------------


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palettes() -> dict[str, dict[str, str]]:
    """The .tile-map custom properties of style.css: light, dark mode and print."""
    css = STYLE.read_text(encoding="utf-8")
    blocks = {"light": re.search(r"^\.tile-map\s*\{([^}]*--map-[^}]*)\}", css, re.M),
              "dark": re.search(r"@media \(prefers-color-scheme: dark\)\s*\{\s*\.tile-map\s*\{([^}]*)\}", css),
              "print": re.search(r"@media print\s*\{\s*\.tile-map\s*\{([^}]*)\}", css)}
    assert all(blocks.values()), blocks
    return {mode: dict(re.findall(r"--map-([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;", block.group(1)))
            for mode, block in blocks.items()}


@pytest.mark.parametrize("mode", ["light", "dark", "print"])
def test_every_text_keeps_4_5_to_1_on_its_shade(mode):
    p = palettes()[mode]
    for step in range(STEPS + 1):
        assert contrast(p[f"ink-{step}"], p[str(step)]) >= 4.5, (mode, step)
    for text in ("text", "link", "ink-0"):  # the key, the nationwide line, empty tiles: on the page
        assert contrast(p[text], p["0"]) >= 4.5, (mode, text)
    assert contrast(p["edge"], p["0"]) >= 3  # the outline of an empty tile is a graphic: 3:1
    lightness = [luminance(p[str(step)]) for step in range(1, STEPS + 1)]
    assert lightness == sorted(lightness, reverse=(mode != "dark"))  # each step further from the page


def test_fallback_colours_are_the_light_palette():
    light = palettes()["light"]
    assert FALLBACK == tuple((light[str(s)], light[f"ink-{s}"]) for s in range(STEPS + 1))
    assert EDGE == light["edge"]


# --- the page ------------------------------------------------------------------------------


def test_regions_page_shows_the_map_above_the_chart_linking_the_region_pages(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    assert build(load_config(root / "site.toml")).written
    output = root / "output"
    page = lxml.html.fromstring((output / "regions" / "index.html").read_bytes())
    svgs = [s.get("class") for s in page.iter("svg")]
    assert svgs.index("tile-map") < svgs.index("region-chart")
    hrefs = [a.get("href") for a in page.cssselect("svg.tile-map a")]
    assert hrefs == ["/digest/regions/chongqing/", "/digest/regions/guangdong/", "/digest/regions/national/"]
    for href in hrefs:
        assert (output / href.removeprefix("/digest/") / "index.html").is_file()
    names = [a.get("aria-label") for a in page.cssselect("svg.tile-map a.tile")]
    listed = {a.text: a.getnext().text for a in page.cssselect(".term-list a")}  # "重庆" -> "1 篇"
    assert names == [f"{name} {listed[name]}" for name in ("重庆", "广东")]
