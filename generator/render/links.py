"""Site URLs: every link is built from base_url's path, so the site works from a subpath."""
from __future__ import annotations

from urllib.parse import urljoin

from generator.config import SiteConfig


class Links:
    """URLs relative to the site's base path (`/digest/...`) and absolute ones for feeds and meta."""

    def __init__(self, config: SiteConfig) -> None:
        self.base = config.base_path
        self.absolute_base = config.base_url

    def url(self, rel: str) -> str:
        return self.base + rel.lstrip("/")

    def absolute(self, rel: str) -> str:
        return urljoin(self.absolute_base, rel.lstrip("/"))

    def page(self, number: int, prefix: str = "") -> str:
        return self.url(prefix + ("" if number == 1 else f"page/{number}/"))
