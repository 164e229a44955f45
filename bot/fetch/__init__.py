"""Fetching: safe HTTP, feed and API adapters, article extraction, source health rules."""
