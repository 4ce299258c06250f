"""The one fork pool (generator.build.workers): results in order, the parent's heap handed
back to the collector afterwards."""
from __future__ import annotations

import gc
import os

import pytest

from generator.build.workers import fork_map, worker_count


def _square_plus(item: int, shared: int) -> int:
    return item * item + shared


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_order(workers: int) -> None:
    items = list(range(200))
    assert fork_map(_square_plus, items, 7, workers=workers, chunk=16) == [i * i + 7 for i in items]


@pytest.mark.parametrize("workers", [1, 2])
def test_receive_replaces_each_result_in_this_process_in_order(workers: int) -> None:
    seen: list[int] = []

    def receive(result: int) -> int:
        seen.append(result)
        return -result

    items = list(range(100))
    assert fork_map(_square_plus, items, 0, workers=workers, chunk=8, receive=receive) == [-i * i for i in items]
    assert seen == [i * i for i in items]  # called here (a worker's list would be lost), once each, in order


def test_the_heap_is_unfrozen_after_the_pool_even_when_a_worker_fails() -> None:
    assert fork_map(_square_plus, [1, 2, 3], 0, workers=2, chunk=1) == [1, 4, 9]
    assert gc.get_freeze_count() == 0  # frozen objects would never be collected again
    with pytest.raises(ZeroDivisionError):
        fork_map(lambda item, shared: 1 // item, [1, 0], None, workers=2, chunk=1)
    assert gc.get_freeze_count() == 0


def test_worker_count_forks_only_when_it_pays() -> None:
    assert worker_count(100, 128, 2) == 1
    assert worker_count(1000, 128, 2) == 2
    assert worker_count(1000, 128, None) >= 1


@pytest.mark.parametrize("workers", [1, 2])
def test_meanwhile_runs_once_in_this_process_before_any_result_is_received(workers: int) -> None:
    """The build makes its feeds there while the workers render: in this process (its
    records are this process's), once, and never after the results it does not wait for."""
    events: list[object] = []
    parent = os.getpid()

    def meanwhile() -> None:
        events.append(("meanwhile", os.getpid()))

    items = list(range(40))
    results = fork_map(_square_plus, items, 1, workers=workers, chunk=4, receive=lambda r: events.append(r) or r,
                       meanwhile=meanwhile)
    assert results == [i * i + 1 for i in items]
    assert events[0] == ("meanwhile", parent)
    assert events[1:] == results
