"""Site URLs: every link is built from base_url's path, so the site works from a subpath."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from generator.config import SiteConfig

# A relative path that urljoin would leave as it is (no dot segments, empty segments, colons,
# queries or fragments): appended to base_url directly, which is ~20x cheaper.
_PLAIN = re.compile(r"(?:[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*/)*(?:[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*)?")


class Links:
    """URLs relative to the site's base path (`/digest/...`) and absolute ones for feeds and meta."""

    def __init__(self, config: SiteConfig) -> None:
        self.base = config.base_path
        self.absolute_base = config.base_url

    def url(self, rel: str) -> str:
        return self.base + rel.lstrip("/")

    def absolute(self, rel: str) -> str:
        rel = rel.lstrip("/")
        if self.absolute_base.endswith("/") and _PLAIN.fullmatch(rel):
            return self.absolute_base + rel
        return urljoin(self.absolute_base, rel)

    def page(self, number: int, prefix: str = "") -> str:
        return self.url(prefix + ("" if number == 1 else f"page/{number}/"))
