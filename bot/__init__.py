"""Lookout: conflict and security news, matched to teams, posted to Slack."""

__version__ = "0.1.0"
