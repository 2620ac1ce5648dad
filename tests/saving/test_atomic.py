"""atomic_write: the target changes only when the new content is complete."""

import pytest

from npkeras.saving.atomic import atomic_write, check_overwrite


def test_success_replaces_the_file(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    with atomic_write(path) as f:
        f.write(b"new")
        assert path.read_bytes() == b"old"  # not yet
    assert path.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_failure_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(path) as f:
        f.write(b"half")
        raise RuntimeError("boom")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_check_overwrite(tmp_path):
    check_overwrite(tmp_path / "absent", overwrite=False)
    (tmp_path / "present").write_bytes(b"")
    check_overwrite(tmp_path / "present", overwrite=True)
    with pytest.raises(FileExistsError, match="present already exists"):
        check_overwrite(tmp_path / "present", overwrite=False)
