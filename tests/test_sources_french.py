"""The shipped sources read the Sahel in French (issue 16, item 6): most of its reporting is
French, and the event stage reads French as well as English."""

from __future__ import annotations

from pathlib import Path

from bot.config import SourcesFile, read_yaml

SOURCES = Path(__file__).resolve().parents[1] / "config" / "sources.yaml"


def test_french_sahel_outlets_are_enabled():
    shipped = SourcesFile.model_validate(read_yaml(SOURCES)).sources
    enabled = {s.id: s.url for s in shipped if s.enabled}
    for source in ("rfi-afrique", "france24-afrique-fr", "bbc-afrique", "lemonde-afrique"):
        assert source in enabled, source
    assert enabled["bbc-afrique"].startswith("https://feeds.bbci.co.uk/afrique/")
