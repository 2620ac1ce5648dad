"""Where data set files are looked for: path, $NPKERAS_DATA, ~/.npkeras/datasets, system."""

from pathlib import Path

import pytest

from npkeras.datasets import files

NAMES = ["a-idx1-ubyte", "b-idx1-ubyte"]


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Empty explicit, env, home and system folders; the search sees only these."""
    roots = {k: tmp_path / k for k in ("explicit", "env", "home", "system")}
    for root in roots.values():
        root.mkdir()
    monkeypatch.delenv("NPKERAS_DATA", raising=False)
    monkeypatch.setenv("HOME", str(roots["home"]))
    monkeypatch.setattr(files, "SYSTEM_ROOT", roots["system"])
    return roots


def _fill(folder, gz=False):
    folder.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        (folder / (name + (".gz" if gz else ""))).write_bytes(b"x")
    return folder


def test_search_dirs_order(places, monkeypatch):
    monkeypatch.setenv("NPKERAS_DATA", str(places["env"]))
    dirs = files.search_dirs("fashion-mnist")
    assert dirs == [
        places["env"] / "fashion-mnist",
        places["env"],
        places["home"] / ".npkeras" / "datasets" / "fashion-mnist",
        places["system"] / "fashion-mnist",
    ]


def test_search_dirs_without_path_or_env(places):
    assert files.search_dirs("mnist") == [
        places["home"] / ".npkeras" / "datasets" / "mnist",
        places["system"] / "mnist",
    ]


def test_explicit_path_beats_everything(places, monkeypatch):
    for folder in (
        places["explicit"],
        places["env"] / "ds",
        places["home"] / ".npkeras/datasets/ds",
        places["system"] / "ds",
    ):
        _fill(folder)
    monkeypatch.setenv("NPKERAS_DATA", str(places["env"]))
    assert files.find_files("ds", NAMES, str(places["explicit"])) == [places["explicit"] / n for n in NAMES]


def test_env_beats_home_and_system(places, monkeypatch):
    for folder in (places["env"] / "ds", places["home"] / ".npkeras/datasets/ds", places["system"] / "ds"):
        _fill(folder)
    monkeypatch.setenv("NPKERAS_DATA", str(places["env"]))
    assert files.find_files("ds", NAMES) == [places["env"] / "ds" / n for n in NAMES]


def test_env_folder_itself_is_searched(places, monkeypatch):
    _fill(places["env"])
    _fill(places["system"] / "ds")
    monkeypatch.setenv("NPKERAS_DATA", str(places["env"]))
    assert files.find_files("ds", NAMES) == [places["env"] / n for n in NAMES]


def test_home_cache_beats_system(places):
    _fill(places["home"] / ".npkeras" / "datasets" / "ds")
    _fill(places["system"] / "ds")
    found = files.find_files("ds", NAMES)
    assert found == [places["home"] / ".npkeras" / "datasets" / "ds" / n for n in NAMES]


def test_system_path_is_the_last_resort(places):
    _fill(places["system"] / "ds", gz=True)
    assert files.find_files("ds", NAMES) == [places["system"] / "ds" / (n + ".gz") for n in NAMES]


def test_a_path_given_is_the_only_place_searched(places, monkeypatch):
    for folder in (places["env"] / "ds", places["home"] / ".npkeras/datasets/ds", places["system"] / "ds"):
        _fill(folder)
    monkeypatch.setenv("NPKERAS_DATA", str(places["env"]))
    (places["explicit"] / NAMES[0]).write_bytes(b"x")  # only one of two
    assert files.search_dirs("ds", places["explicit"]) == [places["explicit"]]
    with pytest.raises(FileNotFoundError) as info:
        files.find_files("ds", NAMES, places["explicit"], how_to_get="Run the installer.")
    message = str(info.value)
    assert f"in {places['explicit']} (the path given, so no other place was searched)" in message
    assert all(name in message for name in NAMES) and message.endswith("Run the installer.")
    assert str(places["env"]) not in message and str(places["system"]) not in message


def test_a_folder_must_hold_every_file(places):
    (places["home"] / ".npkeras/datasets/ds").mkdir(parents=True)
    (places["home"] / ".npkeras/datasets/ds" / NAMES[0]).write_bytes(b"x")  # only one of two
    _fill(places["system"] / "ds")
    assert files.find_files("ds", NAMES) == [places["system"] / "ds" / n for n in NAMES]


def test_raw_and_gz_files_may_be_mixed(places):
    (places["explicit"] / NAMES[0]).write_bytes(b"x")
    (places["explicit"] / (NAMES[1] + ".gz")).write_bytes(b"x")
    assert files.find_files("ds", NAMES, places["explicit"]) == [
        places["explicit"] / NAMES[0],
        places["explicit"] / (NAMES[1] + ".gz"),
    ]


def test_missing_files_say_where_they_were_looked_for_and_how_to_get_them(places):
    with pytest.raises(FileNotFoundError) as info:
        files.find_files("ds", NAMES, how_to_get="Run the installer.")
    message = str(info.value)
    for name in NAMES:
        assert name in message
    assert str(places["home"] / ".npkeras" / "datasets" / "ds") in message
    assert str(places["system"] / "ds") in message
    assert message.endswith("Run the installer.")


def test_paths_are_path_objects(places):
    _fill(places["explicit"])
    assert all(isinstance(p, Path) for p in files.find_files("ds", NAMES, str(places["explicit"])))
