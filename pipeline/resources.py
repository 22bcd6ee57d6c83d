"""Where the pipeline's data files are: the lexicons and trained weights (`models/*.json`).

The top-level `models/` folder of a clone is the source of truth; `pipeline/models` is a
link to it, so that the files ship inside the package (setuptools package data) and are
found through `importlib.resources` wherever the package is installed: a clone, an
editable install, a wheel in site-packages, a Dask worker. Every module reads them here,
never through a path built from `__file__`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = __name__.rpartition(".")[0]


class ResourceError(OSError):
    """A data file of the package itself is missing: the installation is broken, not the input."""


def models_dir() -> Path:
    """The folder of the packaged data files (it may be missing in a broken install)."""
    # Packages installed from a wheel or a clone live on the file system, so this is a Path.
    return Path(str(resources.files(PACKAGE).joinpath("models")))


def model_path(name: str) -> Path:
    """The path of the packaged data file `name` (e.g. "cues.json"); ResourceError if it is missing."""
    path = models_dir() / name
    if not path.is_file():
        raise ResourceError(
            f"the package's data file models/{name} is missing ({path} not found): "
            "reinstall newsclaims; a wheel must carry pipeline/models/*.json"
        )
    return path


def model_files() -> list[Path]:
    """Every packaged data file, sorted by name (what the cache key hashes)."""
    folder = models_dir()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def locate(path: str | Path) -> Path:
    """A data file named as "models/NAME" (the default in configs) or by any path.

    A relative path that exists from the working directory is taken as it is (a model
    one has just trained); "models/NAME" that does not is the packaged file.
    """
    p = Path(path)
    if p.is_absolute() or p.exists() or p.parent != Path("models"):
        return p
    return model_path(p.name)
