"""Per-team digests: what they hold, when they run, trends and charts."""
