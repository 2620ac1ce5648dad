"""MkDocs hook: serves KaTeX from the npm package `katex`, so the built site renders math offline.

The site never reaches a CDN. KaTeX's dist folder is found at $NPKERAS_KATEX_DIR, else at
.cache/npm/node_modules/katex/dist in the repository (`npm install --prefix .cache/npm katex`).
"""

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

REPO = Path(__file__).resolve().parents[2]
LOCAL_DIST = REPO / ".cache" / "npm" / "node_modules" / "katex" / "dist"
SITE_FOLDER = "assets/katex"
NEEDED = ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js")


def katex_dist():
    """The folder holding katex.min.js, or a PluginError that says how to get it."""
    dist = Path(os.environ.get("NPKERAS_KATEX_DIR") or LOCAL_DIST)
    missing = [name for name in NEEDED if not (dist / name).is_file()]
    if missing:
        raise PluginError(
            f"KaTeX not found in {dist} (missing {', '.join(missing)}): run "
            "`npm install --prefix .cache/npm katex` in the repository, or set NPKERAS_KATEX_DIR "
            "to a folder holding KaTeX's dist files."
        )
    return dist


def on_config(config):
    katex_dist()
    config.extra_css.insert(0, f"{SITE_FOLDER}/katex.min.css")
    for script in (f"{SITE_FOLDER}/katex.min.js", f"{SITE_FOLDER}/contrib/auto-render.min.js"):
        config.extra_javascript.append(script)
    config.extra_javascript.append("assets/javascripts/katex-init.js")
    return config


def on_files(files, config):
    dist = katex_dist()
    for path in sorted(dist.rglob("*")):
        relative = path.relative_to(dist).as_posix()
        if path.is_file() and (relative in NEEDED or relative.startswith("fonts/")):
            files.append(File.generated(config, f"{SITE_FOLDER}/{relative}", abs_src_path=str(path)))
    return files
