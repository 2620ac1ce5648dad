"""Writes that never leave a half-written file: a temporary file beside the target, renamed onto it."""

import contextlib
import io
import os
import re
import secrets
import stat
import time
from pathlib import Path

from npkeras.backend import collective

try:
    import fcntl
except ImportError:  # Windows: temporary files are not locked, and stale ones are left alone
    fcntl = None

# A temporary file no process holds locked and untouched this long is left by a save that died (kill -9).
STALE_AFTER_S = 60


def check_overwrite(filepath, overwrite):
    if not overwrite and Path(filepath).exists():
        raise FileExistsError(f"{os.fspath(filepath)} already exists; pass overwrite=True to replace it.")


def save_target(filepath):
    """The file a save to `filepath` replaces: the final target where `filepath` is a symlink.

    Refuses, naming the path, a folder that is missing or not writable and a target that exists but is not a
    regular file (a folder, a device such as /dev/full, a FIFO)."""
    path = os.fspath(filepath)
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    where = path if real == os.path.abspath(path) else f"{path} (a link to {real})"
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"Cannot save to {where}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"Cannot save to {where}: the folder {folder} is not writable.")
    if os.path.exists(real) and not os.path.isfile(real):
        raise OSError(f"Cannot save to {where}: it is not a regular file.")
    return real


def _create_temp(folder, name):
    """(path, fd) of a new temporary file beside `name`, locked while this process writes it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as to any new file
        except FileExistsError:
            continue
        if fcntl is not None:
            with contextlib.suppress(OSError):  # a file system without locks: stale files just stay
                fcntl.flock(fd, fcntl.LOCK_EX)
        return tmp, fd


def _remove_stale_temps(folder, name):
    """Remove the temporary files of saves to `name` that died: unlocked and older than STALE_AFTER_S."""
    if fcntl is None:
        return
    pattern = re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if pattern.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    _remove_if_stale(entry.path)


def _remove_if_stale(tmp):
    fd = os.open(tmp, os.O_WRONLY | os.O_NONBLOCK)
    try:
        if time.time() - os.fstat(fd).st_mtime >= STALE_AFTER_S:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError while a live save holds it
            os.unlink(tmp)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(filepath):
    """Yield a binary file to write; on success it replaces `filepath` in one rename, on failure it vanishes.

    The earlier file at `filepath`, if any, stays intact until the new one is complete and flushed to disk;
    the new one keeps its mode (a new file gets 0o666 less the umask). A symlink stays a link: the file it
    points to is replaced. Temporary files left by killed saves to the same file are removed. On several
    processes only process 0 writes: the others write into memory that is dropped."""
    target = save_target(filepath)
    if not collective.is_chief():  # on several processes, process 0 writes every file
        yield io.BytesIO()
        return
    folder, name = os.path.split(target)
    _remove_stale_temps(folder, name)
    tmp, fd = _create_temp(folder, name)
    try:
        with os.fdopen(fd, "wb") as f:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(e, OSError) and e.errno and e.filename is None:  # a failed write: disk full, file too large
            raise OSError(e.errno, f"Cannot save to {os.fspath(filepath)}: {e.strerror}") from e
        raise
