"""Matching: the gazetteer (town → admin2/admin3 → admin1 → country → macro-region), the
group catalogue, and the matcher that reads the places, groups and country focus of a text."""
