"""The only package that writes, links, renames or deletes a file (tests/test_architecture.py).

- `staged`: a whole new site staged beside `output/` and swapped in at once (`digest build`);
- `in_place`: the preview's update of a few published files;
- `files`: files outside the output folder (caches, imported articles, a new site's files);
- `scratch`: an unlinked temporary file a build keeps bytes in instead of memory;
- `base`: what they share (WriteError, the per-output lock, path checks, an atomic exchange).
"""
from generator.write.base import OutputLock, WriteError, holds, scan_tree
from generator.write.files import (create_new_file, install_folder, remove_file, remove_folder, replace_folder,
                                   save_pickles, write_file)
from generator.write.in_place import InPlaceWriter
from generator.write.scratch import ScratchFile
from generator.write.staged import StagedWriter, spare_of

__all__ = ["InPlaceWriter", "OutputLock", "ScratchFile", "StagedWriter", "WriteError", "create_new_file", "holds", "install_folder",
           "remove_file", "remove_folder", "replace_folder", "save_pickles", "scan_tree", "spare_of", "write_file"]
