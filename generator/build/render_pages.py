"""Rendering many pages over every core: forked workers share the planned pages and the
Jinja environment (nothing is pickled per page) and hand each page to the writer, at the
path claimed for it before the fork."""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Sequence

from generator.build.workers import fork_map, worker_count
from generator.render.reader import recording

RENDER_CHUNK = 64
PARALLEL_MIN_PAGES = 128  # pages per worker below which forking costs more than it saves


def render_pages(pages: Sequence[tuple[Any, Any, str]], writer, env, jobs: int | None = None, *,
                 meanwhile: Callable[[], None] | None = None) -> list[tuple[str, tuple, bool]]:
    """Render `pages`, each (plan, spec or None, the sha256 of the published page or ""), and
    put each through `writer`, or keep the published file when the page came out as the very
    bytes it holds; returns, in order, each page's sha256, the dependency keys it read
    (generator.render.reader) and whether the published file was kept. A page not gathered yet
    (spec None) is gathered here: the workers' share of the work. `meanwhile()`: this
    process's own work while the workers render (see fork_map)."""
    for plan, _, _ in pages:
        writer.claim(plan.path)
    workers = worker_count(len(pages), PARALLEL_MIN_PAGES, jobs)
    shared: dict = {}

    def one_copy(result: tuple[str, tuple, bool]) -> tuple[str, tuple, bool]:
        # The workers send each page's keys as fresh copies; an article's keys are read by
        # its page and by every listing, day and week naming it: one object per key.
        digest, keys, kept = result
        return digest, tuple([shared.setdefault(key, key) for key in keys]), kept

    # Pages in the order of the articles they show (plan.near): each worker takes one run of
    # neighbouring pages (generator.build.workers), so it reads, and makes views of, about its
    # share of the articles instead of all of them.
    order = sorted(range(len(pages)), key=lambda n: pages[n][0].near)
    rendered = fork_map(_render_one, order, (pages, writer, env),
                        workers=workers, chunk=RENDER_CHUNK, receive=one_copy, meanwhile=meanwhile)
    in_order: list = [None] * len(pages)
    for n, result in zip(order, rendered):
        in_order[n] = result
    return in_order


def _render_one(index: int, job: tuple[Sequence[Any], Any, Any]) -> tuple[str, tuple, bool]:
    pages, writer, env = job
    plan, spec, published = pages[index]
    with recording() as keys:
        spec = spec or plan.spec()
        data = env.get_template(spec.template).render(**spec.context).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    written = writer.put_unless_same(spec.path, data, same=digest == published)
    return digest, tuple(keys), not written
