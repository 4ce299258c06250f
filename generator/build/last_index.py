"""The last `digest build`'s index, kept so the next one patches it instead of indexing anew.

A preview update indexes only around what changed (index.build_site with `previous`): it
holds the previous Site in memory. A build run from the command line had no previous Site
and ordered, listed, clustered and related all 10,000 articles again after one edit (1.9 s
of a 6 s build). Kept on disk beside the manifest, the index lets it take the same path.

What is kept is the Site without its articles (their order as ids, the listings, stories and
related lists: ~1 MB at 10,000 articles), with each article's content digest and source. The
articles come from this build: an article whose file has the digest and path it had then is
the same article (the article cache's own rule, under the same cache key), and one that
changed or went is taken from the article cache as the last build stored it. When any is
missing or differs (a build that stopped after saving its cache, a cache from elsewhere),
the index is not used: the build indexes everything, as before.

The kept index is trusted only with the manifest of the same build (its inputs key) and
the same index settings; anything else and it is ignored, never an error.
"""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping

from generator.build.manifest import manifest_path
from generator.config import SiteConfig
from generator.model import Article, Site
from generator.write import save_pickles

LAST_INDEX_FORMAT = 1


@dataclass(frozen=True, slots=True)
class LastIndex:
    """A Site without its articles, and which articles it was made of."""

    key: str  # index_key() of the build that made it
    ids: tuple[str, ...]  # Site.articles, in order
    digests: tuple[str, ...]  # each one's Article.digest (its file's content)
    sources: tuple[str, ...]  # each one's source path
    skeleton: Site  # articles=(), by_id={}


def index_key(inputs: str, content_key: str, config: SiteConfig) -> str:
    """What an index is made with: the build's inputs key (the manifest's), the article cache
    key (what articles become) and the settings index.build_site reads."""
    settings = f"{config.page_size}\0{config.non_policy}\0{config.tz}"
    return hashlib.sha256(f"{inputs}\0{content_key}\0{settings}".encode("utf-8", "surrogatepass")).hexdigest()


def last_index_path(config: SiteConfig) -> Path:
    """Beside the manifest of the same output folder (one kept index per output)."""
    manifest = manifest_path(config)
    return manifest.with_name(manifest.name.replace("manifest-", "index-", 1))


def keep_index(path: Path, key: str, site: Site) -> bool:
    """Save `site`'s index for the next build (False when it cannot be written: then there is none)."""
    articles = site.articles
    kept = LastIndex(key, tuple(a.id for a in articles), tuple(a.digest for a in articles),
                     tuple(str(a.source) for a in articles), replace(site, articles=(), by_id={}))
    return save_pickles(path, [{"format": LAST_INDEX_FORMAT}, kept])


def load_index(path: Path, key: str) -> LastIndex | None:
    try:
        with path.open("rb") as handle:
            if pickle.load(handle).get("format") != LAST_INDEX_FORMAT:
                return None
            kept = pickle.load(handle)
    except Exception:  # noqa: BLE001 - no usable index means a whole indexing, never an error
        return None
    return kept if isinstance(kept, LastIndex) and kept.key == key else None


def previous_site(kept: LastIndex, current: Iterable[Article], stored: Iterable[Article | None]) -> Site | None:
    """The Site `kept` describes, made of this build's articles where they are the same ones
    (so index.build_site sees them as unchanged: the same objects) and of `stored` (the
    article cache as the last build left it) for those that changed or went; None when an
    article of the kept index is in neither."""
    now: Mapping[str, Article] = {a.id: a for a in current}
    before = {a.id: a for a in stored if a is not None}
    articles = []
    for article_id, digest, source in zip(kept.ids, kept.digests, kept.sources):
        for candidate in (now.get(article_id), before.get(article_id)):
            if candidate is not None and candidate.digest == digest and str(candidate.source) == source:
                articles.append(candidate)
                break
        else:
            return None
    return replace(kept.skeleton, articles=tuple(articles), by_id={a.id: a for a in articles})
