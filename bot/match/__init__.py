"""Gazetteer (town → admin1 → country), macro-regions, and the cached name index."""
