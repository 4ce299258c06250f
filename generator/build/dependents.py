"""Which published outputs read each dependency key: the records' own `keys`, turned around.

An update knows the keys its edit changed (generator.render.reader.changed_keys); testing
every page's keys against them costs time in proportion to the whole site (320,000 keys
over 16,000 pages at 10,000 articles). Turned around once, and kept in step with the
records by identity, the pages an edit affects are found from the changed keys alone.
Nothing here is declared by hand: it is derived from what each page read when it was made.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Hashable, Iterable, Mapping, Protocol


class _Record(Protocol):
    keys: tuple


class Dependents:
    """Output paths by the keys they read, for one evolving set of records."""

    def __init__(self) -> None:
        self._readers: dict[Hashable, set[str]] = defaultdict(set)
        self._records: Mapping[str, _Record] = {}

    def sync(self, records: Mapping[str, _Record], remade: Iterable[str] | None = None) -> None:
        """Describe `records` from now on. `remade`: the only paths whose record can be another
        object than before, removed ones included (an update's own outputs); None: every path
        is compared by identity (records are immutable, and an output that did not change
        keeps its record object)."""
        before = self._records
        for path in records if remade is None else remade:
            old, new = before.get(path), records.get(path)
            if old is new:
                continue
            if old is not None:
                self._drop(path, old.keys)
            if new is not None:
                for key in new.keys:
                    self._readers[key].add(path)
        if remade is None:
            for path in before.keys() - records.keys():
                self._drop(path, before[path].keys)
        self._records = records

    def readers(self, keys: Iterable[Hashable]) -> set[str]:
        """Every output that read at least one of `keys`."""
        found: set[str] = set()
        for key in keys:
            paths = self._readers.get(key)
            if paths:
                found |= paths
        return found

    def _drop(self, path: str, keys: tuple) -> None:
        for key in keys:
            paths = self._readers.get(key)
            if paths is not None:
                paths.discard(path)
                if not paths:
                    del self._readers[key]

