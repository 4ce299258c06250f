"""The one fork pool: processing files and rendering pages both spread work over the cores
with it.

Forked workers inherit what the job shares (the pipeline, the planned pages, the Jinja
environment) from this process, so nothing large is pickled per item: only the results
come back, chunk by chunk.

This process is one of the workers: after `meanwhile()` it takes chunks too. A forked
worker soon holds a private copy of nearly all of this process's heap (reading an object
writes its reference count, and the articles' objects are spread over every page of the
heap: a render worker of a 100,000-article build grew to 1.24 GB), so one fork fewer is
one copy fewer, and this process's results need no pickling.

Each worker owns one contiguous run of the chunks and works through it from the front;
one whose run is done takes chunks from the back of the longest run left, so no core idles
while another has work. A caller that orders its items so that neighbours read the same
data (the render stage orders pages by the articles they show) so has each worker make
views and fragments of about its share of the articles, not of all of them.
"""
from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import queue
import struct
import threading
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from generator.build.heap import heap_frozen

Item = TypeVar("Item")
Result = TypeVar("Result")

# The job being run: (function, shared, chunks, this process's pid), inherited by the forked workers.
_JOB: tuple[Callable[..., Any], Any, list[Sequence[Any]], int] | None = None
_WAIT = 1.0  # seconds between looks at whether a silent worker is still alive


class WorkerDied(RuntimeError):
    """A worker ended without handing back its chunk (killed, or out of memory)."""


class _Failure:
    """What a worker's function raised, sent back to be raised again in this process."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def can_fork() -> bool:
    """Whether a forked copy of this process is safe to make: fork exists and no other thread
    runs (a thread's held locks would stay held, forever, in the copy)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def worker_count(items: int, per_worker: int, jobs: int | None) -> int:
    """How many processes `items` deserve: one per `per_worker` items, at most `jobs` (default:
    the cores); below two there is nothing to gain from forking."""
    return min(jobs or os.cpu_count() or 1, max(1, items // per_worker))


def fork_map(function: Callable[[Item, Any], Result], items: Sequence[Item], shared: Any, *, workers: int,
             chunk: int, progress: Callable[[Iterable, int], Iterable] | None = None,
             receive: Callable[[Result], Result] | None = None,
             meanwhile: Callable[[], None] | None = None) -> list[Result]:
    """`[function(item, shared) for item in items]`, over `workers` processes when more than
    one (this one and `workers - 1` forked copies); `progress(iterable, total)` wraps the
    chunks (or the items) as they complete; `receive(result)`, in this process, replaces each
    result as it arrives (chunks arrive in the order they are done, not the items' order; what
    it drops is not held for the whole run). `meanwhile()` runs in this process first, while
    the forked workers start on their runs; without workers, before the items. It must not
    need their results."""
    global _JOB
    if workers <= 1:
        if meanwhile is not None:
            meanwhile()
        done = (function(item, shared) for item in _with_progress(items, len(items), progress))
        return [receive(result) for result in done] if receive else list(done)
    chunks = [items[n:n + chunk] for n in range(0, len(items), chunk)]
    workers = min(workers, len(chunks))
    _JOB = (function, shared, chunks, os.getpid())
    # The parent's heap frozen: a worker's collections do not walk (and copy on write) it.
    # With 13,000 planned pages this saved ~0.3 s of the render workers' 6.2 s user CPU (10k).
    # (The pool's own objects are made after: frozen, they would be freed from the frozen set.)
    with heap_frozen():
        context = multiprocessing.get_context("fork")
        runs = _Runs(_cut(len(chunks), workers))
        lock = context.Lock()
        results: Any = context.Queue()
        processes = [context.Process(target=_work, args=(slot, runs, lock, results), daemon=True)
                     for slot in range(1, workers)]  # slot 0 is this process's own

        def own_chunk() -> tuple[int, list[Any]] | None:
            number = _next_chunk(0, runs, lock)
            return None if number is None else (number, _chunk_results(number))

        try:
            for process in processes:
                process.start()
            if meanwhile is not None:
                meanwhile()
            parts: list[list[Any] | None] = [None] * len(chunks)
            arrivals = _arrivals(own_chunk, results, processes, len(chunks))
            for number, part in _with_progress(arrivals, len(chunks), progress):
                parts[number] = [receive(result) for result in part] if receive else part
            return [result for part in parts for result in part]  # type: ignore[union-attr]
        finally:
            _JOB = None
            for process in processes:
                if process.is_alive():
                    process.terminate()
                process.join()
            results.close()
            results.join_thread()


def _cut(chunks: int, workers: int) -> list[int]:
    """[start, end, start, end, ...]: the chunks cut into `workers` contiguous runs, as even as can be."""
    cuts = [chunks * slot // workers for slot in range(workers + 1)]
    return [bound for slot in range(workers) for bound in (cuts[slot], cuts[slot + 1])]


class _Runs:
    """Each worker's run of chunks, [next, end) per worker, in memory the forked workers share.

    (An anonymous shared map, not multiprocessing's Array: that allocator frees an earlier
    array's block on the next allocation, which can fall inside a frozen heap.)"""

    def __init__(self, bounds: list[int]) -> None:
        self._memory = mmap.mmap(-1, 8 * len(bounds))  # MAP_SHARED: writes are seen by every process
        self.workers = len(bounds) // 2
        for n, bound in enumerate(bounds):
            self[n] = bound

    def __getitem__(self, n: int) -> int:
        return struct.unpack_from("q", self._memory, 8 * n)[0]

    def __setitem__(self, n: int, value: int) -> None:
        struct.pack_into("q", self._memory, 8 * n, value)


def _next_chunk(slot: int, runs: _Runs, lock: Any) -> int | None:
    """The next chunk of this worker's own run; when that is done, the last chunk of the
    longest run left (its owner works from the other end); None when no chunk is left."""
    with lock:
        start, end = runs[2 * slot], runs[2 * slot + 1]
        if start < end:
            runs[2 * slot] = start + 1
            return start
        longest = max(range(runs.workers), key=lambda other: runs[2 * other + 1] - runs[2 * other])
        start, end = runs[2 * longest], runs[2 * longest + 1]
        if start >= end:
            return None
        runs[2 * longest + 1] = end - 1
        return end - 1


def _work(slot: int, runs: _Runs, lock: Any, results: Any) -> None:
    """A worker: chunks until none is left, each one's results (or its failure) sent back."""
    assert _JOB is not None, "fork_map's job is set before the workers fork"
    parent = _JOB[3]
    # A parent killed mid-build (kill -9) leaves its workers orphaned: they stop at the next
    # chunk instead of writing the rest of their run into a staging folder nobody will commit.
    while os.getppid() == parent and (number := _next_chunk(slot, runs, lock)) is not None:
        try:
            results.put((number, _chunk_results(number)))
        except BaseException as error:  # noqa: BLE001 - raised again in the parent
            results.put((number, _Failure(_sendable(error))))
            return


def _chunk_results(number: int) -> list[Any]:
    """The results of chunk `number` of the job being run (in this process or a worker)."""
    assert _JOB is not None
    function, shared, chunks, _ = _JOB
    return [function(item, shared) for item in chunks[number]]


def _sendable(error: BaseException) -> BaseException:
    """`error`, or, when it cannot be pickled back, a RuntimeError saying what it was."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any failure to pickle means: send a plain copy
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _arrivals(own_chunk: Callable[[], tuple[int, list[Any]] | None], results: Any, processes: list,
              total: int) -> Iterator[tuple[int, list[Any]]]:
    """(chunk number, its results): this process's own chunks, done here while any is left,
    and the workers', as they hand them back. A worker's failure is raised here, and a worker
    that died without handing back its chunk is an error, not a hang."""
    received = 0
    while received < total:
        mine = own_chunk()
        if mine is not None:
            received += 1
            yield mine
            while received < total and not results.empty():  # what the workers sent meanwhile
                received += 1
                yield _checked(results.get())
            continue
        received += 1
        yield _checked(_next_result(results, processes))


def _next_result(results: Any, processes: list) -> tuple[int, Any]:
    """The next chunk a worker hands back, waiting for it while some worker may still send it."""
    while True:
        try:
            return results.get(timeout=_WAIT)
        except queue.Empty:
            codes = [process.exitcode for process in processes]
            if any(code not in (None, 0) for code in codes) or None not in codes and results.empty():
                code = next((code for code in codes if code), 0)
                raise WorkerDied(f"a worker process ended (exit code {code}) before its work was done") from None


def _checked(arrival: tuple[int, Any]) -> tuple[int, list[Any]]:
    number, part = arrival
    if isinstance(part, _Failure):
        raise part.error
    return number, part


def _with_progress(iterable: Iterable, total: int, progress) -> Iterable:
    return progress(iterable, total) if progress else iterable
