"""The built site in headless Chromium: math rendered by KaTeX, language switches that resolve, no console errors.

Screenshots are kept as test artefacts in $NPKERAS_TEST_ARTIFACTS/docs (default .cache/test-artifacts/docs).
"""

import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from functools import partial
from pathlib import Path

import pytest

from tests.docs.conftest import REPO, ensure_npm_packages

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PAGES = ["", "zh/", "notes/1-2-cnn/", "zh/notes/1-2-cnn/", "notes/2-5-backprop-optimizers/", "api/layers/"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="needs Chromium (apt-get install chromium)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served_site(built_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browsed(served_site):
    shots = Path(os.environ.get("NPKERAS_TEST_ARTIFACTS") or REPO / ".cache" / "test-artifacts") / "docs"
    shots.mkdir(parents=True, exist_ok=True)
    script = Path(__file__).with_name("browser_check.cjs")
    env = dict(os.environ, NODE_PATH=str(ensure_npm_packages()), CHROMIUM=CHROMIUM)
    done = subprocess.run(
        ["node", str(script), served_site, str(shots), *PAGES], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return {page["path"]: page for page in json.loads(done.stdout)}, shots


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors(browsed, path):
    pages, shots = browsed
    page = pages[path]
    assert page["status"] == 200
    assert page["errors"] == []
    assert (shots / f"{re.sub('[^A-Za-z0-9]+', '_', path) or 'home'}.png").stat().st_size > 10_000


@pytest.mark.parametrize("path", [p for p in PAGES if "notes" in p or p in ("", "zh/")])
def test_math_is_rendered_by_katex(browsed, path):
    page = browsed[0][path]
    assert page["arithmatex"] > 0
    assert page["katex"] == page["arithmatex"]
    assert page["rawLeft"] == 0 and page["katexErrors"] == 0


@pytest.mark.parametrize("path", PAGES)
def test_language_switch_links_resolve_to_the_same_page(browsed, path):
    page = browsed[0][path]
    links = {link["lang"]: link for link in page["links"]}
    assert set(links) == {"en", "zh"}
    assert all(link["status"] == 200 for link in links.values())
    english = path.removeprefix("zh/")
    assert links["en"]["href"].endswith("/" + english) and links["zh"]["href"].endswith("/zh/" + english)
    assert page["lang"] == ("zh" if path.startswith("zh/") else "en")
