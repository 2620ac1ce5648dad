"""The documentation site, built once per test session with `mkdocs build --strict`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
NPM_PREFIX = REPO / ".cache" / "npm"
NODE_MODULES = NPM_PREFIX / "node_modules"
# KaTeX renders the site's math; playwright-core drives Debian's Chromium in the browser check.
NPM_PACKAGES = ("katex@0.19", "playwright-core@1.65")


def ensure_npm_packages():
    """The repository's npm cache (.cache/npm, ignored by git) with NPM_PACKAGES, installed on first use."""
    wanted = [name.rsplit("@", 1)[0] for name in NPM_PACKAGES]
    if all((NODE_MODULES / name / "package.json").is_file() for name in wanted):
        return NODE_MODULES
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("the docs need KaTeX and playwright-core from npm, and npm is not installed (Debian: npm)")
    command = [npm, "install", "--prefix", str(NPM_PREFIX), "--no-save", "--no-audit", "--no-fund", *NPM_PACKAGES]
    subprocess.run(command, check=True, capture_output=True)
    return NODE_MODULES


def katex_dist():
    """KaTeX's dist folder: $NPKERAS_KATEX_DIR, or the repository's npm cache."""
    if os.environ.get("NPKERAS_KATEX_DIR"):
        return Path(os.environ["NPKERAS_KATEX_DIR"])
    return ensure_npm_packages() / "katex" / "dist"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The folder of the built site; the build's output is kept for the assertion messages."""
    site = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NPKERAS_KATEX_DIR=str(katex_dist()), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return site
