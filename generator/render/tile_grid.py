"""Where each provincial-level division's square sits on the region tile map.

Read once from tile_map.toml (the hand-made grid), each tile named by the gazetteer's
list of provinces (the short names the site shows, 内蒙古 not 内蒙古自治区), so that the
drawing code (render.tile_map) holds no geography and the grid can be corrected by
editing data.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from generator.enrich.gazetteer import provinces


@dataclass(frozen=True, slots=True)
class Tile:
    """One division's square, in grid cells (row 0 is the north, column 0 the west)."""

    slug: str
    name: str
    row: int
    column: int


@dataclass(frozen=True, slots=True)
class Box:
    """A block of empty cells that holds text (the key, the nationwide count) instead of tiles."""

    row: int
    column: int
    rows: int
    columns: int

    def cells(self) -> frozenset[tuple[int, int]]:
        return frozenset((r, c) for r in range(self.row, self.row + self.rows)
                         for c in range(self.column, self.column + self.columns))


@dataclass(frozen=True, slots=True)
class TileGrid:
    rows: int
    columns: int
    tiles: tuple[Tile, ...]  # in reading order: north to south, then west to east
    legend: Box
    national: Box


@lru_cache(maxsize=1)
def tile_grid() -> TileGrid:
    """The grid of tile_map.toml, each tile named as provinces.toml names it."""
    data = tomllib.loads(resources.files("generator.data").joinpath("tile_map.toml").read_text(encoding="utf-8"))
    names = {p.slug: p.short for p in provinces()}
    unknown = sorted(set(data["tiles"]) - set(names))
    if unknown:
        raise ValueError(f"tile_map.toml: no such division in provinces.toml: {', '.join(unknown)}")
    tiles = sorted((Tile(slug, names[slug], row, column) for slug, (row, column) in data["tiles"].items()),
                   key=lambda t: (t.row, t.column))
    return TileGrid(data["rows"], data["columns"], tuple(tiles), _box(data["legend"]), _box(data["national"]))


def _box(value: dict[str, Any]) -> Box:
    return Box(value["row"], value["column"], value["rows"], value["columns"])

