"""The one fork pool (generator.build.workers): results in order, the parent's heap handed
back to the collector afterwards."""
from __future__ import annotations

import gc
import os
import time

import pytest

from generator.build.workers import WorkerDied, fork_map, worker_count


def _square_plus(item: int, shared: int) -> int:
    return item * item + shared


def _slow_pid(item: int, shared: None) -> int:
    time.sleep(0.002)  # long enough for both workers to start before the work is gone
    return os.getpid()


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
    # called here (a worker's list would be lost), once each; chunks arrive as they are done
    assert sorted(seen) == [i * i for i in items]


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
    assert sorted(events[1:]) == results


def test_each_worker_works_through_its_own_run_of_neighbouring_chunks() -> None:
    """Neighbouring items read the same data (pages showing the same articles): a worker
    takes a contiguous run, and a worker done early takes from the far end of another's run,
    so each worker's chunks form at most two runs (interleaved chunks would form dozens)."""
    items = list(range(400))
    workers = fork_map(_slow_pid, items, None, workers=2, chunk=10)
    chunk_workers = workers[::10]
    for pid in set(chunk_workers):
        mine = [n for n, worker in enumerate(chunk_workers) if worker == pid]
        runs = 1 + sum(1 for a, b in zip(mine, mine[1:]) if b != a + 1)
        assert runs <= 2, (pid, mine)
    assert len(set(chunk_workers)) == 2


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    parent = os.getpid()

    def die_in_a_worker(item: int, shared: None) -> int:
        if os.getpid() != parent:
            os._exit(3)
        time.sleep(0.01)  # long enough for the worker to start and take its first chunk
        return item

    with pytest.raises(WorkerDied, match="exit code 3"):
        fork_map(die_in_a_worker, list(range(40)), None, workers=2, chunk=2)
    assert gc.get_freeze_count() == 0


def test_this_process_is_one_of_the_workers() -> None:
    """One fork fewer: one copy fewer of this process's heap (see generator.build.workers)."""
    pids = fork_map(_slow_pid, list(range(200)), None, workers=2, chunk=10)
    assert os.getpid() in pids and len(set(pids)) == 2


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("holds a lambda")
        self.hook = lambda: None


def test_an_error_that_cannot_be_pickled_back_still_reaches_this_process() -> None:
    parent = os.getpid()

    def fail(item: int, shared: None) -> int:
        if os.getpid() != parent:
            raise _Unpicklable()
        time.sleep(0.05)  # this process's own chunks take longer than the worker's
        return item

    with pytest.raises(RuntimeError, match="_Unpicklable: holds a lambda"):
        fork_map(fail, [1, 2, 3, 4], None, workers=2, chunk=1)


_ORPHAN_SCRIPT = """
import os, sys, time
from pathlib import Path
from generator.build.workers import fork_map

out = Path(sys.argv[1])

def mark(item, shared):
    time.sleep(0.01)
    (out / str(item)).touch()
    return item

def ready():
    print("ready", flush=True)
    time.sleep(60)

fork_map(mark, list(range(2000)), None, workers=2, chunk=5, meanwhile=ready)
"""


def test_workers_of_a_killed_build_stop_instead_of_working_on(tmp_path) -> None:
    """kill -9 of a build leaves its workers orphaned: they must not go on writing pages
    into a staging folder that no one will commit (or that the next build clears)."""
    import signal
    import subprocess
    import sys

    marks = tmp_path / "marks"
    marks.mkdir()
    parent = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT, str(marks)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    time.sleep(0.5)  # a chunk in hand (5 items of 10 ms) is finished, then they stop
    settled = len(list(marks.iterdir()))
    time.sleep(1.0)
    assert len(list(marks.iterdir())) == settled < 2000
