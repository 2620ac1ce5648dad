"""Every ```python block in docs/ runs: a page's blocks in order, as one script, in a fresh process and folder
(as a reader runs them, and so that no page's registrations or seeds reach another test).

A Chinese page whose blocks are the English page's, character for character, is run once.
Blocks that are not Python to run are fenced as ```text, ```console or ```bash.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)


def python_blocks(text):
    """The Python blocks of a page's Markdown, dedented to their fence."""
    blocks = []
    for match in FENCE.finditer(text):
        language = match["info"].strip().split(" ")[0].lstrip(".").lower()
        if language in ("python", "py"):
            indent = len(match["indent"])
            blocks.append("\n".join(line[indent:] for line in match["body"].splitlines()))
    return blocks


def pages_to_run():
    seen = {}
    for page in sorted(DOCS.rglob("*.md")):
        blocks = python_blocks(page.read_text(encoding="utf-8"))
        if blocks and tuple(blocks) not in seen:
            seen[tuple(blocks)] = page
    return [pytest.param(page, list(blocks), id=page.relative_to(DOCS).as_posix()) for blocks, page in seen.items()]


def test_the_docs_have_code_to_run():
    assert len(pages_to_run()) >= 10


def test_fences_are_closed():
    for page in sorted(DOCS.rglob("*.md")):
        opened = sum(1 for line in page.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("```"))
        assert opened % 2 == 0, f"{page.relative_to(DOCS)} has an unclosed code fence"


@pytest.mark.parametrize(("page", "blocks"), pages_to_run())
def test_page_code_runs(page, blocks, tmp_path):
    script = tmp_path / "page.py"
    script.write_text("\n\n".join(f"# {page.name}, block {n}\n{code}" for n, code in enumerate(blocks, 1)))
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{page.relative_to(DOCS)}:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
