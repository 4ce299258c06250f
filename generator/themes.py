"""Where the theme in use lives (light: imported by the no-change check before any renderer)."""
from __future__ import annotations

from pathlib import Path

from generator.config import SiteConfig

_HERE = Path(__file__).resolve().parent


def bundled_themes_dir() -> Path:
    """The folder holding the themes shipped with digest (default/, ...).

    They are edited in the checkout's top-level themes/ folder, which is where a checkout or an
    editable install reads them; a wheel carries that folder as the package data of
    `generator._themes` (pyproject.toml maps it), i.e. site-packages/generator/_themes/."""
    packaged = _HERE / "_themes"
    return packaged if packaged.is_dir() else _HERE.parent / "themes"


def theme_dirs(config: SiteConfig) -> tuple[Path, Path]:
    """The theme's own folder (the site's themes/<name>, else the bundled one) and the site folder."""
    root = Path(config.root)
    bundled = bundled_themes_dir()
    for candidate in (root / "themes" / config.theme, bundled / config.theme):
        if (candidate / "templates").is_dir():
            return candidate, root
    raise FileNotFoundError(f"theme {config.theme!r} not found (looked in {root / 'themes'} and {bundled})")
