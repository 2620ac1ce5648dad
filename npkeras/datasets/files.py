"""Where data sets are looked for: explicit path, $NPKERAS_DATA, ~/.npkeras/datasets, system."""

import os
from pathlib import Path

SYSTEM_ROOT = Path("/usr/share/datasets")


def cache_dir(name):
    """The user cache folder for data set `name`, where downloads go."""
    return Path.home() / ".npkeras" / "datasets" / name


def search_dirs(name, path=None):
    """Folders to search for data set `name`, in order."""
    dirs = []
    if path is not None:
        dirs.append(Path(path))
    env = os.environ.get("NPKERAS_DATA")
    if env:
        dirs += [Path(env) / name, Path(env)]
    dirs.append(cache_dir(name))
    dirs.append(SYSTEM_ROOT / name)
    return dirs


def files_in(folder, filenames):
    """Paths of all `filenames` (each as given or with .gz) in `folder`, or None if one is missing."""
    found = []
    for filename in filenames:
        candidates = [folder / filename, folder / (filename + ".gz")]
        hit = next((c for c in candidates if c.is_file()), None)
        if hit is None:
            return None
        found.append(hit)
    return found


def find_files(name, filenames, path=None, how_to_get=""):
    """Paths of `filenames` in the first folder of the search order that holds them all."""
    searched = search_dirs(name, path)
    for folder in searched:
        found = files_in(folder, filenames)
        if found is not None:
            return found
    listing = "\n  ".join(str(d) for d in searched)
    raise FileNotFoundError(
        f"Could not find the {name} files ({', '.join(filenames)}, optionally .gz) in any of:\n  {listing}\n"
        f"{how_to_get}"
    )
