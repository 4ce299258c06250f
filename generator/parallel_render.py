"""Rendering many pages over every core: forked workers share the planned site (nothing is
pickled per page) and write each page to the path the writer reserved for it."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path

from generator.write import WriteError

_RENDER_JOB: tuple | None = None  # (specs, targets, env) of the current build, inherited by forked workers
RENDER_CHUNK = 64
PARALLEL_MIN_PAGES = 128  # pages per worker below which forking costs more than it saves


def render_pages(specs, targets: list[Path], env, indices: list[int], jobs: int | None = None) -> list[str]:
    """Render the specs at `indices` to their reserved targets; returns each page's sha256, in order."""
    global _RENDER_JOB
    workers = min(jobs or os.cpu_count() or 1, max(1, len(indices) // PARALLEL_MIN_PAGES))
    if workers <= 1:
        return _render_some(indices, specs, targets, env)
    _RENDER_JOB = (specs, targets, env)
    try:
        chunks = [indices[n:n + RENDER_CHUNK] for n in range(0, len(indices), RENDER_CHUNK)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [d for chunk in pool.imap(_render_chunk, chunks) for d in chunk]
    finally:
        _RENDER_JOB = None


def _render_chunk(indices: list[int]) -> list[str]:
    assert _RENDER_JOB is not None
    return _render_some(indices, *_RENDER_JOB)


def _render_some(indices: list[int], specs, targets: list[Path], env) -> list[str]:
    digests = []
    for i in indices:
        spec = specs[i]
        data = env.get_template(spec.template).render(**spec.context).encode("utf-8")
        try:
            targets[i].write_bytes(data)
        except OSError as exc:
            raise WriteError(f"cannot write {spec.path}: {exc.strerror or exc}") from None
        digests.append(hashlib.sha256(data).hexdigest())
    return digests
