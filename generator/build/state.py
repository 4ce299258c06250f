"""What a long-lived build session keeps between builds, for the next preview update.

Owned and changed by one `generator.build.session.Builder` only; everything else takes
values from it and returns values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.build.dependents import Dependents
from generator.build.process import Result
from generator.diagnostics import Diagnostic
from generator.inputs import InputsKey
from generator.model import Site

if TYPE_CHECKING:
    from generator.build.process import Pipeline


@dataclass(slots=True)
class BuildState:
    """What the last build of a long-lived Builder left, for the next update."""

    source: Path
    order: list[PurePosixPath]  # every discovered file's display path, in discovery order
    results: dict[PurePosixPath, Result]
    problems: list[Diagnostic]  # discovery's own diagnostics
    site: Site
    inputs: InputsKey
    content_key: str
    pipeline: "Pipeline"
    dependents: Dependents = field(default_factory=Dependents)  # kept in step with the manifest's records


def diagnostics_of(state: BuildState, slug_notes: list[Diagnostic]) -> list[Diagnostic]:
    """The build's diagnostics in the order a full build gives them."""
    found = list(state.problems)
    for display in state.order:
        found += state.results[display][1]
    return found + slug_notes


