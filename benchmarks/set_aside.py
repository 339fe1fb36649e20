"""Clean builds without a mass deletion just before them.

Deleting thousands of files makes creating files several times slower on this machine for a while
afterwards (its disk is mounted with ``discard``: see ``docs/performance.md``). A benchmark that deletes
the last output right before each clean build measures that aftermath as much as the build, and
penalises whoever writes the most files (site-gen writes its pages, its `content/articles` files and
its search files). So the old outputs are moved aside (a rename, nothing deleted) and deleted
together when the benchmark ends, outside every timing: each clean build writes into folders that
do not exist, as on a CI host's fresh checkout. (That final deletion slows whatever runs next for a
while: leave a pause between benchmarks.)
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import TracebackType


class SetAside:
    """``with SetAside(folder) as aside: aside.move(path)``: ``folder`` is emptied on leaving."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def __enter__(self) -> SetAside:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        return self

    def move(self, path: Path) -> None:
        """Move ``path`` (a file or folder, if it exists) into the set-aside folder (same disk: a rename)."""
        if path.exists() or path.is_symlink():
            self.count += 1
            path.rename(self.folder / str(self.count))

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
