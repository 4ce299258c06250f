"""The State Council library's subjects file, read once: light enough for the taxonomy's
validation to name the 22 subjects without loading the subject tagger (which itself
builds on taxonomies)."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def subjects_file_text() -> str:
    """generator/data/subjects.toml (package data)."""
    return resources.files("generator.data").joinpath("subjects.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def subject_names() -> tuple[str, ...]:
    """The 22 first-level subjects, in the library's own order."""
    return tuple(raw["name"] for raw in tomllib.loads(subjects_file_text())["subject"])
