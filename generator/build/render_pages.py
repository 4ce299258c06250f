"""Rendering many pages over every core: forked workers share the planned pages and the
Jinja environment (nothing is pickled per page) and hand each page to the writer, at the
path claimed for it before the fork."""
from __future__ import annotations

import hashlib
from typing import Any, Sequence

from generator.build.workers import fork_map, worker_count
from generator.render import context_fingerprint
from generator.render.reader import recording

RENDER_CHUNK = 64
PARALLEL_MIN_PAGES = 128  # pages per worker below which forking costs more than it saves


def render_pages(specs: Sequence[Any], writer, env, jobs: int | None = None, *, template_key: str,
                 known: Sequence[str | None]) -> list[tuple[str, str, tuple]]:
    """Render `specs` and put each through `writer`; returns, in order, each page's context
    fingerprint (`known[i]`, or made here when None: it is the workers' share of the work),
    its sha256 and the dependency keys its template read (`site_data`, generator.render.reader)."""
    for spec in specs:
        writer.claim(spec.path)
    workers = worker_count(len(specs), PARALLEL_MIN_PAGES, jobs)
    return fork_map(_render_one, range(len(specs)), (specs, writer, env, template_key, known),
                    workers=workers, chunk=RENDER_CHUNK)


def _render_one(index: int, job: tuple[Sequence[Any], Any, Any, str, Sequence[str | None]]) -> tuple[str, str, tuple]:
    specs, writer, env, template_key, known = job
    spec = specs[index]
    fingerprint = known[index] or context_fingerprint(template_key, spec.template, spec.context)
    with recording() as keys:
        data = env.get_template(spec.template).render(**spec.context).encode("utf-8")
    writer.put(spec.path, data)
    return fingerprint, hashlib.sha256(data).hexdigest(), tuple(keys)
