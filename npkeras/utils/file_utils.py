"""get_file: a file fetched once into npkeras's cache (~/.npkeras/datasets), checked by hash, optionally extracted.

The cache follows npkeras's data set conventions (npkeras/datasets/files.py): ~/.npkeras is what ~/.keras is to
Keras, and NPKERAS_OFFLINE (set by the tests) forbids the network. file:// origins are read even offline.
Downloads go to a temporary file renamed into place once complete and checked, as the data set loaders do.
"""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from pathlib import Path

from npkeras.datasets.download import CHUNK, downloads_allowed


def resolve_hasher(algorithm, file_hash=None):
    """sha256 when asked, or for "auto" with a 64-character hash; md5 otherwise (Keras's legacy default)."""
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None and len(file_hash) == 64):
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for block in iter(lambda: f.read(chunk_size), b""):
            hasher.update(block)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    hasher = resolve_hasher(algorithm, file_hash)
    return hash_file(fpath, hasher, chunk_size) == str(file_hash)


def _inside(base, name):
    target = os.path.realpath(os.path.join(base, name))
    return os.path.commonpath([base, target]) == base


def _safe_members(archive, base):
    """The members that land inside `base`: no absolute paths, no "..", no links that point outside."""
    base = os.path.realpath(base)
    for member in archive.getmembers() if isinstance(archive, tarfile.TarFile) else archive.infolist():
        name = member.name if isinstance(member, tarfile.TarInfo) else member.filename
        ok = _inside(base, name)
        if ok and isinstance(member, tarfile.TarInfo):
            if member.issym():
                ok = _inside(base, os.path.join(os.path.dirname(name), member.linkname))
            elif member.islnk():
                ok = _inside(base, member.linkname)
            ok = ok and (member.isfile() or member.isdir() or member.issym() or member.islnk())
        if ok:
            yield member
        else:
            warnings.warn(f"Skipping invalid path during archive extraction: '{name}'.", stacklevel=3)


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extract a .tar(.gz/.bz2/.xz) or .zip archive into `path`, skipping members that would land outside it.
    Returns whether `file_path` was an archive of one of `archive_format` ("auto": tar then zip)."""
    if archive_format is None:
        return False
    formats = (
        ["tar", "zip"]
        if archive_format == "auto"
        else [archive_format]
        if isinstance(archive_format, str)
        else archive_format
    )
    for kind in formats:
        is_kind, opener = (tarfile.is_tarfile, tarfile.open) if kind == "tar" else (zipfile.is_zipfile, zipfile.ZipFile)
        if not is_kind(file_path):
            continue
        os.makedirs(path, exist_ok=True)
        try:
            with opener(file_path) as archive:
                members = list(_safe_members(archive, path))
                if isinstance(archive, tarfile.TarFile):
                    archive.extractall(
                        path, members=members, **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {})
                    )
                else:
                    archive.extractall(path, members=members)
        except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
            if os.path.isdir(path):
                shutil.rmtree(path)
            raise
        return True
    return False


def _download(origin, target):
    partial = f"{target}.part"
    try:
        with urllib.request.urlopen(origin, timeout=60) as response, open(partial, "wb") as out:
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
    except urllib.error.HTTPError as e:
        Path(partial).unlink(missing_ok=True)
        raise Exception(f"URL fetch failure on {origin}: {e.code} -- {e.msg}") from None
    except (urllib.error.URLError, OSError) as e:
        Path(partial).unlink(missing_ok=True)
        reason = getattr(e, "reason", e)
        raise Exception(
            f"URL fetch failure on {origin}: {getattr(e, 'errno', None)} -- {reason}\n"
            f"Without a network, download it elsewhere and place it at {target}"
        ) from None
    return partial


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """The local path of `fname` from `origin`, downloaded into cache_dir/cache_subdir (default
    ~/.npkeras/datasets) unless a copy matching `file_hash` is there; with `extract`, the folder it was extracted
    to (fname before its first dot + "_extracted", as Keras names it)."""
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(str(cache_dir) if cache_dir is not None else os.path.join("~", ".npkeras"))
    os.makedirs(base, exist_ok=True)
    if not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".npkeras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)

    given = fname
    fname = os.fspath(fname) if fname is not None else None
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't parse the file name from the origin provided: '{origin}'.Please specify the `fname` argument."
            )
    elif os.sep in fname:
        raise ValueError(
            "Paths are no longer accepted as the `fname` argument. To specify the file's parent directory, use "
            f"the `cache_dir` argument. Received: fname={fname}"
        )
    if extract or untar:
        if given and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[: fname.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
        print(
            f"A local file was found, but it seems to be incomplete or outdated because the {hash_algorithm} file "
            f"hash does not match the original value of {file_hash} so we will re-download the data."
        )
        download = True
    if download:
        if urllib.parse.urlsplit(origin).scheme != "file" and not downloads_allowed():
            raise OSError(
                f"{fname} is not in the cache and downloads are off (NPKERAS_OFFLINE is set). Download it from "
                f"{origin} by hand and place it at {target}"
            )
        print(f"Downloading data from {origin}")
        partial = _download(origin, target)
        if file_hash is not None and not validate_file(partial, file_hash, hash_algorithm):
            os.remove(partial)
            raise ValueError(
                f"Incomplete or corrupted file detected. The {hash_algorithm} file hash does not match the provided "
                f"value of {file_hash}."
            )
        os.replace(partial, target)
    if extract or untar:
        if not extract_archive(target, extraction_dir, "tar" if untar else archive_format):
            warnings.warn("Could not extract archive.", stacklevel=2)
        return extraction_dir
    return target
