"""The three catalogues a matcher is built from (regions, groups, reviewed places), read
together before the index is built: every problem of all three files at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bot.configfiles.catalogues import catalogue_path
from bot.errors import ConfigError
from bot.match.catalogue_check import Known
from bot.match.fold import fold
from bot.match.gazetteer import admin1_rows, read_supplement
from bot.match.groups import Catalogue
from bot.match.regions import Region, load_regions

T = TypeVar("T")


def load_catalogues(config_dir: Path) -> tuple[tuple[Region, ...], Catalogue, dict]:
    """Regions, the group catalogue and places.yaml's data, each file the config folder's own
    or the shipped one; admin1 names are checked against the gazetteer's."""
    known = Known(admin1_table())
    problems: list[str] = []
    regions = _collect(problems, lambda: load_regions(catalogue_path(config_dir, "regions.yaml"), known))
    catalogue = _collect(problems, lambda: Catalogue.load(catalogue_path(config_dir, "groups.yaml"), known))
    supplement = _collect(problems, lambda: read_supplement(catalogue_path(config_dir, "places.yaml"), known))
    if problems:
        raise ConfigError(problems)
    assert regions is not None and catalogue is not None and supplement is not None
    return regions, catalogue, supplement


def admin1_table() -> dict[str, dict[str, str]]:
    """Country → folded admin1 name → its name: the names regions and places may refer to."""
    table: dict[str, dict[str, str]] = {}
    for row in admin1_rows():
        table.setdefault(row.country, {})[fold(row.name)] = row.name
    return table


def _collect(problems: list[str], load: Callable[[], T]) -> T | None:
    try:
        return load()
    except ConfigError as e:
        problems += e.problems
        return None
