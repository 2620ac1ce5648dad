"""Fixtures of the utils tests."""

import shutil

import pytest


@pytest.fixture
def graphviz():
    """Graphviz's `dot` program, which the rendering tests run (pydot comes with the test extra)."""
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's `dot` is missing: run `apt-get install -y graphviz`.")
