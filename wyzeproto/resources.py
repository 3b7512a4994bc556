"""Where the toolkit's own data lives: the schemas, the catalog and the mitmproxy addons.

An installed wheel carries them as package data (``wyzeproto/schemas``, ``wyzeproto/addons``);
a checkout keeps them at the top level of the repository (``schemas/``, ``addons/``). Both
are found without a working directory, so ``wyze-toolkit`` runs from anywhere.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
ADDON_NAMES = ("capture", "drift", "serve")


def _data_dir(name: str, marker: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if (candidate / marker).is_file():
            return candidate
    raise FileNotFoundError(
        f"{_PACKAGE}: the toolkit's {name}/ folder is missing (looked in {_PACKAGE / name} and "
        f"{_PACKAGE.parent / name}); reinstall the package")


def schemas_dir() -> Path:
    """The folder that holds ``catalog.yaml`` and the endpoint schemas."""
    return _data_dir("schemas", "catalog.yaml")


def catalog_path() -> Path:
    return schemas_dir() / "catalog.yaml"


def addon_path(name: str) -> Path:
    """The file to pass to ``mitmdump -s`` for one of the toolkit's addons."""
    if name not in ADDON_NAMES:
        raise ValueError(f"no addon named {name!r}; the addons are: {', '.join(ADDON_NAMES)}")
    return _data_dir("addons", f"{name}.py") / f"{name}.py"
