"""The collector around a build's heap (generator.build.heap): a nested freeze ends only at
the outermost block, a paused collector is restored as it was."""
from __future__ import annotations

import gc

import pytest

from generator.build.heap import collector_paused, heap_frozen
from generator.build.workers import fork_map


def _square_plus(item: int, shared: int) -> int:
    return item * item + shared


def test_a_frozen_heap_stays_frozen_until_the_outermost_block_ends() -> None:
    """A build freezes its articles, then a pool inside it freezes again: the pool's end must
    not hand the build's articles back to the collector."""
    assert gc.get_freeze_count() == 0
    with heap_frozen():
        outer = gc.get_freeze_count()
        assert outer > 0
        assert fork_map(_square_plus, [1, 2, 3], 0, workers=2, chunk=1) == [1, 4, 9]
        assert gc.get_freeze_count() >= outer
    assert gc.get_freeze_count() == 0
    with pytest.raises(ZeroDivisionError), heap_frozen():
        1 // 0  # noqa: B018
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_a_paused_collector_is_restored_as_it_was(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(KeyError), collector_paused():
            assert not gc.isenabled()
            raise KeyError("x")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()

