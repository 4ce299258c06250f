"""The cyclic garbage collector around a build's large, long-lived heap.

A build holds ten thousand articles (and their cache) from the moment they are made until
the site is written; every full collection walked all of them again, and a forked worker's
collections touched (and so copied) the parent's pages. These two blocks keep the collector
off what is known to stay alive.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["collector_paused", "heap_frozen"]

_frozen_depth = 0


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Objects made so far are moved out of the cyclic collector's sight until the outermost
    such block ends (gc.freeze is not nestable by itself: the first unfreeze would undo them
    all). Its uses: a forked worker's collections do not walk (and copy on write) the parent's
    heap; a build's collections do not walk its ten thousand articles again and again."""
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if _frozen_depth == 0:
            gc.unfreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (the collector's state is restored after). For
    making many objects that all stay alive (an unpickled article cache; a preview update
    over a large live heap): collections there free nothing and walk everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
