"""Where the shipped data lives, for a clone and for an installed package alike."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The folder holding catalog.json and friends (override with $HELPERS_DATA_DIR)."""
    override = os.environ.get("HELPERS_DATA_DIR")
    if override:
        return Path(override)
    installed = _PACKAGE / "_data"  # a wheel carries data/ inside the package
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "data"  # a clone or an editable install


def data_file(name: str) -> Path:
    """Path of one shipped data file."""
    return data_dir() / name
