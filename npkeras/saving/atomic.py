"""Writes that never leave a half-written file: a temporary file in the same folder, renamed into place."""

import contextlib
import os
import tempfile
from pathlib import Path


def check_overwrite(filepath, overwrite):
    if not overwrite and Path(filepath).exists():
        raise FileExistsError(f"{os.fspath(filepath)} already exists; pass overwrite=True to replace it.")


@contextlib.contextmanager
def atomic_write(filepath):
    """Yield a binary file to write; on success it replaces `filepath` in one rename, on failure it vanishes.

    The earlier file at `filepath`, if any, stays intact until the new one is complete and flushed to disk."""
    target = Path(filepath)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"Cannot save to {os.fspath(filepath)}: the folder {os.fspath(folder)} does not exist.")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
