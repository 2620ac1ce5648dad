"""Fixtures for the data set loaders' tests."""

import pytest

from npkeras.datasets import files


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Empty home, system and global npm folders and no env: the search sees only what a test puts there."""
    for var in ("NPKERAS_DATA", "REUTERS_DIR", "NPM_CONFIG_PREFIX"):
        monkeypatch.delenv(var, raising=False)
    roots = {k: tmp_path / k for k in ("home", "system", "npm_local", "npm_usr")}
    for root in roots.values():
        root.mkdir()
    monkeypatch.setenv("HOME", str(roots["home"]))
    monkeypatch.setattr(files, "SYSTEM_ROOT", roots["system"])
    monkeypatch.setattr(files, "NPM_GLOBAL_ROOTS", [roots["npm_local"], roots["npm_usr"]])
    return roots
