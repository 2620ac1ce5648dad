"""atomic_write: the target changes only when the new content is complete."""

import errno
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from npkeras.saving.atomic import atomic_write, check_overwrite

REPO = Path(__file__).parents[2]


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


@pytest.fixture
def umask():
    """Set the process umask for one test: umask(mask)."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


def test_a_new_file_gets_the_default_mode_less_the_umask(tmp_path, umask):
    umask(0o027)
    with atomic_write(tmp_path / "f.bin") as f:
        f.write(b"new")
    assert stat.S_IMODE((tmp_path / "f.bin").stat().st_mode) == 0o640


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    path.chmod(0o644)
    umask(0o077)
    with atomic_write(path) as f:
        f.write(b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_symlink_stays_and_its_target_is_replaced(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "f.bin"
    target.write_bytes(b"old")
    target.chmod(0o640)
    (tmp_path / "link1").symlink_to(target)
    link = tmp_path / "link2"
    link.symlink_to("link1")  # a link to a link
    with atomic_write(link) as f:
        f.write(b"new")
    assert link.is_symlink() and os.readlink(link) == "link1"
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link1", "link2", "real"]
    assert [p.name for p in (tmp_path / "real").iterdir()] == ["f.bin"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "f.bin")
    with atomic_write(link) as f:
        f.write(b"new")
    assert link.is_symlink() and (tmp_path / "f.bin").read_bytes() == b"new"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_link_to_a_device_is_refused_and_left_alone(tmp_path):
    link = tmp_path / "m.keras"
    link.symlink_to("/dev/full")
    with pytest.raises(OSError, match=rf"Cannot save to {re.escape(str(link))} \(a link to /dev/full\): it is not a"):
        with atomic_write(link) as f:
            f.write(b"new")
    assert link.is_symlink() and os.readlink(link) == "/dev/full"
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]


def test_a_fifo_or_folder_is_refused_and_left_alone(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    for name in ("fifo", "folder"):
        with pytest.raises(OSError, match=rf"Cannot save to .*{name}: it is not a regular file"):
            with atomic_write(tmp_path / name) as f:
                f.write(b"new")
    assert stat.S_ISFIFO((tmp_path / "fifo").stat().st_mode) and (tmp_path / "folder").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "folder"]


def test_a_failed_write_names_the_path_and_keeps_the_old_file(tmp_path):
    resource = pytest.importorskip("resource")
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(
        resource.RLIMIT_FSIZE, (4096, hard)
    )  # writes past 4 KiB fail with EFBIG (Python ignores SIGXFSZ)
    try:
        with pytest.raises(OSError, match=f"Cannot save to {re.escape(str(path))}: File too large") as info:
            with atomic_write(path) as f:
                f.write(b"x" * 100_000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert info.value.errno == errno.EFBIG
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.bin"]


KILLED_SAVE = """
import sys, time
from npkeras.saving.atomic import atomic_write
with atomic_write(sys.argv[1]) as f:
    f.write(b"half")
    f.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def test_the_next_save_removes_what_a_killed_save_left_and_only_that(tmp_path):
    path = tmp_path / "f.bin"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    writer = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(path)], stdout=subprocess.PIPE, env=env)
    try:
        assert writer.stdout.readline() == b"writing\n"
        (temp,) = tmp_path.glob(".f.bin.*.tmp")
        an_hour_ago = time.time() - 3600
        os.utime(temp, (an_hour_ago, an_hour_ago))
        just_created = tmp_path / ".f.bin.0123abcd.tmp"  # a save that has only just begun
        just_created.write_bytes(b"")
        other = tmp_path / ".g.bin.0123abcd.tmp"  # another file's
        other.write_bytes(b"")
        os.utime(other, (an_hour_ago, an_hour_ago))
        with atomic_write(path) as f:
            f.write(b"new")
        assert temp.read_bytes() == b"half"  # its save is alive
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    with atomic_write(path) as f:
        f.write(b"newer")
    assert path.read_bytes() == b"newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([just_created.name, other.name, "f.bin"])
