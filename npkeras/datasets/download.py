"""Downloading a data set file into the cache, checked by SHA-256 and renamed into place."""

import gzip
import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

CHUNK = 1 << 20


def downloads_allowed():
    """False when NPKERAS_OFFLINE is set (tests and machines without a network)."""
    return not os.environ.get("NPKERAS_OFFLINE")


def content_sha256(path, gzipped=None):
    """SHA-256 of the file's content, decompressed first for gzip files (any gzip encoder agrees).

    `gzipped` defaults to whether the name ends in .gz.
    """
    digest = hashlib.sha256()
    gzipped = str(path).endswith(".gz") if gzipped is None else gzipped
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(url, dest, sha256, timeout=60):
    """Download `url` to `dest` unless it is there; verify the content's SHA-256; return `dest`.

    The data is written to a temporary file beside `dest` and renamed only once it checks out,
    so an interrupted or corrupt download never leaves a file that looks complete.
    """
    dest = Path(dest)
    if dest.is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
        found = content_sha256(partial, gzipped=dest.name.endswith(".gz"))
    except (urllib.error.URLError, OSError, EOFError) as e:
        partial.unlink(missing_ok=True)
        raise OSError(f"Could not download {url}: {e}") from None
    if found != sha256:
        partial.unlink(missing_ok=True)
        raise ValueError(f"The file downloaded from {url} is corrupt: SHA-256 {found}, expected {sha256}.")
    os.replace(partial, dest)
    return dest
