"""get_file: file:// origins into a cache, hash checks, safe extraction, the offline error."""

import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

import npkeras as keras
from npkeras.utils.file_utils import extract_archive


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "src" / "data.txt"
    path.parent.mkdir()
    path.write_bytes(b"hello npkeras\n")
    return path


def test_downloads_into_the_cache_once(source, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    got = Path(keras.utils.get_file(origin=source.as_uri()))
    assert got == tmp_path / "home" / ".npkeras" / "datasets" / "data.txt"  # fname from the URL, ~/.npkeras cache
    assert got.read_bytes() == b"hello npkeras\n"
    source.unlink()  # a second call uses the cached copy
    assert Path(keras.utils.get_file("data.txt", origin=source.as_uri())) == got
    assert not list(got.parent.glob("*.part"))


def test_hash_checked_md5_and_sha256(source, tmp_path):
    data = source.read_bytes()
    sha, md5 = hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest()
    kwargs = {"origin": source.as_uri(), "cache_dir": tmp_path / "c"}
    assert Path(keras.utils.get_file("a.txt", file_hash=sha, **kwargs)).read_bytes() == data
    assert Path(keras.utils.get_file("b.txt", file_hash=md5, **kwargs)).read_bytes() == data  # "auto": 32 chars, md5
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected"):
        keras.utils.get_file("c.txt", file_hash="0" * 64, **kwargs)
    assert not (tmp_path / "c" / "datasets" / "c.txt").exists()
    # a cached copy that fails the hash is downloaded again
    stale = tmp_path / "c" / "datasets" / "a.txt"
    stale.write_bytes(b"stale")
    keras.utils.get_file("a.txt", file_hash=sha, **kwargs)
    assert stale.read_bytes() == data


def _tar_gz(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_extracts_tar_gz_and_zip(tmp_path):
    _tar_gz(tmp_path / "pack.tar.gz", {"pack/a.txt": b"A", "pack/sub/b.txt": b"B"})
    out = Path(
        keras.utils.get_file("pack.tar.gz", (tmp_path / "pack.tar.gz").as_uri(), extract=True, cache_dir=tmp_path / "c")
    )
    assert out == tmp_path / "c" / "datasets" / "pack_extracted"
    assert (out / "pack" / "sub" / "b.txt").read_bytes() == b"B"
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as z:
        z.writestr("z/c.txt", "C")
    out = Path(keras.utils.get_file(origin=(tmp_path / "z.zip").as_uri(), extract=True, cache_dir=tmp_path / "c"))
    assert out == tmp_path / "c" / "datasets" / "z.zip" and (out / "z" / "c.txt").read_text() == "C"


def test_extraction_never_leaves_the_target(tmp_path):
    _tar_gz(tmp_path / "evil.tar.gz", {"../escape.txt": b"x", "/abs.txt": b"y", "ok.txt": b"fine"})
    with tarfile.open(tmp_path / "link.tar", "w") as tar:
        link = tarfile.TarInfo("out")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc"
        tar.addfile(link)
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as z:
        z.writestr("../zip_escape.txt", "x")
        z.writestr("good.txt", "g")
    target = tmp_path / "target"
    with pytest.warns(UserWarning, match="Skipping invalid path"):
        assert extract_archive(tmp_path / "evil.tar.gz", target)
    with pytest.warns(UserWarning, match="Skipping invalid path"):
        assert extract_archive(tmp_path / "link.tar", target)
    with pytest.warns(UserWarning, match="Skipping invalid path"):
        assert extract_archive(tmp_path / "evil.zip", target)
    assert sorted(p.name for p in target.iterdir()) == ["good.txt", "ok.txt"]
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "zip_escape.txt").exists()
    assert not extract_archive(tmp_path / "evil.zip", target, archive_format="tar")


def test_offline_error_says_where_to_place_the_file(tmp_path):
    with pytest.raises(OSError, match=r"place it at .*datasets[/\\]big\.bin"):
        keras.utils.get_file("big.bin", "https://example.invalid/big.bin", cache_dir=tmp_path)


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match='specify the "origin" argument'):
        keras.utils.get_file("x")
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        keras.utils.get_file("a/b.txt", "file:///nowhere/b.txt", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="Can't parse the file name"):
        keras.utils.get_file(origin="file:///", cache_dir=tmp_path)
