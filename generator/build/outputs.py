"""The one output path: planned pages and documents -> what changed -> render -> writer.

A whole build and a preview update are the same function: the build passes a writer
that stages a new site and considers every page; an update passes a writer that
changes the published site in place and the set of pages its edit can have changed.
Either way a page that read nothing that changed, made with the same templates, code and
settings, is kept, not rendered.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.config import SiteConfig
from generator.model import Site
from generator.search import INDEX_FOLDER, KEY_FILE, SearchDue, index_key, index_site, reusable_index, search_pages
from generator.write import WriteError

if TYPE_CHECKING:
    from generator.write import InPlaceWriter, StagedWriter

class Record(NamedTuple):
    """What the last build made of one output: how to tell whether it would be the same now."""

    fingerprint: str  # of a feed's or sitemap's items (LazyDocument); "" for pages and other documents
    digest: str  # sha256 of the page's bytes ("" for documents)
    keys: tuple = ()  # what the page read of the site (generator.render.reader), sorted: a tuple is a
    # third of a frozenset's size, and 13,000 pages' records stay in the preview server's memory
    deps: str = ""  # digest of those keys' values when it was made


Records = dict[str, Record]


@dataclass(slots=True)
class PlanMemo:
    """The page plans of the last write, for the next update of a site with the same layout.

    Planning every page costs time in proportion to the site (16,000 plans at 10,000
    articles); an update that left the layout alone (`Site.layout`: the same pages) reuses
    them, their reader rebound to the new site, and looks only at the affected paths.
    Owned by one Builder, like its view cache."""

    layout: object = None
    template_key: str = ""
    reader: Any = None
    plans: list = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # path -> index in plans
    records: Records | None = None  # what that write recorded: the only `previous` the plans fit

    def fits(self, site: Site, template_key: str, previous: Records) -> bool:
        return self.layout is site.layout and self.template_key == template_key and self.records is previous


def _reads_unchanged(old: Record, moved: set | None, values: Any) -> bool:
    """Whether every key a published page read has the value it had: known from the keys the
    index patch moved when there are any (`moved`), else by digesting their values now."""
    return moved.isdisjoint(old.keys) if moved is not None else old.deps == values.digest(old.keys)


@dataclass(frozen=True, slots=True)
class Written:
    """What `write_outputs` put in place."""

    count: int  # files written (not kept)
    reused: int  # pages kept because nothing they show changed
    records: Records  # every planned page and document: what the next build compares with
    search_due: SearchDue | None  # the search index the pages need, when the published index is not it
    remade: frozenset[str] = frozenset()  # the paths whose record is not the previous one (removed ones too)


def write_outputs(site: Site, config: SiteConfig, renderer: tuple[str, Any], writer: "StagedWriter | InPlaceWriter",
                  previous: Records | None, *, content_key: str, views: dict | None, affected: set[str] | None = None,
                  index_now: bool = True, timings: dict[str, float] | None = None,
                  jobs: int | None = None, memo: PlanMemo | None = None, trust_deps: bool = False,
                  moved: set | None = None) -> Written:
    """Every planned page, document and static file through `writer`, reusing what `previous`
    (the last build's records) shows unchanged.

    `affected`: the outputs that read a dependency key an edit changed (generator.build.
    dependents over generator.render.reader.changed_keys); any other published output is
    not even gathered. None (a whole build): every published page is compared (see
    `trust_deps`), every other one rendered. `index_now`: run Pagefind over the staged site
    now; otherwise the index the pages need is returned in `search_due` (the
    preview indexes in the background). `memo`: the plans of the last write, reused by an
    update when they fit (PlanMemo), and replaced by this write's. `trust_deps`: `previous`
    was made with the same templates, code and settings (Manifest.frame), so a published
    page whose dependencies' values are unchanged is kept without being gathered again; when
    not (a template edit, an upgrade, a setting), every page is rendered again. Pages carry
    no fingerprint of their gathered context: computing one for every rendered page, so that
    a build after a settings change could keep the pages the setting did not reach, was the
    costliest single function of a cold build (1.0 s of CPU for the 16,000 pages of 10,000
    articles), and it saved nothing even then (gathering and fingerprinting a page in this
    process took as long as rendering it in the workers).
    `moved`: the keys whose values differ from those of the site `previous` was made of
    (generator.render.reader.changed_keys, when the build patched that site's index): a
    whole build then knows a page's dependencies are unchanged when none of its keys moved,
    without digesting their values (0.9 s for 16,000 pages after one edit at 10,000 articles).
    """
    # Imported here, not at the top: a no-change rebuild (which imports this module) needs no renderer.
    from generator.build.render_pages import render_pages
    from generator.render import LazyDocument, documents, page_plans, site_reader, static_files
    from generator.render.reader import KeyValues, recording

    timings = timings if timings is not None else {}
    clock = time.perf_counter
    previous = previous or {}
    key, env = renderer
    remade: list[str] = []  # paths whose record is made now (or removed), not the previous one
    mark = clock()
    same_pages = affected is not None and memo is not None and memo.fits(site, key, previous)
    if same_pages:
        reader, plans = memo.reader, memo.plans
        reader.rebind(site)
        records: Records = dict(previous)  # every planned page is in it: only the affected ones are looked at
        looked_at = [plans[n] for n in sorted(memo.positions[p] for p in affected if p in memo.positions)]
    else:
        reader = site_reader(site, config, content_key, views)
        plans = page_plans(reader, site, config)
        records, looked_at = {}, plans
    if affected is None and views is not None:
        _forget_other_views(views, site)  # once per whole build, not on every preview update
    values = KeyValues(site, reader.views)
    timings["plan"] = clock() - mark
    mark = clock()
    todo, reused = [], 0  # (plan, its spec when gathered here, keys read gathering it)
    for plan in looked_at:
        old = previous.get(plan.path)
        if affected is not None:  # an update
            if old is not None and plan.path not in affected:
                records[plan.path] = old  # it read nothing the edit changed: not even gathered
            elif old is None:
                todo.append((plan, None, ()))  # a new page: gathered by the render workers
            else:
                # A page that read a key the edit changed. Gathered here, where the long-lived
                # view cache keeps what it makes (paired runs adding one article to 10,000:
                # gathering in the workers was no faster, within the noise).
                with recording() as keys:
                    spec = plan.spec()
                todo.append((plan, spec, keys))
            continue
        # A whole build: a published page is kept when it is made the same way and nothing it
        # read moved; any other page is gathered and rendered by the workers, in parallel.
        if old is not None and trust_deps and _reads_unchanged(old, moved, values) and writer.keep(plan.path):
            records[plan.path] = old
            reused += 1
            continue
        todo.append((plan, None, ()))
    timings["compare"] = clock() - mark
    written_documents = 0

    def make_documents() -> None:
        """Feeds, sitemaps and the other documents, and the static files: made in this
        process while the render workers draw the pages (none of them reads a page)."""
        nonlocal written_documents
        started = clock()
        for planned in documents(site, config, content_key, reader):
            old = previous.get(planned.path)
            if affected is not None and old is not None and planned.path not in affected:
                records[planned.path] = old
                continue
            with recording() as keys:
                document = planned.prepare()
            keys = tuple(sorted(keys))
            remade.append(document.path)
            if isinstance(document, LazyDocument):  # a feed or sitemap: made only when what it lists changed
                records[document.path] = Record(document.fingerprint, "", keys)
                if old and old.fingerprint == document.fingerprint and writer.keep(document.path):
                    continue
                data = document.produce()
            else:
                records[document.path] = Record("", "", keys)
                data = document.data
            written_documents += writer.put_unless_same(document.path, data)
        for rel, path in static_files(config):
            old = previous.get(f"static/{rel}")
            if affected is not None and old is not None:  # static files change only through a whole build
                records[f"static/{rel}"] = old
                continue
            records[f"static/{rel}"] = Record("", "")
            remade.append(f"static/{rel}")
            written_documents += writer.put_unless_same(f"static/{rel}", _read(path))
        timings["feeds"] = clock() - started  # within the render stage's time when workers render

    mark = clock()
    # A whole build hands the workers each published page's digest: a page rendered to the very
    # bytes it had keeps its file (same inode and mtime), for deploy tools that sync by mtime.
    # (An update's pages are few, and its preview folder is not deployed.)
    published = {} if affected is not None else previous
    rendered = render_pages([(plan, spec, getattr(published.get(plan.path), "digest", "")) for plan, spec, _ in todo],
                            writer, env, jobs, meanwhile=make_documents)
    kept_after_render = 0
    for (plan, _, gathered), (digest, read, kept) in zip(todo, rendered):
        keys = tuple(sorted(set(gathered).union(read)))
        records[plan.path] = Record("", digest, keys, values.digest(keys))
        remade.append(plan.path)
        kept_after_render += kept
    timings["render"] = clock() - mark
    reused += kept_after_render
    count = len(todo) - kept_after_render + written_documents
    for path in [] if same_pages else sorted(set(previous) - set(records)):
        writer.remove(path)
        remade.append(path)
    search_due = None
    if config.search:
        mark = clock()
        pages = search_pages(config, key)
        needed = index_key(((plan.path, records[plan.path].digest) for plan in plans), config.language, pages)
        if reusable_index(config.output_dir, needed) is not None:
            writer.keep_folder(INDEX_FOLDER)
        elif index_now:
            staged, folder = writer.lend_folder(INDEX_FOLDER)
            index_site(staged, config.language, folder, pages)
            writer.put_text(f"{INDEX_FOLDER}/{KEY_FILE}", needed)
        else:
            search_due = SearchDue(needed, pages)
        if index_now:
            timings["search"] = clock() - mark  # an update's index follows in the background, untimed here
    if memo is not None:
        if not same_pages:
            memo.layout, memo.template_key, memo.reader, memo.plans = site.layout, key, reader, plans
            memo.positions = {plan.path: n for n, plan in enumerate(plans)}
        memo.records = records
    return Written(count, reused, records, search_due, frozenset(remade))


def _forget_other_views(views: dict, site: Site) -> None:
    """Keep only this site's article views in the long-lived view cache."""
    for article_id in [i for i in views if i not in site.by_id]:
        del views[article_id]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WriteError(f"cannot read {path}: {exc.strerror or exc}") from None
