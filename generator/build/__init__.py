"""Building a site: one session object (`Builder`) runs files through the stages and hands the
planned outputs to one output path, for `digest build` and for every preview update.

    process.py   files -> articles (load, clean, enrich; the article cache)
    workers.py   the one fork pool
    outputs.py   plans -> what changed -> render -> writer (full builds and updates alike)
    state.py     what a session keeps between builds
    session.py   the Builder: owns the state and the manifest
    manifest.py, cache.py   what the last build made, and the processed articles
    last_index.py   the last `digest build`'s index, which the next one patches
"""
from generator.build.process import Pipeline, make_pipeline, process_file
from generator.build.session import Builder, BuildResult, build
from generator.search import SearchError
from generator.write import WriteError

__all__ = ["BuildResult", "Builder", "Pipeline", "SearchError", "WriteError", "build", "make_pipeline", "process_file"]
