"""Where the catalogues (regions, groups, places) are read from: the config folder's own copy,
else the package's. Apart from bot/config.py so that the index build, which needs only these
paths, does not load pydantic."""

from __future__ import annotations

from pathlib import Path

CATALOGUES = Path(__file__).parents[1] / "catalogues"
CATALOGUE_FILES = ("regions.yaml", "groups.yaml", "places.yaml")


def catalogue_path(config_dir: Path, name: str) -> Path:
    """config_dir/name when the operator overrides that catalogue, else the package's own."""
    own = config_dir / name
    return own if own.exists() else CATALOGUES / name
