"""Where the theme in use lives (light: imported by the no-change check before any renderer)."""
from __future__ import annotations

from pathlib import Path

from generator.config import SiteConfig


def theme_dirs(config: SiteConfig) -> tuple[Path, Path]:
    """The theme's own folder (the site's themes/<name>, else the bundled one) and the site folder."""
    root = Path(config.root)
    bundled = Path(__file__).resolve().parents[1] / "themes" / config.theme
    packaged = Path(__file__).resolve().parent / "themes" / config.theme  # a wheel may carry themes inside
    for candidate in (root / "themes" / config.theme, bundled, packaged):
        if (candidate / "templates").is_dir():
            return candidate, root
    raise FileNotFoundError(f"theme {config.theme!r} not found (looked in {root / 'themes'} and {bundled.parent})")
