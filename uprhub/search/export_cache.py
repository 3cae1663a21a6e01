"""The export cache's files: where they are, publishing a finished build, pruning.

Shared by the web process (`export_delivery`) and the builder child (`export_build`), which
both build on this module, so neither imports the other.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from django.conf import settings

from uprhub.search.index import current_version

CACHE_FILES = 16  # newest kept; older ones (and other data versions) are deleted
#: The builder's exit status when it built the file but did not cache it (the data changed).
NOT_CACHED = 3


def cache_dir(*, create: bool = False) -> Path:
    path = Path(settings.DATA_DIR) / "cache" / "exports"
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def publish(partial: Path, target: Path, version: int) -> bool:
    """Move a finished export into the cache, if the data did not change while it was built
    (otherwise leave it where it is and say so)."""
    if current_version() != version:
        return False
    partial.replace(target)
    _prune(target.parent, keep_version=version)
    return True


def _prune(directory: Path, keep_version: int) -> None:
    """Delete files of other data versions, left-over partial files, and the oldest ones."""
    now = time.time()
    current: list[tuple[float, Path]] = []
    for path in directory.iterdir():
        with contextlib.suppress(FileNotFoundError):
            if path.name.endswith(".partial"):
                if now - path.stat().st_mtime > 3600:  # a build that died
                    path.unlink()
                continue
            if not path.name.startswith(f"{keep_version}-"):
                path.unlink()
                continue
            current.append((path.stat().st_mtime, path))
    for _mtime, path in sorted(current, reverse=True)[CACHE_FILES:]:
        path.unlink(missing_ok=True)
    # Build locks of older data versions: no request can ask for those exports any more.
    for lock in (Path(settings.DATA_DIR) / "locks").glob("build-*.lock"):
        if not lock.name.startswith(f"build-{keep_version}-"):
            lock.unlink(missing_ok=True)
